"""No stored credential (PG keys, API secret, password hash) appears in any response."""

from iamport_sandbox.demo import DEMO, SEED_SETTINGS
from tests.sandbox.conftest import Console, complete, open_payment, pay, token


def _secrets(store, demo):
    merchant = store.merchant_by_id(demo["id"])
    found = [
        DEMO["imp_secret"],
        DEMO["password"],
        merchant["password_hash"],
        merchant["imp_secret_hash"],
    ]
    for setting in SEED_SETTINGS:
        found.extend(setting["credentials"].values())
    return [secret for secret in found if secret]


def test_every_public_page_and_endpoint_keeps_credentials_secret(http, store, demo):
    seen = []

    def visit(answer):
        seen.append((answer.request.method, answer.request.url, answer.text, str(answer.headers)))
        return answer

    rsp = pay(http, merchant_uid="leak-1", customer_uid="leak-cust", pg_id="MID-b")
    auth = {"Authorization": token(http)}
    settings = store.settings(demo["id"])
    user = DEMO["user_code"]
    for path in [
        "/",
        "/web/index.html",
        "/web/imp.js",
        "/web/pyscript.toml",
        "/web/mpy.toml",
        "/users/pg/" + user,
        "/users/pg/{}?tier=x".format(user),
        "/payments/ready/{}/html5_inicis/MID-a".format(user),
        "/payments/ready/{}/html5_inicis/MID-b".format(user),
        "/payments/ready/{}/kakaopay/MID-c".format(user),
        "/certificates/ready/{}/danal/-".format(user),
        "/sdk/iamport_py.zip",
        "/sandbox/receipts/" + rsp["imp_uid"],
        "/console/login",
    ]:
        visit(http.get(path))
    for path in ["/api/payments/" + rsp["imp_uid"], "/api/payments/find/leak-1"]:
        visit(http.get(path, headers=auth))
    opened = visit(open_payment(http, {"merchant_uid": "leak-2", "request_id": "req_l2"}))
    visit(complete(http, opened.json()["response"], request_id="req_l2"))
    visit(http.post("/demo/orders", json={"product": "tee"}))
    visit(http.post("/demo/verify", json={"imp_uid": rsp["imp_uid"], "merchant_uid": "leak-1"}))
    session = Console(http)
    visit(session.login())
    for path in ["/console/pg", "/console/pg/new", "/console/payments", "/console/webhooks"] + [
        "/console/pg/{}/edit".format(s["id"]) for s in settings
    ]:
        visit(http.get(path))
    visit(
        session.post(
            "/console/pg",
            pg_provider="kcp",
            pg_id="",
            type="payment",
            sign_key="NEW-SECRET-SIGNKEY-0001",
        )
    )
    secrets = _secrets(store, demo) + ["NEW-SECRET-SIGNKEY-0001"]
    assert len(seen) > 25
    for method, url, text, headers in seen:
        for secret in secrets:
            assert secret not in text and secret not in headers, (method, url, secret[:4])
