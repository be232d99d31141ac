"""The root conftest.py's rule: a skipped test (or a non-strict xfail) fails the session
and is named with its reason; a session that ran everything passes. Played in a pytest of
its own on a folder of sample tests, with and without xdist's workers."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SAMPLE = """
import pytest

def test_runs():
    pass

def test_skipped():
    pytest.skip("no runtimes (make setup)")
"""


def _pytest(folder, *options):
    # -p conftest: the repository's conftest.py as a plugin (the folder is outside it).
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "conftest",
            "--rootdir",
            str(folder),
            *options,
            str(folder),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_skipped_test_fails_the_session_and_is_named(tmp_path):
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    for options in ((), ("-n", "2")):
        done = _pytest(tmp_path, *options)
        assert done.returncode == 1, (options, done.stdout)
        assert "SKIPPED test_sample.py::test_skipped: no runtimes (make setup)" in done.stdout


def test_a_session_that_ran_everything_passes(tmp_path):
    (tmp_path / "test_sample.py").write_text(SAMPLE.split("def test_skipped")[0])
    done = _pytest(tmp_path)
    assert done.returncode == 0, done.stdout
