"""Certifications (identity checks) are records apart from payments: no payment query,
F1002 check, find, REST endpoint, console list or webhook ever meets one."""

import pytest

from tests.sandbox.inprocess import auth, complete_window, open_window, running

pytestmark = pytest.mark.anyio

CERT = {"action": "certification", "pg_provider": "danal", "pg_id": "D1"}
PERSON = {
    "name": "홍길동",
    "phone": "01012345678",
    "birthday": "1990-01-31",
    "gender": "male",
    "carrier": "SKT",
}
IAMPORT_FIELDS = {
    "imp_uid",
    "merchant_uid",
    "pg_tid",
    "pg_provider",
    "name",
    "gender",
    "birth",
    "birthday",
    "foreigner",
    "phone",
    "carrier",
    "certified",
    "certified_at",
    "unique_key",
    "unique_in_site",
    "origin",
    "foreigner_v2",
}


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def sandbox(tmp_path):
    async with running(tmp_path / "s.sqlite3") as (client, app):
        store = app.state.store
        merchant = store.merchant_by_code("imp10000001")
        store.add_setting(
            merchant["id"],
            {"pg_provider": "danal", "pg_id": "D1", "type": "certification", "sandbox": True},
        )
        yield client, app


async def _certify(client, merchant_uid="order-1", request_id="req_cert"):
    opened = await open_window(
        client, {"merchant_uid": merchant_uid, "request_id": request_id}, **CERT
    )
    answer = await complete_window(client, opened, "certify", request_id=request_id, person=PERSON)
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


async def test_certification_never_blocks_a_payment(sandbox):
    client, _ = sandbox
    certified = await _certify(client, "order-x")
    assert certified["success"] is True and certified["certified"] is True
    opened = await open_window(client, {"merchant_uid": "order-x"})
    assert opened["success"] is True and opened["imp_uid"] != certified["imp_uid"]
    paid = (await complete_window(client, opened)).json()["response"]
    assert paid["success"] is True and paid["status"] == "paid"


async def test_find_never_answers_with_a_certification(sandbox):
    client, _ = sandbox
    certified = await _certify(client, "order-y")
    headers = await auth(client)
    assert (await client.get("/api/payments/find/order-y", headers=headers)).status_code == 404
    assert (
        await client.get("/api/payments/" + certified["imp_uid"], headers=headers)
    ).status_code == 404
    opened = await open_window(client, {"merchant_uid": "order-y", "request_id": "req_p"})
    await complete_window(client, opened, request_id="req_p")
    found = (await client.get("/api/payments/find/order-y", headers=headers)).json()
    assert found["response"]["imp_uid"] == opened["imp_uid"]


async def test_approve_never_completes_a_certification(sandbox):
    client, app = sandbox
    opened = await open_window(client, {"request_id": "req_c"}, **CERT)
    answer = await complete_window(client, opened, "approve", request_id="req_c")
    assert answer.status_code == 400 and answer.json()["code"] != 0
    merchant = app.state.store.merchant_by_code("imp10000001")
    assert app.state.store.certification(merchant["id"], opened["imp_uid"])["status"] == "ready"
    assert app.state.store.payments(merchant["id"]) == []


async def test_certify_never_completes_a_payment(sandbox):
    client, app = sandbox
    opened = await open_window(client)
    answer = await complete_window(client, opened, "certify", person=PERSON)
    assert answer.status_code == 400
    merchant = app.state.store.merchant_by_code("imp10000001")
    assert app.state.store.payment(merchant["id"], opened["imp_uid"])["status"] == "ready"


@pytest.mark.parametrize("outcome", ["refund", "", None, 1, "APPROVE"])
async def test_an_unknown_outcome_is_a_4xx_json(sandbox, outcome):
    client, _ = sandbox
    for options in ({}, CERT):
        opened = await open_window(client, {"request_id": "req_o"}, **options)
        answer = await complete_window(client, opened, outcome, request_id="req_o")
        assert answer.status_code == 400 and answer.json()["code"] == -1


@pytest.mark.parametrize("outcome,code", [("decline", "CERT_DECLINED"), ("cancel", "F0005")])
async def test_decline_and_cancel_end_a_certification(sandbox, outcome, code):
    client, _ = sandbox
    opened = await open_window(client, {"request_id": "req_d"}, **CERT)
    rsp = (await complete_window(client, opened, outcome, request_id="req_d")).json()["response"]
    assert rsp["success"] is False and rsp["error_code"] == code and rsp["certified"] is False
    again = await complete_window(client, opened, "certify", request_id="req_d", person=PERSON)
    assert again.json()["response"] == rsp


async def test_certification_endpoint_has_iamports_shape(sandbox):
    client, _ = sandbox
    certified = await _certify(client, "order-z")
    answer = await client.get(
        "/api/certifications/" + certified["imp_uid"], headers=await auth(client)
    )
    body = answer.json()
    assert answer.status_code == 200 and body["code"] == 0 and body["message"] is None
    record = body["response"]
    assert set(record) == IAMPORT_FIELDS
    assert (record["imp_uid"], record["merchant_uid"]) == (certified["imp_uid"], "order-z")
    assert record["certified"] is True and record["certified_at"] > 0
    assert (record["name"], record["phone"], record["gender"], record["carrier"]) == (
        "홍길동",
        "01012345678",
        "male",
        "SKT",
    )
    assert record["birthday"] == "1990-01-31" and record["birth"] == 633711600
    assert record["unique_key"] == certified["unique_key"] and record["unique_in_site"]
    assert record["foreigner"] is False and record["pg_provider"] == "danal"


async def test_certification_endpoint_needs_a_token_and_keeps_merchants_apart(sandbox):
    client, app = sandbox
    certified = await _certify(client)
    path = "/api/certifications/" + certified["imp_uid"]
    assert (await client.get(path)).status_code == 401
    other = app.state.store.create_merchant("other", "other-password")
    other_auth = await auth(client, other["imp_key"], other["imp_secret"])
    assert (await client.get(path, headers=other_auth)).status_code == 404
    unknown = await client.get("/api/certifications/imp_000000000000", headers=await auth(client))
    assert unknown.status_code == 404 and unknown.json()["code"] == 1


async def test_a_payment_is_not_a_certification(sandbox):
    client, _ = sandbox
    opened = await open_window(client)
    await complete_window(client, opened)
    answer = await client.get(
        "/api/certifications/" + opened["imp_uid"], headers=await auth(client)
    )
    assert answer.status_code == 404


async def test_the_same_person_has_the_same_unique_key(sandbox):
    client, _ = sandbox
    first = await _certify(client, "a-1", "req_1")
    second = await _certify(client, "a-2", "req_2")
    assert first["unique_key"] == second["unique_key"]


async def test_certifications_stay_out_of_the_console_and_webhooks(sandbox):
    client, app = sandbox
    store = app.state.store
    merchant = store.merchant_by_code("imp10000001")
    store.set_webhook_url(merchant["id"], "http://127.0.0.1:9/hook")
    certified = await _certify(client, "cert-only-order")
    assert store.payments(merchant["id"]) == [] and store.webhooks(merchant["id"]) == []
    csrf = (await client.get("/console/login")).text.split('name="csrf" value="')[1].split('"')[0]
    await client.post(
        "/console/login", data={"csrf": csrf, "login": "demo", "password": "demo1234"}
    )
    page = (await client.get("/console/payments")).text
    assert "cert-only-order" not in page and certified["imp_uid"] not in page
