"""The test kit on a popup PG (Eximbay): a preset outcome is answered by the sandbox PG page
in the popup by itself, and ``approve`` drives the popup page when a test clicks."""

import json

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from iamport_sandbox.testkit import approve
from tests.live import LiveServer

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="{service}/web/imp.js" data-user-code="{user_code}"></script></head>
<body><button id="pay">Pay</button><script>
  document.getElementById("pay").onclick = () => IMP.request_pay({{
    pg: "eximbay", merchant_uid: new URLSearchParams(location.search).get("order"),
    amount: 12.5, currency: "USD", name: "Tea", buyer_email: "buyer@example.com",
  }}, (rsp) => {{ document.body.dataset.rsp = JSON.stringify(rsp); }});
</script></body></html>"""
EXIMBAY = [{"pg_provider": "eximbay", "pg_id": "EXI-9"}]


@pytest.fixture
def shop(iamport_sandbox):
    async def checkout(request):
        return HTMLResponse(
            PAGE.format(service=iamport_sandbox.url, user_code=iamport_sandbox.user_code)
        )

    server = LiveServer(Starlette(routes=[Route("/", checkout)]), host="localhost").start()
    yield server.url
    server.stop()


def _rsp(page):
    return json.loads(
        page.wait_for_selector("body[data-rsp]", timeout=30000).get_attribute("data-rsp")
    )


@pytest.mark.iamport_settings(EXIMBAY)
def test_a_preset_is_answered_in_the_popup(iamport_sandbox, page, shop):
    iamport_sandbox.preset("tea-1", "decline", code="EXI_DECLINED", msg="declined")
    page.goto(shop + "/?order=tea-1")
    page.wait_for_function("window.IMP && window.IMP.sdk === 'iamport-py'")
    with page.expect_popup():
        page.click("#pay")
    rsp = _rsp(page)
    assert (rsp["error_code"], rsp["error_msg"], rsp["pg_provider"]) == (
        "EXI_DECLINED",
        "declined",
        "eximbay",
    )


@pytest.mark.iamport_settings(EXIMBAY)
def test_approve_drives_the_popup_page(iamport_sandbox, page, shop):
    page.goto(shop + "/?order=tea-2")
    page.wait_for_function("window.IMP && window.IMP.sdk === 'iamport-py'")
    with page.expect_popup() as popup:
        page.click("#pay")
    approve(popup.value)
    rsp = _rsp(page)
    assert rsp["success"] is True
    assert iamport_sandbox.payment(rsp["imp_uid"])["status"] == "paid"
