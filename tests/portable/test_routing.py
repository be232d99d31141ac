"""The routing rule (docs/merchant-api.md, "The routing rule"), table-driven over the seed and
every branch."""

from iamport_py.errors import (
    CHANNEL_KEY_WRONG_TYPE,
    INVALID_PG,
    INVALID_TYPE,
    PG_NOT_REGISTERED,
    UNKNOWN_CHANNEL_KEY,
    IamportError,
)
from iamport_py.routing import describe_setting, resolve_pg, split_pg
from iamport_py.testing import CURRENT_EDITION_SETTINGS, SEED_SETTINGS
from tests.portable.helpers import error_code_of


def _warnings():
    seen = []
    return seen, seen.append


def test_seed_examples_resolve_as_the_guide_says():
    table = (
        ("kakaopay", "MID-c"),
        ("html5_inicis.MID-b", "MID-b"),
        ("html5_inicis.MID-a", "MID-a"),
        ("html5_inicis", "MID-a"),
        ("nice", "MID-a"),
        ("html5_inicis.MID-z", "MID-a"),
    )
    for pg, mid in table:
        assert resolve_pg(SEED_SETTINGS, pg, warn=lambda m: None)["pg_id"] == mid, pg


def test_result_is_the_same_object_as_in_the_list():
    assert resolve_pg(SEED_SETTINGS, "kakaopay") is SEED_SETTINGS[2]


def test_empty_or_missing_pg_uses_the_default_silently():
    for pg in ("", None):
        seen, warn = _warnings()
        assert resolve_pg(SEED_SETTINGS, pg, warn=warn) is SEED_SETTINGS[0]
        assert seen == []


def test_split_is_at_the_first_dot_so_mids_may_contain_dots():
    assert split_pg("html5_inicis.MID.b.2") == ("html5_inicis", "MID.b.2")
    settings = [
        SEED_SETTINGS[0],
        {"pg_provider": "html5_inicis", "pg_id": "MID.b.2", "type": "payment"},
    ]
    assert resolve_pg(settings, "html5_inicis.MID.b.2") is settings[1]


def test_dot_at_index_zero_is_part_of_the_code():
    assert split_pg(".MID-a") == (".MID-a", None)
    seen, warn = _warnings()
    assert resolve_pg(SEED_SETTINGS, ".MID-b", warn=warn) is SEED_SETTINGS[0]
    assert len(seen) == 1


def test_trailing_dot_means_no_mid():
    assert split_pg("kakaopay.") == ("kakaopay", None)
    assert resolve_pg(SEED_SETTINGS, "kakaopay.") is SEED_SETTINGS[2]


def test_matching_is_case_sensitive():
    seen, warn = _warnings()
    assert resolve_pg(SEED_SETTINGS, "KakaoPay", warn=warn) is SEED_SETTINGS[0]
    assert resolve_pg(SEED_SETTINGS, "html5_inicis.mid-b", warn=warn) is SEED_SETTINGS[0]
    assert len(seen) == 2


def test_inicis_does_not_match_html5_inicis():
    seen, warn = _warnings()
    assert resolve_pg(SEED_SETTINGS, "inicis", warn=warn) is SEED_SETTINGS[0]
    assert "inicis" in seen[0]


def test_unknown_mid_falls_back_to_default_with_a_warning_naming_both():
    seen, warn = _warnings()
    resolve_pg(SEED_SETTINGS, "html5_inicis.MID-z", warn=warn)
    assert len(seen) == 1
    assert "html5_inicis.MID-z" in seen[0] and "html5_inicis.MID-a" in seen[0]


def test_default_wins_over_a_later_match():
    settings = [
        {"pg_provider": "kcp", "pg_id": "K1", "type": "payment"},
        {"pg_provider": "kcp", "pg_id": "K2", "type": "payment"},
    ]
    assert resolve_pg(settings, "kcp") is settings[0]


def test_first_match_in_list_order_when_default_does_not_match():
    settings = [
        {"pg_provider": "kcp", "pg_id": "K1", "type": "payment"},
        {"pg_provider": "nice", "pg_id": "N1", "type": "payment"},
        {"pg_provider": "nice", "pg_id": "N2", "type": "payment"},
    ]
    assert resolve_pg(settings, "nice") is settings[1]


def test_type_filter_skips_settings_of_the_other_action():
    settings = [
        {"pg_provider": "danal", "pg_id": "D1", "type": "certification"},
        {"pg_provider": "danal", "pg_id": "D2", "type": "payment"},
    ]
    assert resolve_pg(settings, "danal") is settings[1]
    assert resolve_pg(settings, "danal", "certification") is settings[0]


def test_fallback_uses_first_setting_of_the_type_when_default_is_other_type():
    settings = [
        {"pg_provider": "danal", "pg_id": "D1", "type": "certification"},
        {"pg_provider": "kcp", "pg_id": "K1", "type": "payment"},
        {"pg_provider": "nice", "pg_id": "N1", "type": "payment"},
    ]
    assert resolve_pg(settings, "unknown", warn=lambda m: None) is settings[1]
    assert resolve_pg(settings, None) is settings[1]


def test_no_setting_of_the_type_raises_F1001():
    settings = [{"pg_provider": "danal", "pg_id": "D1", "type": "certification"}]
    assert error_code_of(resolve_pg, settings, "kcp") == PG_NOT_REGISTERED
    assert error_code_of(resolve_pg, [], None) == PG_NOT_REGISTERED
    assert (
        error_code_of(resolve_pg, SEED_SETTINGS, "kakaopay", "certification") == PG_NOT_REGISTERED
    )


def test_settings_without_type_are_payment_settings():
    settings = [{"pg_provider": "kcp", "pg_id": "K1"}]
    assert resolve_pg(settings, "kcp") is settings[0]


def test_null_mid_setting_matches_code_only():
    settings = [SEED_SETTINGS[0], {"pg_provider": "kakaopay", "pg_id": None, "type": "payment"}]
    assert resolve_pg(settings, "kakaopay") is settings[1]
    assert resolve_pg(settings, "kakaopay.X", warn=lambda m: None) is settings[0]


def test_non_string_pg_is_the_documented_error():
    assert error_code_of(resolve_pg, SEED_SETTINGS, 42) == INVALID_PG


# -- rule 0: channelKey (the guide's current edition) -----------------------------------

NICE_A, NICE_B, KAKAO = CURRENT_EDITION_SETTINGS
KEY_A, KEY_B, KEY_C = (setting["channel_key"] for setting in CURRENT_EDITION_SETTINGS)


def test_channel_key_selects_its_setting_as_the_current_guide_says():
    for key, setting in ((KEY_C, KAKAO), (KEY_A, NICE_A), (KEY_B, NICE_B)):
        seen, warn = _warnings()
        assert resolve_pg(CURRENT_EDITION_SETTINGS, None, warn=warn, channel_key=key) is setting
        assert seen == []


def test_two_settings_of_one_pg_code_are_told_apart_by_their_keys():
    assert resolve_pg(CURRENT_EDITION_SETTINGS, "nice_v2", channel_key=KEY_B) is NICE_B


def test_channel_key_wins_over_a_pg_naming_another_setting_with_a_warning_naming_both():
    seen, warn = _warnings()
    chosen = resolve_pg(CURRENT_EDITION_SETTINGS, "nice_v2.MID-a", warn=warn, channel_key=KEY_C)
    assert chosen is KAKAO
    assert len(seen) == 1 and KEY_C in seen[0] and "kakaopay.MID-c" in seen[0]
    assert "nice_v2.MID-a" in seen[0]


def test_unknown_channel_key_is_an_error_never_the_default():
    for key in ("channel-key-00000000-0000-4000-8000-000000000000", "", KEY_C.upper(), " " + KEY_C):
        assert (
            error_code_of(resolve_pg, CURRENT_EDITION_SETTINGS, None, "payment", None, key)
            == UNKNOWN_CHANNEL_KEY
        ), key


def test_unknown_channel_key_is_an_error_even_with_a_valid_pg():
    assert (
        error_code_of(
            resolve_pg, CURRENT_EDITION_SETTINGS, "kakaopay", "payment", None, "channel-key-typo"
        )
        == UNKNOWN_CHANNEL_KEY
    )


def test_channel_key_of_the_other_type_is_an_error():
    settings = CURRENT_EDITION_SETTINGS + [
        {
            "pg_provider": "danal",
            "pg_id": "CPID",
            "type": "certification",
            "channel_key": "channel-key-cert",
        },
    ]
    assert (
        error_code_of(resolve_pg, settings, None, "payment", None, "channel-key-cert")
        == CHANNEL_KEY_WRONG_TYPE
    )
    assert (
        resolve_pg(settings, None, "certification", channel_key="channel-key-cert") is settings[3]
    )
    assert (
        error_code_of(resolve_pg, settings, None, "certification", None, KEY_C)
        == CHANNEL_KEY_WRONG_TYPE
    )


def test_non_string_channel_key_is_a_type_error():
    for key in (42, ["k"], {"k": 1}, True):
        assert (
            error_code_of(resolve_pg, CURRENT_EDITION_SETTINGS, None, "payment", None, key)
            == INVALID_TYPE
        )


def test_settings_without_keys_leave_the_choice_to_the_service_window():
    # A service that publishes no keys: the key travels to the default's window.
    seen, warn = _warnings()
    assert resolve_pg(SEED_SETTINGS, "kakaopay", warn=warn, channel_key=KEY_C) is SEED_SETTINGS[0]
    assert seen == []


def test_a_one_letter_code_splits_at_its_dot():
    # Only a dot at index 0 is part of the code: index 1 is already a split.
    assert split_pg("k.MID-1") == ("k", "MID-1")
    assert split_pg("k") == ("k", None)
    settings = [SEED_SETTINGS[0], {"pg_provider": "k", "pg_id": "MID-1", "type": "payment"}]
    assert resolve_pg(settings, "k.MID-1") is settings[1]


def test_a_setting_is_named_code_dot_mid_or_its_code_alone():
    assert describe_setting({"pg_provider": "kcp", "pg_id": "M.1"}) == "kcp.M.1"
    assert describe_setting({"pg_provider": "kcp", "pg_id": None}) == "kcp"
    assert describe_setting({"pg_provider": "kcp", "pg_id": ""}) == "kcp"


def test_the_fallback_warning_says_which_pg_and_which_setting():
    seen, warn = _warnings()
    resolve_pg(SEED_SETTINGS, "nice", warn=warn)
    assert seen == ["pg 'nice' matches no payment setting; using 'html5_inicis.MID-a' instead."]


def test_the_channel_key_warning_says_which_key_setting_and_pg():
    seen, warn = _warnings()
    resolve_pg(CURRENT_EDITION_SETTINGS, "nice_v2.MID-a", warn=warn, channel_key=KEY_C)
    assert seen == [
        "channelKey '{}' selects 'kakaopay.MID-c'; pg 'nice_v2.MID-a' names another setting "
        "and is ignored.".format(KEY_C)
    ]


def test_without_a_warn_callback_the_warning_is_printed_for_the_console():
    from iamport_py import routing

    printed = []
    routing.print = printed.append  # the module's print: the browser console on a page
    try:
        resolve_pg(SEED_SETTINGS, "nice")
    finally:
        routing.print = print
    assert printed == [
        "[iamport_py] warning: pg 'nice' matches no payment setting; "
        "using 'html5_inicis.MID-a' instead."
    ]


def test_a_non_string_channel_key_names_the_field_and_the_type_expected():
    try:
        resolve_pg(CURRENT_EDITION_SETTINGS, None, channel_key=42)
    except IamportError as error:
        assert (error.code, error.details) == (
            INVALID_TYPE,
            {"field": "channelKey", "expected": "string"},
        )
    else:
        raise AssertionError("no IamportError raised")
