"""The test kit reads an OTP identity check's code (``otp(imp_uid)``): what the person would
get by SMS, which confirms the check the merchant's server asked for. A real sandbox on
127.0.0.1."""

import re

import pytest

from iamport_sandbox.testkit import start_sandbox


@pytest.fixture
def sandbox():
    running = start_sandbox([{"pg_provider": "danal", "pg_id": "D-1", "type": "certification"}])
    yield running
    running.stop()


def test_the_kit_reads_an_otp_check_s_code_that_confirms_it(sandbox):
    """``otp(imp_uid)``: the code of a check the merchant's server asked for, over the REST
    API, which confirms that check (the test kit's helper, not only its HTTP route)."""
    rest = sandbox.rest()
    person = {"name": "홍길동", "phone": "01012345678", "birth": "900131", "gender_digit": "1"}
    requested = rest.post("/certifications/otp/request", json=dict(person, carrier="SKT")).json()
    imp_uid = requested["response"]["imp_uid"]
    code = sandbox.otp(imp_uid)
    assert re.fullmatch(r"\d{6}", code)
    confirmed = rest.post("/certifications/otp/confirm/" + imp_uid, json={"otp": code}).json()
    assert confirmed["code"] == 0 and confirmed["response"]["certified"] is True
