"""The payment window and the sandbox PG page as a tester meets them (issue 15): the decline
message follows the chosen code, in Korean or English by the request's language; both pages fit
phones of 360 and 390 px without horizontal scrolling, the long merchant_uid and the opened
decline box included; axe-core finds no serious or critical violation there (axe-core pinned in
tests/clients, as e2e/test_console_a11y.py injects it)."""

import json

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from e2e.checkout import TIMEOUT, wait_window_ready
from e2e.test_console_a11y import _axe_problems
from iamport_sandbox.demo import DEMO
from iamport_sandbox.windows.facts import DECLINE_CODES
from tests.live import LiveServer

LONG_UID = "order-" + "0123456789" * 3  # with "-360": 40 characters, the most Iamport takes
MESSAGES = {code: {"ko": ko, "en": en} for code, ko, en in DECLINE_CODES}

# A plain JavaScript shop page on the merchant origin: the one imp.js tag, one payment.
SHOP = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
<link rel="icon" href="data:,"><script src="{service}/web/imp.js" data-user-code="{code}"></script>
</head><body><main><h1>Shop</h1></main><script>
window.pay = (param) => IMP.request_pay(param, (rsp) => {{ window.__rsp = rsp; }});
</script></body></html>"""


@pytest.fixture(scope="module")
def shop(service):
    """The shop page's URL, on its own server reached as localhost (another origin)."""
    html = SHOP.format(service=service, code=DEMO["user_code"])

    async def serve(request):
        return HTMLResponse(html)

    server = LiveServer(Starlette(routes=[Route("/shop.html", serve)])).start()
    yield server.url.replace("127.0.0.1", "localhost") + "/shop.html"
    server.stop()


def _shop(context, shop, width):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(shop)
    return page


def _pay(page, **param):
    param = dict(
        {
            "pg": "html5_inicis.MID-b",
            "pay_method": "card",
            "amount": 4200,
            "name": "창 화면 주문 · window UI order",
            "merchant_uid": LONG_UID,
            "buyer_name": "홍길동",
            "buyer_email": "window-ui-buyer@example.com",
        },
        **param,
    )
    page.evaluate("(param) => window.pay(param)", param)
    page.wait_for_function(
        "() => document.querySelector('iframe.iamport-frame') || window.__rsp !== undefined",
        timeout=TIMEOUT,
    )
    assert page.evaluate("window.__rsp === undefined"), page.evaluate("window.__rsp")
    frame = page.wait_for_selector("iframe.iamport-frame", timeout=TIMEOUT).content_frame()
    return wait_window_ready(frame)


def _rsp(page):
    page.wait_for_function("() => window.__rsp !== undefined", timeout=TIMEOUT)
    return page.evaluate("window.__rsp")


def _width(frame):
    return frame.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_decline_message_follows_the_chosen_code(context, shop, language):
    page = _shop(context, shop, 1100)
    frame = _pay(page, language=language, merchant_uid="decline-" + language)
    frame.click("[data-testid=decline-open]")
    first = DECLINE_CODES[0][0]
    assert frame.input_value("[data-testid=decline-msg]") == MESSAGES[first][language]
    for code, _, _ in DECLINE_CODES[1:]:
        frame.select_option("[data-testid=decline-code]", code)
        assert frame.input_value("[data-testid=decline-msg]") == MESSAGES[code][language]
    frame.select_option("[data-testid=decline-code]", "INSUFFICIENT_FUNDS")
    frame.click("[data-testid=decline]")
    rsp = _rsp(page)
    assert rsp["success"] is False and rsp["error_code"] == "INSUFFICIENT_FUNDS"
    assert rsp["error_msg"] == MESSAGES["INSUFFICIENT_FUNDS"][language]


def test_a_message_the_tester_typed_stays_when_the_code_changes(context, shop):
    page = _shop(context, shop, 1100)
    frame = _pay(page, merchant_uid="decline-typed")
    frame.click("[data-testid=decline-open]")
    typed = "한도 초과 — 법인카드 (typed)"
    frame.fill("[data-testid=decline-msg]", typed)
    frame.select_option("[data-testid=decline-code]", "LIMIT_EXCEEDED")
    assert frame.input_value("[data-testid=decline-msg]") == typed
    frame.click("[data-testid=decline]")
    rsp = _rsp(page)
    assert (rsp["error_code"], rsp["error_msg"]) == ("LIMIT_EXCEEDED", typed)


@pytest.mark.parametrize("width", [360, 390])
def test_the_window_fits_a_phone_and_passes_axe(context, shop, width):
    page = _shop(context, shop, width)
    frame = _pay(
        page, merchant_uid="{}-{}".format(LONG_UID, width), pay_method="vbank", vbank_due="20991231"
    )
    frame.click("[data-testid=decline-open]")
    # The PG's rules, opened: vbank_due (this request's) and phone's digital, from the catalog.
    frame.click("[data-testid=rules] summary")
    assert frame.is_visible(
        "[data-testid=rule][data-field=vbank_due][data-applies=yes] [data-testid=rule-applies]"
    )
    assert frame.is_visible("[data-testid=rule][data-field=digital][data-applies=no]")
    assert not frame.is_visible("[data-testid=rule][data-field=digital] [data-testid=rule-applies]")
    scroll, inner = _width(frame)
    assert scroll <= inner, "the window is {} px wide in a {} px frame".format(scroll, inner)
    box = page.eval_on_selector("iframe.iamport-frame", "f => f.getBoundingClientRect().right")
    assert box <= width, "the window's frame ends at {} px on a {} px screen".format(box, width)
    assert _width(page)[0] <= width
    assert frame.inner_text("[data-testid=order-merchant-uid]").startswith(LONG_UID)
    assert not _axe_problems(frame)


@pytest.mark.parametrize("width", [360, 390])
def test_the_sandbox_pg_page_fits_a_phone_and_passes_axe(context, shop, service, width):
    """The popup PG's page, opened as a shopper's popup is: about:blank, then the form."""
    page = _shop(context, shop, width)
    form = {
        "imp_uid": "imp_000000000001",
        "request_id": "req_window_ui",
        "action": "payment",
        "user_code": DEMO["user_code"],
        "origin": shop.rsplit("/", 1)[0],
        "name": "팝업 주문 · popup",
        "amount": "4200",
        "currency": "KRW",
        "pay_method": "card",
        "merchant_uid": LONG_UID,
        "pg_provider": "eximbay",
        "pg_id": "EXI-1",
        "buyer_name": "홍길동",
        "language": "en",
    }
    with context.expect_page() as opened:
        page.evaluate(
            """([action, fields]) => {
            const popup = window.open("about:blank", "pg_ui", "width=" + screen.width);
            const form = document.createElement("form");
            form.method = "POST"; form.action = action; form.target = "pg_ui";
            for (const [name, value] of Object.entries(fields)) {
              const input = document.createElement("input");
              input.type = "hidden"; input.name = name; input.value = value;
              form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
            return popup !== null;
        }""",
            [service + "/sandbox/pg/" + form["imp_uid"], form],
        )
    popup = opened.value
    popup.set_viewport_size({"width": width, "height": 800})
    popup.wait_for_selector("body.pg-page[data-window-state=ready]", timeout=TIMEOUT)
    popup.click("[data-testid=decline-open]")
    assert popup.input_value("[data-testid=decline-msg]") == MESSAGES["CARD_DECLINED"]["en"]
    scroll, inner = _width(popup)
    assert scroll <= inner, "the PG page is {} px wide in {} px".format(scroll, inner)
    assert not _axe_problems(popup)
    assert json.loads(popup.evaluate("JSON.stringify(document.body.dataset.language)")) == "en"
