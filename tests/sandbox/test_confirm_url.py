"""The confirm process (``confirm_url``): before a window payment is approved the sandbox
POSTs ``{imp_uid, merchant_uid, amount}`` to the merchant's server, approves only on HTTP 200
and otherwise fails the payment with ``CONFIRM_REFUSED``. Every server here is a real one on
127.0.0.1; refused addresses are tested as policy, never by aiming a request at them."""

import asyncio
import json
import threading
import time

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from iamport_sandbox import confirm, webhooks
from tests.live import LiveServer
from tests.sandbox.conftest import Console, complete, open_payment, token
from tests.sandbox.rest_kit import CARD

STOPPED = "고객사 요청에 의해 결제를 중단합니다. (상세사유 : {})"


class MerchantServer:
    """A merchant's confirm endpoint on 127.0.0.1: answers ``status`` (and ``body``) after
    ``delay`` seconds, and keeps every call with the payment's status at that moment."""

    def __init__(self, store, status=200, body=None, delay=0.0, redirect_to=None):
        self.calls = []
        self.released = False

        async def confirm_endpoint(request):
            call = {
                "body": json.loads(await request.body()),
                "content_type": request.headers.get("content-type"),
            }
            merchant = store.merchant_by_code("imp10000001")
            paid = store.payment(merchant["id"], call["body"]["imp_uid"])
            call["status_then"] = paid["status"] if paid else None
            self.calls.append(call)
            deadline = time.monotonic() + delay
            while not self.released and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            if redirect_to:
                return RedirectResponse(redirect_to, status_code=302)
            if body is None:
                return Response(status_code=status)
            return JSONResponse(body, status_code=status)

        self.server = LiveServer(
            Starlette(routes=[Route("/confirm", confirm_endpoint, methods=["POST"])])
        )
        self.url = self.server.url + "/confirm"


@pytest.fixture
def merchant_server(store):
    made = []

    def make(status=200, body=None, delay=0.0, redirect_to=None):
        server = MerchantServer(store, status, body, delay, redirect_to)
        server.server.start()
        made.append(server)
        return server

    yield make
    for server in made:
        server.released = True
        server.server.stop()


def _pay(http, confirm_url, merchant_uid="order-c1", setting=("html5_inicis", "MID-a"), **request):
    request_id = "req_" + merchant_uid
    opened = open_payment(
        http,
        dict(
            {
                "merchant_uid": merchant_uid,
                "amount": 1000,
                "request_id": request_id,
                "confirm_url": confirm_url,
            },
            **request,
        ),
        pg_provider=setting[0],
        pg_id=setting[1],
    )
    assert opened.status_code == 200, opened.text
    answer = complete(
        http,
        opened.json()["response"],
        request_id=request_id,
        **({"vbank_due": request["vbank_due"]} if "vbank_due" in request else {}),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


def _history(store, demo, imp_uid):
    return [(event["status"], event["note"]) for event in store.payment_events(demo["id"], imp_uid)]


def test_a_200_answer_approves_after_the_guide_fields_were_posted(
    http, merchant_server, store, demo
):
    server = merchant_server(200)
    rsp = _pay(http, server.url, amount=1500)
    assert rsp["success"] is True and rsp["status"] == "paid"
    assert len(server.calls) == 1
    call = server.calls[0]
    assert call["body"] == {"imp_uid": rsp["imp_uid"], "merchant_uid": "order-c1", "amount": 1500}
    assert call["content_type"] == "application/json"
    assert call["status_then"] == "ready"  # asked before the approval, not after


def test_a_4xx_answer_fails_with_CONFIRM_REFUSED_and_the_merchants_reason(
    http, merchant_server, store, demo
):
    server = merchant_server(409, {"reason": "재고 부족"})
    rsp = _pay(http, server.url)
    expected = STOPPED.format("재고 부족") + " (confirm_url answered HTTP 409)"
    assert (rsp["success"], rsp["status"], rsp["error_code"], rsp["error_msg"]) == (
        False,
        "failed",
        "CONFIRM_REFUSED",
        expected,
    )
    rest = http.get(
        "/api/payments/" + rsp["imp_uid"], headers={"Authorization": token(http)}
    ).json()["response"]
    assert (rest["status"], rest["fail_reason"], rest["pg_tid"]) == ("failed", expected, None)
    # A one-off failure is not notified (Iamport's webhook list).
    assert store.webhooks_of(demo["id"], rsp["imp_uid"]) == []


def test_a_5xx_answer_without_a_reason_fails_with_the_default_reason(http, merchant_server):
    rsp = _pay(http, merchant_server(500).url)
    assert rsp["error_code"] == "CONFIRM_REFUSED"
    assert rsp["error_msg"] == STOPPED.format("알 수 없음") + " (confirm_url answered HTTP 500)"


def test_only_200_approves_a_204_fails(http, merchant_server):
    rsp = _pay(http, merchant_server(204).url)
    assert rsp["status"] == "failed" and rsp["error_msg"].endswith("HTTP 204)")


def test_a_redirect_is_not_followed_and_fails(http, merchant_server):
    target = merchant_server(200)
    bouncer = merchant_server(redirect_to=target.url)
    rsp = _pay(http, bouncer.url)
    assert rsp["status"] == "failed" and rsp["error_msg"].endswith("HTTP 302)")
    assert target.calls == []


def test_a_server_slower_than_the_timeout_fails_the_payment(http, merchant_server, monkeypatch):
    monkeypatch.setattr(confirm, "TIMEOUT", 0.5)
    server = merchant_server(200, delay=5)
    started = time.monotonic()
    rsp = _pay(http, server.url)
    assert time.monotonic() - started < 3
    assert (rsp["status"], rsp["error_code"]) == ("failed", "CONFIRM_REFUSED")
    assert rsp["error_msg"] == STOPPED.format("알 수 없음") + " (confirm_url timed out after 0.5 s)"


def test_the_timeout_is_five_seconds():
    # The guide says 10 s, PortOne's FAQ 5 s: the stricter (confirm.py says why).
    assert confirm.TIMEOUT == 5.0


def test_a_closed_port_fails_as_connection_failed(http):
    rsp = _pay(http, "http://127.0.0.1:9/confirm")
    assert rsp["status"] == "failed"
    assert rsp["error_msg"].endswith("(confirm_url connection failed)")


def test_the_call_is_in_the_payments_history_and_on_its_console_page(
    http, merchant_server, store, demo
):
    ok, no = merchant_server(200), merchant_server(409, {"reason": "sold out"})
    paid = _pay(http, ok.url, merchant_uid="order-h1")
    failed = _pay(http, no.url, merchant_uid="order-h2")
    first = _history(store, demo, paid["imp_uid"])
    assert [status for status, _ in first] == ["ready", "ready", "paid"]
    assert first[1][1].startswith("confirm_url {} → HTTP 200 (".format(ok.url))
    assert first[1][1].endswith(" ms)")
    second = _history(store, demo, failed["imp_uid"])
    assert [status for status, _ in second] == ["ready", "ready", "failed"]
    assert "→ HTTP 409" in second[1][1] and "sold out" in second[2][1]
    session = Console(http)
    assert session.login().status_code == 303
    page = http.get("/console/payments/" + failed["imp_uid"]).text
    assert 'data-testid="confirm-url"' in page and no.url in page
    assert "→ HTTP 409" in page and "CONFIRM_REFUSED" in page


def test_without_confirm_url_nothing_is_asked(http, store, demo):
    opened = open_payment(http, {"merchant_uid": "order-n1"}).json()["response"]
    rsp = complete(http, opened).json()["response"]
    assert rsp["status"] == "paid"
    assert [status for status, _ in _history(store, demo, rsp["imp_uid"])] == ["ready", "paid"]


def test_a_vbank_window_is_confirmed_before_the_account_is_issued(http, merchant_server):
    server = merchant_server(503)
    rsp = _pay(http, server.url, pay_method="vbank", vbank_due="20991231")
    assert rsp["status"] == "failed" and rsp["vbank_num"] is None and len(server.calls) == 1


def test_a_pg_without_the_confirm_process_approves_without_asking(
    http, merchant_server, store, demo
):
    # PortOne's FAQ: Eximbay, Kiwoom Pay and Naver Pay checkout do not support it.
    store.add_setting(
        demo["id"], {"pg_provider": "eximbay", "pg_id": "EXI-1", "type": "payment", "sandbox": True}
    )
    server = merchant_server(500)
    rsp = _pay(http, server.url, setting=("eximbay", "EXI-1"), currency="USD")
    assert rsp["status"] == "paid" and server.calls == []
    notes = [note for _, note in _history(store, demo, rsp["imp_uid"]) if note]
    assert "not called" in notes[0] and "confirm process" in notes[0]


def test_a_payment_that_would_fail_anyway_is_not_confirmed(http, merchant_server):
    server = merchant_server(200)
    prepared = http.post(
        "/api/payments/prepare",
        json={"merchant_uid": "order-p1", "amount": 500},
        headers={"Authorization": token(http)},
    )
    assert prepared.json()["code"] == 0
    rsp = _pay(http, server.url, merchant_uid="order-p1", amount=1000)
    assert rsp["error_code"] == "AMOUNT_MISMATCH" and server.calls == []


def test_a_second_completion_while_the_call_is_in_flight_asks_once(http, merchant_server):
    server = merchant_server(200, delay=0.5)
    opened = open_payment(
        http, {"merchant_uid": "order-d1", "request_id": "req_d1", "confirm_url": server.url}
    ).json()["response"]
    answers = []

    def finish():
        answers.append(complete(http, opened, request_id="req_d1").json()["response"])

    threads = [threading.Thread(target=finish) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(server.calls) == 1
    assert len(answers) == 3 and all(rsp["status"] == "paid" for rsp in answers)
    assert len({rsp["pg_tid"] for rsp in answers}) == 1


def test_a_cancel_while_the_call_is_in_flight_stands(http, merchant_server):
    server = merchant_server(200, delay=0.5)
    opened = open_payment(
        http, {"merchant_uid": "order-x1", "request_id": "req_x1", "confirm_url": server.url}
    ).json()["response"]
    approving = []
    thread = threading.Thread(
        target=lambda: approving.append(
            complete(http, opened, request_id="req_x1").json()["response"]
        )
    )
    thread.start()
    deadline = time.monotonic() + 5
    while not server.calls and time.monotonic() < deadline:
        time.sleep(0.02)
    cancelled = complete(http, opened, "cancel", request_id="req_x1").json()["response"]
    thread.join(10)
    assert cancelled["error_code"] == "F0005"
    assert approving == [cancelled]  # the approval found the payment ended: no charge


def test_a_rest_charge_never_calls_confirm_url(http, merchant_server):
    server = merchant_server(500)
    paid = http.post(
        "/api/subscribe/payments/onetime",
        json=dict(CARD, merchant_uid="order-r1", amount=1000, confirm_url=server.url),
        headers={"Authorization": token(http)},
    ).json()["response"]
    assert paid["status"] == "paid" and server.calls == []


def test_a_name_resolving_to_a_private_address_is_refused_when_called(sandbox, http):
    # The name passes at open (no DNS there); at the call every address it resolves to is
    # checked, and a private one ends the payment before any connection is made.
    looked_up = []

    async def resolver(host, port):
        looked_up.append((host, port))
        return ["10.0.0.7"]

    sandbox[1].state.webhooks._resolve = resolver
    rsp = _pay(http, "http://stock.shop.test:8080/confirm")
    assert looked_up == [("stock.shop.test", 8080)]
    assert rsp["status"] == "failed"
    assert rsp["error_msg"].endswith("(confirm_url refused: private address)")


# -- the address policy at window open: pure checks, nothing is ever sent -----------------


@pytest.mark.parametrize(
    "url,why",
    [
        ("http://169.254.169.254/latest/meta-data", "link-local address"),
        ("http://10.0.0.1/confirm", "private address"),
        ("http://192.168.1.10:8080/confirm", "private address"),
        ("http://[fe80::1]/confirm", "link-local address"),
        ("http://[::ffff:10.0.0.1]/confirm", "private address"),
        ("http://0.0.0.0/confirm", "unspecified address"),
        ("ftp://127.0.0.1/confirm", "only http and https URLs"),
        ("http://user:pw@127.0.0.1/confirm", "no user or password in the URL"),
        ("not a url", "only http and https URLs"),
    ],
)
def test_refused_confirm_urls(url, why):
    with pytest.raises(ValueError) as refused:
        confirm.check(webhooks.Policy(), {"confirm_url": url})
    assert str(refused.value) == "'confirm_url' refused: " + why


def test_loopback_is_allowed_but_not_the_sandbox_itself():
    policy = webhooks.Policy()
    policy.note_server("127.0.0.1", 8000)
    confirm.check(policy, {"confirm_url": "http://127.0.0.1:3000/confirm"})
    confirm.check(policy, {"confirm_url": "http://shop.test/confirm"})  # a name: at the call
    with pytest.raises(ValueError, match="the sandbox's own address"):
        confirm.check(policy, {"confirm_url": "http://127.0.0.1:8000/confirm"})


def test_the_allow_list_opens_a_private_host():
    confirm.check(webhooks.Policy(["10.0.0.5:8080"]), {"confirm_url": "http://10.0.0.5:8080/c"})


def test_absent_or_empty_confirm_url_is_no_confirm_url():
    confirm.check(webhooks.Policy(), {})
    confirm.check(webhooks.Policy(), {"confirm_url": None})
    confirm.check(webhooks.Policy(), {"confirm_url": ""})


@pytest.mark.parametrize(
    "value",
    [
        "http://10.0.0.1/confirm",
        "http://169.254.169.254/",
        42,
        ["http://127.0.0.1/"],
        {"url": "x"},
        "http://" + "a" * 600 + "/",
        "javascript:alert(1)",
    ],
)
def test_a_bad_confirm_url_is_a_400_at_open_never_a_500(http, store, demo, value):
    answer = open_payment(http, {"merchant_uid": "order-b1", "confirm_url": value})
    assert answer.status_code == 400, answer.text
    assert "'confirm_url'" in answer.json()["message"]
    assert store.payment_by_merchant_uid(demo["id"], "order-b1") is None


@pytest.mark.parametrize(
    "answer,reason",
    [
        (b'{"reason": "\\uc7ac\\uace0 \\ubd80\\uc871"}', "재고 부족"),
        (b'{"reason": "  many\\n  lines  "}', "many lines"),
        (b'{"reason": 42}', "알 수 없음"),
        (b'{"reason": ""}', "알 수 없음"),
        (b"[1, 2]", "알 수 없음"),
        (b"<html>500</html>", "알 수 없음"),
        (b'{"reason": "' + b"x" * 4000, "알 수 없음"),  # cut at the read limit: not JSON
        (b"\xff\xfe", "알 수 없음"),
    ],
)
def test_the_merchants_reason_is_read_with_care(answer, reason):
    assert confirm.reason_of(answer) == reason


def test_a_long_reason_is_cut():
    assert len(confirm.reason_of(json.dumps({"reason": "y" * 1000}).encode())) == 200


def test_the_verdict_is_200_or_the_guides_message():
    assert confirm.verdict(200, b"") is None
    assert (
        confirm.verdict(201, b"")
        == STOPPED.format("알 수 없음") + " (confirm_url answered HTTP 201)"
    )
