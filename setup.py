"""The wheel's build step: the browser files of the top-level ``web/`` (their one source)
and the pinned PyScript, Pyodide and MicroPython files go into the package
(``iamport_sandbox/web/`` and ``iamport_sandbox/web/runtime/``) when the wheel is built,
never at run time. An editable install needs neither: it reads the checkout's ``web/``
(:func:`iamport_sandbox.assets.web_dir`).

The runtimes come from ``web/node_modules`` (``make setup`` runs ``npm ci`` there); when it
is missing, this runs ``npm ci`` itself (Node and the npm registry needed). Each text and
wasm file gets its ``.gz`` and ``.br`` beside it (brotli is a build requirement; the sandbox
sends them to browsers that accept them). ``IAMPORT_PY_NO_RUNTIMES=1`` builds a wheel
without them (the sandbox then serves its API and pages, and 404 for /runtime/). Everything
else is in pyproject.toml.
"""

import os
import shutil
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
WEB = os.path.join(HERE, "web")


def _assets():
    # From the source tree: the build environment has setuptools and brotli, and
    # iamport_sandbox.assets needs nothing more (the standard library and the SDK).
    sys.path.insert(0, HERE)
    from iamport_sandbox.assets import build, compression, layout

    return build, compression, layout


class BuildWithWeb(build_py):
    """build_py, then web/'s files and the runtime files into the built package."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        build, compression, layout = _assets()
        target = os.path.join(self.build_lib, "iamport_sandbox", "web")
        os.makedirs(target, exist_ok=True)
        for name in layout.web_files(WEB):
            shutil.copy2(os.path.join(WEB, name), os.path.join(target, name))
        if os.environ.get("IAMPORT_PY_NO_RUNTIMES") == "1":
            return
        node_modules = os.path.join(WEB, "node_modules")
        if not os.path.isdir(node_modules):
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError(
                    "building the wheel needs the npm runtimes: run `npm ci` in "
                    "web/ (or set IAMPORT_PY_NO_RUNTIMES=1)"
                )
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=WEB, check=True
            )
        build.check_node_modules(node_modules, WEB)
        if compression.BROTLI is None:
            print("iamport-py: no brotli module in the build environment: gzip copies only")
        size = build.copy_runtimes(node_modules, os.path.join(target, "runtime"))
        print(
            "iamport-py: runtimes copied into the wheel, compressed ({:.1f} MB)".format(size / 1e6)
        )


setup(cmdclass={"build_py": BuildWithWeb})
