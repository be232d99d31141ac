"""``iamport-sandbox --help`` lists the other commands (issue 15: create-merchant was
missing), and each answers its own ``--help``."""

import subprocess
import sys


def _help(*args):
    done = subprocess.run(
        [sys.executable, "-m", "iamport_sandbox", *args, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_lists_create_merchant_and_export_assets():
    text = _help()
    assert "create-merchant --login L" in text and "export-assets DIR" in text
    assert "--demo" in text


def test_each_command_has_its_own_help():
    assert "--login" in _help("create-merchant")
    assert "folder" in _help("export-assets")
