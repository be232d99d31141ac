"""What the published REST clients rely on (issue 10 §2), in-process: business refusals as
HTTP 200 with code 1, the API at the root of its own port, the path form of find, the
X-ImpTokenHeader, form bodies and string amounts; bad input still a JSON 4xx."""

import pytest

from iamport_sandbox.domain import payments
from tests.sandbox.inprocess import auth, complete_window, open_window, running

pytestmark = pytest.mark.anyio
API_PORT = 8001
API_BASE = "http://api.sandbox.test:{}".format(API_PORT)


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def sandbox(tmp_path):
    async with running(tmp_path / "s.sqlite3", api_port=API_PORT) as (client, _app):
        yield client, await auth(client)


async def _pay(client, merchant_uid="order-1", amount=1000, **request):
    request_id = "req_" + merchant_uid
    opened = await open_window(
        client, dict(request, merchant_uid=merchant_uid, amount=amount, request_id=request_id)
    )
    answer = await complete_window(client, opened, request_id=request_id)
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


def _refused(answer, message=None):
    body = answer.json()
    assert answer.status_code == 200, (answer.status_code, body)
    assert body["code"] == 1 and body["response"] is None and body["message"], body
    if message is not None:
        assert body["message"] == message
    return body["message"]


def _ok(answer):
    body = answer.json()
    assert answer.status_code == 200 and body["code"] == 0, (answer.status_code, body)
    return body["response"]


async def test_cancel_of_an_unknown_payment_is_refused_with_iamports_message(sandbox):
    client, headers = sandbox
    for body in ({"imp_uid": "imp_000000000000"}, {"merchant_uid": "no-such-order"}):
        _refused(
            await client.post("/api/payments/cancel", json=body, headers=headers),
            payments.NOTHING_TO_CANCEL,
        )


async def test_cancel_of_a_cancelled_order_says_already_cancelled(sandbox):
    client, headers = sandbox
    rsp = await _pay(client, "twice-1")
    _ok(
        await client.post("/api/payments/cancel", json={"imp_uid": rsp["imp_uid"]}, headers=headers)
    )
    for body in ({"imp_uid": rsp["imp_uid"]}, {"merchant_uid": "twice-1"}):
        _refused(
            await client.post("/api/payments/cancel", json=body, headers=headers),
            payments.ALREADY_CANCELLED,
        )


async def test_cancel_of_an_unpaid_payment_is_refused(sandbox):
    client, headers = sandbox
    opened = await open_window(client, {"merchant_uid": "unpaid-1"})
    assert _refused(
        await client.post(
            "/api/payments/cancel", json={"imp_uid": opened["imp_uid"]}, headers=headers
        )
    ).endswith("status: ready)")


async def test_cancel_amount_zero_refunds_what_is_left(sandbox):
    client, headers = sandbox
    rsp = await _pay(client, "zero-1", amount=5000)
    part = _ok(
        await client.post(
            "/api/payments/cancel",
            data={"imp_uid": rsp["imp_uid"], "amount": "2000"},
            headers=headers,
        )
    )
    assert part["cancel_amount"] == 2000 and part["status"] == "paid"
    rest = _ok(
        await client.post(
            "/api/payments/cancel", json={"imp_uid": rsp["imp_uid"], "amount": 0}, headers=headers
        )
    )
    assert rest["cancel_amount"] == 5000 and rest["status"] == "cancelled"


async def test_cancel_amount_over_what_is_left_is_refused(sandbox):
    client, headers = sandbox
    rsp = await _pay(client, "over-1", amount=1000)
    _refused(
        await client.post(
            "/api/payments/cancel",
            json={"imp_uid": rsp["imp_uid"], "amount": "1001"},
            headers=headers,
        )
    )


async def test_cancel_amount_goes_through_the_amount_rule(sandbox):
    client, headers = sandbox
    rsp = await _pay(client, "rule-1", amount=1000)
    for amount in ("12.5", 12.5, "lots", " 100", -1, True, [100]):
        answer = await client.post(
            "/api/payments/cancel",
            json={"imp_uid": rsp["imp_uid"], "amount": amount},
            headers=headers,
        )
        assert answer.status_code == 400 and answer.json()["code"] == -1, (amount, answer.text)


async def _billing_key(client, customer_uid="sub-1"):
    opened = await open_window(
        client,
        {
            "merchant_uid": "key-" + customer_uid,
            "amount": 0,
            "customer_uid": customer_uid,
            "request_id": "req_key",
        },
    )
    assert (await complete_window(client, opened, request_id="req_key")).status_code == 200


async def test_charge_again_takes_a_form_body_with_a_string_amount(sandbox):
    client, headers = sandbox
    await _billing_key(client)
    charged = _ok(
        await client.post(
            "/api/subscribe/payments/again",
            data={
                "customer_uid": "sub-1",
                "merchant_uid": "again-1",
                "amount": "2000",
                "name": "Monthly",
            },
            headers=headers,
        )
    )
    assert charged["status"] == "paid" and charged["amount"] == 2000
    assert charged["customer_uid"] == "sub-1"


async def test_charge_again_refusals(sandbox):
    client, headers = sandbox
    await _billing_key(client)
    _refused(
        await client.post(
            "/api/subscribe/payments/again",
            json={"customer_uid": "nobody", "merchant_uid": "again-x", "amount": 1000},
            headers=headers,
        )
    )
    body = {"customer_uid": "sub-1", "merchant_uid": "again-2", "amount": 1000}
    _ok(await client.post("/api/subscribe/payments/again", json=body, headers=headers))
    _refused(
        await client.post("/api/subscribe/payments/again", json=body, headers=headers),
        payments.ALREADY_PAID,
    )
    for amount in ("0", "9.5", "lots"):
        answer = await client.post(
            "/api/subscribe/payments/again",
            data=dict(body, merchant_uid="again-3", amount=amount),
            headers=headers,
        )
        assert answer.status_code == 400, (amount, answer.text)


async def test_prepare_of_a_prepared_merchant_uid_is_refused(sandbox):
    client, headers = sandbox
    assert (
        _ok(
            await client.post(
                "/api/payments/prepare",
                data={"merchant_uid": "prep-1", "amount": "3000"},
                headers=headers,
            )
        )["amount"]
        == 3000
    )
    _refused(
        await client.post(
            "/api/payments/prepare",
            json={"merchant_uid": "prep-1", "amount": 3000},
            headers=headers,
        )
    )


async def test_lookups_of_nothing_stay_404(sandbox):
    client, headers = sandbox
    for path in (
        "/api/payments/imp_000000000000",
        "/api/payments/find/none",
        "/api/payments/find/none/paid",
        "/api/payments/prepare/none",
        "/api/certifications/imp_000000000000",
    ):
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 404 and answer.json()["code"] != 0, path


async def test_find_takes_the_status_in_the_path_too(sandbox):
    client, headers = sandbox
    rsp = await _pay(client, "path-1")
    for path in (
        "/api/payments/find/path-1/paid",
        "/api/payments/find/path-1/all",
        "/api/payments/find/path-1?status=all",
        "/api/payments/find/path-1",
    ):
        assert _ok(await client.get(path, headers=headers))["imp_uid"] == rsp["imp_uid"]
    for status in ("ready", "failed", "cancelled"):
        answer = await client.get("/api/payments/find/path-1/" + status, headers=headers)
        assert answer.status_code == 404
    # PortOne's document types the status as any text: one no payment has finds nothing.
    answer = await client.get("/api/payments/find/path-1/bogus", headers=headers)
    assert answer.status_code == 404 and answer.json()["code"] == 1


async def test_the_token_may_come_in_x_imptokenheader(sandbox):
    client, headers = sandbox
    rsp = await _pay(client, "hdr-1")
    path = "/api/payments/" + rsp["imp_uid"]
    token = headers["Authorization"]
    assert (
        _ok(await client.get(path, headers={"X-ImpTokenHeader": token}))["imp_uid"]
        == rsp["imp_uid"]
    )
    assert (await client.get(path, headers={"X-ImpTokenHeader": "nope"})).status_code == 401


async def test_the_api_port_serves_the_rest_api_at_its_root(sandbox):
    client, headers = sandbox
    rsp = await _pay(client, "root-1")
    answer = await client.post(
        API_BASE + "/users/getToken",
        data={
            "imp_key": "1000000000000001",
            "imp_secret": "demo-secret-for-the-local-sandbox-only",
        },
    )
    root_headers = {"Authorization": _ok(answer)["access_token"]}
    payment = _ok(await client.get(API_BASE + "/payments/" + rsp["imp_uid"], headers=root_headers))
    assert payment["merchant_uid"] == "root-1"
    # The same store behind both ports: a cancel at the root shows under /api.
    _ok(
        await client.post(
            API_BASE + "/payments/cancel", json={"imp_uid": rsp["imp_uid"]}, headers=root_headers
        )
    )
    assert (
        _ok(await client.get("/api/payments/" + rsp["imp_uid"], headers=headers))["status"]
        == "cancelled"
    )
    # The receipt a REST answer links to is reachable from where it was answered.
    assert (await client.get(payment["receipt_url"])).status_code == 200


async def test_the_api_port_serves_nothing_else(sandbox):
    client, _ = sandbox
    for path in ("/console", "/users/pg/imp10000001", "/api/users/getToken", "/web/imp.js"):
        answer = await client.get(API_BASE + path)
        assert answer.status_code in (404, 405), (path, answer.status_code)
        assert answer.json()["code"] != 0
    assert (await client.get("/users/pg/imp10000001")).status_code == 200


async def test_bad_input_at_the_root_is_a_json_4xx(sandbox):
    client, headers = sandbox
    for path in (
        "/payments/cancel",
        "/subscribe/payments/again",
        "/payments/prepare",
        "/users/getToken",
    ):
        for body in (b"{not json", b"[1]", b'{"imp_uid": 5, "amount": {}}', b"\xff"):
            answer = await client.post(
                API_BASE + path,
                content=body,
                headers=dict(headers, **{"Content-Type": "application/json"}),
            )
            assert 400 <= answer.status_code < 500, (path, body, answer.text)
            assert answer.json()["code"] != 0
