"""Every scenario can fail: a careful backend with one check taken out (a mutant) fails the
scenarios that check guards, each under the scenario's flaw. The naive example backend shows
"nothing else fails" for three flaws; these show that no scenario passes whatever the backend."""

import secrets

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from iamport_sandbox.audit import NAMES, scenario
from iamport_sandbox.audit.runner import Audit, Credentials, Hooks
from iamport_sandbox.testkit import LiveServer, start_sandbox

# A mutant: the check it lacks, and the scenarios that must fail without it.
MUTANTS = {
    "never_paid": ("honest_payment",),
    "no_prepare_no_amount": ("amount_tampered",),
    "no_status_no_amount": ("amount_tampered_prepared",),
    "no_status": ("failed_reported_complete", "vbank_not_deposited", "forged_webhook"),
    "ignores_cancel": ("paid_then_cancelled",),
    "trusts_not_found": ("other_merchants_imp_uid",),
    "no_order": ("imp_uid_reused",),
    "ships_again": ("webhook_twice", "late_webhook"),
    "believes_body": ("webhooks_out_of_order",),
    "no_webhook": ("backend_down_then_retry",),
}
PRICE = 15000


def mutant_app(sandbox, lacks):
    """The careful backend (examples/audit/shop_backend.py's rules), without ``lacks``."""
    client = httpx.Client(base_url=sandbox.url + "/api", timeout=10)
    token = client.post(
        "/users/getToken", json={"imp_key": sandbox.imp_key, "imp_secret": sandbox.imp_secret}
    ).json()["response"]["access_token"]
    client.headers["Authorization"] = token
    orders = {}

    def decide(imp_uid, claimed, status=None):
        found = client.get("/payments/" + imp_uid)
        payment = found.json()["response"] if found.status_code == 200 else None
        if payment is None:
            if lacks == "trusts_not_found" and claimed in orders:
                orders[claimed].update(paid=True, shipments=orders[claimed]["shipments"] + 1)
            return
        owner = claimed if lacks == "no_order" and claimed else payment["merchant_uid"]
        order = orders.get(owner)
        if order is None or (claimed and claimed != payment["merchant_uid"] and owner != claimed):
            return
        status = status if lacks == "believes_body" and status else payment["status"]
        amount_ok = lacks.endswith("no_amount") or payment["amount"] == order["amount"]
        paid = status == "paid" or (lacks.startswith("no_status") and status != "cancelled")
        if paid and amount_ok and lacks != "never_paid":
            if not order["paid"] or lacks == "ships_again":
                order["shipments"] += 1
            order["paid"] = True
        elif status == "cancelled" and lacks != "ignores_cancel":
            order["paid"] = False

    async def new_order(request):
        merchant_uid = "mutant_" + secrets.token_hex(6)
        if lacks != "no_prepare_no_amount":
            client.post("/payments/prepare", json={"merchant_uid": merchant_uid, "amount": PRICE})
        orders[merchant_uid] = {"amount": PRICE, "paid": False, "shipments": 0}
        return JSONResponse({"merchant_uid": merchant_uid, "amount": PRICE})

    async def paid(request):
        order = orders.get(request.query_params["merchant_uid"], {"paid": False, "shipments": 0})
        return JSONResponse(order)

    async def complete(request):
        body = await request.json()
        decide(body["imp_uid"], body["merchant_uid"])
        return JSONResponse({})

    async def webhook(request):
        body = await request.json()
        if lacks != "no_webhook":
            decide(body["imp_uid"], None, body.get("status"))
        return JSONResponse({})

    app = Starlette(
        routes=[
            Route("/orders", new_order, methods=["POST"]),
            Route("/paid", paid),
            Route("/complete", complete, methods=["POST"]),
            Route("/hook", webhook, methods=["POST"]),
        ]
    )
    return app, client


@pytest.fixture(scope="module")
def sandbox():
    running = start_sandbox(test_controls=True, webhook_backoff=0.05)
    yield running
    running.stop()


def test_every_scenario_is_failed_by_some_mutant():
    assert sorted(name for names in MUTANTS.values() for name in names) == sorted(NAMES)


@pytest.mark.parametrize("lacks", sorted(MUTANTS))
def test_a_mutant_fails_the_scenarios_its_missing_check_guards(sandbox, lacks, monkeypatch):
    monkeypatch.setattr("iamport_sandbox.audit.runner.PAID_TIMEOUT", 1.0)
    app, client = mutant_app(sandbox, lacks)
    server = LiveServer(app).start()
    base = server.url
    audit = Audit(
        sandbox.url,
        Hooks(base + "/orders", base + "/paid", base + "/complete", base + "/hook"),
        Credentials(sandbox.user_code, sandbox.imp_key, sandbox.imp_secret),
    )
    try:
        for name in MUTANTS[lacks]:
            finding = audit.run(scenario(name))
            assert finding.error is None, finding.line()
            assert not finding.passed and finding.flaw == scenario(name).flaw, finding.line()
    finally:
        audit.close()
        server.stop()
        client.close()
