"""The build copy of the runtimes: the pinned PyScript, Pyodide and MicroPython files a page
loads, from ``web/node_modules`` into ``web/runtime/<name>/``, each with its ``.gz`` and
``.br`` beside it. The wheel's build step (``setup.py``) runs it into the built package, and
``python -m iamport_sandbox.assets`` (``make setup``) into a checkout; never at run time."""

import fnmatch
import json
import os
import shutil
from collections.abc import Iterable

from iamport_sandbox.assets.compression import write_compressed
from iamport_sandbox.assets.layout import RUNTIMES, runtime_dir, web_dir
from iamport_sandbox.assets.versions import pinned_versions


def runtime_files(node_modules: str, name: str) -> list[tuple[str, str]]:
    """``[(source path, relative name)]`` of one runtime inside ``node_modules``."""
    spec = RUNTIMES[name]
    folder = os.path.join(node_modules, *spec["package"].split("/"), spec["folder"])
    names = spec["files"] or sorted(
        entry for entry in os.listdir(folder) if os.path.isfile(os.path.join(folder, entry))
    )
    return [
        (os.path.join(folder, entry), entry)
        for entry in names
        if not any(fnmatch.fnmatch(entry, pattern) for pattern in spec["skip"])
    ]


def check_node_modules(node_modules: str, base: str | None = None) -> None:
    """Raise ``RuntimeError`` unless ``node_modules`` holds the pinned versions."""
    for package, version in pinned_versions(base).items():
        manifest = os.path.join(node_modules, *package.split("/"), "package.json")
        try:
            with open(manifest, encoding="utf-8") as handle:
                found: str | None = json.load(handle)["version"]
        except (OSError, ValueError, KeyError):
            found = None
        if found != version:
            raise RuntimeError(
                "{} {} is pinned but {} has {}: run `npm ci` in {}".format(
                    package, version, node_modules, found or "none", base or web_dir()
                )
            )


def copy_runtimes(node_modules: str, target: str, names: Iterable[str] | None = None) -> int:
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


def main(argv: list[str] | None = None) -> int:
    """``python -m iamport_sandbox.assets``: copy the runtimes from ``web/node_modules``
    into ``web/runtime``, with their ``.gz`` and ``.br`` (what ``make setup`` runs in a
    checkout)."""
    base = web_dir()
    node_modules = os.path.join(base, "node_modules")
    check_node_modules(node_modules, base)
    size = copy_runtimes(node_modules, runtime_dir(base))
    print("runtimes copied into {} ({:.1f} MB)".format(runtime_dir(base), size / 1e6))
    return 0
