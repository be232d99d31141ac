"""The SDK needs nothing but the standard library: it imports with site-packages switched off."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_sdk_imports_in_a_bare_python():
    code = (
        "import sys; sys.path.insert(0, {!r}); "
        "from iamport_py import IMP, resolve_pg, parse_redirect; "
        "import iamport_py.catalog, iamport_py.validation; "
        "print(resolve_pg([{{'pg_provider': 'kakaopay', 'pg_id': 'MID-c'}}], 'kakaopay')"
        "['pg_id']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] not in "
        "sys.stdlib_module_names and m != '__main__' "
        "and not m.startswith('iamport_py')))"
    ).format(ROOT)
    done = subprocess.run(
        [sys.executable, "-S", "-I", "-c", code], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["MID-c", "[]"]


def test_headless_request_reports_instead_of_crashing():
    code = (
        "import sys; sys.path.insert(0, {!r}); from iamport_py import IMP; "
        "IMP.init('imp10000001'); IMP.request_pay({{'amount': 1000}}, "
        "lambda rsp: print(rsp['error_code']))"
    ).format(ROOT)
    done = subprocess.run(
        [sys.executable, "-S", "-I", "-c", code], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "NOT_READY"
