"""Every console page and the payment window on 390 px and 360 px phones (no horizontal
scrolling) and under axe-core (zero serious or critical violations), at 360, 390 and
1280 px (issue 15).

axe-core comes from the npm registry, pinned in tests/clients/package.json (`make setup`
installs it)."""

import os

import httpx
import pytest

from e2e.checkout import TIMEOUT, open_shop, payment_window, start_payment
from iamport_sandbox.demo import DEMO

AXE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "tests",
    "clients",
    "node_modules",
    "axe-core",
    "axe.min.js",
)
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "narrow": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 900},
}
PHONES = ("phone", "narrow")
LONG_URL = "https://shop.example.invalid/iamport/webhooks/receiver/with/a/rather/long/path"


def _axe_problems(frame):
    """Serious and critical axe-core violations of a page or frame, as readable lines."""
    if not frame.evaluate("typeof window.axe !== 'undefined'"):
        frame.add_script_tag(path=AXE)
    results = frame.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        "{} ({}): {}".format(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _overflow(frame):
    return frame.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def _open(service, merchant_uid, outcome="approve", **request):
    """Open and complete (approve, or ``outcome``) a window request of the demo merchant
    over HTTP."""
    with httpx.Client(base_url=service, timeout=10) as http:
        request = dict(
            {
                "merchant_uid": merchant_uid,
                "amount": 12345,
                "name": "접근성 주문 · a11y",
                "pay_method": "card",
                "request_id": "req_" + merchant_uid,
                "buyer_name": "홍길동",
                "buyer_email": "a11y-buyer@example.com",
                "notice_url": LONG_URL,
            },
            **request,
        )
        opened = http.post(
            "/sandbox/windows/open",
            json={
                "action": "payment",
                "user_code": DEMO["user_code"],
                "pg_provider": "html5_inicis",
                "pg_id": "MID-a",
                "request": request,
            },
        ).json()["response"]
        answer = http.post(
            "/sandbox/windows/{}/complete".format(opened["imp_uid"]),
            json={
                "user_code": DEMO["user_code"],
                "request_id": request["request_id"],
                "outcome": outcome,
                "vbank_due": "20991231",
                "error_code": "LIMIT_EXCEEDED",
                "error_msg": "한도 초과 · limit exceeded",
            },
        )
        assert answer.status_code == 200, answer.text
        return opened["imp_uid"]


@pytest.fixture(scope="module")
def records(sandbox):
    service = sandbox.url
    with httpx.Client(base_url=service + "/api", timeout=10) as rest:
        token = rest.post(
            "/users/getToken", json={"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]}
        )
        rest.headers["Authorization"] = token.json()["response"]["access_token"]
        key = rest.post(
            "/subscribe/customers/a11y-customer-with-a-long-uid-0001",
            json={
                "card_number": "4111-1111-1111-1111",
                "expiry": "2099-12",
                "birth": "900131",
                "customer_name": "홍길동",
                "customer_email": "a11y-buyer@example.com",
            },
        )
        assert key.json()["code"] == 0, key.text
        schedule = rest.post(
            "/subscribe/payments/schedule",
            json={
                "customer_uid": "a11y-customer-with-a-long-uid-0001",
                "schedules": [
                    {
                        "merchant_uid": "a11y-schedule-long-merchant-uid-0000001",
                        "schedule_at": 4102444800,
                        "amount": 9900,
                        "name": "정기 · monthly",
                    }
                ],
            },
        )
        assert schedule.json()["code"] == 0, schedule.text
    return {
        "paid": _open(service, "a11y-card-order-long-merchant-uid-01"),
        "vbank": _open(service, "a11y-vbank-order", pay_method="vbank", vbank_due="20991231"),
        "failed": _open(service, "a11y-declined-order", outcome="decline"),
        "customer_uid": "a11y-customer-with-a-long-uid-0001",
        "schedule": "a11y-schedule-long-merchant-uid-0000001",
    }


def _console_pages(page, service, records):
    page.goto(service + "/console/pg")
    edit = page.get_attribute("[data-testid=setting-row] a[data-testid^=edit-]", "href")
    setting = edit.split("/")[3]
    return [
        "/console/pg",
        "/console/pg/new",
        edit,
        "/console/pg/{}/delete".format(setting),
        "/console/payments",
        "/console/payments/" + records["paid"],
        "/console/payments/" + records["vbank"],
        "/console/payments?status=vbank",
        "/console/webhooks",
        "/console/keys",
        "/console/password",
        "/console/billing-keys",
        "/console/schedules",
        "/console/payments/" + records["failed"],
        "/console/billing-keys/" + records["customer_uid"],
        "/console/schedules/" + records["schedule"],
        "/console/payments?status=failed",
        "/sandbox/receipts/" + records["paid"],
        "/sandbox/receipts/" + records["vbank"],
        "/sandbox/receipts/" + records["failed"],
        "/sandbox/receipts/imp_000000000000",
        "/console/payments/imp_000000000000",
    ]


@pytest.fixture(params=sorted(VIEWPORTS))
def sized(browser, request):
    context = browser.new_context(viewport=VIEWPORTS[request.param], bypass_csp=True)
    yield request.param, context
    context.close()


def _login(page, service):
    page.goto(service + "/console/login")
    page.fill("input[name=login]", DEMO["login"])
    page.fill("input[name=password]", DEMO["password"])
    page.click("[data-testid=login]")
    page.wait_for_selector("[data-testid=add-pg]", timeout=TIMEOUT)


def test_every_console_page_fits_a_phone_and_passes_axe(sized, service, records):
    name, context = sized
    page = context.new_page()
    page.goto(service + "/console/login")
    page.wait_for_selector("[data-testid=login]", timeout=TIMEOUT)
    problems = {"/console/login": _axe_problems(page)}
    overflow = {}
    if name in PHONES and _overflow(page)[0] > _overflow(page)[1]:
        overflow["/console/login"] = _overflow(page)[0]
    _login(page, service)
    for path in _console_pages(page, service, records):
        page.goto(service + path)
        page.wait_for_selector("main.page", timeout=TIMEOUT)
        if name in PHONES:
            width, inner = _overflow(page)
            if width > inner:
                overflow[path] = width
        found = _axe_problems(page)
        if found:
            problems[path] = found
    assert not overflow, "pages wider than {} px: {}".format(VIEWPORTS[name]["width"], overflow)
    assert not any(problems.values()), problems


def test_the_payment_window_fits_a_phone_and_passes_axe(sized, service, merchant_origin):
    name, context = sized
    page = context.new_page()
    assert open_shop(page, merchant_origin, service, "micropython") == "ready"
    start_payment(page)
    frame = payment_window(page)
    if name in PHONES:
        width, inner = _overflow(frame)
        assert width <= inner, "the window is {} px wide in {} px".format(width, inner)
    assert not _axe_problems(frame)
