"""The browser assets: where they are, which runtime files ship, and the self-hosting export.

Standard library only: the wheel's build hook (``setup.py``) loads this file by path, and
``iamport-sandbox export-assets`` runs without the sandbox's dependencies.

Layout inside the package (the URL paths the sandbox serves them under):

- ``web/`` (``/web/…``): imp.js, the bridge's JS half, PyScript configs, the demo pages;
- ``web/runtime/<name>/`` (``/runtime/<name>/…``): the PyScript, Pyodide and MicroPython
  files a page needs, copied from the npm packages pinned in ``web/package-lock.json`` —
  by the wheel's build hook, or by ``make setup`` in a checkout (never at run time);
- the SDK (``/sdk/iamport_py.zip``) is zipped from the installed ``iamport_py``.
"""

import fnmatch
import io
import json
import os
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# npm package, folder inside it, the files a page loads (None: every file but the skipped).
RUNTIMES = {
    "pyscript": {"package": "@pyscript/core", "folder": "dist", "files": None,
                 "skip": ("*.map",)},
    "pyodide": {"package": "pyodide", "folder": "", "skip": (),
                "files": ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                          "python_stdlib.zip", "pyodide-lock.json")},
    "micropython": {"package": "@micropython/micropython-webassembly-pyscript", "folder": "",
                    "skip": (), "files": ("micropython.mjs", "micropython.wasm")},
}
# The files of web/ a merchant deploys (the demo shop's own pages stay in the sandbox).
SELF_HOSTED = ("imp.js", "iamport-bridge.mjs", "mpy.toml", "pyscript.toml")


def web_dir():
    """The package's ``web`` folder, found with :mod:`importlib.resources`."""
    try:
        from importlib.resources import files
        return os.fspath(files("iamport_sandbox") / "web")
    except (ImportError, TypeError):  # loaded by path (setup.py): no package to ask
        return os.path.join(HERE, "web")


def runtime_dir(base=None):
    """Where the copied runtime files are: ``web/runtime/``."""
    return os.path.join(base or web_dir(), "runtime")


def pinned_versions(base=None):
    """``{npm package: version}`` as ``web/package.json`` pins them."""
    with open(os.path.join(base or web_dir(), "package.json"), encoding="utf-8") as handle:
        return json.load(handle)["dependencies"]


def runtime_files(node_modules, name):
    """``[(source path, relative name)]`` of one runtime inside ``node_modules``."""
    spec = RUNTIMES[name]
    folder = os.path.join(node_modules, *spec["package"].split("/"), spec["folder"])
    names = spec["files"] or sorted(entry for entry in os.listdir(folder)
                                    if os.path.isfile(os.path.join(folder, entry)))
    return [(os.path.join(folder, entry), entry) for entry in names
            if not any(fnmatch.fnmatch(entry, pattern) for pattern in spec["skip"])]


def check_node_modules(node_modules, base=None):
    """Raise ``RuntimeError`` unless ``node_modules`` holds the pinned versions."""
    for package, version in pinned_versions(base).items():
        manifest = os.path.join(node_modules, *package.split("/"), "package.json")
        try:
            with open(manifest, encoding="utf-8") as handle:
                found = json.load(handle)["version"]
        except (OSError, ValueError, KeyError):
            found = None
        if found != version:
            raise RuntimeError("{} {} is pinned but {} has {}: run `npm ci` in {}".format(
                package, version, node_modules, found or "none", base or web_dir()))


def copy_runtimes(node_modules, target, names=None):
    """Copy the runtime files a page needs from ``node_modules`` into ``target/<name>/``;
    returns the number of bytes copied."""
    copied = 0
    for name in names or RUNTIMES:
        folder = os.path.join(target, name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for source, entry in runtime_files(node_modules, name):
            shutil.copyfile(source, os.path.join(folder, entry))
            copied += os.path.getsize(source)
    return copied


def sdk_modules():
    """The file names of ``iamport_py``'s modules (what a page needs of the SDK)."""
    import iamport_py

    sdk_dir = os.path.dirname(os.path.abspath(iamport_py.__file__))
    return sorted(name for name in os.listdir(sdk_dir) if name.endswith(".py"))


def sdk_archive():
    """``iamport_py`` as one zip (``iamport_py/*``), for PyScript's ``files``."""
    import iamport_py

    sdk_dir = os.path.dirname(os.path.abspath(iamport_py.__file__))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(os.listdir(sdk_dir)):
            if name.endswith(".py"):
                archive.write(os.path.join(sdk_dir, name), "iamport_py/" + name)
    return buffer.getvalue()


# -- self-hosting ---------------------------------------------------------------------

INTERPRETERS = {"micropython": ("mpy", "web/mpy.toml"), "pyodide": ("py", "web/pyscript.toml")}

PYTHON_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Checkout ({interpreter})</title>
  <link rel="stylesheet" href="runtime/pyscript/core.css">
  <script type="module" src="runtime/pyscript/core.js"></script>
</head>
<body>
  <button id="pay" disabled>Pay 1,000 KRW</button>
  <pre id="result"></pre>
  <script type="{script_type}" config="{config}">
import time

from pyscript import document, when

from iamport_py import IMP

IMP.init({user_code!r}, service={service!r})


def done(rsp):
    # Show it, then verify it on your server (GET /payments/{{imp_uid}}).
    document.getElementById("result").textContent = "success={{}} imp_uid={{}} error={{}}".format(
        rsp["success"], rsp["imp_uid"], rsp["error_code"])
    document.body.dataset.result = "paid" if rsp["success"] else "failed"


@when("click", "#pay")
def pay(event):
    IMP.request_pay({{"pg": "", "pay_method": "card", "amount": 1000, "name": "Test order",
                     "merchant_uid": "order-{{}}".format(time.time_ns()),
                     "buyer_email": "buyer@example.com"}}, done)


document.getElementById("pay").disabled = False
  </script>
</body>
</html>
"""

JS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Checkout (JavaScript)</title>
  <script src="web/imp.js" data-user-code="{user_code}" data-service="{service}"></script>
</head>
<body>
  <button id="pay">Pay 1,000 KRW</button>
  <pre id="result"></pre>
  <script>
    document.getElementById("pay").onclick = () => {{
      IMP.request_pay({{ pg: "", amount: 1000, name: "Test order",
                        merchant_uid: "order-" + Date.now(), buyer_email: "buyer@example.com" }},
        (rsp) => {{
          document.getElementById("result").textContent = JSON.stringify(rsp, null, 2);
          document.body.dataset.result = rsp.success ? "paid" : "failed";
        }});
    }};
  </script>
</body>
</html>
"""

HEADERS = """# Headers for the exported files (Netlify / Cloudflare Pages `_headers` format).
# Browsers compile WebAssembly while it downloads only when it is served as application/wasm.
/*.wasm
  Content-Type: application/wasm
/*.mjs
  Content-Type: text/javascript
/*.toml
  Content-Type: text/plain; charset=utf-8
# Only when pages on ANOTHER origin load these files (ES modules and fetches need CORS).
# Leave it out when the pages are served from the same origin as this folder.
/*
  Access-Control-Allow-Origin: *
"""

README = """# iamport-py, self-hosted ({version})

Deploy this folder as it is, under any path: every URL inside it is relative.

- `web/imp.js`: the one tag for JavaScript pages,
  `<script src="…/web/imp.js" data-user-code="imp…" data-service="https://service.iamport.kr">`;
- `web/iamport-bridge.mjs`: the SDK's JS half (overlay, popup, postMessage, fetch);
- `web/mpy.toml`, `web/pyscript.toml`: PyScript configs for Python pages (MicroPython,
  Pyodide). PyScript resolves their `files` and `js_modules` against the config file but
  `interpreter` against the page: as written it suits pages in this folder's root (as the
  samples are); a page elsewhere needs its own copy with `interpreter` relative to it;
- `sdk/iamport_py.zip`: the Python SDK, unpacked by PyScript into the page's working folder;
- `runtime/{runtimes}`: PyScript and the interpreters, pinned ({versions});
- `index*.html`, `js-example.html`: sample checkout pages (user code `{user_code}`,
  service `{service}`).

The service is Iamport's (`https://service.iamport.kr`) in production; a sandbox URL while you
test. JavaScript pages name it with `data-service` (default: the origin that served `imp.js`),
Python pages with `IMP.init(user_code, service=...)`.

Headers your server must send (`_headers` has them in Netlify / Cloudflare Pages form):

- `*.wasm` as `application/wasm` (otherwise the interpreters load slowly or not at all);
- `*.mjs` as `text/javascript` (ES modules refuse other types);
- `Access-Control-Allow-Origin: *` on these files only when the pages that use them are on
  another origin (a CDN or an assets host); not needed on the same origin.

nginx:

```nginx
types {{ application/wasm wasm; text/javascript mjs; }}
location /assets/ {{ add_header Access-Control-Allow-Origin *; }}   # only for other origins
```
"""


def export_assets(target, service="https://service.iamport.kr", user_code="imp00000000",
                  interpreters=("micropython", "pyodide"), node_modules=None):
    """Write what a merchant deploys into ``target``; returns the list of relative paths.

    Runtimes come from the package (``web/runtime``) or, in a checkout where they were not
    copied yet, from ``node_modules``."""
    base = web_dir()
    source = runtime_dir(base)
    names = ["pyscript", *interpreters]
    os.makedirs(os.path.join(target, "web"), exist_ok=True)
    os.makedirs(os.path.join(target, "sdk"), exist_ok=True)
    for name in SELF_HOSTED:
        with open(os.path.join(base, name), encoding="utf-8") as handle:
            text = handle.read()
        if name.endswith(".toml"):
            # PyScript resolves `interpreter` against the page: relative to the folder's
            # root, where the sample pages are (the other paths are relative to the config).
            text = text.replace('interpreter = "/runtime/', 'interpreter = "runtime/')
        with open(os.path.join(target, "web", name), "w", encoding="utf-8") as handle:
            handle.write(text)
    with open(os.path.join(target, "sdk", "iamport_py.zip"), "wb") as handle:
        handle.write(sdk_archive())
    # The same modules as plain files, which imp.js loads without PyScript's zip plugin.
    import iamport_py

    sdk_dir = os.path.dirname(os.path.abspath(iamport_py.__file__))
    modules_target = os.path.join(target, "sdk", "iamport_py")
    os.makedirs(modules_target, exist_ok=True)
    for name in sdk_modules():
        shutil.copyfile(os.path.join(sdk_dir, name), os.path.join(modules_target, name))
    runtime_target = os.path.join(target, "runtime")
    if all(os.path.isdir(os.path.join(source, name)) for name in names):
        for name in names:
            shutil.rmtree(os.path.join(runtime_target, name), ignore_errors=True)
            shutil.copytree(os.path.join(source, name), os.path.join(runtime_target, name))
    else:
        node_modules = node_modules or os.path.join(base, "node_modules")
        if not os.path.isdir(node_modules):
            raise RuntimeError("no runtime files in {} (run `make setup` in a checkout)"
                               .format(source))
        copy_runtimes(node_modules, runtime_target, names)
    pages = {"js-example.html": JS_PAGE}
    for interpreter in interpreters:
        script_type, config = INTERPRETERS[interpreter]
        name = "index.html" if interpreter == interpreters[0] else "index-{}.html".format(
            interpreter)
        pages[name] = PYTHON_PAGE.format(interpreter=interpreter, script_type=script_type,
                                         config=config, user_code=user_code, service=service)
    if "micropython" not in interpreters:
        pages["js-example.html"] = JS_PAGE.replace('data-service=', 'data-interpreter="pyodide"'
                                                   ' data-service=')
    pages["js-example.html"] = pages["js-example.html"].format(user_code=user_code,
                                                               service=service)
    import iamport_py

    versions = pinned_versions(base)
    pages["_headers"] = HEADERS
    pages["README.md"] = README.format(
        version="iamport-py " + iamport_py.__version__, user_code=user_code, service=service,
        runtimes=", ".join(names),
        versions=", ".join("{} {}".format(package, version)
                           for package, version in sorted(versions.items())))
    for name, text in pages.items():
        with open(os.path.join(target, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    written = []
    for folder, _, entries in os.walk(target):
        written += [os.path.relpath(os.path.join(folder, entry), target) for entry in entries]
    return sorted(written)


def main(argv=None):
    """``python -m iamport_sandbox.assets``: copy the runtimes from ``web/node_modules``
    into ``web/runtime`` (what ``make setup`` runs in a checkout)."""
    base = web_dir()
    node_modules = os.path.join(base, "node_modules")
    check_node_modules(node_modules, base)
    size = copy_runtimes(node_modules, runtime_dir(base))
    print("runtimes copied into {} ({:.1f} MB)".format(runtime_dir(base), size / 1e6))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
