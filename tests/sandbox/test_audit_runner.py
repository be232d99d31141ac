"""The audit's runner against odd backends: a hook that answers badly is a scenario that
could not run (never a crash, never a pass); a backend that refuses everything fails the
honest payment; redirects are not followed; the URLs must be on loopback."""

import json
import uuid

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

from iamport_sandbox.audit import report, runner, scenario
from iamport_sandbox.audit.runner import Audit, Credentials, Hooks
from iamport_sandbox.testkit import LiveServer, start_sandbox


class OddBackend:
    """A backend whose order and paid hooks answer what a test says; it records calls."""

    def __init__(self, order=None, paid=None):
        self.calls = []
        self.order = order or (lambda: JSONResponse({"merchant_uid": self.uid(), "amount": 1000}))
        self.paid = paid or (lambda: JSONResponse({"paid": False}))

        async def record(request: Request):
            self.calls.append((request.method, request.url.path))
            if request.url.path == "/orders":
                return self.order()
            if request.url.path == "/paid":
                return self.paid()
            return JSONResponse({})

        self.server = LiveServer(
            Starlette(routes=[Route("/{path:path}", record, methods=["GET", "POST"])])
        ).start()
        self.url = self.server.url

    def uid(self):
        return "odd_" + uuid.uuid4().hex[:12]

    def hooks(self):
        return Hooks(
            self.url + "/orders", self.url + "/paid", self.url + "/complete", self.url + "/hook"
        )


@pytest.fixture(scope="module")
def sandbox():
    running = start_sandbox(test_controls=True, webhook_backoff=0.05)
    yield running
    running.stop()


@pytest.fixture
def audit_of(sandbox):
    made = []

    def make(backend):
        audit = Audit(
            sandbox.url,
            backend.hooks(),
            Credentials(sandbox.user_code, sandbox.imp_key, sandbox.imp_secret),
        )
        made.append((audit, backend))
        return audit

    yield make
    for audit, backend in made:
        audit.close()
        backend.server.stop()


def test_a_backend_that_refuses_everything_fails_the_honest_payment(audit_of, monkeypatch):
    monkeypatch.setattr(runner, "PAID_TIMEOUT", 0.5)  # how long "paid" is waited for
    audit = audit_of(OddBackend())
    honest = audit.run(scenario("honest_payment"))
    forged = audit.run(scenario("forged_webhook"))
    assert (honest.passed, honest.flaw) == (False, "does not mark a verified payment paid")
    assert honest.line().startswith("FAIL  honest_payment [does not mark a verified payment paid]")
    assert forged.passed  # passing this alone proves nothing: hence honest_payment
    assert report.exit_code([honest, forged]) == report.EXIT_FAILED


@pytest.mark.parametrize(
    "answer, why",
    [
        (lambda: PlainTextResponse("ok"), "the order hook did not answer JSON"),
        (lambda: JSONResponse({"id": 1}), 'the order hook must answer {"merchant_uid"'),
        (lambda: JSONResponse({"merchant_uid": "x", "amount": True}), "must answer"),
        (lambda: JSONResponse({"merchant_uid": "x", "amount": -5}), "must answer"),
        (lambda: JSONResponse({}, status_code=500), "the order hook answered HTTP 500"),
    ],
    ids=["text", "no-fields", "amount-true", "amount-negative", "http-500"],
)
def test_a_bad_order_hook_is_a_scenario_that_could_not_run(audit_of, answer, why):
    finding = audit_of(OddBackend(order=answer)).run(scenario("honest_payment"))
    assert not finding.passed and finding.wrong is None and why in finding.error
    assert finding.line().startswith("ERROR honest_payment: could not run:")
    assert report.exit_code([finding]) == report.EXIT_ERROR


def test_a_bad_paid_hook_is_a_scenario_that_could_not_run(audit_of):
    backend = OddBackend(paid=lambda: JSONResponse({"paid": "yes"}))
    finding = audit_of(backend).run(scenario("failed_reported_complete"))
    assert 'the paid hook must answer {"paid": true|false}' in finding.error


def test_an_order_hook_in_iamports_envelope_is_read(audit_of):
    backend = OddBackend()
    backend.order = lambda: JSONResponse(
        {"code": 0, "message": None, "response": {"merchant_uid": backend.uid(), "amount": 500}}
    )
    assert audit_of(backend).run(scenario("failed_reported_complete")).passed


def test_redirects_are_not_followed(audit_of):
    elsewhere = OddBackend()
    backend = OddBackend(order=lambda: RedirectResponse(elsewhere.url + "/orders", 307))
    finding = audit_of(backend).run(scenario("honest_payment"))
    assert "did not answer JSON" in finding.error and elsewhere.calls == []
    elsewhere.server.stop()


def test_a_hook_off_loopback_is_refused_when_the_audit_is_made(sandbox):
    hooks = Hooks(
        "http://127.0.0.1:1/o",
        "http://127.0.0.1:1/p",
        "http://127.0.0.1:1/c",
        "http://10.1.2.3/hook",
    )
    with pytest.raises(ValueError, match=r"10\.1\.2\.3/hook: not a loopback address"):
        Audit(sandbox.url, hooks, Credentials(sandbox.user_code, "k", "s"))


def test_the_json_report_has_every_field(audit_of):
    finding = audit_of(OddBackend()).run(scenario("failed_reported_complete"))
    body = json.loads(report.as_json([finding]))
    assert body["passed"] is True and body["summary"].startswith("1 scenarios: 1 passed")
    assert set(body["findings"][0]) == {
        "name",
        "passed",
        "wrong",
        "error",
        "flaw",
        "proves",
        "should",
        "guide",
        "seconds",
    }


def test_each_payment_opens_a_window_whose_pg_takes_its_method(monkeypatch):
    monkeypatch.setattr(runner, "PAID_TIMEOUT", 0.2)
    settings = [
        {"pg_provider": "kakaopay", "pg_id": "MID-c"},  # the default takes no virtual account
        {"pg_provider": "html5_inicis", "pg_id": "MID-a"},
    ]
    for given, error in (
        (settings, None),
        (settings[:1], "no payment PG setting that takes vbank"),
    ):
        running = start_sandbox(given, test_controls=True, webhook_backoff=0.05)
        backend = OddBackend()
        audit = Audit(
            running.url,
            backend.hooks(),
            Credentials(running.user_code, running.imp_key, running.imp_secret),
        )
        try:
            finding = audit.run(scenario("vbank_not_deposited"))
        finally:
            audit.close()
            backend.server.stop()
            running.stop()
        if error is None:  # it ran: issued on Inicis, then the deposit left it unpaid here
            assert finding.error is None and finding.wrong.startswith("the deposit's webhook")
        else:
            assert error in finding.error


def test_a_backend_that_is_down_is_a_scenario_that_could_not_run(sandbox):
    backend = OddBackend()
    hooks = backend.hooks()
    backend.server.stop()  # nothing listens there any more
    audit = Audit(sandbox.url, hooks, Credentials(sandbox.user_code, sandbox.imp_key, "s"))
    try:
        finding = audit.run(scenario("honest_payment"))
    finally:
        audit.close()
    assert finding.error == "no answer from {} (ConnectError)".format(hooks.order_hook)


def test_a_sandbox_url_that_is_no_sandbox_could_not_run():
    # The backend's own address given as --sandbox: its answers are not Iamport's.
    backend = OddBackend()
    audit = Audit(backend.url, backend.hooks(), Credentials("imp1", "k", "s"))
    try:
        finding = audit.run(scenario("honest_payment"))
    finally:
        audit.close()
        backend.server.stop()
    assert "is --sandbox a sandbox?" in finding.error
