"""The ``.gz`` and ``.br`` copies of text and WebAssembly files.

Every text and wasm file of a runtime gets them beside it when it is copied (build or install
time): the sandbox, and a merchant's server (``gzip_static``/``brotli_static``), send those
instead of compressing per request. The sandbox compresses its small entry points and the SDK
once per process with :func:`compress`.
"""

import gzip
import importlib
import os
from types import ModuleType

try:  # the `sandbox` extra and the wheel's build requirements install it
    BROTLI: ModuleType | None = importlib.import_module("brotli")
except ImportError:  # pragma: no cover - gzip only, then
    BROTLI = None

# What is worth compressing: text and WebAssembly (archives and images are compressed already).
COMPRESSIBLE = (
    ".js",
    ".mjs",
    ".wasm",
    ".json",
    ".css",
    ".html",
    ".py",
    ".toml",
    ".txt",
    ".md",
    ".svg",
    ".bundle",
)
# Content-Encoding -> file suffix, in the order a server prefers them.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def compressible(name: str) -> bool:
    """Whether a file of this name is worth a compressed copy."""
    return name.endswith(COMPRESSIBLE)


def compress(data: bytes) -> dict[str, bytes]:
    """``{encoding: bytes}`` of ``data``: gzip, and brotli when the module is there; an
    encoding that saves less than 5 % is left out (the plain file is as good)."""
    variants = {"gzip": gzip.compress(data, 9, mtime=0)}
    if BROTLI is not None:
        # Quality 11 (slow, smallest); 9 above 4 MB (Pyodide's wasm: 1.5 s instead of 26 s).
        packed: bytes = BROTLI.compress(data, quality=11 if len(data) <= 4 << 20 else 9)
        variants["br"] = packed
    return {
        encoding: packed for encoding, packed in variants.items() if len(packed) < len(data) * 0.95
    }


def write_compressed(path: str) -> None:
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
