"""The parameter rules a payment window lists for its PG, each with the error
``request_pay`` gives when it is broken (the SDK's own, not a second wording of it)."""

import json
from collections.abc import Mapping
from typing import Any

from iamport_py import errors
from iamport_py.catalog import COMMON_RULES
from iamport_py.errors import IamportError
from iamport_py.validation import apply_rule


class _NotJson:
    """A value no rule's type, format or values admit."""


def _broken(rule: dict[str, Any], pg_code: str) -> IamportError | None:
    """The SDK's own error for a request that breaks ``rule`` (missing, then a value of
    no admitted kind)."""
    for value in (None, _NotJson()):
        request = dict(rule.get("when") or {})
        request[rule["field"]] = value
        try:
            apply_rule(rule, request, pg_code)
        except IamportError as error:
            return error
    return None


def pg_rules(code: str, pg: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The parameter rules a ``request_pay`` to PG ``code`` follows, as the window lists
    them: the catalog's :data:`COMMON_RULES` and the entry's own ``rules`` (an unknown PG
    is held to the common ones only, as validation does). A rule for a ``pay_method`` the
    PG does not take is left out: validation refuses such a request before it."""
    rows = []
    methods = pg.get("pay_methods") or ()
    for rule in COMMON_RULES + tuple(pg.get("rules", ())):
        when = rule.get("when") or {}
        if methods and when.get("pay_method") not in (None, *methods):
            continue
        error = _broken(rule, code)
        rows.append(
            {
                "field": rule["field"],
                "when": sorted(when.items()),
                "when_json": json.dumps(when, sort_keys=True),
                "required": bool(rule.get("required")),
                "expected": error.details.get("expected", "") if error else "",
                "strip": rule.get("strip", ""),
                "code": error.code if error else rule.get("code", errors.INVALID_TYPE),
                "message_ko": error.message("ko") if error else "",
                "message_en": error.message("en") if error else "",
            }
        )
    return rows
