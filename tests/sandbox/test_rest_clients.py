"""The published REST clients, unchanged, against a real sandbox on 127.0.0.1 (issue 10 §2):
``iamport-rest-client`` 0.9.0 from PyPI under ``/api`` on the main port, and
``iamport-rest-client-nodejs`` 0.9.12 from npm (tests/clients, installed by ``make setup``)
at the root of the API port. Every client method whose endpoint the sandbox serves is
called, refusals included; the others are listed in /work/notes/rest.md as not served."""

import json
import os
import socket
import subprocess
import threading

import httpx
import pytest
from iamport import Iamport

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from iamport_sandbox.payments import ALREADY_CANCELLED, ALREADY_PAID, NOTHING_TO_CANCEL
from tests.live import LiveServer
from tests.sandbox.conftest import complete, open_payment

CLIENTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "clients")
PERSON = {"name": "홍길동", "phone": "01012345678", "birthday": "1990-01-31"}


class TwoPortServer(LiveServer):
    """A live sandbox whose app also answers on a second socket: the REST API at the root
    of its own port, as ``python -m iamport_sandbox --api-port`` serves it."""

    def __init__(self, app):
        super().__init__(app)
        self._api_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._api_socket.bind(("127.0.0.1", 0))
        app.state.config.api_port = self._api_socket.getsockname()[1]
        self.api_url = "http://127.0.0.1:{}".format(app.state.config.api_port)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket, self._api_socket]},
            daemon=True)

    def stop(self):
        super().stop()
        self._api_socket.close()


@pytest.fixture
def live(tmp_path):
    """``(server, http)``: the demo merchant, a Danal certification setting beside the seed's."""
    config = Config(db_path=str(tmp_path / "clients.sqlite3"), demo_backend=DEMO,
                    webhook_backoff=0.05, webhook_timeout=2.0)
    app = create_app(config)
    merchant = ensure_demo_merchant(app.state.store)
    app.state.store.add_setting(merchant["id"], {"pg_provider": "danal", "pg_id": "D1",
                                                 "type": "certification", "sandbox": True})
    server = TwoPortServer(app).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            yield server, http
    finally:
        server.stop()
        app.state.store.close()


def _paid(http, merchant_uid, amount=1000, **request):
    request_id = "req_" + merchant_uid
    opened = open_payment(http, dict(request, merchant_uid=merchant_uid, amount=amount,
                                     request_id=request_id)).json()["response"]
    answer = complete(http, opened, request_id=request_id)
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


def _certified(http):
    opened = open_payment(http, {"merchant_uid": "cert-1", "request_id": "req_cert"},
                          pg_provider="danal", pg_id="D1", action="certification")
    answer = complete(http, opened.json()["response"], "certify", request_id="req_cert",
                      person=PERSON)
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]["imp_uid"]


def _client(url):
    return Iamport(imp_key=DEMO["imp_key"], imp_secret=DEMO["imp_secret"], imp_url=url)


def _response_error(call, *args, **kwargs):
    with pytest.raises(Iamport.ResponseError) as refused:
        call(*args, **kwargs)
    return refused.value


def _http_error(call, *args, **kwargs):
    with pytest.raises(Iamport.HttpError) as failed:
        call(*args, **kwargs)
    return failed.value


def test_python_client_finds_and_checks_payments(live):
    server, http = live
    rsp = _paid(http, "py-find-1", amount=5000)
    iamport = _client(server.url + "/api/")
    assert iamport.find_by_imp_uid(rsp["imp_uid"])["merchant_uid"] == "py-find-1"
    assert iamport.find_by_merchant_uid("py-find-1")["imp_uid"] == rsp["imp_uid"]
    assert iamport.find(imp_uid=rsp["imp_uid"])["amount"] == 5000
    assert iamport.find(merchant_uid="py-find-1")["status"] == "paid"
    assert iamport.is_paid(5000, imp_uid=rsp["imp_uid"]) is True
    assert iamport.is_paid(4999, merchant_uid="py-find-1") is False
    assert iamport.is_paid(5000, response=iamport.find(imp_uid=rsp["imp_uid"])) is True
    # A lookup of nothing stays a 404, as the client's own tests expect.
    assert _http_error(iamport.find_by_imp_uid, "imp_000000000000").code == 404
    assert _http_error(iamport.find, merchant_uid="no-such-order").code == 404


def test_python_client_prepares_amounts(live):
    server, _ = live
    iamport = _client(server.url + "/api/")
    assert iamport.prepare("py-prep-1", 12000) == {"merchant_uid": "py-prep-1", "amount": 12000}
    assert iamport.prepare_validate("py-prep-1", 12000) is True
    assert iamport.prepare_validate("py-prep-1", 11000) is False
    assert _response_error(iamport.prepare, "py-prep-1", 12000).code == 1
    assert _http_error(iamport.prepare_validate, "py-prep-none", 1).code == 404


def test_python_client_cancels_and_is_refused_as_iamport_refuses(live):
    server, http = live
    rsp = _paid(http, "py-cancel-1", amount=10000)
    iamport = _client(server.url + "/api/")
    part = iamport.cancel_by_imp_uid(rsp["imp_uid"], "one item", amount=3000)
    assert part["cancel_amount"] == 3000 and part["status"] == "paid"
    over = _response_error(iamport.cancel, "too much", imp_uid=rsp["imp_uid"], amount=8000)
    assert over.code == 1 and over.message
    rest = iamport.cancel_by_merchant_uid("py-cancel-1", "the rest")
    assert rest["status"] == "cancelled" and rest["cancel_amount"] == 10000
    again = _response_error(iamport.cancel, "twice", imp_uid=rsp["imp_uid"])
    assert (again.code, again.message) == (1, ALREADY_CANCELLED)
    # The client's own tests: a cancel of nothing is ResponseError code 1 with this message.
    for kwargs in ({"imp_uid": "nothing"}, {"merchant_uid": "any-merchant_uid"},
                   {"imp_uid": "nothing", "amount": 100}):
        refused = _response_error(iamport.cancel, "reason", **kwargs)
        assert (refused.code, refused.message) == (1, NOTHING_TO_CANCEL)


def test_python_client_charges_a_billing_key(live):
    server, http = live
    _paid(http, "py-key-1", amount=0, customer_uid="py-sub-1")
    iamport = _client(server.url + "/api/")
    charged = iamport.pay_again(customer_uid="py-sub-1", merchant_uid="py-again-1",
                                amount=2000, name="Monthly")
    assert charged["status"] == "paid" and charged["amount"] == 2000
    twice = _response_error(iamport.pay_again, customer_uid="py-sub-1",
                            merchant_uid="py-again-1", amount=2000, name="Monthly")
    assert (twice.code, twice.message) == (1, ALREADY_PAID)
    unknown = _response_error(iamport.pay_again, customer_uid="00000000",
                              merchant_uid="1234qwer", amount=5000)
    assert unknown.code == 1 and unknown.message


def test_python_client_finds_a_certification(live):
    server, http = live
    imp_uid = _certified(http)
    iamport = _client(server.url + "/api/")
    found = iamport.find_certification(imp_uid)
    assert found["certified"] is True and found["name"] == PERSON["name"]
    assert _http_error(iamport.find_certification, "imp_12341234").code == 404


def test_python_client_at_the_root_of_the_api_port(live):
    server, http = live
    rsp = _paid(http, "py-root-1")
    iamport = _client(server.api_url + "/")
    assert iamport.find_by_imp_uid(rsp["imp_uid"])["merchant_uid"] == "py-root-1"
    assert iamport.cancel("root", merchant_uid="py-root-1")["status"] == "cancelled"


def test_node_client_at_the_root_of_the_api_port(live):
    server, http = live
    assert os.path.isdir(os.path.join(CLIENTS, "node_modules", "iamport-rest-client-nodejs")), \
        "the Node client is not installed: run `make setup`"
    rsp = _paid(http, "node-1", amount=5000)
    _paid(http, "node-key-1", amount=0, customer_uid="node-sub-1")
    done = subprocess.run(
        ["node", os.path.join(CLIENTS, "node_client.js"), json.dumps({
            "baseUrl": server.api_url, "key": DEMO["imp_key"], "secret": DEMO["imp_secret"],
            "imp_uid": rsp["imp_uid"], "merchant_uid": "node-1", "customer_uid": "node-sub-1",
            "certification": _certified(http)})],
        capture_output=True, text=True, timeout=60, cwd=CLIENTS)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)

    def ok(name):
        assert out[name]["ok"] and out[name]["code"] == 0, (name, out[name])
        return out[name]["response"]

    def refused(name, message=None):
        # A refusal reaches the caller with Iamport's code and message (no HTTP error).
        assert not out[name]["ok"] and out[name]["code"] == 1, (name, out[name])
        assert out[name]["message"] == message if message else out[name]["message"]

    assert ok("getByImpUid")["merchant_uid"] == "node-1"
    assert ok("getByMerchantUid.paid")["imp_uid"] == rsp["imp_uid"]
    assert ok("getByMerchantUid.all")["imp_uid"] == rsp["imp_uid"]
    assert out["getByImpUid.unknown"]["status"] == 404
    assert ok("Prepare.postAmount")["amount"] == 4500
    refused("Prepare.postAmount.again")
    assert ok("Prepare.getAmount")["amount"] == 4500
    assert ok("Subscribe.again")["amount"] == 2000
    refused("Subscribe.again.unknown")
    assert ok("Certifications.getCertification")["name"] == PERSON["name"]
    assert ok("Payments.cancel.partial")["cancel_amount"] == 300
    assert ok("Payments.cancel.rest")["status"] == "cancelled"
    refused("Payments.cancel.again", ALREADY_CANCELLED)
    refused("Payments.cancel.unknown", NOTHING_TO_CANCEL)
