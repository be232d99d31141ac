"""OTP identity checks from the merchant's server (``/certifications/otp``, issue 24): the
person's details checked, a code the test kit reads, a certification record confirmed by
it (read by ``GET /certifications/{imp_uid}``); wrong, expired or repeated codes refused,
another merchant's check not found."""

import pytest

from iamport_sandbox.demo import DEMO
from iamport_sandbox.rest import otp
from tests.sandbox.rest_kit import bad, missing, ok, refused

pytestmark = pytest.mark.anyio
PERSON = {
    "name": "홍길동",
    "phone": "010-1234-5678",
    "birth": "90.01.31",
    "gender_digit": "1",
    "carrier": "SKT",
}


def _danal(api, merchant=None):
    found = merchant or api.store.merchant_by_code(DEMO["user_code"])
    api.store.add_setting(
        found["id"],
        {"pg_provider": "danal", "pg_id": "DANAL-1", "type": "certification", "sandbox": True},
    )


async def _request(api, **person):
    return await api.call("POST", "/certifications/otp/request", json=dict(PERSON, **person))


async def _code(api, imp_uid, headers=None):
    return ok(
        await api.client.get(
            "/sandbox/testkit/certifications/{}/otp".format(imp_uid),
            headers=api.headers if headers is None else headers,
        )
    )["otp"]


async def _confirm(api, imp_uid, code, headers=None, form=False):
    kwargs = {"data": {"otp": code}} if form else {"json": {"otp": code}}
    return await api.call(
        "POST", "/certifications/otp/confirm/" + imp_uid, headers=headers, **kwargs
    )


def refused_400(answer):
    body = answer.json()
    assert answer.status_code == 400 and body["code"] != 0 and body["message"], body
    return body["message"]


async def test_a_code_confirms_a_certification(api):
    _danal(api)
    imp_uid = ok(await _request(api, merchant_uid="otp-1"))["imp_uid"]
    pending = await api.ok("GET", "/certifications/" + imp_uid)
    assert pending["certified"] is False and pending["merchant_uid"] == "otp-1"
    code = await _code(api, imp_uid)
    assert len(code) == 6 and code.isdigit()
    done = ok(await _confirm(api, imp_uid, code, form=True))
    assert done["imp_uid"] == imp_uid and done["certified"] is True
    assert done["pg_provider"] == "danal" and done["pg_tid"]
    assert done["name"] == "홍길동" and done["phone"] == "01012345678"
    assert done["birthday"] == "1990-01-31" and done["gender"] == "male"
    assert done["carrier"] == "SKT" and done["foreigner"] is False
    assert done["unique_key"] and done["unique_in_site"] and done["certified_at"] > 0
    assert await api.ok("GET", "/certifications/" + imp_uid) == done
    refused_400(await _confirm(api, imp_uid, code))  # already certified


async def test_the_persons_details_make_the_record(api):
    _danal(api)
    imp_uid = ok(
        await _request(api, birth="050302", gender_digit="8", carrier="KT", is_mvno="true")
    )["imp_uid"]
    done = ok(await _confirm(api, imp_uid, await _code(api, imp_uid)))
    assert done["birthday"] == "2005-03-02" and done["gender"] == "female"
    assert done["foreigner"] is True and done["carrier"] == "KT_MVNO"


async def test_wrong_codes_are_refused_and_five_fail_the_check(api):
    _danal(api)
    imp_uid = ok(await _request(api))["imp_uid"]
    code = await _code(api, imp_uid)
    wrong = "000000" if code != "000000" else "111111"
    refused_400(await api.call("POST", "/certifications/otp/confirm/" + imp_uid, json={}))
    for _ in range(otp.MAX_TRIES - 1):
        refused_400(await _confirm(api, imp_uid, wrong))
    assert (await api.ok("GET", "/certifications/" + imp_uid))["certified"] is False
    refused_400(await _confirm(api, imp_uid, wrong))  # the fifth: the check fails
    refused_400(await _confirm(api, imp_uid, code))  # even the right code, now
    record = api.store.certification(1, imp_uid)
    assert record["status"] == "failed"


async def test_an_expired_code_is_refused(api):
    _danal(api)
    imp_uid = ok(await _request(api))["imp_uid"]
    code = await _code(api, imp_uid)
    api.store._run("UPDATE otp_requests SET expires_at = 0 WHERE imp_uid = ?", (imp_uid,))
    assert "expired" in refused_400(await _confirm(api, imp_uid, code))


async def test_bad_details_are_a_400(api):
    _danal(api)
    for change in (
        {"phone": "02-123-4567"},
        {"birth": "901332"},
        {"birth": "9001"},
        {"gender_digit": "9"},
        {"carrier": "SKY"},
        {"name": None},
        {"is_mvno": "maybe"},
        {"verification_method": "FAX"},
    ):
        bad(await _request(api, **change))


async def test_without_a_danal_or_kcp_setting_it_is_refused(api):
    refused(await _request(api))  # the demo merchant's settings are payment ones
    _danal(api)
    refused(await _request(api, channelKey="channel-key-nobody"))
    assert ok(await _request(api, pg="danal"))["imp_uid"]
    # An identity-check setting of a PG without OTP checks (the other merchant's).
    other = api.store.merchant_by_code("imp20000002")
    api.store.add_setting(
        other["id"],
        {"pg_provider": "html5_inicis", "pg_id": "I-1", "type": "certification", "sandbox": True},
    )
    refused(await api.call("POST", "/certifications/otp/request", headers=api.other, json=PERSON))


async def test_another_merchants_check_is_not_found(api):
    _danal(api)
    imp_uid = ok(await _request(api))["imp_uid"]
    code = await _code(api, imp_uid)
    missing(await _confirm(api, imp_uid, code, headers=api.other))
    missing(
        await api.client.get(
            "/sandbox/testkit/certifications/{}/otp".format(imp_uid), headers=api.other
        )
    )
    missing(await _confirm(api, "imp_000000000000", code))
    assert (await _confirm(api, imp_uid, code, headers={})).status_code == 401
    assert ok(await _confirm(api, imp_uid, code))["certified"] is True


async def test_kcp_v2_app_checks_confirm_without_a_code(api):
    demo = api.store.merchant_by_code(DEMO["user_code"])
    api.store.add_setting(
        demo["id"],
        {"pg_provider": "kcp_v2", "pg_id": "KCP-1", "type": "certification", "sandbox": True},
    )
    imp_uid = ok(await _request(api, verification_method="APP"))["imp_uid"]
    assert await _code(api, imp_uid) == ""  # nothing was sent
    done = await api.ok("POST", "/certifications/otp/confirm/" + imp_uid)
    assert done["certified"] is True and done["pg_provider"] == "kcp_v2"
    _danal(api)
    bad(await _request(api, verification_method="APP", pg="danal"))  # KCP v2's only
    sms = ok(await _request(api, pg="danal"))["imp_uid"]
    refused_400(await api.call("POST", "/certifications/otp/confirm/" + sms))  # a code is due
