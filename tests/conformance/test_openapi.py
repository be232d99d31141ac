"""The REST API against PortOne's own document (issue 24, item 2): schemathesis generates
requests from every served operation of ``v1.openapi.json`` and sends them, with a real
access token of the demo merchant, to an in-process sandbox; no answer may be a 5xx, have
a body the document does not allow for its status, or a status neither the document nor a
named deviation allows. Operations not served yet are listed by name (kit.NOT_SERVED_YET).
"""

import hashlib
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from starlette.testclient import TestClient

from iamport_sandbox import openapi
from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO
from tests.conformance import kit
from tests.sandbox.inprocess import window_open
from tests.sandbox.rest_kit import CARD
from tests.seeded import seed_file

# Examples per operation: bounded so that the whole document runs in well under a minute.
EXAMPLES = int(os.environ.get("CONFORMANCE_EXAMPLES", "12"))
OFFICIAL_SHA256 = "c28e76b4581d554aaafc26dff88d712d3f94c815ea649a5e3a89ff6836bc6cfa"
SERVED = sorted(set(kit.all_operations()) - kit.NOT_SERVED_YET)
# Statuses the sandbox answers beyond the document's own lists, each a documented choice
# (docs/rest-api.md, "Where the sandbox answers otherwise"): 400 for malformed input and
# 413 for a body over the limit (the document lists 400 for some operations only), 404
# for a lookup of nothing (the deviation "not-found-is-404").
SANDBOX_STATUSES = {400: "malformed-input-is-400", 413: "body-too-large-is-413"}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    path = seed_file(tmp_path_factory.mktemp("conformance") / "sandbox.sqlite3")
    app = create_app(Config(db_path=str(path), demo_backend=DEMO))
    with TestClient(app) as client:
        answer = client.post(
            "/api/users/getToken",
            json={"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]},
        )
        assert answer.status_code == 200, answer.text
        headers = {"Authorization": answer.json()["response"]["access_token"]}
        yield app, headers, _records(client, headers)
    app.state.store.close()


def _records(client, headers):
    """Records the GET operations read (path parameters by name): an order prepared and
    paid in escrow with its shipping and a partial refund, a billing key with a schedule."""
    prepared = {"merchant_uid": "order-1", "amount": 1000}
    assert client.post("/api/payments/prepare", headers=headers, json=prepared).status_code == 200
    opened = client.post(
        "/sandbox/windows/open", json=window_open({"escrow": True, "buyer_name": "Kim"})
    ).json()["response"]
    done = client.post(
        "/sandbox/windows/{}/complete".format(opened["imp_uid"]),
        json={"user_code": DEMO["user_code"], "request_id": "req_test_1", "outcome": "approve"},
    )
    assert done.json()["response"]["status"] == "paid", done.text
    imp_uid = opened["imp_uid"]
    logis = {"logis": {"company": "CJGLS", "invoice": "1234", "sent_at": 1700000000}}
    for method, path, body in (
        ("POST", "/escrows/logis/" + imp_uid, logis),
        ("POST", "/payments/cancel", {"imp_uid": imp_uid, "amount": 100}),
        ("POST", "/subscribe/customers/key-1", CARD),
        (
            "POST",
            "/subscribe/payments/schedule",
            {
                "customer_uid": "key-1",
                "schedules": [
                    {"merchant_uid": "sched-1", "schedule_at": 4102444800, "amount": 500}
                ],
            },
        ),
    ):
        answer = client.request(method, "/api" + path, headers=headers, json=body)
        assert answer.json()["code"] == 0, (path, answer.text)
    return {"imp_uid": imp_uid, "merchant_uid": "order-1", "customer_uid": "key-1"}


def test_the_document_is_portones_own_unchanged():
    with open(openapi.OFFICIAL, "rb") as document:
        assert hashlib.sha256(document.read()).hexdigest() == OFFICIAL_SHA256
    official = openapi.official()
    assert official["swagger"] == "2.0" and official["info"]["version"] == "1.0"
    assert len(kit.all_operations()) == 78


@pytest.mark.parametrize(
    "deviation", openapi.DOCUMENT_FIXES + openapi.DEVIATIONS, ids=lambda deviation: deviation.name
)
def test_each_deviation_changes_the_document(deviation):
    """A deviation that no longer changes anything is stale: remove it (and its line in
    docs/rest-api.md)."""
    document = openapi.official()
    before = repr(document)
    deviation.apply(document)
    assert repr(document) != before
    assert deviation.what and deviation.evidence


def test_operations_not_served_yet_are_named(sandbox):
    app, _, _ = sandbox
    served = kit.served(app)
    missing = set(kit.all_operations()) - served
    assert not served & kit.NOT_SERVED_YET, "served now, remove from kit.NOT_SERVED_YET: {}".format(
        sorted(served & kit.NOT_SERVED_YET)
    )
    assert missing == kit.NOT_SERVED_YET, "not served and not named: {}".format(
        sorted(missing - kit.NOT_SERVED_YET)
    )
    print("{} of {} operations served".format(len(served), len(kit.all_operations())))


def _checked(case, response):
    """The document's verdict on one answer: no 5xx, a body the document allows for the
    status, JSON, and a status the document or a named sandbox choice allows."""
    case.validate_response(
        response,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
    documented = case.operation.definition.raw["responses"]
    if str(response.status_code) not in documented:
        assert response.status_code in SANDBOX_STATUSES, (
            "{} answered {}, which neither the document ({}) nor a named choice allows: {}"
        ).format(case.operation.label, response.status_code, sorted(documented), response.text)


@pytest.mark.parametrize("name", SERVED)
def test_every_served_operation_conforms(sandbox, name):
    app, headers, records = sandbox
    method, path = kit.all_operations()[name]
    operation = kit.schema()[path][method.lower()]
    cases = operation.as_strategy()
    known = {name: value for name, value in records.items() if "{" + name + "}" in path}
    if method == "GET" and known:  # reads meet real records too (writes might end them)
        cases = cases | operation.as_strategy(path_parameters=known)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def conforms(case):
        response = case.call(app=app, headers=headers)
        try:
            _checked(case, response)
        except (Failure, FailureGroup) as failure:
            raise AssertionError(
                "{}\n{}\n{}".format(failure, case.as_curl_command(), response.text[:500])
            ) from None

    conforms()
