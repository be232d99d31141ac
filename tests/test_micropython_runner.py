"""The MicroPython runner runs as many portable tests as pytest collects from the same files,
and fails when it runs fewer (a runner that silently collects nothing proves nothing)."""

import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNER = os.path.join(ROOT, "tests", "run_micropython.mjs")
MICROPYTHON = os.path.join(ROOT, "iamport_sandbox", "web", "node_modules", "@micropython")


def _pytest_count():
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p",
                           "no:cacheprovider", "tests/portable"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return sum(1 for line in done.stdout.splitlines() if "::" in line)


def _run(*args):
    return subprocess.run(["node", RUNNER, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def node():
    if shutil.which("node") is None or not os.path.isdir(MICROPYTHON):
        pytest.skip("node or iamport_sandbox/web/node_modules (make setup) is missing")


def test_micropython_runs_every_portable_test_pytest_collects(node):
    expected = _pytest_count()
    assert expected > 100
    done = _run("--expect", str(expected))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    counts = re.search(r"micropython: (\d+) passed, (\d+) failed", done.stdout)
    assert counts and int(counts.group(1)) == expected and counts.group(2) == "0"


def test_the_runner_fails_when_it_collects_fewer_than_expected(node):
    done = _run("--expect", "100000")
    assert done.returncode == 1 and "expected at least 100000" in done.stderr
