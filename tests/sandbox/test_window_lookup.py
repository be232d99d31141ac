"""The window's one setting lookup (iamport_sandbox/windows/lookup.py): every URL the SDK
builds for a setting (iamport_py.protocol.window_url) finds that setting, in the page and in
the recording API alike; a request's channelKey moves the record by the SDK's own rule."""

import pytest

from iamport_py.errors import IamportError
from iamport_py.protocol import window_url
from iamport_sandbox.windows.lookup import Address, find_window, recorded_setting
from tests.sandbox import test_window_pages
from tests.sandbox.test_window_pages import CODE, get, shown

app = test_window_pages.app  # the window pages' fixture: the demo merchant and its settings
SERVICE = "http://sandbox"


def every_setting(store):
    merchant = store.merchant_by_code(CODE)
    for tier in (None, "T01"):
        for index, setting in enumerate(store.settings(merchant["id"], tier)):
            yield tier, index == 0, setting


def test_every_url_the_sdk_builds_shows_its_setting(app):
    store = app.state.store
    for tier, is_default, setting in every_setting(store):
        for default in {is_default, False}:  # the default is reachable by both shapes
            url = window_url(SERVICE, setting["type"], CODE, setting, default, tier)
            page = get(app, url[len(SERVICE) :])
            assert shown(page) == (200, setting["pg_provider"], setting["pg_id"] or "", "yes"), url


def test_every_url_the_sdk_builds_records_on_its_setting(app):
    store = app.state.store
    for tier, _, setting in every_setting(store):
        # What the window posts: the setting its page showed, by code and MID.
        address = Address(setting["type"], CODE, setting["pg_provider"], setting["pg_id"], tier)
        assert find_window(store, address).setting["id"] == setting["id"]


@pytest.mark.parametrize("user_code", ["imp00000000", CODE])
def test_a_window_of_no_setting_names_none(app, user_code):
    window = find_window(app.state.store, Address("payment", user_code, "kcp", "NOPE"))
    assert window.setting is None
    assert (window.merchant is None) == (user_code != CODE)


def test_a_channel_key_moves_the_record_to_its_setting_of_the_same_kind(app):
    store = app.state.store
    window = find_window(store, Address("payment", CODE))
    other = next(
        s for s in window.settings if s["id"] != window.setting["id"] and s["type"] == "payment"
    )
    assert recorded_setting(window, {"channelKey": other["channel_key"]})["id"] == other["id"]
    assert recorded_setting(window, {}) is window.setting


@pytest.mark.parametrize(
    "key,code",
    [("channel-key-nobody-has", "UNKNOWN_CHANNEL_KEY"), (None, "CHANNEL_KEY_WRONG_TYPE")],
)
def test_a_channel_key_of_no_setting_or_of_the_other_kind_is_refused(app, key, code):
    window = find_window(app.state.store, Address("payment", CODE))
    if key is None:
        key = next(s for s in window.settings if s["type"] == "certification")["channel_key"]
    with pytest.raises(IamportError) as refused:
        recorded_setting(window, {"channelKey": key})
    assert refused.value.code == code
