"""The console's payments, webhooks and keys pages (issue 15), in-process through
``httpx.ASGITransport`` with the app's real lifespan and a real SQLite file."""

import csv
import io
import re

import pytest

from iamport_sandbox.demo import DEMO
from tests.sandbox.inprocess import auth, complete_window, open_window, running

pytestmark = pytest.mark.anyio


async def _login(client):
    page = await client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    answer = await client.post(
        "/console/login", data={"csrf": token, "login": DEMO["login"], "password": DEMO["password"]}
    )
    assert answer.status_code == 303


async def _post(client, path, **form):
    page = await client.get("/console/pg")
    form.setdefault("csrf", re.search(r'name="csrf" value="([^"]+)"', page.text).group(1))
    return await client.post(path, data=form)


async def _pay(client, n, **request):
    request = dict(
        {
            "merchant_uid": "order-{}".format(n),
            "request_id": "req_{}".format(n),
            "buyer_name": "Buyer {}".format(n),
        },
        **request,
    )
    opened = await open_window(client, request)
    answer = await complete_window(
        client, opened, request_id=request["request_id"], vbank_due="20991231"
    )
    assert answer.status_code == 200, answer.text
    return opened["imp_uid"]


@pytest.fixture
async def app_client(tmp_path):
    async with running(tmp_path / "s.sqlite3") as (client, app):
        await _login(client)
        yield client, app


async def test_payments_list_filters_search_and_pages(app_client):
    client, _ = app_client
    for n in range(23):
        await _pay(client, n, buyer_email="b{}@example.com".format(n))
    await open_window(client, {"merchant_uid": "abandoned", "request_id": "req_x"})
    page = await client.get("/console/payments")
    assert page.status_code == 200 and 'data-testid="pager"' in page.text
    assert page.text.count('data-testid="payment-row"') == 20
    second = await client.get("/console/payments?page=2")
    assert second.text.count('data-testid="payment-row"') == 4
    found = await client.get("/console/payments", params={"q": "order-7"})
    assert found.text.count('data-testid="payment-row"') == 1
    found = await client.get("/console/payments", params={"q": "Buyer 1"})
    assert found.text.count('data-testid="payment-row"') == 11  # 1, 10..19
    window = await client.get("/console/payments", params={"status": "window"})
    assert window.text.count('data-testid="payment-row"') == 1
    assert "결제창 열림/이탈 · Window open / abandoned" in window.text
    paid = await client.get(
        "/console/payments", params={"status": "paid", "pg": "html5_inicis", "method": "card"}
    )
    assert "23 payments" in paid.text
    future = await client.get("/console/payments", params={"from": "2099-01-01"})
    assert "0 payments" in future.text


async def test_bad_filters_answer_400_with_the_message(app_client):
    client, _ = app_client
    for params in (
        {"from": "yesterday"},
        {"status": "nope"},
        {"page": "0"},
        {"page": "x" * 40},
        {"to": "2026-02-31"},
    ):
        answer = await client.get("/console/payments", params=params)
        assert answer.status_code == 400 and 'data-testid="error"' in answer.text, params
    assert (await client.get("/console/payments.csv", params={"from": "x"})).status_code == 400


async def test_vbank_awaits_deposit_and_the_console_simulates_it(app_client):
    client, app = app_client
    imp_uid = await _pay(client, 1, pay_method="vbank", vbank_due="20991231")
    listed = await client.get("/console/payments", params={"status": "vbank"})
    assert imp_uid in listed.text and "입금대기 · Awaiting deposit" in listed.text
    detail = await client.get("/console/payments/" + imp_uid)
    assert 'data-testid="deposit"' in detail.text and 'data-testid="vbank-num"' in detail.text
    answer = await _post(client, "/console/payments/{}/deposit".format(imp_uid))
    assert answer.status_code == 303
    payment = app.state.store.payment(1, imp_uid) or app.state.store.payment_anywhere(imp_uid)
    assert payment["status"] == "paid" and payment["paid_at"]
    again = await _post(client, "/console/payments/{}/deposit".format(imp_uid))
    assert again.status_code == 400 and "not a virtual account awaiting" in again.text
    receipt = await client.get("/sandbox/receipts/" + imp_uid)
    assert payment["vbank_num"] in receipt.text and 'data-testid="receipt-vbank"' in receipt.text


async def test_detail_shows_request_history_and_refunds_in_part_then_in_full(app_client):
    client, app = app_client
    imp_uid = await _pay(client, 1, amount=1000, custom_data={"cart": [1, 2]})
    detail = await client.get("/console/payments/" + imp_uid)
    assert detail.status_code == 200
    assert "&#34;cart&#34;" in detail.text and 'data-testid="receipt"' in detail.text
    assert 'data-testid="fields"' in detail.text and "apply_num" in detail.text
    bad = await _post(client, "/console/payments/{}/refund".format(imp_uid), amount="abc")
    assert bad.status_code == 400 and "number" in bad.text
    over = await _post(client, "/console/payments/{}/refund".format(imp_uid), amount="5000")
    assert over.status_code == 400 and 'data-testid="error"' in over.text
    part = await _post(
        client, "/console/payments/{}/refund".format(imp_uid), amount="300", reason="one item back"
    )
    assert part.status_code == 303
    payment = app.state.store.payment_anywhere(imp_uid)
    assert payment["status"] == "paid" and payment["cancel_amount"] == 300
    full = await _post(client, "/console/payments/{}/refund".format(imp_uid), amount="")
    assert full.status_code == 303
    payment = app.state.store.payment_anywhere(imp_uid)
    assert payment["status"] == "cancelled" and payment["cancel_amount"] == 1000
    detail = await client.get("/console/payments/" + imp_uid)
    history = detail.text[detail.text.index('data-testid="history"') :]
    assert history.index("ready") < history.index("paid") < history.index("cancelled")
    assert "one item back" in detail.text and 'data-testid="refund"' not in detail.text
    # the REST API sees the same refunds
    headers = await auth(client)
    rest = (await client.get("/api/payments/" + imp_uid, headers=headers)).json()["response"]
    assert rest["cancel_amount"] == 1000 and rest["status"] == "cancelled"


async def test_unknown_or_foreign_payment_is_404_and_posts_need_csrf(app_client):
    client, app = app_client
    assert (await client.get("/console/payments/imp_nope")).status_code == 404
    other = app.state.store.create_merchant("other", "other-password")
    setting = {"pg_provider": "kcp", "pg_id": "K1", "type": "payment", "sandbox": True}
    app.state.store.add_setting(other["id"], setting)
    foreign = app.state.store.create_payment(
        other["id"],
        {"merchant_uid": "theirs", "status": "paid", "amount": 10, "pg_provider": "kcp"},
    )
    assert (await client.get("/console/payments/" + foreign["imp_uid"])).status_code == 404
    imp_uid = await _pay(client, 1)
    answer = await client.post("/console/payments/{}/refund".format(imp_uid), data={"amount": "1"})
    assert answer.status_code == 403
    assert app.state.store.payment_anywhere(imp_uid)["cancel_amount"] == 0


async def test_csv_export_has_every_filtered_row_and_no_formulas(app_client):
    client, _ = app_client
    await _pay(client, 1, buyer_name='=HYPERLINK("x")')
    await _pay(client, 2)
    answer = await client.get("/console/payments.csv", params={"q": "order-1"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["imp_uid", "merchant_uid", "status"] and len(rows) == 2
    assert rows[1][rows[0].index("buyer_name")].startswith("'=")
    assert rows[1][rows[0].index("console_status")] == "paid"


async def test_webhooks_form_errors_resend_and_test(app_client):
    client, app = app_client
    bad = await _post(client, "/console/webhook", webhook_url="javascript:alert(1)")
    assert bad.status_code == 400 and "text/html" in bad.headers["content-type"]
    assert 'data-testid="error"' in bad.text and 'value="javascript:alert(1)"' in bad.text
    assert (await _post(client, "/console/webhooks/test")).status_code == 400
    store = app.state.store
    merchant = store.merchant_by_code(DEMO["user_code"])
    store.set_webhook_url(merchant["id"], "http://192.0.2.1:9/hook")
    assert (await _post(client, "/console/webhooks/test")).status_code == 303
    imp_uid = await _pay(client, 1)
    rows = store.webhooks_of(merchant["id"], imp_uid)
    assert rows
    answer = await _post(
        client, "/console/webhooks/{}/resend".format(rows[0]["id"]), back="payment"
    )
    assert answer.status_code == 303 and imp_uid in answer.headers["location"]
    assert len(store.webhooks_of(merchant["id"], imp_uid)) == len(rows) + 1
    page = await client.get("/console/webhooks")
    assert "imp_sandbox_test" in page.text and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", page.text)
    assert (await _post(client, "/console/webhooks/999999/resend")).status_code == 404
    assert (await _post(client, "/console/webhooks/abc/resend")).status_code == 404


async def test_keys_page_shows_key_and_tail_and_regenerate_retires_the_old_secret(app_client):
    client, _ = app_client
    page = await client.get("/console/keys")
    assert DEMO["imp_key"] in page.text and DEMO["imp_secret"] not in page.text
    old = await auth(client)
    refused = await _post(client, "/console/keys/regenerate")
    assert refused.status_code == 400
    answer = await _post(client, "/console/keys/regenerate", confirm="yes")
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    secret = re.search(r'data-testid="new-secret">([^<]+)<', answer.text).group(1)
    assert secret != DEMO["imp_secret"] and "••••••••" + secret[-4:] in answer.text
    gone = await client.post(
        "/api/users/getToken", json={"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]}
    )
    assert gone.status_code == 401
    assert (await client.get("/api/payments/imp_x", headers=old)).status_code == 401
    assert await auth(client, secret=secret)
    again = await client.get("/console/keys")
    assert secret not in again.text and "••••••••" + secret[-4:] in again.text


UNKNOWN_IDS = [
    ("/console/payments/imp_nope", "no such payment", "/console/payments"),
    ("/console/pg/999999/edit", "no such PG setting", "/console/pg"),
    ("/console/pg/abc/delete", "no such PG setting", "/console/pg"),
    ("/console/billing-keys/nobody", "no such billing key", "/console/billing-keys"),
    ("/console/schedules/nothing", "no such schedule", "/console/schedules"),
]


@pytest.mark.parametrize("path,what,back", UNKNOWN_IDS)
async def test_an_unknown_id_is_the_consoles_404_page_for_a_browser_json_for_a_client(
    app_client, path, what, back
):
    client, _ = app_client
    page = await client.get(path, headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert 'data-testid="console-missing"' in page.text and what in page.text
    assert 'href="{}"'.format(back) in page.text and 'data-testid="logout"' in page.text
    answer = await client.get(path, headers={"Accept": "application/json"})
    assert answer.status_code == 404 and answer.json()["message"] == what
