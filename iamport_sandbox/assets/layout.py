"""Where the browser files are, and which of them ship.

- ``web/`` (``/web/…``): imp.js, the bridge's JS half, PyScript configs, the demo pages.
  Their one source is the checkout's top-level ``web/``; the wheel's build step (setup.py)
  copies the files :data:`WEB_FILES` names into the package (``iamport_sandbox/web/``), with
  the runtimes;
- ``web/runtime/<name>/`` (``/runtime/<name>/…``): the PyScript, Pyodide and MicroPython
  files a page needs, copied from the npm packages pinned in ``web/package-lock.json``
  (:mod:`iamport_sandbox.assets.build`);
- ``web/interpreters.json``: the one table of the interpreters a page can run the SDK on.
"""

import fnmatch
import json
import os
from typing import Any, TypedDict


class Runtime(TypedDict):
    """One runtime's npm package, the folder inside it and the files a page loads (None:
    every file but the skipped)."""

    package: str
    folder: str
    files: tuple[str, ...] | None
    skip: tuple[str, ...]


RUNTIMES: dict[str, Runtime] = {
    "pyscript": {"package": "@pyscript/core", "folder": "dist", "files": None, "skip": ("*.map",)},
    "pyodide": {
        "package": "pyodide",
        "folder": "",
        "skip": (),
        "files": (
            "pyodide.mjs",
            "pyodide.asm.mjs",
            "pyodide.asm.wasm",
            "python_stdlib.zip",
            "pyodide-lock.json",
        ),
    },
    "micropython": {
        "package": "@micropython/micropython-webassembly-pyscript",
        "folder": "",
        "skip": (),
        "files": ("micropython.mjs", "micropython.wasm"),
    },
}
# The files of web/ a merchant deploys (the demo shop's own pages stay in the sandbox).
SELF_HOSTED = ("imp.js", "imp.esm.js", "iamport-bridge.mjs", "mpy.toml", "pyscript.toml")
# imp.esm.js's TypeScript declarations: package data and served at /web/, but not deployed
# (a merchant's build reads them; a shopper's browser never asks for them).
TYPINGS = "imp.esm.d.ts"


# The files of web/ the wheel carries (never node_modules/; runtime/ is the build step's).
WEB_FILES = (
    "*.html",
    "*.js",
    "*.mjs",
    "*.d.ts",
    "*.toml",
    "*.css",
    "*.py",
    "package.json",
    "package-lock.json",
    "interpreters.json",
)
# A folder is web/ when it has the interpreter table: a checkout that still holds an old
# iamport_sandbox/web/ with only runtime/ or node_modules/ in it is not mistaken for it.
_MARKER = "interpreters.json"
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def web_files(folder: str) -> list[str]:
    """The names of the files of ``folder`` the wheel carries (:data:`WEB_FILES`), sorted."""
    return sorted(
        name
        for name in os.listdir(folder)
        if os.path.isfile(os.path.join(folder, name))
        and any(fnmatch.fnmatch(name, pattern) for pattern in WEB_FILES)
    )


def web_dir() -> str:
    """The browser files: the package's ``web/`` in an installed wheel, else the top-level
    ``web/`` of the checkout the package runs from (a source tree or an editable install)."""
    for folder in (os.path.join(_PACKAGE, "web"), os.path.join(os.path.dirname(_PACKAGE), "web")):
        if os.path.isfile(os.path.join(folder, _MARKER)):
            return folder
    raise FileNotFoundError(
        "no web/ beside iamport_sandbox ({}): install the wheel, or run from a checkout".format(
            _PACKAGE
        )
    )


def runtime_dir(base: str | None = None) -> str:
    """Where the copied runtime files are: ``web/runtime/``."""
    return os.path.join(base or web_dir(), "runtime")


def _interpreter_table() -> dict[str, dict[str, Any]]:
    with open(os.path.join(web_dir(), "interpreters.json"), encoding="utf-8") as table:
        loaded: dict[str, dict[str, Any]] = json.load(table)
    return loaded


# The one table of the interpreters a page can run the SDK on: per interpreter, PyScript's
# script type and the sandbox's config (Python pages), the runtime module, the loader imp.js
# calls on it with its options (it boots the interpreter without PyScript) and what a page
# preloads (biggest first); paths relative to the sandbox's root. imp.js and the demo page
# get it written in where they say ``/* interpreters */ null``
# (:func:`iamport_sandbox.assets.versions.versioned`); the export's pages, the tests and the
# benchmarks read it here.
INTERPRETER_TABLE = _interpreter_table()
