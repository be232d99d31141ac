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
import time

import httpx
import pytest
from iamport import Iamport

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config, SandboxClock
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from iamport_sandbox.domain.payments import ALREADY_CANCELLED, ALREADY_PAID, NOTHING_TO_CANCEL
from tests.live import LiveServer, reuse_tls
from tests.sandbox.conftest import complete, open_payment
from tests.seeded import seed_file

CLIENTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "clients")
PERSON = {"name": "홍길동", "phone": "01012345678", "birthday": "1990-01-31"}


class TwoPortServer(LiveServer):
    """A live sandbox whose app also answers on a second socket: the REST API at the root
    of its own port, as ``python -m iamport_sandbox --api-port`` serves it."""

    def __init__(self, app):
        super().__init__(app)
        # IPPROTO_TCP: Nagle off on its connections, as on the main socket (LiveServer).
        self._api_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._api_socket.bind(("127.0.0.1", 0))
        app.state.config.api_port = self._api_socket.getsockname()[1]
        self.api_url = "http://127.0.0.1:{}".format(app.state.config.api_port)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket, self._api_socket]},
            daemon=True,
        )

    def stop(self):
        super().stop()
        self._api_socket.close()


@pytest.fixture
def live(tmp_path):
    """``(server, http)``: the demo merchant, a Danal certification setting beside the seed's."""
    config = Config(
        db_path=seed_file(tmp_path / "clients.sqlite3"),
        demo_backend=DEMO,
        webhook_backoff=0.05,
        webhook_timeout=2.0,
        clock=SandboxClock(),
        schedule_poll=0.05,
    )
    app = reuse_tls(create_app(config))
    merchant = ensure_demo_merchant(app.state.store)
    app.state.store.add_setting(
        merchant["id"],
        {"pg_provider": "danal", "pg_id": "D1", "type": "certification", "sandbox": True},
    )
    server = TwoPortServer(app).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            yield server, http
    finally:
        server.stop()
        app.state.store.close()


def _paid(http, merchant_uid, amount=1000, **request):
    request_id = "req_" + merchant_uid
    opened = open_payment(
        http, dict(request, merchant_uid=merchant_uid, amount=amount, request_id=request_id)
    ).json()["response"]
    answer = complete(http, opened, request_id=request_id)
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


def _certified(http, name="cert-1"):
    opened = open_payment(
        http,
        {"merchant_uid": name, "request_id": "req_" + name},
        pg_provider="danal",
        pg_id="D1",
        action="certification",
    )
    answer = complete(
        http, opened.json()["response"], "certify", request_id="req_" + name, person=PERSON
    )
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
    for kwargs in (
        {"imp_uid": "nothing"},
        {"merchant_uid": "any-merchant_uid"},
        {"imp_uid": "nothing", "amount": 100},
    ):
        refused = _response_error(iamport.cancel, "reason", **kwargs)
        assert (refused.code, refused.message) == (1, NOTHING_TO_CANCEL)


def test_python_client_charges_a_billing_key(live):
    server, http = live
    _paid(http, "py-key-1", amount=0, customer_uid="py-sub-1")
    iamport = _client(server.url + "/api/")
    charged = iamport.pay_again(
        customer_uid="py-sub-1", merchant_uid="py-again-1", amount=2000, name="Monthly"
    )
    assert charged["status"] == "paid" and charged["amount"] == 2000
    twice = _response_error(
        iamport.pay_again,
        customer_uid="py-sub-1",
        merchant_uid="py-again-1",
        amount=2000,
        name="Monthly",
    )
    assert (twice.code, twice.message) == (1, ALREADY_PAID)
    unknown = _response_error(
        iamport.pay_again, customer_uid="00000000", merchant_uid="1234qwer", amount=5000
    )
    assert unknown.code == 1 and unknown.message


def test_python_client_finds_a_certification(live):
    server, http = live
    imp_uid = _certified(http)
    iamport = _client(server.url + "/api/")
    found = iamport.find_certification(imp_uid)
    assert found["certified"] is True and found["name"] == PERSON["name"]
    assert _http_error(iamport.find_certification, "imp_12341234").code == 404


CARD = {
    "card_number": "4111-1111-1111-1111",
    "expiry": "2099-12",
    "birth": "900131",
    "pwd_2digit": "42",
}
DAY = 86400


def _poll(read, done, seconds=10):
    deadline = time.monotonic() + seconds
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.05)
        value = read()
    return value


def test_python_client_billing_keys_charges_and_schedules(live):
    """Issue 11: every 0.9.0 method of these endpoints, against the real sandbox."""
    server, _ = live
    iamport = _client(server.url + "/api/")
    key = iamport.customer_create(customer_uid="py-cust-1", customer_name="홍길동", **CARD)
    assert key["card_number"] == "411111******1111" and key["customer_uid"] == "py-cust-1"
    assert iamport.customer_get("py-cust-1")["card_name"] == key["card_name"]
    once = iamport.pay_onetime(merchant_uid="py-once-1", amount=3000, name="Once", **CARD)
    assert once["status"] == "paid" and once["card_number"] == "411111******1111"
    foreign = iamport.pay_foreign(
        merchant_uid="py-foreign-1",
        amount=1000,
        card_number=CARD["card_number"],
        expiry=CARD["expiry"],
    )
    assert foreign["status"] == "paid"
    declined = iamport.pay_again(
        customer_uid="py-cust-1",
        merchant_uid="py-again-44",
        amount=1044,
        name="Declined by the sandbox rule",
    )
    assert declined["status"] == "failed" and declined["fail_reason"]
    at = int(time.time()) + DAY
    made = iamport.pay_schedule(
        customer_uid="py-cust-1",
        schedules=[
            {"merchant_uid": "py-s-1", "schedule_at": at, "amount": 5000, "name": "Month 1"},
            {"merchant_uid": "py-s-2", "schedule_at": at + DAY, "amount": 5000},
        ],
    )
    assert [s["schedule_status"] for s in made] == ["scheduled", "scheduled"]
    assert iamport.pay_schedule_get("py-s-1")["amount"] == 5000
    between = iamport.pay_schedule_get_between(schedule_from=at - 10, schedule_to=at + 10)
    assert [s["merchant_uid"] for s in between["list"]] == ["py-s-1"]
    revoked = iamport.pay_unschedule(customer_uid="py-cust-1", merchant_uid=["py-s-2"])
    assert revoked[0]["schedule_status"] == "revoked"
    assert (
        _response_error(
            iamport.pay_unschedule, customer_uid="py-cust-1", merchant_uid=["py-s-2"]
        ).code
        == 1
    )
    assert _response_error(iamport.customer_delete, "py-cust-1").code == 1  # py-s-1 waits
    server.app.state.config.clock.advance(2 * DAY)
    executed = _poll(
        lambda: iamport.pay_schedule_get("py-s-1"), lambda s: s["schedule_status"] == "executed"
    )
    assert executed["payment_status"] == "paid"
    assert iamport.find_by_imp_uid(executed["imp_uid"])["merchant_uid"] == "py-s-1"
    assert iamport.customer_delete("py-cust-1")["customer_uid"] == "py-cust-1"
    assert _http_error(iamport.customer_get, "py-cust-1").code == 404
    assert (
        _response_error(
            iamport.pay_schedule,
            customer_uid="py-cust-1",
            schedules=[{"merchant_uid": "py-s-3", "schedule_at": at, "amount": 100}],
        ).code
        == 1
    )


def test_python_client_revokes_vbanks_and_erases_certifications(live):
    server, http = live
    iamport = _client(server.url + "/api/")
    vbank = _paid(http, "py-vbank-1", amount=3000, pay_method="vbank")
    assert iamport.revoke_vbank_by_imp_uid(vbank["imp_uid"])["status"] == "cancelled"
    assert _response_error(iamport.revoke_vbank_by_imp_uid, vbank["imp_uid"]).code == 1
    imp_uid = _certified(http, "py-cert-erase")
    assert iamport.cancel_certification(imp_uid)["name"] == PERSON["name"]
    assert _http_error(iamport.find_certification, imp_uid).code == 404


def test_python_client_at_the_root_of_the_api_port(live):
    server, http = live
    rsp = _paid(http, "py-root-1")
    iamport = _client(server.api_url + "/")
    assert iamport.find_by_imp_uid(rsp["imp_uid"])["merchant_uid"] == "py-root-1"
    assert iamport.cancel("root", merchant_uid="py-root-1")["status"] == "cancelled"


def test_node_client_at_the_root_of_the_api_port(live):
    server, http = live
    assert os.path.isdir(os.path.join(CLIENTS, "node_modules", "iamport-rest-client-nodejs")), (
        "the Node client is not installed: run `make setup`"
    )
    rsp = _paid(http, "node-1", amount=5000)
    _paid(http, "node-key-1", amount=0, customer_uid="node-sub-1")
    issue11 = {
        "card": CARD,
        "schedule_at": int(time.time()) + DAY,
        "vbank_due": int(time.time()) + 3 * DAY,
        "trans_imp_uid": _paid(http, "node-trans-1", pay_method="trans")["imp_uid"],
        "escrow_imp_uid": _paid(http, "node-escrow-1", escrow=True)["imp_uid"],
        "certification": _certified(http, "node-cert-erase"),
    }
    done = subprocess.run(
        [
            "node",
            os.path.join(CLIENTS, "node_client.js"),
            json.dumps(
                {
                    "baseUrl": server.api_url,
                    "key": DEMO["imp_key"],
                    "secret": DEMO["imp_secret"],
                    "imp_uid": rsp["imp_uid"],
                    "merchant_uid": "node-1",
                    "customer_uid": "node-sub-1",
                    "certification": _certified(http),
                    "issue11": issue11,
                }
            ),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=CLIENTS,
    )
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
    # Issue 11: billing keys, schedules, listings, virtual accounts, receipts, escrow, codes.
    key = ok("Customers.postBillingKey")
    assert key["card_number"] == "411111******1111" and key["customer_name"] == "홍길동"
    assert ok("Customers.getBillingKey")["customer_uid"] == "node-cust-2"
    assert [k["customer_uid"] for k in ok("Customers.getBillingKeys")] == ["node-cust-2"]
    once = ok("Subscribe.onetime")
    assert once["status"] == "paid" and once["customer_uid"] == "node-cust-3"
    assert [s["merchant_uid"] for s in ok("Subscribe.schedule")] == ["node-s-1", "node-s-2"]
    assert ok("Subscribe.getScheduled")["schedule_status"] == "scheduled"
    assert ok("Subscribe.getScheduleds")["total"] == 2
    assert [s["merchant_uid"] for s in ok("Customers.getScheduleds")["list"]] == [
        "node-s-1",
        "node-s-2",
    ]
    assert ok("Subscribe.unschedule")[0]["schedule_status"] == "revoked"
    refused("Subscribe.unschedule.nothing")
    refused("Customers.deleteBillingKey.scheduled")
    assert ok("Customers.getPayments")["list"][0]["merchant_uid"] == "node-once-1"
    assert ok("Customers.deleteBillingKey")["customer_uid"] == "node-cust-3"
    assert out["Customers.getBillingKey.deleted"]["status"] == 404
    assert out["Payments.getByImpUids"]["status"] == 207
    assert [p["imp_uid"] for p in ok("Payments.getByImpUids")] == [rsp["imp_uid"]]
    assert out["Payments.getByImpUids"]["failed"] == ["imp_000000000000"]
    assert ok("Payments.getByMerchantUids")["list"][0]["imp_uid"] == rsp["imp_uid"]
    by_status = ok("Payments.getByStatus")
    assert by_status["total"] >= 3 and {p["status"] for p in by_status["list"]} == {"paid"}
    balance = ok("Payments.getAmountByImpUid")  # paid 5000, refunded 300 then the rest
    assert balance["amount"] == 0 and len(balance["histories"]) == 3
    vbank = ok("Vbanks.post")
    assert vbank["status"] == "ready" and vbank["vbank_code"] == "004"
    assert ok("Vbanks.put")["amount"] == 25000
    assert ok("Vbanks.delete")["status"] == "cancelled"
    assert ok("Vbanks.getHolder")["bank_holder"]
    assert ok("Receipts.postReceipt")["receipt_tid"]
    assert ok("Receipts.getReceipt")["imp_uid"] == issue11["trans_imp_uid"]
    assert ok("Receipts.deleteReceipt")["cancelled_at"]
    assert ok("Escrows.postEscrow")["invoice"] == "123456789012"
    assert ok("Escrows.putEscrow")["invoice"] == "999"
    assert {"code": "088", "name": "신한은행"} in ok("Banks.getBanks")
    assert ok("Banks.getBank")["name"] == "신한은행"
    assert {"code": "366", "name": "신한카드"} in ok("Cards.getCards")
    assert ok("Cards.getCard")["name"] == "신한카드"
    assert ok("Certifications.deleteCertification")["name"] == PERSON["name"]
