"""What happens to a payment: opened by a window, approved, declined, cancelled, refunded.

The windows and the REST API both go through here, so the record the REST API
reads is the very record the window's answer was built from. Refusals are the domain's
own errors (:mod:`.errors`); the endpoints answer them over HTTP.
"""

import calendar
import hashlib
import json
import math
import secrets
from collections.abc import Mapping
from typing import Any

from iamport_py import errors
from iamport_py.amounts import minor_units
from iamport_py.validation import vbank_due_is_valid
from iamport_sandbox import webhooks
from iamport_sandbox.domain.errors import AlreadyEnded, NotFound, PaymentRefused
from iamport_sandbox.domain.tables import BANKS, CARDS, card_code_for
from iamport_sandbox.fields import (
    amount_field,
    bool_field,
    currency_field,
    notice_urls,
    quota_field,
    text_field,
)
from iamport_sandbox.payment_views import USER_AGENT, as_amount
from iamport_sandbox.store import Row, Store, now

# SDK request fields the sandbox keeps on the payment record.
REQUEST_TEXT_FIELDS = (
    "name",
    "pay_method",
    "buyer_name",
    "buyer_email",
    "buyer_tel",
    "buyer_addr",
    "buyer_postcode",
    "customer_uid",
    "vbank_due",
    "m_redirect_url",
)
SANDBOX_BANK_CODE = "088"
SANDBOX_BANK = BANKS[SANDBOX_BANK_CODE]
SANDBOX_CARD = "샌드박스카드"
# The card a window payment is approved with (masked as every stored card number is).
SANDBOX_CARD_DETAILS = {
    "card_name": SANDBOX_CARD,
    "card_code": "366",
    "card_number": "400000******0001",
    "card_type": 0,
}
# The sandbox's decline rule for billing-key charges (onetime, again, schedules): a card
# number ending in DECLINED_CARD_SUFFIX, or an amount whose whole part ends in
# DECLINED_AMOUNT_SUFFIX, is declined: code 0, a payment with status "failed".
DECLINED_CARD_SUFFIX = "0002"
DECLINED_AMOUNT_SUFFIX = 44
ALREADY_PAID = "이미 결제가 완료된 주문번호입니다 (merchant_uid already paid)"
USER_CANCELLED = "사용자가 결제를 취소하였습니다 (user cancelled)"
# api.iamport.kr's own wording: merchant code (and the published clients' tests) match on it.
NOTHING_TO_CANCEL = "취소할 결제건이 존재하지 않습니다."
ALREADY_CANCELLED = "이미 전액취소된 주문입니다."
# Three days: a virtual account's due date when none (or no plausible one) is asked.
DEFAULT_DUE = 3 * 86400


def _request_values(data: Mapping[str, Any], from_window: bool) -> dict[str, Any]:
    # A window must name the request it answers (its proof when it completes it).
    values: dict[str, Any] = {
        "merchant_uid": text_field(data, "merchant_uid", max_length=40),
        "request_id": text_field(data, "request_id", required=from_window, max_length=80),
    }
    for field in REQUEST_TEXT_FIELDS:
        values[field] = text_field(data, field, required=False, max_length=500)
    values["notice_url"] = notice_urls(data)
    custom = data.get("custom_data")
    values["custom_data"] = None if custom is None else json.dumps(custom, ensure_ascii=False)
    return values


def open_payment(
    store: Store,
    merchant: Row,
    setting: Mapping[str, Any],
    data: Mapping[str, Any],
    from_window: bool = True,
    extra: Mapping[str, Any] | None = None,
) -> Row:
    """Record a new request from a window as ``ready``; refuse an order already paid.
    (``from_window`` False: a server-side charge, which has no window request id;
    ``extra``: record fields the server-side caller sets, e.g. ``channel``.)"""
    values = _request_values(data, from_window)
    values["currency"] = currency_field(data)
    values["amount"] = amount_field(data, values["currency"], bool(values["customer_uid"]))
    values.pop("vbank_due")
    values.pop("m_redirect_url")
    values.update(
        escrow=bool_field(data, "escrow"),
        user_agent=USER_AGENT,
        channel="pc",
        customer_uid_usage="issue" if values["customer_uid"] else None,
    )
    values.update(extra or {})
    if from_window:  # the console shows the request as sent (a window's never has card data)
        values["request_json"] = json.dumps(data, ensure_ascii=False)
    with store.transaction():
        if store.payment_by_merchant_uid(merchant["id"], values["merchant_uid"], "paid"):
            raise PaymentRefused(ALREADY_PAID, errors.ALREADY_PAID)
        values.update(status="ready", pg_provider=setting["pg_provider"], pg_id=setting["pg_id"])
        payment = store.create_payment(merchant["id"], values)
        store.add_payment_event(payment, {})
        return payment


def open_certification(
    store: Store, merchant: Row, setting: Mapping[str, Any], data: Mapping[str, Any]
) -> Row:
    """Record an identity check as ``ready``: a certification, never a payment."""
    values = {
        "merchant_uid": text_field(data, "merchant_uid", max_length=40),
        "request_id": text_field(data, "request_id", max_length=80),
        "status": "ready",
        "pg_provider": setting["pg_provider"],
        "pg_id": setting["pg_id"],
    }
    return store.create_certification(merchant["id"], values)


def _due_timestamp(due: str | None) -> int:
    # Accepted shapes are checked by the SDK's own rule; the sandbox keeps the date only.
    if due is None or not vbank_due_is_valid(due):
        return now() + DEFAULT_DUE
    digits = "".join(char for char in due if char.isdigit())
    # A date alone means the end of that day.
    digits = digits + "235959" if len(digits) == 8 else digits.ljust(14, "0")
    parts = (
        int(digits[0:4]),
        int(digits[4:6]),
        int(digits[6:8]),
        int(digits[8:10]),
        int(digits[10:12]),
        int(digits[12:14]),
    )
    try:
        return calendar.timegm(parts + (0, 0, 0)) - 9 * 3600  # KST
    except (OverflowError, ValueError):
        return now() + DEFAULT_DUE


def approve(
    store: Store, merchant: Row, payment: Row, vbank_due: str | None = None, save_key: bool = True
) -> Row:
    """The tester approved: paid (or a virtual account issued, or a billing key saved).
    The status and its webhook rows are one transaction. (``save_key`` False: a charge
    of a billing key already saved, whose card details stand.)"""
    mid = merchant["id"]
    with store.transaction():
        payment = _still_open(store.payment(mid, payment["imp_uid"]))
        refused = approval_refusal(store, merchant, payment)
        if refused:
            return _fail(store, payment, *refused)
        values: dict[str, Any] = {"pg_tid": "sandbox_" + secrets.token_hex(8)}
        if payment["customer_uid"] and save_key:
            store.register_billing_key(
                mid,
                payment["customer_uid"],
                dict(
                    SANDBOX_CARD_DETAILS, pg_provider=payment["pg_provider"], pg_id=payment["pg_id"]
                ),
            )
        if payment["pay_method"] == "vbank":
            values.update(
                _vbank_values(SANDBOX_BANK_CODE, "(주)아임포트샌드박스", _due_timestamp(vbank_due))
            )
        else:
            values.update(status="paid", paid_at=now(), apply_num=_digits(8))
            if payment["pay_method"] == "card":
                card = {name: payment[name] for name in SANDBOX_CARD_DETAILS}
                values.update(
                    card if card["card_number"] else SANDBOX_CARD_DETAILS,
                    card_quota=payment["card_quota"] or 0,
                )
            elif payment["pay_method"] == "trans":
                values.update(bank_code=SANDBOX_BANK_CODE, bank_name=SANDBOX_BANK)
        return _record(store, payment, values)


def approval_refusal(store: Store, merchant: Row, payment: Row) -> tuple[str, str] | None:
    """``(code, message)`` for which :func:`approve` would fail ``payment`` instead (its
    order already paid, an amount other than the prepared one), or ``None``."""
    mid = merchant["id"]
    if store.payment_by_merchant_uid(mid, payment["merchant_uid"], "paid"):
        return errors.ALREADY_PAID, ALREADY_PAID
    prepared = store.prepared(mid, payment["merchant_uid"])
    if prepared and float(prepared["amount"]) != float(payment["amount"]):
        amounts: dict[str, object] = {
            "prepared": as_amount(prepared["amount"]),
            "amount": as_amount(payment["amount"]),
        }
        return errors.AMOUNT_MISMATCH, "{} ({})".format(
            errors.error_message(errors.AMOUNT_MISMATCH, "ko", amounts),
            errors.error_message(errors.AMOUNT_MISMATCH, "en", amounts),
        )
    return None


def note(store: Store, payment: Row, text: str) -> None:
    """A line in ``payment``'s status history that changes nothing (its status as it is
    now, with ``text``): e.g. the call of its ``confirm_url``."""
    with store.transaction():
        current = _found(store.payment(payment["merchant_id"], payment["imp_uid"]))
        # The store takes a line's note from the change's reason: the only key it reads
        # for a change of no field.
        store.add_payment_event(current, {"fail_reason": text})


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def _vbank_values(bank_code: str, holder: str, due: int) -> dict[str, Any]:
    return {
        "status": "ready",
        "vbank_code": bank_code,
        "vbank_name": BANKS[bank_code],
        "vbank_holder": holder,
        "vbank_num": "562-" + _digits(9),
        "vbank_date": due,
        "vbank_issued_at": now(),
    }


# -- server-side payments: billing keys, virtual accounts ---------------------------------


def mask_card_number(digits: str) -> str:
    """A card number as the sandbox keeps and shows it: first 6 and last 4 digits."""
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def card_details(digits: str) -> dict[str, Any]:
    """The masked card fields of a card number (digits only), by the sandbox's card rule."""
    code = card_code_for(digits)
    return {
        "card_number": mask_card_number(digits),
        "card_code": code,
        "card_name": CARDS[code],
        "card_type": 0,
    }


def decline_reason(card_number: str | None, amount: float) -> str | None:
    """Why the sandbox declines a billing-key charge (its documented rule), or ``None``."""
    if card_number and card_number.endswith(DECLINED_CARD_SUFFIX):
        return "카드사 승인거절 (sandbox: a card number ending in {} is declined)".format(
            DECLINED_CARD_SUFFIX
        )
    if int(float(amount)) % 100 == DECLINED_AMOUNT_SUFFIX:
        return "잔액부족 (sandbox: an amount ending in {} is declined)".format(
            DECLINED_AMOUNT_SUFFIX
        )
    return None


def charge_card(
    store: Store, merchant: Row, card: Mapping[str, Any], data: Mapping[str, Any], usage: str
) -> Row:
    """A server-side card charge (``card``: a billing key or a card's masked details with
    ``pg_provider``/``pg_id``): paid, or failed by :func:`decline_reason`. ``data`` holds
    the order (``merchant_uid``, a checked ``amount``, ...); raises :class:`PaymentRefused`
    for an order already paid."""
    setting = {"pg_provider": card["pg_provider"], "pg_id": card["pg_id"]}
    extra = {name: card.get(name) for name in SANDBOX_CARD_DETAILS}
    extra.update(
        channel="api",
        customer_uid_usage=usage if data.get("customer_uid") else None,
        card_quota=quota_field(data),
    )
    with store.transaction():
        payment = open_payment(
            store, merchant, setting, dict(data, pay_method="card"), from_window=False, extra=extra
        )
        reason = decline_reason(card.get("card_number"), payment["amount"])
        if reason:
            return _fail(store, payment, "SANDBOX_DECLINED", reason)
        return approve(store, merchant, payment, save_key=False)


def issue_vbank(
    store: Store,
    merchant: Row,
    setting: Mapping[str, Any],
    data: Mapping[str, Any],
    bank_code: str,
    holder: str,
    due: int,
) -> Row:
    """A virtual account issued from the server (``POST /vbanks``): ``ready``, webhook sent."""
    with store.transaction():
        payment = open_payment(
            store,
            merchant,
            setting,
            dict(data, pay_method="vbank", vbank_due=None),
            from_window=False,
            extra={"channel": "api"},
        )
        values = _vbank_values(bank_code, holder, due)
        values["pg_tid"] = "sandbox_" + secrets.token_hex(8)
        return _record(store, payment, values)


def _open_vbank(store: Store, payment: Row) -> Row:
    current = _found(store.payment(payment["merchant_id"], payment["imp_uid"]))
    if current["pay_method"] != "vbank" or current["status"] != "ready" or not current["vbank_num"]:
        raise PaymentRefused(
            "입금대기 중인 가상계좌가 아닙니다 (not a virtual account waiting for its deposit)"
        )
    return current


def change_vbank(
    store: Store, payment: Row, amount: float | None = None, due: int | None = None
) -> Row:
    """``PUT /vbanks/{imp_uid}``: another amount or due date (no status change)."""
    with store.transaction():
        payment = _open_vbank(store, payment)
        values = {
            "amount": payment["amount"] if amount is None else amount,
            "vbank_date": payment["vbank_date"] if due is None else due,
        }
        return _found(store.update_payment(payment["merchant_id"], payment["imp_uid"], values))


def revoke_vbank(store: Store, payment: Row) -> Row:
    """``DELETE /vbanks/{imp_uid}``: the account is closed before any deposit."""
    with store.transaction():
        payment = _open_vbank(store, payment)
        return _record(
            store,
            payment,
            {
                "status": "cancelled",
                "cancelled_at": now(),
                "cancel_reason": "가상계좌 발급취소 (virtual account revoked)",
            },
        )


def deposit(store: Store, payment: Row) -> Row:
    """The shopper paid an issued virtual account (the test kit's deposit): ``paid``."""
    with store.transaction():
        payment = _found(store.payment(payment["merchant_id"], payment["imp_uid"]))
        if payment["status"] != "ready" or not payment["vbank_num"]:
            raise AlreadyEnded()
        return _record(store, payment, {"status": "paid", "paid_at": now()})


def decline(store: Store, payment: Row, code: str | None, message: str | None) -> Row:
    """The tester declined with a chosen code and message (or the merchant's server did,
    through the confirm process: :mod:`iamport_sandbox.confirm`)."""
    with store.transaction():
        payment = _still_open(store.payment(payment["merchant_id"], payment["imp_uid"]))
        return _fail(store, payment, code or "PG_DECLINED", message or "PG declined the payment")


def user_cancel(store: Store, payment: Row) -> Row:
    """The shopper closed the window: failed with the SDK's user-cancel code."""
    with store.transaction():
        payment = _still_open(store.payment(payment["merchant_id"], payment["imp_uid"]))
        return _fail(store, payment, errors.USER_CANCEL, USER_CANCELLED)


def cancel(
    store: Store, payment: Row, amount: float | None = None, reason: str | None = None
) -> Row:
    """Refund in full (``amount`` None) or in part; the REST API's ``/payments/cancel``.
    A payment that cannot be refunded is a business refusal (:class:`PaymentRefused`), as
    api.iamport.kr answers it."""
    with store.transaction():
        payment = _found(store.payment(payment["merchant_id"], payment["imp_uid"]))
        if payment["status"] == "cancelled":
            raise PaymentRefused(ALREADY_CANCELLED)
        if payment["status"] != "paid":
            raise PaymentRefused(
                "결제완료된 건만 취소할 수 있습니다 (only a paid payment can be "
                "cancelled; status: {})".format(payment["status"])
            )
        # In the currency's minor units (cents), whole numbers: 19.99 - 9.99 is 10.00, not
        # 9.999999999999998, and what is left after the last refund is exactly 0.
        scale = 10 ** minor_units(payment["currency"])
        cancelled = _minor(payment["cancel_amount"], scale) or 0
        left = (_minor(payment["amount"], scale) or 0) - cancelled
        refund = left if amount is None else _minor(amount, scale)
        if refund is None or refund <= 0 or refund > left:
            raise PaymentRefused(
                "취소요청금액이 취소가능잔액({0})을 초과합니다 (cancel amount must be "
                "more than 0 and at most {0})".format(as_amount(left / scale))
            )
        history = json.loads(payment["cancel_history"] or "[]")
        history.append(
            {
                "pg_tid": "sandbox_cancel_" + secrets.token_hex(6),
                "amount": refund / scale,
                "cancelled_at": now(),
                "reason": reason,
            }
        )
        values: dict[str, Any] = {
            "cancel_amount": (cancelled + refund) / scale,
            "cancel_reason": reason,
            "cancel_history": history,
        }
        if refund == left:
            values.update(status="cancelled", cancelled_at=now())
        return _record(store, payment, values)


def _minor(amount: float | str, scale: int) -> int | None:
    """``amount`` in minor units (``scale``: 100 for cents), rounded to the nearest; None
    for what is no finite number (the console's refund form reads ``1e400`` as infinity)."""
    value = float(amount) * scale
    return round(value) if math.isfinite(value) else None


def is_open(record: Mapping[str, Any]) -> bool:
    """Whether a payment or certification still waits for the tester's outcome."""
    return record["status"] == "ready" and not record["error_code"] and not record["pg_tid"]


def _found(record: Row | None) -> Row:
    if record is None:
        raise NotFound()
    return record


def _still_open(record: Row | None) -> Row:
    record = _found(record)
    if not is_open(record):
        raise AlreadyEnded()
    return record


def _fail(store: Store, payment: Row, code: str, message: str) -> Row:
    return _record(
        store,
        payment,
        {"status": "failed", "failed_at": now(), "error_code": code, "fail_reason": message},
    )


def _record(store: Store, payment: Row, values: Mapping[str, Any]) -> Row:
    """One status change: the new values and, when Iamport notifies it
    (:func:`webhooks.notifies`), one webhook row per target, atomically (the webhook
    sender delivers the rows once this has committed)."""
    with store.transaction():
        changed = _found(store.update_payment(payment["merchant_id"], payment["imp_uid"], values))
        store.add_payment_event(changed, values)
        merchant = _found(store.merchant_by_id(changed["merchant_id"]))
        targets = webhooks.targets(merchant, changed) if webhooks.notifies(changed) else []
        for url in targets:
            store.add_webhook(merchant["id"], changed["imp_uid"], url, webhooks.payload(changed))
        return changed


# -- certifications -------------------------------------------------------------------


def certify(store: Store, merchant: Row, certification: Row, person: Mapping[str, Any]) -> Row:
    """The tester verified the identity: a certified record, Iamport's fields filled."""
    with store.transaction():
        certification = _still_open(store.certification(merchant["id"], certification["imp_uid"]))
        name, phone = person.get("name"), person.get("phone")
        # A stable key per person (as a real CI is): the same name and phone, the same key.
        seed = (
            "{}|{}|{}".format(name, phone, person.get("birthday"))
            if name and phone
            else secrets.token_hex(16)
        )
        unique_key = hashlib.sha256(("sandbox-ci|" + seed).encode()).hexdigest()
        in_site = hashlib.sha256((merchant["user_code"] + "|" + unique_key).encode())
        values = {
            "status": "certified",
            "certified": True,
            "certified_at": now(),
            "pg_tid": "sandbox_cert_" + secrets.token_hex(8),
            "unique_key": unique_key,
            "unique_in_site": in_site.hexdigest()[:40],
            "foreigner": False,
        }
        values.update(
            {
                k: person.get(k)
                for k in ("name", "phone", "gender", "birthday", "carrier", "origin")
                if person.get(k)
            }
        )
        return _found(store.update_certification(merchant["id"], certification["imp_uid"], values))


def fail_certification(store: Store, certification: Row, code: str, message: str) -> Row:
    """A declined or cancelled identity check."""
    mid = certification["merchant_id"]
    with store.transaction():
        certification = _still_open(store.certification(mid, certification["imp_uid"]))
        return _found(
            store.update_certification(
                mid,
                certification["imp_uid"],
                {
                    "status": "failed",
                    "failed_at": now(),
                    "error_code": code,
                    "fail_reason": message,
                },
            )
        )
