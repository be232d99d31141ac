"""The window messages the portable tests play (tests/portable/window_messages.py) are the
real sandbox window's: each sample's request is made to the real window in-process, and
the sample must carry only fields the window's answer carries, with the window's values
(an ``imp_uid`` of its form; an ``error_msg`` any text), in the envelope the window's
scripts post. A field renamed or dropped in the window, or a sample written by hand that
no window would send, fails here instead of passing in the portable tests."""

import json
import re
from urllib.parse import urlsplit

import pytest

from iamport_py.testing import SERVICE, done_message
from iamport_sandbox.demo import DEMO
from iamport_sandbox.windows import facts
from tests.portable import window_messages as samples
from tests.sandbox.conftest import complete, open_payment

IMP_UID = re.compile(r"imp_[0-9]{12}")
KAKAOPAY = {"pg_provider": "kakaopay", "pg_id": "MID-c"}
EXIMBAY = {"pg_provider": "eximbay", "pg_id": "EXI-1"}


def _sample(text):
    return json.loads(text.replace("{rid}", "req_sample_1"))


def _answer(http, setting, request, outcome, **extra):
    """The real window's rsp for ``request`` on ``setting`` ended by ``outcome``."""
    request = dict(request, request_id="req_contract_{}".format(outcome))
    opened = open_payment(http, request, **setting)
    assert opened.status_code == 200, opened.text
    answer = complete(
        http, opened.json()["response"], outcome, request_id=request["request_id"], **extra
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["response"]


def _matches(sample, real):
    """The fields of a sample's ``data`` the real answer does not have, or has otherwise."""
    data = dict(sample["data"])
    assert sample["action"] == "done" and data.pop("request_id") == "req_sample_1"
    wrong = {}
    for field, value in data.items():
        if field not in real:
            wrong[field] = "no such field in the window's answer"
        elif field == "imp_uid":
            if not (IMP_UID.fullmatch(value) and IMP_UID.fullmatch(real[field])):
                wrong[field] = (value, real[field])
        elif field == "error_msg":
            if not (isinstance(value, str) and isinstance(real[field], str)):
                wrong[field] = (value, real[field])
        elif value != real[field] or type(value) is not type(real[field]):
            wrong[field] = (value, real[field])
    return wrong


@pytest.fixture
def eximbay(store, demo):
    store.add_setting(demo["id"], dict(EXIMBAY, type="payment", sandbox=True))


def test_the_approved_and_declined_samples_are_the_windows_answers(http):
    order = {"merchant_uid": "order-1", "amount": 1000, "name": "Test order"}
    # Declined first: an order once paid cannot be declined again.
    declined = _answer(
        http, KAKAOPAY, order, "decline", error_code="LIMIT_EXCEEDED", error_msg="limit"
    )
    assert _matches(_sample(samples.DECLINED), declined) == {}
    approved = _answer(http, KAKAOPAY, order, "approve")
    assert _matches(_sample(samples.APPROVED), approved) == {}


def test_the_popup_samples_are_the_windows_answers(http, eximbay):
    order = {"merchant_uid": "order-2", "amount": 10, "currency": "USD"}
    cancelled = _answer(http, EXIMBAY, order, "cancel")
    assert _matches(_sample(samples.POPUP_CANCELLED), cancelled) == {}
    approved = _answer(http, EXIMBAY, order, "approve")
    assert _matches(_sample(samples.POPUP_APPROVED), approved) == {}


def test_the_test_kits_done_message_is_a_windows_answer(http):
    real = _answer(http, KAKAOPAY, {"merchant_uid": "order-1", "amount": 1000}, "approve")
    assert _matches(_sample(done_message("{rid}")), real) == {}


def test_the_modal_sample_is_the_form_the_real_pg_page_takes(http, eximbay):
    sample = _sample(samples.EXIMBAY_MODAL)
    assert sample["action"] == EXIMBAY["pg_provider"] + ".modal"
    data = sample["data"]
    assert set(data) == {"action", "formData", "impUid"}
    form = data["formData"]
    assert urlsplit(data["action"]).path == facts.PG_PAGE_PATH.format(imp_uid=data["impUid"])
    assert data["action"].startswith(SERVICE + "/") and form["imp_uid"] == data["impUid"]
    names = [field.name for field in facts.PG_FORM]
    assert set(form) <= set(names)
    assert {field.name for field in facts.PG_FORM if field.required} <= set(form)
    assert all(isinstance(value, str) for value in form.values())
    # The real PG page takes the sample's form for a payment the real window opened.
    opened = open_payment(
        http,
        {
            "merchant_uid": form["merchant_uid"],
            "amount": 10,
            "currency": "USD",
            "request_id": "req_contract_modal",
        },
        **EXIMBAY,
    ).json()["response"]
    real_form = dict(
        form,
        imp_uid=opened["imp_uid"],
        request_id="req_contract_modal",
        user_code=DEMO["user_code"],
    )
    page = http.post(facts.PG_PAGE_PATH.format(imp_uid=opened["imp_uid"]), data=real_form)
    assert page.status_code == 200, page.text
    assert 'data-request-id="req_contract_modal"' in page.text


def _script(text):
    return re.sub(r"\s+", "", text)


def test_the_windows_scripts_post_the_samples_envelope(http, eximbay):
    window = _script(http.get("/payments/ready/{}/eximbay/EXI-1".format(DEMO["user_code"])).text)
    # The final answer: {"action": "done", "data": rsp + its request_id} ...
    assert 'JSON.stringify({action:"done",data})' in window
    assert "Object.assign({},rsp,{request_id:requestId()})" in window
    # ... and a popup PG's "<pg>.modal" with the PG page's URL, its form and the imp_uid.
    assert (
        "JSON.stringify({action:`${ds.pgProvider}.modal`,data:{action,formData,"
        "impUid:payment.imp_uid}})" in window
    )
    opened = open_payment(
        http, {"merchant_uid": "order-2", "request_id": "req_envelope"}, **EXIMBAY
    ).json()["response"]
    pg_page = _script(
        http.post(
            facts.PG_PAGE_PATH.format(imp_uid=opened["imp_uid"]),
            data={
                "imp_uid": opened["imp_uid"],
                "request_id": "req_envelope",
                "user_code": DEMO["user_code"],
                "origin": "https://shop.test",
                "action": "payment",
                "pg_provider": "eximbay",
                "pg_id": "EXI-1",
            },
        ).text
    )
    assert 'JSON.stringify({action:"done",data})' in pg_page
    assert "Object.assign({},rsp,{request_id:ds.requestId})" in pg_page
