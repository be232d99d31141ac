"""How a payment record is shown outside the window: Iamport's REST records
(``rest_payment``, ``rest_certification``), amounts, receipt URLs and the pages' labels.
The window's own ``rsp`` is :mod:`iamport_sandbox.windows.answer`; the state machine that
makes the records is :mod:`iamport_sandbox.domain.payments`."""

import calendar
import json
from collections.abc import Mapping
from typing import Any

from iamport_py.catalog import display_name

# What api.iamport.kr answers for user_agent nowadays (it no longer keeps the shopper's).
USER_AGENT = "sorry_not_supported_anymore"


def rest_certification(record: Mapping[str, Any]) -> dict[str, Any]:
    """A certification as Iamport's ``GET /certifications/{imp_uid}`` shows it."""
    birthday = record["birthday"]
    birth = None
    if birthday and len(birthday) == 10:
        try:
            birth = (
                calendar.timegm(
                    (int(birthday[0:4]), int(birthday[5:7]), int(birthday[8:10]), 0, 0, 0, 0, 0, 0)
                )
                - 9 * 3600
            )
        except ValueError:
            birth = None
    return {
        "imp_uid": record["imp_uid"],
        "merchant_uid": record["merchant_uid"],
        "pg_tid": record["pg_tid"],
        "pg_provider": record["pg_provider"],
        "name": record["name"],
        "gender": record["gender"],
        "birth": birth,
        "birthday": birthday,
        "foreigner": bool(record["foreigner"]),
        "phone": record["phone"],
        "carrier": record["carrier"],
        "certified": bool(record["certified"]),
        "certified_at": record["certified_at"] or 0,
        "unique_key": record["unique_key"],
        "unique_in_site": record["unique_in_site"],
        "origin": record["origin"],
        "foreigner_v2": None if record["foreigner_v2"] is None else bool(record["foreigner_v2"]),
    }


def as_amount(value: float | str) -> int | float:
    """A stored amount as the API shows it: whole numbers without ``.0``."""
    number = float(value)
    return int(number) if number == int(number) else number


def receipt_url(payment: Mapping[str, Any], service_url: str) -> str:
    """The sandbox's receipt page of ``payment`` on ``service_url``."""
    imp_uid: str = payment["imp_uid"]
    return service_url.rstrip("/") + "/sandbox/receipts/" + imp_uid


def cancel_history(payment: Mapping[str, Any], service_url: str) -> list[dict[str, Any]]:
    """The payment's refunds, oldest first, each with its receipt's URL and its
    ``cancellation_id`` (Iamport's id of one refund; here the refund's own PG id)."""
    base = receipt_url(payment, service_url)
    return [
        dict(
            entry,
            cancellation_id=entry.get("cancellation_id") or entry["pg_tid"],
            amount=as_amount(entry["amount"]),
            receipt_url="{}?cancel={}".format(base, entry["pg_tid"]),
        )
        for entry in json.loads(payment["cancel_history"] or "[]")
    ]


def rest_payment(payment: Mapping[str, Any], service_url: str) -> dict[str, Any]:
    """A payment as Iamport's REST API shows it (the full record)."""
    notice = payment["notice_url"]
    history = cancel_history(payment, service_url)
    return {
        "imp_uid": payment["imp_uid"],
        "merchant_uid": payment["merchant_uid"],
        "pay_method": payment["pay_method"],
        "channel": payment["channel"] or "pc",
        "pg_provider": payment["pg_provider"],
        "emb_pg_provider": payment["emb_pg_provider"],
        "pg_id": payment["pg_id"],
        "pg_tid": payment["pg_tid"],
        "escrow": bool(payment["escrow"]),
        "apply_num": payment["apply_num"],
        "bank_code": payment["bank_code"],
        "bank_name": payment["bank_name"],
        "card_code": payment["card_code"],
        "card_name": payment["card_name"],
        "card_number": payment["card_number"],
        "card_type": payment["card_type"],
        "card_quota": payment["card_quota"],
        "vbank_code": payment["vbank_code"],
        "vbank_name": payment["vbank_name"],
        "vbank_num": payment["vbank_num"],
        "vbank_holder": payment["vbank_holder"],
        "vbank_date": payment["vbank_date"] or 0,
        "vbank_issued_at": payment["vbank_issued_at"] or 0,
        "name": payment["name"],
        "amount": as_amount(payment["amount"]),
        "cancel_amount": as_amount(payment["cancel_amount"]),
        "currency": payment["currency"],
        "buyer_name": payment["buyer_name"],
        "buyer_email": payment["buyer_email"],
        "buyer_tel": payment["buyer_tel"],
        "buyer_addr": payment["buyer_addr"],
        "buyer_postcode": payment["buyer_postcode"],
        "custom_data": payment["custom_data"],
        "status": payment["status"],
        "started_at": payment["started_at"],
        "paid_at": payment["paid_at"] or 0,
        "failed_at": payment["failed_at"] or 0,
        "cancelled_at": payment["cancelled_at"] or 0,
        "fail_reason": payment["fail_reason"],
        "cancel_reason": payment["cancel_reason"],
        "receipt_url": receipt_url(payment, service_url) if payment["pg_tid"] else None,
        "cancel_history": history,
        "cancel_receipt_urls": [entry["receipt_url"] for entry in history],
        "cash_receipt_issued": bool(payment["cash_receipt_issued"]),
        "user_agent": payment["user_agent"] or USER_AGENT,
        "customer_uid": payment["customer_uid"],
        "customer_uid_usage": payment["customer_uid_usage"],
        "notice_url": json.loads(notice) if notice else None,
    }


def pg_label(payment: Mapping[str, Any]) -> str:

    return display_name(payment["pg_provider"])
