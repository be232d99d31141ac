"""Channel keys in the sandbox: issued when a setting is created (also to the settings of
stores made before keys existed), kept through edits and reordering, published by the
settings endpoint, shown in the console, and honoured by the window's recording API with
the SDK's own rule (in-process through httpx.ASGITransport)."""

import json
import re

import pytest

from iamport_sandbox.demo import DEMO
from iamport_sandbox.store import StoreError
from tests.sandbox.conftest import open_payment

KEY = re.compile(
    r"^channel-key-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)
SETTINGS_URL = "/users/pg/" + DEMO["user_code"]


def _keys(store, demo):
    return [setting["channel_key"] for setting in store.settings(demo["id"])]


def test_every_setting_gets_a_uuid4_channel_key_of_its_own(store, demo):
    keys = _keys(store, demo)
    assert len(keys) == 3 and len(set(keys)) == 3
    assert all(KEY.match(key) for key in keys), keys


def test_the_settings_answer_carries_each_settings_key_json_and_jsonp(http, store, demo):
    keys = _keys(store, demo)
    data = http.get(SETTINGS_URL).json()["data"]
    assert [entry["channel_key"] for entry in data] == keys
    script = http.get(SETTINGS_URL, params={"callback": "cb"}).text
    assert [e["channel_key"] for e in json.loads(script[3:-2])["data"]] == keys


def test_keys_survive_edits_and_reordering(console, store, demo):
    before = {s["id"]: s["channel_key"] for s in store.settings(demo["id"])}
    kakao = store.settings(demo["id"])[2]
    answer = console.post(
        "/console/pg/{}".format(kakao["id"]),
        pg_provider="kakaopay",
        pg_id="MID-c2",
        type="payment",
        label="renamed",
    )
    assert answer.status_code == 303
    for action in ("up", "default"):
        assert console.post("/console/pg/{}/{}".format(kakao["id"], action)).status_code == 303
    after = {s["id"]: s["channel_key"] for s in store.settings(demo["id"])}
    assert after == before
    assert store.settings(demo["id"])[0]["pg_id"] == "MID-c2"


def test_a_new_setting_from_the_console_gets_a_new_key_the_form_cannot_choose(console, store, demo):
    answer = console.post(
        "/console/pg",
        pg_provider="nice_v2",
        pg_id="MID-n",
        type="payment",
        channel_key="channel-key-chosen-by-the-form",
    )
    assert answer.status_code == 303
    added = store.settings(demo["id"])[-1]
    assert KEY.match(added["channel_key"]) and added["channel_key"] not in _keys(store, demo)[:-1]


def test_the_console_shows_each_key_with_a_copy_button(console, store, demo):
    page = console.http.get("/console/pg").text
    for setting in store.settings(demo["id"]):
        assert 'data-testid="channel-key-{}"'.format(setting["id"]) in page
        assert setting["channel_key"] in page
        assert 'data-copy="channel-key-{}"'.format(setting["id"]) in page
    edit = console.http.get("/console/pg/{}/edit".format(setting["id"])).text
    assert setting["channel_key"] in edit and 'data-testid="channel-key-field"' in edit


# -- the window's recording API ----------------------------------------------------------


def test_a_request_with_a_key_is_recorded_on_the_keyed_setting_even_in_another_window(
    http, store, demo
):
    kakao = store.settings(demo["id"])[2]
    # iamport.js posts the key to the default window (html5_inicis MID-a).
    answer = open_payment(http, {"channelKey": kakao["channel_key"]}).json()["response"]
    assert answer["success"] is True
    assert (answer["pg_provider"], answer["pg_id"]) == ("kakaopay", "MID-c")
    assert answer["sandbox_setting"]["name_en"] == "KakaoPay"
    record = store.payment(demo["id"], answer["imp_uid"])
    assert (record["pg_provider"], record["pg_id"]) == ("kakaopay", "MID-c")


def test_the_keyed_window_of_the_same_setting_shows_nothing_moved(http, store, demo):
    kakao = store.settings(demo["id"])[2]
    answer = open_payment(
        http, {"channelKey": kakao["channel_key"]}, pg_provider="kakaopay", pg_id="MID-c"
    ).json()["response"]
    assert answer["success"] is True and "sandbox_setting" not in answer


def test_an_unknown_key_is_refused_with_the_sdks_code_and_no_record(http, store, demo):
    answer = open_payment(http, {"channelKey": "channel-key-typo", "merchant_uid": "k-1"})
    assert answer.status_code == 200
    rsp = answer.json()["response"]
    assert rsp["success"] is False and rsp["error_code"] == "UNKNOWN_CHANNEL_KEY"
    assert "channel-key-typo" in rsp["error_msg"] and rsp["imp_uid"] is None
    assert store.payment_by_merchant_uid(demo["id"], "k-1") is None


def test_a_key_of_the_other_type_and_a_non_string_key_are_refused(http, store, demo):
    store.add_setting(
        demo["id"],
        {"pg_provider": "danal", "pg_id": "CPID", "type": "certification", "sandbox": True},
    )
    kakao, cert = store.settings(demo["id"])[2:4]
    rsp = open_payment(
        http,
        {"channelKey": kakao["channel_key"], "language": "en"},
        action="certification",
        pg_provider="danal",
        pg_id="CPID",
    ).json()["response"]
    assert rsp["error_code"] == "CHANNEL_KEY_WRONG_TYPE"
    assert rsp["error_msg"].startswith("The channel key")
    rsp = open_payment(http, {"channelKey": cert["channel_key"]}).json()["response"]
    assert rsp["error_code"] == "CHANNEL_KEY_WRONG_TYPE"
    for key in (42, ["x"], {"k": 1}):
        rsp = open_payment(http, {"channelKey": key}).json()["response"]
        assert rsp["error_code"] == "INVALID_TYPE"


def test_another_merchants_key_is_unknown(http, store, demo):
    other = store.create_merchant("other", "pw-123456789")
    store.add_setting(
        other["id"], {"pg_provider": "kcp", "pg_id": "X", "type": "payment", "sandbox": True}
    )
    key = store.settings(other["id"])[0]["channel_key"]
    rsp = open_payment(http, {"channelKey": key}).json()["response"]
    assert rsp["error_code"] == "UNKNOWN_CHANNEL_KEY"


def test_a_key_already_taken_is_refused_and_nothing_is_added(store, demo):
    taken = store.settings(demo["id"])[0]["channel_key"]
    before = store.settings(demo["id"])
    with pytest.raises(StoreError, match="taken"):
        store.add_setting(
            demo["id"],
            {
                "pg_provider": "kcp",
                "pg_id": "K-9",
                "type": "payment",
                "sandbox": True,
                "channel_key": taken,
            },
        )
    assert store.settings(demo["id"]) == before
