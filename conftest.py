"""The repository's rule for every pytest session under it (tests, e2e, examples): a
skipped test fails the session. A skip is a test that did not run, and one that cannot
fail: in ``make test`` a missing runtime or browser must be an error to fix, not a quiet
"s" in a line of dots. A non-strict ``xfail`` counts too (it passes either way).

Each is named at the end of the run, with its reason. With pytest-xdist the controller
decides: the workers' reports reach its hooks."""

import pytest

_NOT_RUN = []  # (nodeid, what, reason)


def _note(report):
    if not report.skipped:
        return
    if hasattr(report, "wasxfail"):
        _NOT_RUN.append((report.nodeid, "xfail", report.wasxfail or "no reason given"))
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if reason.startswith("Skipped: "):
        reason = reason[len("Skipped: ") :]
    _NOT_RUN.append((report.nodeid, "skipped", reason))


def pytest_runtest_logreport(report):
    _note(report)


def pytest_collectreport(report):
    _note(report)


def _is_worker(config):
    return hasattr(config, "workerinput")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    if _NOT_RUN and not _is_worker(session.config) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    if not _NOT_RUN or _is_worker(config):
        return
    terminalreporter.section("tests that did not run fail the session (conftest.py)", red=True)
    for nodeid, what, reason in _NOT_RUN:
        terminalreporter.write_line("{} {}: {}".format(what.upper(), nodeid, reason))
