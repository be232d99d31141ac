"""Tiers, an agency's sub-merchants (``/tiers/{tier_code}``, issue 24): added, read,
renamed, deleted (with their PG settings), a merchant's own only; the settings endpoint's
``?tier=`` (what ``IMP.agency(user_code, tier_code)`` reads) resolves a registered tier;
and ``GET /users/pg``, the merchant's settings as its server sees them."""

import pytest

from iamport_py.imp import Iamport
from iamport_py.testing import SERVICE, FakeBridge, Recorder
from iamport_sandbox.demo import DEMO
from tests.sandbox.rest_kit import bad, missing

pytestmark = pytest.mark.anyio


def _setting(api, tier_code, pg_id):
    demo = api.store.merchant_by_code(DEMO["user_code"])
    api.store.add_setting(
        demo["id"],
        {"pg_provider": "kcp", "pg_id": pg_id, "type": "payment", "sandbox": True,
         "tier_code": tier_code},
    )  # fmt: skip


async def _sdk_settings(api, tier):
    return await api.client.get("/users/pg/{}?tier={}".format(DEMO["user_code"], tier))


async def test_a_tier_is_added_read_renamed_and_deleted(api):
    added = await api.ok("POST", "/tiers/AB1", json={"tier_name": "Store one"})
    assert added == {"tier_code": "AB1", "tier_name": "Store one"}
    assert await api.ok("GET", "/tiers/AB1") == added
    renamed = await api.ok("PUT", "/tiers/AB1", data={"tier_name": "Store 1"})
    assert renamed == {"tier_code": "AB1", "tier_name": "Store 1"}
    assert await api.ok("DELETE", "/tiers/AB1") == renamed
    missing(await api.call("GET", "/tiers/AB1"))
    missing(await api.call("DELETE", "/tiers/AB1"))
    missing(await api.call("PUT", "/tiers/AB1", json={"tier_name": "x"}))


async def test_a_code_is_registered_once(api):
    await api.ok("POST", "/tiers/T02", json={"tier_name": "a"})
    answer = await api.call("POST", "/tiers/T02", json={"tier_name": "b"})
    assert answer.status_code == 400 and answer.json()["code"] == 1
    assert (await api.ok("GET", "/tiers/T02"))["tier_name"] == "a"


async def test_a_tier_code_is_three_capitals_or_digits_and_a_name_is_required(api):
    for code in ("ab1", "AB", "ABCD", "A-1", "가나다"):
        bad(await api.call("POST", "/tiers/" + code, json={"tier_name": "x"}))
        missing(await api.call("GET", "/tiers/" + code))
    for body in ({}, {"tier_name": ""}, {"tier_name": "  "}, {"tier_name": 5}):
        bad(await api.call("POST", "/tiers/T03", json=body))
    await api.ok("POST", "/tiers/T03", json={"tier_name": "x"})
    bad(await api.call("PUT", "/tiers/T03", json={}))


async def test_tiers_are_the_merchants_own(api):
    await api.ok("POST", "/tiers/OWN", json={"tier_name": "mine"})
    missing(await api.call("GET", "/tiers/OWN", headers=api.other))
    missing(await api.call("PUT", "/tiers/OWN", headers=api.other, json={"tier_name": "x"}))
    missing(await api.call("DELETE", "/tiers/OWN", headers=api.other))
    # The same code is the other merchant's own tier.
    await api.ok("POST", "/tiers/OWN", headers=api.other, json={"tier_name": "theirs"})
    assert (await api.ok("GET", "/tiers/OWN"))["tier_name"] == "mine"
    assert (await api.call("GET", "/tiers/OWN", headers={})).status_code == 401


async def test_the_settings_endpoint_resolves_a_registered_tier(api):
    assert (await _sdk_settings(api, "AG1")).status_code == 404
    await api.ok("POST", "/tiers/AG1", json={"tier_name": "agency store"})
    empty = await _sdk_settings(api, "AG1")  # registered, no PG of its own yet
    assert empty.status_code == 200 and empty.json() == {"code": 0, "msg": None, "data": []}
    _setting(api, "AG1", "AG1-KCP")
    data = (await _sdk_settings(api, "AG1")).json()["data"]
    assert [(s["pg_provider"], s["pg_id"]) for s in data] == [("kcp", "AG1-KCP")]
    # The merchant's own settings are not the tier's, nor the tier's the merchant's.
    own = (await api.client.get("/users/pg/" + DEMO["user_code"])).json()["data"]
    assert "AG1-KCP" not in [s["pg_id"] for s in own]
    # Deleting the tier deletes its settings: IMP.agency finds nothing any more.
    await api.ok("DELETE", "/tiers/AG1")
    assert (await _sdk_settings(api, "AG1")).status_code == 404
    await api.ok("POST", "/tiers/AG1", json={"tier_name": "again"})
    assert (await _sdk_settings(api, "AG1")).json()["data"] == []


async def test_users_pg_lists_the_merchants_own_settings(api):
    _setting(api, "TT1", "TIER-ONLY")
    settings = await api.ok("GET", "/users/pg")
    demo = api.store.merchant_by_code(DEMO["user_code"])
    expected = api.store.settings(demo["id"])
    assert [(s["pg_provider"], s["pg_id"], s["channel_key"]) for s in settings] == [
        (s["pg_provider"], s["pg_id"], s["channel_key"]) for s in expected
    ]
    assert all(s["sandbox"] is True and s["type"] == "payment" for s in settings)
    assert set(settings[0]) == {
        "pg_provider", "pg_id", "sandbox", "type", "channel_name", "channel_key",
    }  # fmt: skip
    theirs = await api.ok("GET", "/users/pg", headers=api.other)
    assert [s["pg_id"] for s in theirs] == ["OTHER-1"]
    assert (await api.call("GET", "/users/pg", headers={})).status_code == 401


async def _agency(api, tier_code):
    """The SDK's ``IMP.agency(user_code, tier_code)`` on a fake browser whose settings
    fetches the sandbox answers, then a KCP payment request. Returns the bridge and the
    request's callback."""
    bridge = FakeBridge()
    imp = Iamport(bridge)
    imp.agency(DEMO["user_code"], tier_code, service=SERVICE)
    callback = Recorder()
    answered = 0
    while answered < len(bridge.fetches):  # a failed load is retried by the request
        url = bridge.fetches[answered][0]
        assert url == SERVICE + "/users/pg/{}?tier={}".format(DEMO["user_code"], tier_code)
        bridge.answer((await api.client.get(url[len(SERVICE) :])).json(), answered)
        answered += 1
        if answered == 1:
            imp.request_pay(
                {"pg": "kcp", "amount": 1000, "name": "Tier order", "merchant_uid": "ag-1"},
                callback,
            )
    return bridge, callback


async def test_imp_agency_pays_through_a_tier_registered_by_rest(api):
    await api.ok("POST", "/tiers/AG2", json={"tier_name": "agency store"})
    _setting(api, "AG2", "AG2-KCP")
    bridge, callback = await _agency(api, "AG2")
    assert callback.calls == []  # a window is open, on the tier's own setting
    window = bridge.windows[-1]
    assert window.url.endswith("?tier=AG2")
    window.load()
    ((message, _),) = window.messages()
    assert message["data"]["pg_id"] == "AG2-KCP" and message["data"]["tier_code"] == "AG2"
    # The window records the request on the tier's setting.
    opened = await _open_window(api, message["data"])
    assert opened.status_code == 200 and opened.json()["response"]["pg_id"] == "AG2-KCP"
    await api.ok("DELETE", "/tiers/AG2")
    bridge, callback = await _agency(api, "AG2")
    assert bridge.windows == [] and callback.calls[0]["success"] is False
    assert (await _open_window(api, message["data"])).status_code == 404


async def _open_window(api, data):
    return await api.client.post(
        "/sandbox/windows/open",
        json={
            "action": "payment",
            "user_code": DEMO["user_code"],
            "pg_provider": data["pg_provider"],
            "pg_id": data["pg_id"],
            "tier_code": data["tier_code"],
            "request": {"merchant_uid": "ag-1", "amount": 1000, "request_id": data["request_id"]},
        },
    )
