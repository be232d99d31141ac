"""The audit's scenarios as data: every one well formed, citing a guide, covering the
issue's list; chosen by name in the audit's order."""

import pytest

from iamport_sandbox.audit import GUIDES, NAMES, SCENARIOS, describe, scenario
from iamport_sandbox.audit.runner import STEPS
from iamport_sandbox.audit.scenarios import select

# Issue 25's list, item by item, and the scenario that plays it.
ISSUE = {
    "amount tampered in the browser (without a prepared amount)": "amount_tampered",
    "amount tampered in the browser (with a prepared amount)": "amount_tampered_prepared",
    "a failed payment reported as complete": "failed_reported_complete",
    "a virtual account issued but not deposited": "vbank_not_deposited",
    "paid then cancelled": "paid_then_cancelled",
    "another merchant's imp_uid": "other_merchants_imp_uid",
    "the same imp_uid for two orders": "imp_uid_reused",
    "a forged webhook for an unpaid payment": "forged_webhook",
    "a webhook delivered twice": "webhook_twice",
    "webhooks out of order": "webhooks_out_of_order",
    "a late webhook": "late_webhook",
    "the backend down during delivery, then the retry": "backend_down_then_retry",
}


def test_every_item_of_the_issue_has_its_scenario():
    assert set(ISSUE.values()) <= set(NAMES)
    # The one more: a payment made as asked must be paid, or refusing everything would pass.
    assert set(NAMES) - set(ISSUE.values()) == {"honest_payment"}


def test_names_are_unique_and_every_scenario_says_what_to_do_and_why():
    assert len(set(NAMES)) == len(NAMES)
    for found in SCENARIOS:
        assert found.guide in GUIDES
        assert found.proves and found.flaw and found.should
        assert describe(found)["guide"].startswith(
            "v1-docs-full.md, https://developers.portone.io/"
        )


@pytest.mark.parametrize("found", SCENARIOS, ids=NAMES)
def test_steps_use_only_what_was_made_before(found):
    orders, payments = set(), set()
    assert any(kind == "expect" for kind, _ in found.steps)
    for kind, value in found.steps:
        assert kind in STEPS
        if kind == "order":
            orders.add(value)
        elif kind == "prepare":
            assert value in orders
        elif kind == "pay":
            assert value["order"] in orders
            payments.add(value["as"])
        elif kind in ("cancel", "deposit"):
            assert value in payments
        elif kind in ("complete", "forge"):
            assert value["order"] in orders and value["payment"] in payments
        elif kind == "settle":
            assert value["payment"] in payments and value["rows"] >= 1
        elif kind == "expect":
            assert value["order"] in orders and value["wrong"]


def test_a_selection_keeps_the_audits_order():
    chosen = select(["late_webhook", "honest_payment"])
    assert [found.name for found in chosen] == ["honest_payment", "late_webhook"]
    assert select(None) == list(SCENARIOS) == select([])
    with pytest.raises(KeyError):
        select(["honest_payment", "nope"])
    assert scenario("forged_webhook").flaw == "believes webhook bodies"
