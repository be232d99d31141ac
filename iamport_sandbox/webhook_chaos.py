"""TEST-ONLY webhook chaos: the deliveries a merchant's server meets in production, on demand.

PortOne's webhook guide (v1-docs-full.md, "웹훅 연동하기": "3. 웹훅 요청 검증하기", "웹훅 재
전송이 가능한가요?", "웹훅 처리 전에 브라우저 결제 완료 처리가 진행되는 경우") warns that a
webhook may arrive late, twice, after the browser's own report, or only on a retry. A rule
makes the sandbox's sender do each on purpose:

- ``duplicate``: once a delivery has succeeded, the same body is delivered again (a new
  outbox row, as a resend);
- ``reorder``: a payment's delivery waits until the payment's next delivery has been
  attempted (at most :data:`REORDER_WAIT` seconds), so that ``cancelled`` can arrive before
  ``paid``;
- ``delay``: seconds before the first attempt;
- ``drop``: the first ``drop`` attempts are not sent, recorded as failed (``chaos:
  dropped``), and retried as a refused connection is.

A rule applies to one merchant's deliveries, or only to one payment's (by ``imp_uid`` or by
``merchant_uid``; the narrowest rule wins). Rules live in memory and are set through
``/sandbox/testkit/webhook-chaos`` (:mod:`iamport_sandbox.testkit_api`), which the sandbox
serves only when started with ``--test-controls`` (``Config.test_controls``): a plain
``iamport-sandbox --demo`` cannot turn them on.
"""

import asyncio
from collections.abc import Mapping
from typing import Any, TypedDict

MAX_DELAY = 60.0
MAX_DROP = 10
# A reordered delivery waits this long at most for the payment's next one.
REORDER_WAIT = 10.0
DROPPED = "chaos: dropped (as if your server were down)"
SCOPES = ("imp_uid", "merchant_uid")


class Rule(TypedDict):
    """What the sender does to the deliveries a rule covers."""

    duplicate: bool
    reorder: bool
    delay: float
    drop: int


def read_rule(data: Mapping[str, Any]) -> Rule:
    """A rule from a request body (pure): ``ValueError`` with the reason for a bad field."""
    flags = {}
    for name in ("duplicate", "reorder"):
        value = data.get(name, False)
        if not isinstance(value, bool):
            raise ValueError("'{}' must be true or false".format(name))
        flags[name] = value
    delay = data.get("delay", 0)
    if (
        isinstance(delay, bool)
        or not isinstance(delay, (int, float))
        or not 0 <= delay <= MAX_DELAY
    ):
        raise ValueError("'delay' must be a number of seconds from 0 to {:g}".format(MAX_DELAY))
    drop = data.get("drop", 0)
    if isinstance(drop, bool) or not isinstance(drop, int) or not 0 <= drop <= MAX_DROP:
        raise ValueError("'drop' must be a whole number from 0 to {}".format(MAX_DROP))
    return {
        "duplicate": flags["duplicate"],
        "reorder": flags["reorder"],
        "delay": float(delay),
        "drop": drop,
    }


def is_off(rule: Rule) -> bool:
    """A rule that changes nothing (setting it removes the rule)."""
    return not (rule["duplicate"] or rule["reorder"] or rule["delay"] or rule["drop"])


# (merchant id, scope, key): scope "merchant" (key ""), "imp_uid" or "merchant_uid".
Key = tuple[int, str, str]


class Chaos:
    """The rules of one sandbox, and the sender's bookkeeping for them."""

    def __init__(self) -> None:
        self._rules: dict[Key, Rule] = {}
        # Rows the sender made itself (duplicates): delivered plainly, never duplicated again.
        self.exempt: set[int] = set()
        # (merchant id, imp_uid) -> (the held row, its release)
        self._held: dict[tuple[int, str], tuple[int, asyncio.Event]] = {}
        # (merchant id, imp_uid) -> the newest row of the payment attempted so far
        self._attempted: dict[tuple[int, str], int] = {}

    def set(self, merchant_id: int, rule: Rule, scope: str = "merchant", key: str = "") -> None:
        """Set (or, for a rule that is off, remove) one rule."""
        if is_off(rule):
            self._rules.pop((merchant_id, scope, key), None)
        else:
            self._rules[(merchant_id, scope, key)] = rule

    def clear(self, merchant_id: int) -> None:
        """Remove every rule of the merchant."""
        for key in [key for key in self._rules if key[0] == merchant_id]:
            del self._rules[key]

    def rules(self, merchant_id: int) -> list[dict[str, Any]]:
        """The merchant's rules, each with its ``scope`` and ``key``."""
        return [
            dict(rule, scope=scope, key=key)
            for (owner, scope, key), rule in sorted(self._rules.items())
            if owner == merchant_id
        ]

    def rule_for(self, webhook: Mapping[str, Any], merchant_uid: str | None) -> Rule | None:
        """The rule for an outbox row (payment's, then order's, then merchant's), or None."""
        if webhook["id"] in self.exempt:
            return None
        owner = webhook["merchant_id"]
        for key in (
            (owner, "imp_uid", webhook["imp_uid"]),
            (owner, "merchant_uid", merchant_uid or ""),
            (owner, "merchant", ""),
        ):
            if key in self._rules:
                return self._rules[key]
        return None

    async def hold(self, webhook: Mapping[str, Any]) -> None:
        """Reorder: the payment's oldest waiting delivery (the sender calls this for it
        only) waits here until a newer one of the payment has been attempted, at most
        :data:`REORDER_WAIT`; at once if one already has."""
        payment = (webhook["merchant_id"], webhook["imp_uid"])
        if payment in self._held or self._attempted.get(payment, 0) > webhook["id"]:
            return
        release = asyncio.Event()
        self._held[payment] = (webhook["id"], release)
        try:
            await asyncio.wait_for(release.wait(), REORDER_WAIT)
        except TimeoutError:
            pass
        finally:
            if self._held.get(payment, (None,))[0] == webhook["id"]:
                del self._held[payment]

    def attempted(self, webhook: Mapping[str, Any]) -> None:
        """A delivery of the payment was attempted: a held older one may go now."""
        payment = (webhook["merchant_id"], webhook["imp_uid"])
        self._attempted[payment] = max(self._attempted.get(payment, 0), webhook["id"])
        held = self._held.get(payment)
        if held is not None and held[0] < webhook["id"]:
            held[1].set()
