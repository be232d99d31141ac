"""The confirm process end to end: a merchant page pays with ``confirm_url`` pointing at the
merchant's own server (a real one on 127.0.0.1); the sandbox asks it before approving. 200:
paid; 4xx, 5xx or no answer in time: failed with ``CONFIRM_REFUSED``, in the callback and in
the REST API alike."""

import asyncio
import json
import time

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from iamport_sandbox import confirm
from iamport_sandbox.testkit import approve
from tests.live import LiveServer

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="{service}/web/imp.js" data-user-code="{user_code}"></script></head>
<body><button id="pay">Pay</button><script>
  const query = new URLSearchParams(location.search);
  document.getElementById("pay").onclick = () => IMP.request_pay({{
    pg: query.get("pg") || "kakaopay", merchant_uid: query.get("order"),
    amount: Number(query.get("amount") || 3000), currency: query.get("currency") || "KRW",
    name: "Limited sneakers", buyer_email: "buyer@example.com",
    confirm_url: location.origin + "/confirm",
  }}, (rsp) => {{ document.body.dataset.rsp = JSON.stringify(rsp); }});
</script></body></html>"""
STOPPED = "고객사 요청에 의해 결제를 중단합니다. (상세사유 : {})"


class Merchant:
    """The merchant's server: its checkout page and its confirm endpoint, which answers each
    order as :attr:`answers` says (``(status, body, delay)``; default 200)."""

    def __init__(self, service, user_code="imp10000001"):
        self.answers = {}
        self.calls = []
        self.released = False

        async def checkout(request):
            return HTMLResponse(PAGE.format(service=service, user_code=user_code))

        async def confirm_endpoint(request):
            call = json.loads(await request.body())
            self.calls.append(call)
            status, body, delay = self.answers.get(call["merchant_uid"], (200, None, 0))
            deadline = time.monotonic() + delay
            while not self.released and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            if body is None:
                return Response(status_code=status)
            return JSONResponse(body, status_code=status)

        self.server = LiveServer(
            Starlette(
                routes=[
                    Route("/checkout", checkout),
                    Route("/confirm", confirm_endpoint, methods=["POST"]),
                ]
            )
        )


@pytest.fixture(scope="module")
def merchant(service):
    shop = Merchant(service)
    shop.server.start()
    yield shop
    shop.released = True
    shop.server.stop()


def _checkout(page, merchant, order, query=""):
    page.goto("{}/checkout?order={}{}".format(merchant.server.url, order, query))
    page.wait_for_function("window.IMP && window.IMP.sdk === 'iamport-py'")
    page.click("#pay")


def _rsp(page):
    return json.loads(
        page.wait_for_selector("body[data-rsp]", timeout=30000).get_attribute("data-rsp")
    )


def test_a_confirm_url_answering_200_is_paid(page, merchant, rest):
    _checkout(page, merchant, "confirm-ok")
    approve(page)
    rsp = _rsp(page)
    assert rsp["success"] is True and rsp["status"] == "paid"
    assert [call for call in merchant.calls if call["merchant_uid"] == "confirm-ok"] == [
        {"imp_uid": rsp["imp_uid"], "merchant_uid": "confirm-ok", "amount": 3000}
    ]
    assert rest.get("/payments/" + rsp["imp_uid"]).json()["response"]["status"] == "paid"


@pytest.mark.parametrize(
    "status,body,reason",
    [
        (409, {"reason": "재고 부족"}, "재고 부족"),
        (500, None, "알 수 없음"),
    ],
)
def test_a_confirm_url_answering_4xx_or_5xx_fails_the_payment(
    page, merchant, rest, status, body, reason
):
    order = "confirm-{}".format(status)
    merchant.answers[order] = (status, body, 0)
    _checkout(page, merchant, order)
    approve(page)
    rsp = _rsp(page)
    assert (rsp["success"], rsp["error_code"]) == (False, "CONFIRM_REFUSED")
    assert rsp["error_msg"] == STOPPED.format(reason) + " (confirm_url answered HTTP {})".format(
        status
    )
    payment = rest.get("/payments/" + rsp["imp_uid"]).json()["response"]
    assert (payment["status"], payment["fail_reason"]) == ("failed", rsp["error_msg"])


def test_a_confirm_url_that_does_not_answer_in_time_fails_the_payment(
    page, merchant, rest, monkeypatch
):
    monkeypatch.setattr(confirm, "TIMEOUT", 1.0)  # the sandbox runs in this process
    merchant.answers["confirm-slow"] = (200, None, 10)
    _checkout(page, merchant, "confirm-slow")
    approve(page)
    rsp = _rsp(page)
    assert rsp["error_code"] == "CONFIRM_REFUSED"
    assert rsp["error_msg"] == STOPPED.format("알 수 없음") + " (confirm_url timed out after 1 s)"
    assert rest.get("/payments/" + rsp["imp_uid"]).json()["response"]["status"] == "failed"


def test_the_test_kits_preset_approval_is_confirmed_too(page, merchant, rest, service):
    merchant.answers["confirm-preset"] = (410, {"reason": "sold out"}, 0)
    preset = rest.post(
        service + "/sandbox/testkit/presets",
        json={"merchant_uid": "confirm-preset", "outcome": "approve"},
    )
    assert preset.json()["code"] == 0, preset.text
    _checkout(page, merchant, "confirm-preset")
    rsp = _rsp(page)  # no click: the window answers by itself
    assert rsp["error_code"] == "CONFIRM_REFUSED" and "sold out" in rsp["error_msg"]


@pytest.mark.iamport_settings([{"pg_provider": "paypal", "pg_id": "PP-1"}])
def test_a_popup_pgs_page_is_confirmed_too(iamport_sandbox, page):
    shop = Merchant(iamport_sandbox.url, iamport_sandbox.user_code)
    shop.server.start()
    try:
        shop.answers["confirm-popup"] = (409, {"reason": "sold out"}, 0)
        with page.expect_popup() as popup:
            _checkout(page, shop, "confirm-popup", "&pg=paypal&amount=12.5&currency=USD")
        approve(popup.value)  # the sandbox PG page in the popup
        rsp = _rsp(page)
    finally:
        shop.released = True
        shop.server.stop()
    assert (rsp["pg_provider"], rsp["error_code"]) == ("paypal", "CONFIRM_REFUSED")
    assert shop.calls == [
        {"imp_uid": rsp["imp_uid"], "merchant_uid": "confirm-popup", "amount": 12.5}
    ]
    assert iamport_sandbox.payment(rsp["imp_uid"])["status"] == "failed"
