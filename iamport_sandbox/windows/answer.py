"""What a window answers: the ``rsp`` data it posts back to the merchant page, for a
recorded payment or certification (bound to ``iamport_py.response.WINDOW_FIELDS`` by
tests/sandbox/test_rsp_contract.py), for a request it refused without recording, and the
setting it shows when a ``channelKey`` chose another than its own."""

import json
from collections.abc import Mapping
from typing import Any

from iamport_py.catalog import POPUP, get_pg
from iamport_sandbox.payment_views import as_amount, receipt_url

Row = Mapping[str, Any]


def _certification(record: Row, rsp: dict[str, Any]) -> dict[str, Any]:
    rsp.update(
        success=record["status"] in ("ready", "certified") and not record["error_code"],
        pg_type="certification",
        certified=bool(record["certified"]),
        unique_key=record["unique_key"],
    )
    return rsp


def window_response(payment: Row, service_url: str) -> dict[str, Any]:
    """The ``rsp`` data a window posts back for a payment or certification record."""
    rsp: dict[str, Any] = {
        "success": payment["status"] in ("paid", "ready") and not payment["error_code"],
        "imp_uid": payment["imp_uid"],
        "merchant_uid": payment["merchant_uid"],
        "pg_provider": payment["pg_provider"],
        "pg_id": payment["pg_id"],
        "status": payment["status"],
        "error_code": payment["error_code"],
        "error_msg": payment["fail_reason"],
    }
    if "certified" in payment:
        return _certification(payment, rsp)
    paid = payment["status"] == "paid"
    custom = payment["custom_data"]
    rsp.update(
        {
            "pay_method": payment["pay_method"],
            "name": payment["name"],
            "paid_amount": as_amount(payment["amount"]) if paid else 0,
            "currency": payment["currency"],
            "pg_tid": payment["pg_tid"],
            "buyer_name": payment["buyer_name"],
            "buyer_email": payment["buyer_email"],
            "buyer_tel": payment["buyer_tel"],
            "buyer_addr": payment["buyer_addr"],
            "buyer_postcode": payment["buyer_postcode"],
            "custom_data": json.loads(custom) if custom else None,
            "paid_at": payment["paid_at"] or 0,
            "apply_num": payment["apply_num"],
            "pg_type": "payment",
            "card_name": payment["card_name"],
            "card_number": payment["card_number"],
            "card_quota": payment["card_quota"],
            "vbank_code": payment["vbank_code"],
            "vbank_num": payment["vbank_num"],
            "vbank_name": payment["vbank_name"],
            "vbank_holder": payment["vbank_holder"],
            "vbank_date": payment["vbank_date"] or 0,  # a time: 0 when none, as in the API
            "customer_uid": payment["customer_uid"],
            "receipt_url": receipt_url(payment, service_url) if payment["pg_tid"] else None,
        }
    )
    return rsp


def refused(
    request: Mapping[str, Any], code: str, message: str, setting: Row | None
) -> dict[str, Any]:
    """The ``rsp`` of a request the window reports as failed without recording it."""
    return {
        "success": False,
        "imp_uid": None,
        "merchant_uid": request.get("merchant_uid"),
        "error_code": code,
        "error_msg": message,
        "pg_provider": setting and setting["pg_provider"],
        "pg_id": setting and setting["pg_id"],
    }


def shown_setting(setting: Row) -> dict[str, Any]:
    """What a window shows of the setting a channel key chose in its place."""
    pg = get_pg(setting["pg_provider"]) or {}
    return {
        "pg_provider": setting["pg_provider"],
        "pg_id": setting["pg_id"],
        "name_ko": pg.get("name_ko", setting["pg_provider"]),
        "name_en": pg.get("name_en", setting["pg_provider"]),
        "popup": pg.get("window") == POPUP,
    }
