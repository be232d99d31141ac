"""The wheel's build step: the pinned PyScript, Pyodide and MicroPython files go into the
package (``iamport_sandbox/web/runtime/``) when the wheel is built, never at run time.

They come from ``iamport_sandbox/web/node_modules`` (``make setup`` runs ``npm ci`` there);
when it is missing, this runs ``npm ci`` itself (Node and the npm registry needed).
Each text and wasm file gets its ``.gz`` and ``.br`` beside it (brotli is a build
requirement; the sandbox sends them to browsers that accept them).
``IAMPORT_PY_NO_RUNTIMES=1`` builds a wheel without them (the sandbox then serves its API
and pages, and 404 for /runtime/). Everything else is in pyproject.toml.
"""

import os
import shutil
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
WEB = os.path.join(HERE, "iamport_sandbox", "web")


def _build():
    # From the source tree: the build environment has setuptools and brotli, and
    # iamport_sandbox.assets needs nothing more (the standard library and the SDK).
    sys.path.insert(0, HERE)
    from iamport_sandbox.assets import build, compression

    return build, compression


class BuildWithRuntimes(build_py):
    """build_py, then the runtime files into the built package."""

    def run(self):
        super().run()
        if self.editable_mode or os.environ.get("IAMPORT_PY_NO_RUNTIMES") == "1":
            return
        build, compression = _build()
        node_modules = os.path.join(WEB, "node_modules")
        if not os.path.isdir(node_modules):
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError(
                    "building the wheel needs the npm runtimes: run `npm ci` in "
                    "iamport_sandbox/web (or set IAMPORT_PY_NO_RUNTIMES=1)"
                )
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=WEB, check=True
            )
        build.check_node_modules(node_modules, WEB)
        target = os.path.join(self.build_lib, "iamport_sandbox", "web", "runtime")
        if compression.BROTLI is None:
            print("iamport-py: no brotli module in the build environment: gzip copies only")
        size = build.copy_runtimes(node_modules, target)
        print(
            "iamport-py: runtimes copied into the wheel, compressed ({:.1f} MB)".format(size / 1e6)
        )


setup(cmdclass={"build_py": BuildWithRuntimes})
