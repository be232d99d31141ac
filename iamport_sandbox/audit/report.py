"""The audit's report: one line per scenario (or JSON for CI) and the exit code (pure)."""

import json
from collections.abc import Sequence

from iamport_sandbox.audit.runner import Finding

EXIT_PASSED = 0
EXIT_FAILED = 1  # the backend wrongly accepted something
EXIT_ERROR = 2  # a scenario could not run (a hook or the sandbox answered badly)


def summary(findings: Sequence[Finding]) -> str:
    passed = sum(1 for finding in findings if finding.passed)
    errors = sum(1 for finding in findings if finding.error is not None)
    return "{} scenarios: {} passed, {} failed, {} could not run".format(
        len(findings), passed, len(findings) - passed - errors, errors
    )


def text(findings: Sequence[Finding]) -> str:
    """The readable report: a line per scenario, then the summary."""
    return "\n".join([finding.line() for finding in findings] + [summary(findings)])


def as_json(findings: Sequence[Finding]) -> str:
    """The report for CI: ``{"passed", "summary", "findings": [...]}``."""
    return json.dumps(
        {
            "passed": all(finding.passed for finding in findings),
            "summary": summary(findings),
            "findings": [finding.as_dict() for finding in findings],
        },
        ensure_ascii=False,
        indent=2,
    )


def exit_code(findings: Sequence[Finding]) -> int:
    """0 when every scenario passed, 2 when one could not run, else 1."""
    if any(finding.error is not None for finding in findings):
        return EXIT_ERROR
    return EXIT_PASSED if all(finding.passed for finding in findings) else EXIT_FAILED


def failed_flaws(findings: Sequence[Finding]) -> set[str]:
    """The flaws of the scenarios the backend failed."""
    return {finding.flaw for finding in findings if not finding.passed and finding.error is None}
