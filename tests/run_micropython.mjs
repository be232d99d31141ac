// Runs the portable tests (tests/portable) on MicroPython's WebAssembly build, in Node.
// It proves the pure core really runs on PyScript's MicroPython, not just on CPython.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { loadMicroPython } = await import(
  join(root, "web/node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs"));

const mp = await loadMicroPython({ heapsize: 32 * 1024 * 1024, stdout: (line) => console.log(line),
                                   stderr: (line) => console.error(line) });

// Copy the pure package and the portable tests into MicroPython's in-memory file system.
function copyTree(folder, skip = []) {
  mp.FS.mkdirTree("/lib/" + folder);
  for (const name of readdirSync(join(root, folder))) {
    if (name.endsWith(".py") && !skip.includes(name)) {
      mp.FS.writeFile(`/lib/${folder}/${name}`, readFileSync(join(root, folder, name)));
    }
  }
}
copyTree("iamport_py", ["browser.py"]);
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
    module = __import__(name, None, None, ["*"])
    for test in sorted(n for n in dir(module) if n.startswith("test_")):
        try:
            getattr(module, test)()
            passed += 1
        except Exception as error:
            failed += 1
            print("FAILED", name + "::" + test)
            sys.print_exception(error)
print("micropython: {} passed, {} failed".format(passed, failed))
`);
const failed = mp.globals.get("failed");
process.exit(failed === 0 ? 0 : 1);
