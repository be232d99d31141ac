// Runs the portable tests (tests/portable) on MicroPython's WebAssembly build, in Node.
// It proves the SDK really runs on PyScript's MicroPython, not just on CPython: the whole
// package is copied (browser.py too, which must go headless here: Node's MicroPython has
// `js` but no `pyscript`).
//
//   node tests/run_micropython.mjs [--expect N] [--sdk-bundle FILE]
//
// Fails when a test fails, when it collected no tests, or when it collected fewer than N
// (the count pytest collects from the same files: `make micropython` passes it).
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const expectAt = process.argv.indexOf("--expect");
const expected = expectAt > 0 ? Number(process.argv[expectAt + 1]) : 1;
if (!Number.isInteger(expected) || expected < 1) {
  console.error("--expect needs a positive count");
  process.exit(2);
}

const { loadMicroPython } = await import(
  join(root, "web/node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs"));

const mp = await loadMicroPython({ heapsize: 32 * 1024 * 1024, stdout: (line) => console.log(line),
                                   stderr: (line) => console.error(line) });

// Copy the package and the portable tests into MicroPython's in-memory file system.
function copyTree(folder) {
  mp.FS.mkdirTree("/lib/" + folder);
  for (const name of readdirSync(join(root, folder))) {
    if (name.endsWith(".py")) {
      mp.FS.writeFile(`/lib/${folder}/${name}`, readFileSync(join(root, folder, name)));
    }
  }
}
// --sdk-bundle FILE: the SDK as a PyScript page gets it on MicroPython: __init__.py and the
// bundle of .mpy files as iamport_py/_bundle, which __init__.py unpacks on import (the
// modules pages never load, testing.py, from their sources).
const bundleAt = process.argv.indexOf("--sdk-bundle");
if (bundleAt > 0) {
  const bundle = readFileSync(process.argv[bundleAt + 1]);
  const bundled = new Set(JSON.parse(bundle.subarray(0, bundle.indexOf(10)).toString("utf-8"))
    .map(([name]) => name.replace(/\.mpy$/, ".py")));
  bundled.delete("__init__.py");
  mp.FS.mkdirTree("/lib/iamport_py");
  mp.FS.writeFile("/lib/iamport_py/_bundle", bundle);
  for (const name of readdirSync(join(root, "iamport_py"))) {
    if (name.endsWith(".py") && !bundled.has(name)) {
      mp.FS.writeFile("/lib/iamport_py/" + name, readFileSync(join(root, "iamport_py", name)));
    }
  }
} else {
  copyTree("iamport_py");
}
copyTree("tests");
copyTree("tests/portable");

const modules = readdirSync(join(root, "tests/portable"))
  .filter((name) => name.startsWith("test_") && name.endsWith(".py"))
  .map((name) => "tests.portable." + name.slice(0, -3));

mp.runPython(`
import sys
sys.path.insert(0, "/lib")
passed = failed = 0
for name in ${JSON.stringify(modules)}:
    try:
        module = __import__(name, None, None, ["*"])
    except Exception as error:
        failed += 1
        print("FAILED to import", name)
        sys.print_exception(error)
        continue
    for test in sorted(n for n in dir(module) if n.startswith("test_")):
        if not callable(getattr(module, test)):
            continue
        try:
            getattr(module, test)()
            passed += 1
        except Exception as error:
            failed += 1
            print("FAILED", name + "::" + test)
            sys.print_exception(error)
print("micropython: {} passed, {} failed".format(passed, failed))
`);
const passed = mp.globals.get("passed");
const failed = mp.globals.get("failed");
const collected = passed + failed;
if (collected < expected) {
  console.error(`micropython: collected ${collected} tests, expected at least ${expected}`);
  process.exit(1);
}
process.exit(failed === 0 ? 0 : 1);
