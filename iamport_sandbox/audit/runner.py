"""The audit's runner: plays the scenarios (:mod:`iamport_sandbox.audit.scenarios`) with real
payments on a running sandbox against a merchant's backend, over HTTP only, and on
loopback only (:func:`iamport_sandbox.audit.policy.loopback_problem`).

The backend gives four URLs (:class:`Hooks`):

- the order hook, ``POST`` → JSON ``{"merchant_uid", "amount"}`` (the order it made, and
  the amount it expects; an Iamport envelope ``{"response": {...}}`` is read too);
- the paid hook, ``GET ?merchant_uid=…`` → JSON ``{"paid": true|false}`` (whether it would
  ship that order), with an optional ``"shipments"`` (how many times it did: the
  idempotency scenarios check it when given);
- the payment-complete URL, ``POST`` JSON ``{"imp_uid", "merchant_uid"}``, as its page
  calls it after ``request_pay``;
- its webhook URL (every payment the audit makes has it as its ``notice_url``).

Payments are made as a page's window makes them, without a browser
(``POST /sandbox/windows/open`` then ``/sandbox/windows/{imp_uid}/complete``), with the
merchant's REST credentials for the rest (prepare, cancel, deposit, the deliveries, and the
test controls: the sandbox must run with ``--test-controls`` for the webhook chaos).
"""

import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple
from urllib.parse import quote

import httpx

from iamport_py.catalog import get_pg
from iamport_sandbox.audit import policy
from iamport_sandbox.audit.scenarios import Scenario, describe, scenario

# How long the audit waits for webhooks to be delivered, and for a backend to show a change.
SETTLE_TIMEOUT = 20.0
PAID_TIMEOUT = 5.0
POLL = 0.05
ENDED = ("delivered", "failed")


class Hooks(NamedTuple):
    """The merchant backend's four URLs."""

    order_hook: str
    paid_hook: str
    complete_url: str
    webhook_url: str


class Credentials(NamedTuple):
    """The sandbox merchant the backend is (its user code and REST key pair)."""

    user_code: str
    imp_key: str
    imp_secret: str


class Finding(NamedTuple):
    """One scenario's result: ``passed``, else ``wrong`` (what the backend wrongly
    accepted) — or ``error`` when the scenario could not run — with the scenario's
    ``flaw``, what the backend ``should`` do and its ``guide``."""

    name: str
    passed: bool
    wrong: str | None
    error: str | None
    flaw: str
    proves: str
    should: str
    guide: str
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self._asdict())

    def line(self) -> str:
        """``PASS  name: what it proves``, ``FAIL  name [flaw]: wrong — do: … — guide: …``,
        or ``ERROR name: could not run: why``."""
        if self.error is not None:
            return "ERROR {}: could not run: {}".format(self.name, self.error)
        if self.passed:
            return "PASS  {}: {}".format(self.name, self.proves)
        return "FAIL  {} [{}]: {} — do: {} — guide: {}".format(
            self.name, self.flaw, self.wrong, self.should, self.guide
        )


class AuditError(Exception):
    """The audit could not run a step (a hook or the sandbox answered badly)."""


def _body(answer: httpx.Response, what: str) -> Any:
    if answer.status_code >= 400:
        raise AuditError("{} answered HTTP {}".format(what, answer.status_code))
    try:
        return answer.json()
    except ValueError:
        raise AuditError("{} did not answer JSON".format(what)) from None


class Sandbox:
    """The sandbox as the audit uses it: the window API and the merchant's REST calls."""

    def __init__(self, url: str, credentials: Credentials, client: httpx.Client) -> None:
        self.url = url.rstrip("/")
        self.credentials = credentials
        self.http = client
        self._token: str | None = None
        self._other: str | None = None
        self._settings: dict[str, list[Mapping[str, Any]]] = {}

    def token(self) -> str:
        """The merchant's REST access token (asked for once)."""
        if self._token is None:
            answer = self.http.post(
                self.url + "/api/users/getToken",
                json={
                    "imp_key": self.credentials.imp_key,
                    "imp_secret": self.credentials.imp_secret,
                },
            )
            self._token = str(self._response(answer, "POST /users/getToken")["access_token"])
        return self._token

    def _api(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.http.request(
            method, self.url + path, headers={"Authorization": self.token()}, **kwargs
        )
        return self._response(answer, "{} {}".format(method, path))

    @staticmethod
    def _response(answer: httpx.Response, what: str) -> Any:
        try:
            body = answer.json()
        except ValueError:
            raise AuditError("the sandbox's {} did not answer JSON".format(what)) from None
        if not isinstance(body, dict):
            raise AuditError(
                "{} answered no Iamport envelope: is --sandbox a sandbox?".format(what)
            )
        if answer.status_code >= 400 or body.get("code") != 0:
            if answer.status_code == 404 and "testkit/webhook-chaos" in what:
                raise AuditError(
                    "the sandbox serves no webhook chaos: start it with --test-controls"
                )
            raise AuditError(
                "the sandbox's {} answered {}: {}".format(
                    what, answer.status_code, body.get("message")
                )
            )
        return body["response"]

    def setting(self, user_code: str, pay_method: str) -> Mapping[str, Any]:
        """The window the audit opens: the merchant's first payment setting (default
        first) whose PG takes ``pay_method``."""
        if user_code not in self._settings:
            answer = self.http.get("{}/users/pg/{}".format(self.url, user_code))
            body = _body(answer, "the sandbox's settings endpoint")
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise AuditError(
                    "the settings endpoint answered no settings: is --sandbox a sandbox?"
                )
            self._settings[user_code] = [
                setting for setting in data if setting.get("type") == "payment"
            ]
        for setting in self._settings[user_code]:
            pg = get_pg(setting.get("pg_provider"))
            if pg is not None and pay_method in pg["pay_methods"]:
                return setting
        raise AuditError(
            "merchant {} has no payment PG setting that takes {}".format(user_code, pay_method)
        )

    def other_merchant(self) -> str:
        """The user code of a throwaway second merchant (made once, test controls)."""
        if self._other is None:
            self._other = self._api("POST", "/sandbox/testkit/merchants")["user_code"]
        return self._other

    def open(self, user_code: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """A window receives the page's request: a payment is recorded (``ready``)."""
        setting = self.setting(user_code, str(request["pay_method"]))
        answer = self.http.post(
            self.url + "/sandbox/windows/open",
            json={
                "action": "payment",
                "user_code": user_code,
                "pg_provider": setting["pg_provider"],
                "pg_id": setting["pg_id"],
                "request": dict(request),
            },
        )
        rsp: dict[str, Any] = self._response(answer, "POST /sandbox/windows/open")
        if not rsp.get("imp_uid"):
            raise AuditError("the window refused the payment: {}".format(rsp.get("error_msg")))
        return rsp

    def finish(self, user_code: str, imp_uid: str, request_id: str, outcome: str) -> dict[str, Any]:
        """The shopper approves, declines or cancels in the window."""
        body = {"user_code": user_code, "request_id": request_id, "outcome": outcome}
        if outcome == "decline":
            body.update(error_code="CARD_DECLINED", error_msg="audit: declined")
        answer = self.http.post(
            "{}/sandbox/windows/{}/complete".format(self.url, imp_uid),
            json=dict(body, vbank_due="20991231"),
        )
        rsp: dict[str, Any] = self._response(answer, "POST /sandbox/windows/complete")
        return rsp

    def prepared(self, merchant_uid: str) -> bool:
        """Whether the order's amount is pre-registered."""
        answer = self.http.get(
            "{}/api/payments/prepare/{}".format(self.url, quote(merchant_uid, safe="")),
            headers={"Authorization": self.token()},
        )
        return answer.status_code == 200

    def prepare(self, merchant_uid: str, amount: Any) -> None:
        """Pre-register the order's amount, unless the backend did."""
        if not self.prepared(merchant_uid):
            self._api(
                "POST",
                "/api/payments/prepare",
                json={"merchant_uid": merchant_uid, "amount": amount},
            )

    def cancel(self, imp_uid: str) -> None:
        self._api("POST", "/api/payments/cancel", json={"imp_uid": imp_uid, "reason": "audit"})

    def deposit(self, imp_uid: str) -> None:
        self._api("POST", "/sandbox/testkit/payments/{}/deposit".format(imp_uid))

    def status(self, imp_uid: str) -> str:
        payment: Mapping[str, Any] = self._api("GET", "/api/payments/{}".format(imp_uid))
        return str(payment["status"])

    def deliveries(self, imp_uid: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._api(
            "GET", "/sandbox/testkit/payments/{}/webhooks".format(imp_uid)
        )
        return rows

    def chaos(self, imp_uid: str, rule: Mapping[str, Any]) -> None:
        self._api("POST", "/sandbox/testkit/webhook-chaos", json=dict(rule, imp_uid=imp_uid))


class Backend:
    """The merchant's backend through its hooks."""

    def __init__(self, hooks: Hooks, client: httpx.Client) -> None:
        self.hooks = hooks
        self.http = client

    def order(self) -> dict[str, Any]:
        body = _body(self.http.post(self.hooks.order_hook, json={}), "the order hook")
        if isinstance(body, dict) and isinstance(body.get("response"), dict):
            body = body["response"]  # an Iamport-style envelope
        if not (
            isinstance(body, dict)
            and isinstance(body.get("merchant_uid"), str)
            and isinstance(body.get("amount"), (int, float))
            and not isinstance(body.get("amount"), bool)
            and body["amount"] > 0
        ):
            raise AuditError('the order hook must answer {"merchant_uid": "...", "amount": N}')
        return {"merchant_uid": body["merchant_uid"], "amount": body["amount"]}

    def paid(self, merchant_uid: str) -> tuple[bool, int | None]:
        answer = self.http.get(self.hooks.paid_hook, params={"merchant_uid": merchant_uid})
        body = _body(answer, "the paid hook")
        if not isinstance(body, dict) or not isinstance(body.get("paid"), bool):
            raise AuditError('the paid hook must answer {"paid": true|false}')
        shipments = body.get("shipments")
        if isinstance(shipments, bool) or not isinstance(shipments, int):
            shipments = None
        return body["paid"], shipments

    def complete(self, imp_uid: str, merchant_uid: str) -> int:
        answer = self.http.post(
            self.hooks.complete_url, json={"imp_uid": imp_uid, "merchant_uid": merchant_uid}
        )
        return answer.status_code

    def forge(self, body: Mapping[str, Any]) -> int:
        return self.http.post(self.hooks.webhook_url, json=dict(body)).status_code


class Failed(Exception):
    """An expectation did not hold: what the backend wrongly accepted."""


class Play:
    """One scenario being played: its orders and payments by name."""

    def __init__(self, audit: "Audit") -> None:
        self.audit = audit
        self.orders: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}

    def step(self, kind: str, value: Any) -> None:
        getattr(self, "_" + kind)(value)

    def _order(self, name: str) -> None:
        self.orders[name] = self.audit.backend.order()

    def _prepare(self, name: str) -> None:
        order = self.orders[name]
        self.audit.sandbox.prepare(order["merchant_uid"], order["amount"])

    def _pay(self, options: Mapping[str, Any]) -> None:
        order = self.orders[options["order"]]
        sandbox = self.audit.sandbox
        amount = order["amount"]
        if options.get("amount") == "tampered":
            amount = max(amount // 2, 1) if amount > 1 else amount / 2
        other = options.get("merchant") == "other"
        user_code = sandbox.other_merchant() if other else sandbox.credentials.user_code
        method = options.get("method", "card")
        request_id = "req_audit_" + secrets.token_hex(6)
        request: dict[str, Any] = {
            "merchant_uid": order["merchant_uid"],
            "amount": amount,
            "name": "iamport-sandbox audit",
            "pay_method": method,
            "request_id": request_id,
        }
        if not other:
            request["notice_url"] = self.audit.hooks.webhook_url
        if method == "vbank":
            request["vbank_due"] = "20991231"
        opened = sandbox.open(user_code, request)
        imp_uid = opened["imp_uid"]
        if options.get("chaos"):
            sandbox.chaos(imp_uid, options["chaos"])
        outcome = options.get("outcome", "approve")
        if outcome != "open":
            sandbox.finish(user_code, imp_uid, request_id, outcome)
        self.payments[options.get("as", "P")] = {"imp_uid": imp_uid}

    def _complete(self, options: Mapping[str, Any]) -> None:
        order = self.orders[options["order"]]
        payment = self.payments[options["payment"]]
        self.audit.backend.complete(payment["imp_uid"], order["merchant_uid"])

    def _cancel(self, name: str) -> None:
        self.audit.sandbox.cancel(self.payments[name]["imp_uid"])

    def _deposit(self, name: str) -> None:
        self.audit.sandbox.deposit(self.payments[name]["imp_uid"])

    def _forge(self, options: Mapping[str, Any]) -> None:
        self.audit.backend.forge(
            {
                "imp_uid": self.payments[options["payment"]]["imp_uid"],
                "merchant_uid": self.orders[options["order"]]["merchant_uid"],
                "status": options["status"],
            }
        )

    def _settle(self, options: Mapping[str, Any]) -> None:
        sandbox = self.audit.sandbox
        imp_uid = self.payments[options["payment"]]["imp_uid"]
        if sandbox.status(imp_uid) == "failed":
            return  # a failed one-off payment sends no webhook

        def settled() -> bool:
            rows = sandbox.deliveries(imp_uid)
            return len(rows) >= options["rows"] and all(row["state"] in ENDED for row in rows)

        if not _until(settled, SETTLE_TIMEOUT):
            raise AuditError("the sandbox's webhooks of {} did not settle".format(imp_uid))

    def _expect(self, options: Mapping[str, Any]) -> None:
        merchant_uid = self.orders[options["order"]]["merchant_uid"]
        backend = self.audit.backend
        state: list[tuple[bool, int | None]] = []

        def holds() -> bool:
            state[:] = [backend.paid(merchant_uid)]
            return state[0][0] is bool(options["paid"])

        # A change the backend makes on a webhook may land just after its 2xx: "paid" is
        # waited for a little; "not paid" is read once (waiting would hide nothing).
        if not _until(holds, PAID_TIMEOUT if options["paid"] else 0.0):
            raise Failed(options["wrong"])
        shipments = state[0][1]
        if "shipments" in options and shipments is not None and shipments != options["shipments"]:
            raise Failed("{} ({} shipments)".format(options["wrong"], shipments))


def _url_of(problem: httpx.HTTPError) -> str:
    try:
        return str(problem.request.url)
    except RuntimeError:  # an error raised before its request was made
        return "a URL"


def _until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL)


class Audit:
    """Plays scenarios against one backend on one sandbox (both on loopback)."""

    def __init__(
        self,
        sandbox_url: str,
        hooks: Hooks,
        credentials: Credentials,
        timeout: float = 10.0,
    ) -> None:
        for url in (sandbox_url,) + tuple(hooks):
            problem = policy.loopback_problem(url)
            if problem:
                raise ValueError("{}: {}".format(url, problem))
        # No proxy from the environment, no redirect followed: nothing leaves loopback.
        self.client = httpx.Client(timeout=timeout, trust_env=False, follow_redirects=False)
        self.hooks = hooks
        self.sandbox = Sandbox(sandbox_url, credentials, self.client)
        self.backend = Backend(hooks, self.client)

    def run(self, scenario: Scenario) -> Finding:
        """Play one scenario; its :class:`Finding`."""
        started = time.monotonic()
        wrong = error = None
        play = Play(self)
        try:
            for kind, value in scenario.steps:
                _check_step(kind)
                play.step(kind, value)
        except Failed as failed:
            wrong = str(failed)
        except AuditError as problem:
            error = str(problem)
        except httpx.HTTPError as problem:
            error = "no answer from {} ({})".format(_url_of(problem), type(problem).__name__)
        shown = describe(scenario)
        return Finding(
            scenario.name,
            wrong is None and error is None,
            wrong,
            error,
            shown["flaw"],
            shown["proves"],
            shown["should"],
            shown["guide"],
            round(time.monotonic() - started, 3),
        )

    def run_all(self, scenarios: list[Scenario]) -> list[Finding]:
        """Play each scenario, in order."""
        return [self.run(found) for found in scenarios]

    def check(self, name: str) -> Finding:
        """Play the scenario called ``name``; ``AssertionError`` with its report line
        unless the backend passed it (the pytest form: one test per scenario)."""
        finding = self.run(scenario(name))
        if not finding.passed:
            raise AssertionError(finding.line())
        return finding

    def close(self) -> None:
        self.client.close()


STEPS = ("order", "prepare", "pay", "complete", "cancel", "deposit", "forge", "settle", "expect")


def _check_step(kind: str) -> None:
    if kind not in STEPS:
        raise AuditError("unknown step {!r}".format(kind))
