"""One ``rsp`` field list (``iamport_py.response.WINDOW_FIELDS``) binds the SDK, the
sandbox's window answer and the REST record: a field the window sends that the SDK would
drop, or a field the SDK documents that no window fills, fails here."""

import pytest

from iamport_py.response import WINDOW_FIELDS
from tests.sandbox.conftest import certify, complete, open_payment, token

CERTIFICATION_ONLY = {"certified", "unique_key"}
# The window's answer only, as in Iamport's API: the REST record says ``amount``, an
# error is its ``fail_reason`` and status, and it has no ``pg_type``.
WINDOW_ONLY = {"paid_amount", "error_code", "error_msg", "pg_type"}


def _window_and_rest(http, request, **extra):
    opened = open_payment(http, request).json()["response"]
    rsp = complete(http, opened, **extra).json()["response"]
    rest = http.get(
        "/api/payments/" + rsp["imp_uid"], headers={"Authorization": token(http)}
    ).json()["response"]
    return rsp, rest


@pytest.mark.parametrize(
    "request_",
    [{"amount": 1000}, {"pay_method": "vbank", "vbank_due": "20991231"}],
    ids=["card", "vbank"],
)
def test_a_payment_window_answers_exactly_the_sdk_fields(http, request_):
    extra = {"vbank_due": "20991231"} if "vbank_due" in request_ else {}
    rsp, rest = _window_and_rest(http, request_, **extra)
    assert set(rsp) == set(WINDOW_FIELDS) - CERTIFICATION_ONLY | {"success"}
    assert set(WINDOW_FIELDS) - CERTIFICATION_ONLY - WINDOW_ONLY <= set(rest)
    for field in set(rsp) & set(rest):
        if field != "receipt_url":  # the window names its own service's URL
            assert rsp[field] == rest[field], field


def test_a_certification_window_answers_only_sdk_fields(http, store, demo):
    rsp = certify(http, store, demo)
    assert CERTIFICATION_ONLY <= set(rsp) <= set(WINDOW_FIELDS) | {"success"}
