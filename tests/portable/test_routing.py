"""The routing rule of design §2, table-driven over the seed and every branch."""

from iamport_py.errors import INVALID_PG, PG_NOT_REGISTERED
from iamport_py.routing import resolve_pg, split_pg
from iamport_py.testing import SEED_SETTINGS
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
    settings = [SEED_SETTINGS[0], {"pg_provider": "html5_inicis", "pg_id": "MID.b.2",
                                   "type": "payment"}]
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
    settings = [{"pg_provider": "kcp", "pg_id": "K1", "type": "payment"},
                {"pg_provider": "kcp", "pg_id": "K2", "type": "payment"}]
    assert resolve_pg(settings, "kcp") is settings[0]


def test_first_match_in_list_order_when_default_does_not_match():
    settings = [{"pg_provider": "kcp", "pg_id": "K1", "type": "payment"},
                {"pg_provider": "nice", "pg_id": "N1", "type": "payment"},
                {"pg_provider": "nice", "pg_id": "N2", "type": "payment"}]
    assert resolve_pg(settings, "nice") is settings[1]


def test_type_filter_skips_settings_of_the_other_action():
    settings = [{"pg_provider": "danal", "pg_id": "D1", "type": "certification"},
                {"pg_provider": "danal", "pg_id": "D2", "type": "payment"}]
    assert resolve_pg(settings, "danal") is settings[1]
    assert resolve_pg(settings, "danal", "certification") is settings[0]


def test_fallback_uses_first_setting_of_the_type_when_default_is_other_type():
    settings = [{"pg_provider": "danal", "pg_id": "D1", "type": "certification"},
                {"pg_provider": "kcp", "pg_id": "K1", "type": "payment"},
                {"pg_provider": "nice", "pg_id": "N1", "type": "payment"}]
    assert resolve_pg(settings, "unknown", warn=lambda m: None) is settings[1]
    assert resolve_pg(settings, None) is settings[1]


def test_no_setting_of_the_type_raises_F1001():
    settings = [{"pg_provider": "danal", "pg_id": "D1", "type": "certification"}]
    assert error_code_of(resolve_pg, settings, "kcp") == PG_NOT_REGISTERED
    assert error_code_of(resolve_pg, [], None) == PG_NOT_REGISTERED
    assert error_code_of(resolve_pg, SEED_SETTINGS, "kakaopay", "certification") == \
        PG_NOT_REGISTERED


def test_settings_without_type_are_payment_settings():
    settings = [{"pg_provider": "kcp", "pg_id": "K1"}]
    assert resolve_pg(settings, "kcp") is settings[0]


def test_null_mid_setting_matches_code_only():
    settings = [SEED_SETTINGS[0], {"pg_provider": "kakaopay", "pg_id": None, "type": "payment"}]
    assert resolve_pg(settings, "kakaopay") is settings[1]
    assert resolve_pg(settings, "kakaopay.X", warn=lambda m: None) is settings[0]


def test_non_string_pg_is_the_documented_error():
    assert error_code_of(resolve_pg, SEED_SETTINGS, 42) == INVALID_PG
