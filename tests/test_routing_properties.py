"""Properties of resolve_pg over generated settings lists and pg values (CPython only),
checked against an oracle that does not re-implement the rule: the seed guide's worked
examples and a small table of cases written out by hand, which must hold whatever
unrelated settings are mixed in; plus invariants (what it returns, what it raises)."""

from hypothesis import assume, given
from hypothesis import strategies as st

from iamport_py.errors import (
    CHANNEL_KEY_WRONG_TYPE,
    INVALID_PG,
    PG_NOT_REGISTERED,
    UNKNOWN_CHANNEL_KEY,
    IamportError,
)
from iamport_py.routing import resolve_pg
from iamport_py.testing import SEED_SETTINGS

# -- the oracle, written out by hand ------------------------------------------------------

# The seed guide (multiple-pg-settings.txt; docs/merchant-api.md, the routing rule): settings
# Inicis MID-a (default), Inicis MID-b, KakaoPay MID-c. pg -> (index of the setting chosen,
# whether it warns).
WORKED_EXAMPLES = (
    ("kakaopay", 2, False),
    ("html5_inicis.MID-b", 1, False),
    ("html5_inicis.MID-a", 0, False),
    ("html5_inicis", 0, False),
    ("nice", 0, True),
    ("html5_inicis.MID-z", 0, True),
)


def _s(code, mid, kind="payment"):
    return {"pg_provider": code, "pg_id": mid, "type": kind, "sandbox": True}


# (settings, pg, action, index chosen or "F1001", warns), one row per branch of the rule.
CASES = (
    # No pg: the default, silently; its type must be the action's.
    ([_s("kcp", "K1"), _s("nice", "N1")], None, "payment", 0, False),
    ([_s("kcp", "K1"), _s("nice", "N1")], "", "payment", 0, False),
    # The default matches: it wins over later matches.
    ([_s("kcp", "K1"), _s("kcp", "K2")], "kcp", "payment", 0, False),
    # The default does not match: the first match in list order.
    ([_s("nice", "N1"), _s("kcp", "K1"), _s("kcp", "K2")], "kcp", "payment", 1, False),
    ([_s("nice", "N1"), _s("kcp", "K1"), _s("kcp", "K2")], "kcp.K2", "payment", 2, False),
    # A MID may contain dots: the split is at the first dot.
    ([_s("nice", "N1"), _s("kcp", "K.1.x")], "kcp.K.1.x", "payment", 1, False),
    # "kcp." is the code kcp without a MID; ".kcp" is an unknown code.
    ([_s("nice", "N1"), _s("kcp", "K1")], "kcp.", "payment", 1, False),
    ([_s("nice", "N1"), _s("kcp", "K1")], ".kcp", "payment", 0, True),
    # Exact and case-sensitive: no prefix, no case folding.
    ([_s("nice", "N1"), _s("html5_inicis", "I1")], "inicis", "payment", 0, True),
    ([_s("nice", "N1"), _s("kcp", "K1")], "KCP", "payment", 0, True),
    ([_s("nice", "N1"), _s("kcp", "K1")], "kcp.k1", "payment", 0, True),
    # A MID-less setting matches "code" but not "code.MID".
    ([_s("nice", "N1"), _s("kcp", None)], "kcp", "payment", 1, False),
    ([_s("nice", "N1"), _s("kcp", None)], "kcp.K1", "payment", 0, True),
    # Types: a setting of the other type never matches; the fallback is the first of the
    # action's type when the default is not.
    ([_s("danal", "D1", "certification"), _s("kcp", "K1")], "danal", "payment", 1, True),
    ([_s("kcp", "K1"), _s("danal", "D1", "certification")], None, "certification", 1, False),
    ([_s("kcp", "K1"), _s("danal", "D1", "certification")], "danal", "certification", 1, False),
    ([_s("kcp", "K1"), _s("danal", "D1", "certification")], "kcp", "certification", 1, True),
    # No setting of the action's type: F1001.
    ([_s("kcp", "K1")], "kcp", "certification", "F1001", False),
    ([], None, "payment", "F1001", False),
)
ORACLE_CODES = {"html5_inicis", "kakaopay", "nice", "kcp", "danal", "inicis", "KCP", ".kcp"}


def _resolve(settings, pg, action="payment"):
    warnings = []
    try:
        chosen = resolve_pg(settings, pg, action, warn=warnings.append)
    except IamportError as error:
        return error.code, warnings
    return chosen, warnings


def _quiet(message):
    pass


def _noise(types=("payment", "certification")):
    """Settings that no row of the oracle is about: codes the oracle never names."""
    return st.fixed_dictionaries(
        {
            "pg_provider": st.sampled_from(["tosspay", "paypal", "ksnet", "welcome"]),
            "pg_id": st.one_of(st.none(), st.sampled_from(["MID-a", "MID-b", "K1", "x.y"])),
            "type": st.sampled_from(types),
            "sandbox": st.booleans(),
        }
    )


def _mixed(data, settings, strategy=None):
    """``settings`` with noise inserted anywhere after the default (entry 0, which stays
    the default); the original entries keep their order and identity."""
    mixed = list(settings)
    strategy = _noise() if strategy is None else strategy
    for noise in data.draw(st.lists(strategy, max_size=5)):
        mixed.insert(
            data.draw(st.integers(min_value=min(1, len(mixed)), max_value=len(mixed))), noise
        )
    return mixed


def test_the_oracle_holds_as_written():
    for pg, index, warns in WORKED_EXAMPLES:
        chosen, warnings = _resolve(SEED_SETTINGS, pg)
        assert chosen is SEED_SETTINGS[index] and bool(warnings) == warns, pg
    for settings, pg, action, expected, warns in CASES:
        chosen, warnings = _resolve(settings, pg, action)
        if expected == "F1001":
            assert chosen == PG_NOT_REGISTERED, (settings, pg, action)
        else:
            assert chosen is settings[expected], (settings, pg, action)
        assert bool(warnings) == warns, (settings, pg, action)
        if warns:
            assert "'{}'".format(pg) in warnings[0]


@given(st.data())
def test_worked_examples_hold_whatever_unrelated_settings_are_mixed_in(data):
    settings = _mixed(data, SEED_SETTINGS)
    for pg, index, warns in WORKED_EXAMPLES:
        chosen, warnings = _resolve(settings, pg)
        assert chosen is SEED_SETTINGS[index], pg
        assert bool(warnings) == warns, pg


@given(st.data(), st.sampled_from(range(len(CASES))))
def test_the_table_holds_whatever_unrelated_settings_are_mixed_in(data, row):
    settings, pg, action, expected, warns = CASES[row]
    if not settings or expected == "F1001":
        # Noise of the action's type would make a setting to fall back to.
        assume(False)
    noise = _noise()
    if settings[0]["type"] != action:
        # The fallback is then the first setting of the action's type: noise of that type
        # placed before it would be the (documented) fallback instead.
        noise = _noise(("certification",) if action == "payment" else ("payment",))
    chosen, warnings = _resolve(_mixed(data, settings, noise), pg, action)
    assert chosen is settings[expected]
    assert bool(warnings) == warns


# -- invariants over any settings and pg ---------------------------------------------------

CODES = st.sampled_from(["html5_inicis", "kakaopay", "kcp", "danal", "nice"])
MIDS = st.one_of(st.none(), st.sampled_from(["MID-a", "MID-b", "M.1", "x"]))
TYPES = st.sampled_from(["payment", "certification"])
SETTING = st.fixed_dictionaries(
    {"pg_provider": CODES, "pg_id": MIDS, "type": TYPES, "sandbox": st.booleans()}
)
SETTINGS = st.lists(SETTING, max_size=6)
PG = st.one_of(
    st.none(),
    st.text(max_size=20),
    CODES,
    st.builds(lambda c, m: c + "." + m, CODES, st.text(max_size=8)),
)
ANY_PG = st.one_of(PG, st.integers(), st.floats(), st.lists(st.text()), st.booleans())


@given(SETTINGS, PG, TYPES)
def test_result_is_an_element_of_the_list_with_the_requested_type(settings, pg, action):
    chosen, _ = _resolve(settings, pg, action)
    if chosen == PG_NOT_REGISTERED:
        assert all(s["type"] != action for s in settings)
    else:
        assert any(chosen is s for s in settings)
        assert chosen["type"] == action


@given(SETTINGS, TYPES, st.data())
def test_an_exact_unique_code_and_mid_match_is_always_chosen_silently(settings, action, data):
    candidates = [s for s in settings if s["type"] == action and s["pg_id"]]
    assume(candidates)
    target = data.draw(st.sampled_from(candidates))
    same = [
        s
        for s in candidates
        if (s["pg_provider"], s["pg_id"]) == (target["pg_provider"], target["pg_id"])
    ]
    assume(len(same) == 1)
    chosen, warnings = _resolve(settings, target["pg_provider"] + "." + target["pg_id"], action)
    assert chosen is target and warnings == []


@given(
    SETTINGS,
    TYPES,
    st.sampled_from(["tosspay", "paypal", "Kcp", "html5_inicis_x"]),
    st.one_of(st.just(""), st.just(".MID-a"), st.just(".x")),
)
def test_a_code_no_setting_has_falls_back_like_no_pg_with_a_warning(settings, action, code, mid):
    chosen, warnings = _resolve(settings, code + mid, action)
    assume(chosen != PG_NOT_REGISTERED)
    default, silent = _resolve(settings, None, action)
    assert chosen is default and silent == []
    assert len(warnings) == 1 and "'{}'".format(code + mid) in warnings[0]


@given(SETTINGS, TYPES, st.data())
def test_a_code_of_a_setting_of_that_type_is_served_by_that_code_silently(settings, action, data):
    serving = [s for s in settings if s["type"] == action]
    assume(serving)
    code = data.draw(st.sampled_from(serving))["pg_provider"]
    chosen, warnings = _resolve(settings, code, action)
    assert chosen["pg_provider"] == code and warnings == []


@given(st.lists(st.one_of(SETTING, st.none(), st.integers(), st.text()), max_size=5), ANY_PG, TYPES)
def test_nothing_but_the_documented_errors_escape(settings, pg, action):
    try:
        resolve_pg(settings, pg, action, warn=_quiet)
    except IamportError as error:
        assert error.code in (PG_NOT_REGISTERED, INVALID_PG)


# -- rule 0: channelKey --------------------------------------------------------------------

KEYED_SETTINGS = st.lists(SETTING, min_size=1, max_size=6).map(
    lambda settings: [
        dict(setting, channel_key="channel-key-{}".format(index))
        for index, setting in enumerate(settings)
    ]
)


@given(KEYED_SETTINGS, PG, st.data())
def test_a_key_chooses_its_setting_whatever_pg_says_or_names_the_wrong_type(settings, pg, data):
    target = data.draw(st.sampled_from(settings))
    for action in ("payment", "certification"):
        warnings = []
        try:
            chosen = resolve_pg(settings, pg, action, warnings.append, target["channel_key"])
        except IamportError as error:
            assert error.code == CHANNEL_KEY_WRONG_TYPE and target["type"] != action
            continue
        assert chosen is target and target["type"] == action
        assert len(warnings) <= 1


@given(KEYED_SETTINGS, PG, TYPES, st.text(max_size=30))
def test_a_key_no_setting_has_is_never_served_by_any_setting(settings, pg, action, key):
    assume(all(s["channel_key"] != key for s in settings))
    try:
        resolve_pg(settings, pg, action, _quiet, key)
    except IamportError as error:
        assert error.code == UNKNOWN_CHANNEL_KEY
    else:
        raise AssertionError("an unknown key chose a setting")
