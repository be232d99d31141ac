"""Where the browser files are, and which of them ship.

- ``web/`` (``/web/…``): imp.js, the bridge's JS half, PyScript configs, the demo pages;
- ``web/runtime/<name>/`` (``/runtime/<name>/…``): the PyScript, Pyodide and MicroPython
  files a page needs, copied from the npm packages pinned in ``web/package-lock.json``
  (:mod:`iamport_sandbox.assets.build`);
- ``web/interpreters.json``: the one table of the interpreters a page can run the SDK on.
"""

import json
import os
from importlib.resources import files
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


def web_dir() -> str:
    """The package's ``web`` folder, found with :mod:`importlib.resources`."""
    return str(files("iamport_sandbox") / "web")


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
