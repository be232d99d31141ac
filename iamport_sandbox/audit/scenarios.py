"""The audit's scenarios, as data: what each one does to the merchant's backend, what a
backend that fails it wrongly accepted, what it should do, and the PortOne guide it comes
from (a section of ``v1-docs-full.md``, PortOne's v1 documentation in one file).

A scenario is a list of steps (:data:`Step`) that :mod:`iamport_sandbox.audit.runner`
plays against the sandbox and the backend's hooks. Steps name their orders (``"A"``,
``"B"``: each made by the backend's order hook) and payments (``"P"``: made by the
sandbox's window API for an order):

- ``("order", name)`` — the order hook makes an order (its ``merchant_uid``, ``amount``);
- ``("prepare", order)`` — the amount is pre-registered (``POST /payments/prepare``) when
  the backend did not do it itself;
- ``("pay", {...})`` — a payment window for an order, with ``amount`` ``"order"`` or
  ``"tampered"`` (half the order's, as a page whose amount was edited), ``method``
  ``"card"`` or ``"vbank"``, ``outcome`` ``"approve"``, ``"decline"`` or ``"open"`` (left
  open: ``ready``, unpaid), ``merchant`` ``"self"`` or ``"other"`` (another merchant of the
  sandbox), ``chaos`` (a webhook chaos rule for this payment), ``as`` (its name);
- ``("complete", {"order", "payment"})`` — the page calls the backend's payment-complete
  endpoint with ``imp_uid`` and ``merchant_uid``;
- ``("cancel", payment)``, ``("deposit", payment)`` — the payment is cancelled (REST) or its
  virtual account paid into (the test kit), each with its webhook;
- ``("forge", {"order", "payment", "status"})`` — the audit itself, not the sandbox, posts
  a webhook body to the backend's webhook URL;
- ``("settle", {"payment", "rows"})`` — wait until the payment has at least ``rows``
  webhook deliveries, all ended (delivered or failed);
- ``("expect", {"order", "paid", "shipments"?, "wrong"})`` — the paid hook must say
  ``paid`` (waiting a little for ``True``), and, when the backend reports ``shipments``,
  that many; ``wrong`` says what the backend wrongly accepted if not.
"""

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

SOURCE = "v1-docs-full.md"
# The PortOne guides the scenarios cite: (page, section) of v1-docs-full.md.
GUIDES: dict[str, tuple[str, str]] = {
    "complete": (
        "https://developers.portone.io/opi/ko/integration/start/v1/auth",
        "4. 결제 완료 처리하기 (결제 검증 필수)",
    ),
    "webhook_verify": (
        "https://developers.portone.io/opi/ko/integration/webhook/readme-v1",
        "3. 웹훅 요청 검증하기",
    ),
    "webhook_events": (
        "https://developers.portone.io/opi/ko/integration/webhook/readme-v1",
        "웹훅 발생 이벤트",
    ),
    "webhook_order": (
        "https://developers.portone.io/opi/ko/integration/webhook/readme-v1",
        "웹훅 처리 전에 브라우저 결제 완료 처리가 진행되는 경우",
    ),
    "webhook_retry": (
        "https://developers.portone.io/opi/ko/integration/webhook/readme-v1",
        "웹훅 재 전송이 가능한가요?",
    ),
    "checklist": (
        "https://developers.portone.io/opi/ko/integration/checklist/readme-v1",
        "서비스 공통 (중복으로 결과를 수신하여도 이를 처리하는 로직), 가상계좌",
    ),
}

Step = tuple[str, Any]


class Scenario(NamedTuple):
    """One attack on the backend: ``name``, what passing ``proves``, the ``flaw`` a backend
    that fails it has, what it ``should`` do, the ``guide`` (a key of :data:`GUIDES`), and
    its ``steps``."""

    name: str
    proves: str
    flaw: str
    should: str
    guide: str
    steps: Sequence[Step]


def guide_text(key: str) -> str:
    """A guide's citation: ``v1-docs-full.md, <page> — "<section>"``."""
    page, section = GUIDES[key]
    return '{}, {} — "{}"'.format(SOURCE, page, section)


def _expect(order: str, paid: bool, wrong: str, shipments: int | None = None) -> Step:
    expectation: dict[str, Any] = {"order": order, "paid": paid, "wrong": wrong}
    if shipments is not None:
        expectation["shipments"] = shipments
    return ("expect", expectation)


def _pay(order: str, name: str = "P", **options: Any) -> Step:
    return ("pay", dict({"order": order, "as": name}, **options))


def _complete(order: str, payment: str = "P") -> Step:
    return ("complete", {"order": order, "payment": payment})


def _settle(payment: str = "P", rows: int = 1) -> Step:
    return ("settle", {"payment": payment, "rows": rows})


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "honest_payment",
        "a payment made as asked (card, the order's amount) marks its order paid: the "
        "other scenarios' refusals are not a backend that refuses everything",
        "does not mark a verified payment paid",
        "on the complete call, read the payment with GET /payments/{imp_uid}; when it is "
        "paid, for this order, at the order's amount, mark the order paid",
        "complete",
        (
            ("order", "A"),
            _pay("A"),
            _complete("A"),
            _expect("A", True, "a paid, verified payment left its order unpaid"),
            _settle(),
        ),
    ),
    Scenario(
        "amount_tampered",
        "an order is not paid by a payment of less than its amount made from an edited page "
        "(with no prepared amount, the payment itself succeeds)",
        "trusts the browser's amount",
        "compare the payment's amount (GET /payments/{imp_uid}) with the order's own amount "
        "on the server; refuse (and cancel) a payment that differs",
        "complete",
        (
            ("order", "A"),
            _pay("A", amount="tampered"),
            _complete("A"),
            _settle(),
            _expect("A", False, "marked the order paid by a payment of half its amount"),
        ),
    ),
    Scenario(
        "amount_tampered_prepared",
        "with the amount prepared (POST /payments/prepare), a payment of another amount fails "
        "and its order stays unpaid",
        "treats a failed payment as paid",
        "act on the payment's status from GET /payments/{imp_uid}: a prepared amount makes "
        "a tampered payment fail, and a failed payment pays nothing",
        "complete",
        (
            ("order", "A"),
            ("prepare", "A"),
            _pay("A", amount="tampered"),
            _complete("A"),
            _expect("A", False, "marked the order paid by a payment the prepared amount failed"),
        ),
    ),
    Scenario(
        "failed_reported_complete",
        "a declined payment the page still reports as complete leaves its order unpaid",
        "treats a failed payment as paid",
        "mark an order paid only when GET /payments/{imp_uid} says status 'paid'",
        "complete",
        (
            ("order", "A"),
            _pay("A", outcome="decline"),
            _complete("A"),
            _expect("A", False, "marked the order paid by a declined payment"),
        ),
    ),
    Scenario(
        "vbank_not_deposited",
        "a virtual account issued but not paid into is not a paid order; its deposit's "
        "webhook then makes it one",
        "treats an issued virtual account as paid",
        "status 'ready' with a vbank_num is an account awaiting its deposit: show it to the "
        "shopper, and mark the order paid on the deposit's webhook (status 'paid', checked "
        "with GET /payments/{imp_uid})",
        "checklist",
        (
            ("order", "A"),
            _pay("A", method="vbank"),
            _complete("A"),
            _settle(),
            _expect("A", False, "marked the order paid when its virtual account was only issued"),
            ("deposit", "P"),
            _settle(rows=2),
            _expect("A", True, "the deposit's webhook left the order unpaid"),
        ),
    ),
    Scenario(
        "paid_then_cancelled",
        "a paid order whose payment is then cancelled (console, API) stops being paid when "
        "the cancellation's webhook comes",
        "ignores cancellations",
        "on a webhook, read the payment with GET /payments/{imp_uid} and follow its current "
        "status: 'cancelled' undoes the order",
        "webhook_events",
        (
            ("order", "A"),
            _pay("A"),
            _complete("A"),
            _expect("A", True, "a paid, verified payment left its order unpaid"),
            _settle(),
            ("cancel", "P"),
            _settle(rows=2),
            _expect("A", False, "kept the order paid after its payment was cancelled"),
        ),
    ),
    Scenario(
        "other_merchants_imp_uid",
        "an imp_uid of another merchant (same merchant_uid, same amount) does not pay the order",
        "accepts an imp_uid it cannot look up",
        "look the imp_uid up with your own REST credentials (GET /payments/{imp_uid}): "
        "another merchant's payment is not found there; never trust the page's report",
        "complete",
        (
            ("order", "A"),
            _pay("A", merchant="other"),
            _complete("A"),
            _expect("A", False, "marked the order paid by another merchant's payment"),
        ),
    ),
    Scenario(
        "imp_uid_reused",
        "one payment pays one order: its imp_uid sent again for a second order does not pay it",
        "accepts a payment of another order",
        "check that the payment's merchant_uid is this order's",
        "complete",
        (
            ("order", "A"),
            ("order", "B"),
            _pay("A"),
            _complete("A"),
            _expect("A", True, "a paid, verified payment left its order unpaid"),
            _complete("B"),
            _settle(),
            _expect("B", False, "marked a second order paid with the first order's imp_uid"),
        ),
    ),
    Scenario(
        "forged_webhook",
        "a webhook body not sent by the sandbox, saying 'paid' for an unpaid payment, pays nothing",
        "believes webhook bodies",
        "a webhook only says that something happened: read the payment with "
        "GET /payments/{imp_uid} and act on what the API says",
        "webhook_verify",
        (
            ("order", "A"),
            _pay("A", outcome="open"),
            ("forge", {"order": "A", "payment": "P", "status": "paid"}),
            _expect("A", False, "marked the order paid on a forged webhook"),
        ),
    ),
    Scenario(
        "webhook_twice",
        "the same webhook delivered twice ships the order once",
        "no idempotency",
        "make the webhook handler idempotent: an order already paid is not fulfilled again",
        "webhook_retry",
        (
            ("order", "A"),
            _pay("A", chaos={"duplicate": True}),
            _settle(rows=2),
            _expect("A", True, "shipped the order twice for one payment", shipments=1),
        ),
    ),
    Scenario(
        "webhooks_out_of_order",
        "'cancelled' arriving before 'paid' leaves the order cancelled, not paid",
        "believes webhook bodies",
        "act on the payment's current status from GET /payments/{imp_uid}, never on the "
        "webhook's 'status': webhooks may arrive in any order",
        "webhook_order",
        (
            ("order", "A"),
            _pay("A", chaos={"reorder": True}),
            ("cancel", "P"),
            _settle(rows=2),
            _expect("A", False, "marked the order paid by a late 'paid' after its cancellation"),
        ),
    ),
    Scenario(
        "late_webhook",
        "a webhook arriving after the page's complete call ships the order once",
        "no idempotency",
        "the complete call and the webhook race: whichever comes second must find the "
        "order paid and do nothing",
        "webhook_order",
        (
            ("order", "A"),
            _pay("A", chaos={"delay": 0.5}),
            _complete("A"),
            _settle(),
            _expect("A", True, "shipped the order again when the late webhook came", shipments=1),
        ),
    ),
    Scenario(
        "backend_down_then_retry",
        "a webhook that could not be delivered at first (the backend down) is handled "
        "when the retry comes",
        "loses a retried webhook",
        "handle a retried delivery like a first one, and answer 2xx only once the "
        "webhook has been handled",
        "webhook_retry",
        (
            ("order", "A"),
            _pay("A", chaos={"drop": 1}),
            _settle(),
            _expect("A", True, "the retried webhook left the paid order unpaid"),
        ),
    ),
)
"""Every scenario, in the order the audit runs them."""

NAMES = tuple(scenario.name for scenario in SCENARIOS)


def scenario(name: str) -> Scenario:
    """The scenario called ``name`` (``KeyError`` for another name)."""
    for found in SCENARIOS:
        if found.name == name:
            return found
    raise KeyError(name)


def select(names: Sequence[str] | None) -> list[Scenario]:
    """The scenarios named (all when ``names`` is empty or None), in the audit's order."""
    if not names:
        return list(SCENARIOS)
    unknown = [name for name in names if name not in NAMES]
    if unknown:
        raise KeyError(", ".join(unknown))
    return [found for found in SCENARIOS if found.name in names]


def describe(found: Scenario) -> Mapping[str, str]:
    """What the docs and reports show of a scenario."""
    return {
        "name": found.name,
        "proves": found.proves,
        "flaw": found.flaw,
        "should": found.should,
        "guide": guide_text(found.guide),
    }
