"""Point 4: webhook targets. Refusals are proven on the pure policy functions (no traffic
to any private, link-local or metadata address, ever); deliveries only to 127.0.0.1."""

import asyncio
import json
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from iamport_sandbox import webhooks
from iamport_sandbox.config import Config
from iamport_sandbox.webhooks import Policy, Refused, address_problem, parse_target
from tests.live import LiveServer
from tests.sandbox.conftest import complete, open_payment
from tests.security.conftest import client, count, until

REFUSED_ADDRESSES = [
    ("10.0.0.1", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("169.254.0.1", "link-local"),
    ("fe80::1", "link-local"),
    ("fd00::1", "private"),
    ("fc00::1", "private"),
    ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local"),
    ("64:ff9b::a9fe:a9fe", "link-local"),
    ("2002:a00:1::1", "private"),
    ("100.64.0.1", "reserved"),
    ("255.255.255.255", "address"),
    ("192.0.2.1", "private"),
]
REFUSED_URLS = [
    "ftp://example.com/x",
    "javascript:alert(1)",
    "http:///x",
    "http://u:p@host/x",
    "file:///etc/passwd",
    "http://[fe80::1%25eth0]/x",
    "http://host:99999/x",
    "gopher://127.0.0.1:25/",
    "http://" + "a" * 600 + ".com/",
]


@pytest.mark.parametrize("address,kind", REFUSED_ADDRESSES)
def test_non_loopback_non_global_addresses_are_refused(address, kind):
    why = address_problem(address, 80)
    count("4 webhooks: refused address classes (pure)", tried=1, through=int(why is None))
    assert why is not None and kind in why


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_urls_without_http_scheme_and_host_are_refused(url):
    with pytest.raises(Refused):
        parse_target(url)
    count("4 webhooks: malformed URLs (pure)", tried=1)


def test_loopback_is_allowed_except_the_sandbox_itself():
    assert address_problem("127.0.0.1", 8080) is None
    assert address_problem("::1", 8080) is None
    assert address_problem("8.8.8.8", 443) is None  # a public address (nothing is sent)
    for address in ("127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"):
        assert "own" in address_problem(address, 8000, own_ports={8000})
    count("4 webhooks: the sandbox's own port", tried=4)


def test_every_resolved_address_must_pass():
    policy = Policy()
    # A name that resolves to loopback AND a private address (a rebinding setup) is out.
    assert policy.problem("shop.test", 80, ["127.0.0.1", "10.0.0.1"]) == "private address"
    assert policy.problem("shop.test", 80, ["127.0.0.1", "::1"]) is None
    assert policy.problem("shop.test", 80, []) == "the host has no address"
    count("4 webhooks: one bad address among several (pure)", tried=1)


def test_the_allow_list_opens_a_host_or_host_and_port():
    policy = Policy(["10.0.0.7:8080", "hooks.lan", "[fd00::5]:9000"])
    assert policy.problem("10.0.0.7", 8080, ["10.0.0.7"]) is None
    assert policy.problem("10.0.0.7", 8081, ["10.0.0.7"]) == "private address"
    assert policy.problem("hooks.lan", 1234, ["192.168.0.9"]) is None
    assert policy.problem("fd00::5", 9000, ["fd00::5"]) is None
    with pytest.raises(ValueError):
        webhooks.parse_allow(["host:notaport"])


def test_delivery_checks_the_addresses_at_delivery_time_and_connects_to_the_checked_one():
    """The resolver answers loopback at check time; the request must go to that very
    address (no second lookup a rebinding DNS could answer differently)."""
    seen, lookups = [], []

    def handler(request):
        seen.append((str(request.url), request.headers["host"]))
        return httpx.Response(200)

    async def resolver(host, port):
        lookups.append(host)
        return ["127.0.0.1"] if len(lookups) == 1 else ["10.0.0.1"]

    async def run():
        sender = webhooks.WebhookSender(
            None, Config(), transport=httpx.MockTransport(handler), resolver=resolver
        )
        sender._client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        first = await sender.attempt("http://shop.test:8080/hook", b"{}")
        second = await sender.attempt("http://shop.test:8080/hook", b"{}")
        await sender._client.aclose()
        return first, second

    first, second = asyncio.run(run())
    assert first == (None, False)
    assert seen == [("http://127.0.0.1:8080/hook", "shop.test:8080")]
    assert second == ("refused: private address", False)  # nothing sent the second time
    count("4 webhooks: rebinding to a private address", tried=1, through=len(seen) - 1)


class Receiver:
    """A webhook endpoint on 127.0.0.1: ``mode`` ok, fail, redirect or slow."""

    def __init__(self, mode="ok", redirect_to=None):
        self.calls, self.released = [], False

        async def hook(request):
            self.calls.append(json.loads(await request.body()))
            if mode == "slow":  # a target that never answers within the timeout
                deadline = time.monotonic() + 20
                while not self.released and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
            if mode == "redirect":
                return RedirectResponse(redirect_to, status_code=302)
            return Response(status_code=500 if mode == "fail" else 200)

        self.server = LiveServer(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))
        self.url = self.server.url + "/hook"


@pytest.fixture
def receiver():
    made = []

    def make(mode="ok", redirect_to=None):
        hook = Receiver(mode, redirect_to)
        hook.server.start()
        made.append(hook)
        return hook

    yield make
    for hook in made:
        hook.released = True
        hook.server.stop()


def _pay(http, number, notice_url):
    request_id = "req_w{}".format(number)
    opened = open_payment(
        http,
        {"merchant_uid": "w-{}".format(number), "request_id": request_id, "notice_url": notice_url},
    )
    assert opened.status_code == 200, opened.text
    complete(http, opened.json()["response"], request_id=request_id)
    return opened.json()["response"]["imp_uid"]


def _row(app, imp_uid):
    store = app.state.store
    rows = [
        w
        for w in store.webhooks(store.merchant_by_code("imp10000001")["id"], 1000)
        if w["imp_uid"] == imp_uid
    ]
    return rows[0] if rows else None


def test_window_open_refuses_more_than_ten_notice_urls_and_refused_addresses(live):
    url, _ = live()
    with client(url) as http:
        port = http.base_url.port  # the sandbox's own
        too_many = open_payment(
            http, {"notice_url": ["http://127.0.0.1:1/{}".format(n) for n in range(11)]}
        )
        literal = [
            open_payment(
                http,
                {"merchant_uid": "lit-{}".format(n), "notice_url": "http://{}/hook".format(host)},
            )
            for n, host in enumerate(
                ["169.254.169.254", "10.0.0.1", "[::]:80", "[fe80::1]", "127.0.0.1:{}".format(port)]
            )
        ]
    statuses = [too_many.status_code] + [answer.status_code for answer in literal]
    count(
        "4 webhooks: refused at window open",
        tried=len(statuses),
        through=sum(1 for s in statuses if s == 200),
    )
    assert all(400 <= status < 500 for status in statuses), statuses
    assert "at most 10" in too_many.json()["message"]


def test_the_sandbox_itself_is_refused_at_delivery(live):
    url, app = live()
    with client(url) as http:
        # localhost names the sandbox's own port: a name passes at open, fails at delivery.
        imp_uid = _pay(http, 1, "http://localhost:{}/api/users/getToken".format(http.base_url.port))
    row = until(lambda: (_row(app, imp_uid) or {}).get("state") == "failed" and _row(app, imp_uid))
    count(
        "4 webhooks: aimed at the sandbox itself", tried=1, through=int(row["state"] == "delivered")
    )
    assert row["last_error"] == "refused: the sandbox's own address" and row["attempts"] == 1


def test_last_error_says_refused_timed_out_or_status_never_the_socket_error(live, receiver):
    url, app = live(webhook_timeout=0.5, webhook_attempts=1)
    failing, slow = receiver("fail"), receiver("slow")
    with client(url) as http:
        closed = _pay(http, 1, "http://127.0.0.1:9/hook")
        status = _pay(http, 2, failing.url)
        hanging = _pay(http, 3, slow.url)
    errors = {}
    for name, imp_uid in (("closed", closed), ("status", status), ("hanging", hanging)):
        row = until(
            lambda imp_uid=imp_uid: (
                (_row(app, imp_uid) or {}).get("state") == "failed" and _row(app, imp_uid)
            )
        )
        errors[name] = row["last_error"]
    assert errors == {"closed": "connection failed", "status": "HTTP 500", "hanging": "timed out"}
    count("4 webhooks: socket errors shown", tried=3, allowed=2)


def test_redirects_are_not_followed(live, receiver):
    url, app = live(webhook_attempts=1)
    target = receiver()
    bouncer = receiver("redirect", redirect_to=target.url)
    with client(url) as http:
        imp_uid = _pay(http, 1, bouncer.url)
    row = until(lambda: (_row(app, imp_uid) or {}).get("state") == "failed" and _row(app, imp_uid))
    count("4 webhooks: redirects followed", tried=1, through=len(target.calls), allowed=1)
    assert row["last_error"] == "HTTP 302" and target.calls == []


def test_a_slow_target_does_not_delay_another_merchants_webhook(live, receiver):
    url, _ = live(webhook_timeout=5.0, webhook_attempts=1, webhook_per_target=2)
    slow_a, slow_b, fast = receiver("slow"), receiver("slow"), receiver()
    with client(url) as http:
        for number in range(6):  # merchant B's backlog: 12 deliveries that hang 5 s each
            _pay(http, 100 + number, [slow_a.url, slow_b.url])
        started = time.monotonic()
        _pay(http, 1, fast.url)
        delivered = until(lambda: fast.calls, seconds=10)
        took = time.monotonic() - started
    count(
        "4 webhooks: delayed behind a slow target (> 1 s)",
        tried=1,
        through=int(took > 1),
        allowed=1,
    )
    # Before: one serial worker, so 10-15 s behind two slow targets.
    assert delivered and took < 1, took
