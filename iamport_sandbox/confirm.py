"""The confirm process: before a window payment is approved, ask the merchant's server.

Iamport v1's confirm process (PortOne's guide "컨펌 프로세스", developers.portone.io
/opi/ko/extra/confirm-process/readme-v1, and its FAQ "결제직전에 재고를 확인할 수 있나요?"):
a ``request_pay`` carrying ``confirm_url`` makes the service POST, right before the PG
approval, ``{"imp_uid", "merchant_uid", "amount"}`` as ``application/json`` to that URL.
HTTP 200 approves; any other answer, or none in time (the FAQ: a timeout counts as a 500),
fails the payment, whose ``fail_reason`` is ``고객사 요청에 의해 결제를 중단합니다.
(상세사유 : %s)`` with the answer's JSON ``reason`` (default ``알 수 없음``).

Where the guide is silent, the sandbox decides (README "Confirm process"):

- timeout :data:`TIMEOUT` = 5 s: the guide says 10 s, the FAQ 5 s; the stricter one, so a
  merchant server that passes here passes under either;
- exactly 200 approves (the guide's words), so a 201 or 204 fails, and a 3xx is never
  followed (the webhook policy);
- error code :data:`CODE` (the guide names none); the ``fail_reason`` is the guide's text,
  then in parentheses what the sandbox saw (``confirm_url answered HTTP 409``);
- the target policy is the webhooks' (:mod:`iamport_sandbox.webhooks`: loopback allowed
  except the sandbox itself, private / link-local / metadata addresses refused unless
  ``--webhook-allow``ed, every resolved address checked, the connection pinned): a
  ``confirm_url`` comes from an unauthenticated window request too;
- asked once per approval: a second completion of the same payment while the call is in
  flight waits for its result instead of asking again (a merchant that reserves stock on
  each call must not reserve twice), and the outcome is recorded even if the window that
  asked has gone;
- asked only of a payment that would otherwise be approved (not already paid, amount as
  prepared), for every approval of a window payment (vbank issuance and billing-key
  windows included), never for a REST charge (no window, no ``confirm_url``);
- PGs the FAQ lists as not supporting it (:data:`UNSUPPORTED`) approve without asking, as
  the real service would, and the history says that the URL was not called.

Each call is a line in the payment's status history (the console's payment page): the URL,
``HTTP <status>`` or ``refused: <why>`` / ``timed out`` / ``connection failed``, and how long
it took.
"""

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import State

from iamport_py import errors
from iamport_py.catalog import display_name
from iamport_sandbox import webhooks
from iamport_sandbox.domain import payments
from iamport_sandbox.payment_views import as_amount
from iamport_sandbox.store import Row

CODE = errors.CONFIRM_REFUSED
TIMEOUT = 5.0
UNKNOWN_REASON = "알 수 없음"
REASON_MAX = 200
# Bytes of a refusing answer read for its JSON ``reason``.
ANSWER_MAX = 4096
# The FAQ's "지원 불가한 PG사" that the catalog has: Naver Pay checkout (주문형), Kiwoom Pay,
# Eximbay. (Danal gift certificates, also listed, are no service code of their own.)
UNSUPPORTED = ("naverco", "daou", "eximbay")
# The app's confirm calls in flight, by (merchant id, imp_uid).
Calls = dict[tuple[int, str], asyncio.Future[object]]


def url_of(payment: Mapping[str, Any]) -> str | None:
    """The ``confirm_url`` a window payment was requested with, or ``None``."""
    sent = json.loads(payment["request_json"]) if payment["request_json"] else {}
    url = sent.get("confirm_url") if isinstance(sent, dict) else None
    return url if isinstance(url, str) and url else None


def check(policy: webhooks.Policy, body: Mapping[str, Any]) -> None:
    """A ``confirm_url`` at window open: absent, or a string the policy accepts without
    DNS (a name is checked, with every address, when called). ``ValueError`` says why."""
    url = body.get("confirm_url")
    if url is None or url == "":
        return
    if not isinstance(url, str):
        raise ValueError("'confirm_url' must be a string")
    try:
        policy.check_url(url)
    except webhooks.Refused as refused:
        raise ValueError("'confirm_url' refused: {}".format(refused)) from None


def reason_of(answer: bytes) -> str:
    """The merchant's ``reason`` from a refusing answer's JSON body (else the default)."""
    try:
        reason = json.loads(answer.decode("utf-8")).get("reason")
    except (ValueError, AttributeError):
        reason = None
    if not isinstance(reason, str) or not reason.strip():
        return UNKNOWN_REASON
    return " ".join(reason.split())[:REASON_MAX]


def stopped(reason: str) -> str:
    """The guide's ``fail_reason`` of a refused confirm: the Korean message of
    :data:`CODE` (the error table is its one spelling) with the merchant's reason."""
    return errors.error_message(CODE, "ko", {"reason": reason})


def verdict(status: int, answer: bytes) -> str | None:
    """``None`` when a confirm answer approves (exactly HTTP 200), else the ``fail_reason``."""
    if status == 200:
        return None
    return "{} (confirm_url answered HTTP {})".format(stopped(reason_of(answer)), status)


async def ask(
    sender: webhooks.WebhookSender, payment: Mapping[str, Any], timeout: float | None = None
) -> tuple[str | None, str]:
    """POST the guide's body to the payment's ``confirm_url`` through ``sender`` (the
    webhook sender: its policy and client). Returns ``(fail_reason or None, history note)``."""
    url = url_of(payment)
    assert url is not None  # asked only of a payment that has one (approve())
    timeout = TIMEOUT if timeout is None else timeout
    body = json.dumps(
        {
            "imp_uid": payment["imp_uid"],
            "merchant_uid": payment["merchant_uid"],
            "amount": as_amount(payment["amount"]),
        },
        ensure_ascii=False,
    )
    started = time.monotonic()
    reason: str | None
    try:
        status, answer = await sender.post(url, body.encode("utf-8"), timeout, ANSWER_MAX)
    except (webhooks.Refused, webhooks.Unreachable) as failure:
        seen = ("refused: {}" if isinstance(failure, webhooks.Refused) else "{}").format(failure)
        if seen == "timed out":
            seen = "timed out after {:g} s".format(timeout)
        reason = "{} (confirm_url {})".format(stopped(UNKNOWN_REASON), seen)
    else:
        seen = "HTTP {}".format(status)
        reason = verdict(status, answer)
    took = int((time.monotonic() - started) * 1000)
    return reason, "confirm_url {} → {} ({} ms)".format(url, seen, took)


def _calls(state: State) -> Calls:
    # The app's confirm calls in flight, by payment: created with the first one.
    calls: Calls | None = getattr(state, "confirm_calls", None)
    if calls is None:
        calls = state.confirm_calls = {}
    return calls


async def approve(
    state: State, merchant: Row, payment: Row, approve_now: Callable[[], object]
) -> object:
    """The window approved ``payment``: ask its ``confirm_url`` (if any, and if its PG
    supports the confirm process), then ``approve_now()`` on HTTP 200 or end it ``failed``
    with :data:`CODE`. ``state``: the app's (its store, webhook sender, calls in flight)."""
    url = url_of(payment)
    if url is None:
        return approve_now()
    store = state.store
    if payment["pg_provider"] in UNSUPPORTED:
        payments.note(
            store,
            payment,
            "confirm_url {} 호출 안 함 · not called: {} does not "
            "support the confirm process".format(url, display_name(payment["pg_provider"])),
        )
        return approve_now()
    if payments.approval_refusal(store, merchant, payment):
        return approve_now()  # it fails anyway: the merchant is not asked
    calls = _calls(state)
    key = (payment["merchant_id"], payment["imp_uid"])
    task = calls.get(key)
    if task is None:
        task = calls[key] = asyncio.ensure_future(_ask_and_record(state, payment, approve_now))
        task.add_done_callback(lambda done: _forget(calls, key, done))
    return await asyncio.shield(task)


async def _ask_and_record(state: State, payment: Row, approve_now: Callable[[], object]) -> object:
    reason, note = await ask(state.webhooks, payment)
    payments.note(state.store, payment, note)
    if reason is None:
        return approve_now()
    return payments.decline(state.store, payment, CODE, reason)


def _forget(calls: Calls, key: tuple[int, str], task: asyncio.Future[object]) -> None:

    calls.pop(key, None)
    if not task.cancelled():
        task.exception()  # retrieved: a caller that has gone does not leave it unseen
