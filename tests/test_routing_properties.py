"""Properties of resolve_pg over generated settings lists and pg values (CPython only)."""

from hypothesis import given
from hypothesis import strategies as st

from iamport_py.errors import INVALID_PG, PG_NOT_REGISTERED, IamportError
from iamport_py.routing import resolve_pg

CODES = st.sampled_from(["html5_inicis", "kakaopay", "kcp", "danal", "nice"])
MIDS = st.one_of(st.none(), st.sampled_from(["MID-a", "MID-b", "M.1", "x"]))
TYPES = st.sampled_from(["payment", "certification"])
SETTING = st.fixed_dictionaries({"pg_provider": CODES, "pg_id": MIDS, "type": TYPES,
                                 "sandbox": st.booleans()})
SETTINGS = st.lists(SETTING, max_size=6)
PG = st.one_of(st.none(), st.text(max_size=20), CODES,
               st.builds(lambda c, m: c + "." + m, CODES, st.text(max_size=8)))
ANY_PG = st.one_of(PG, st.integers(), st.floats(), st.lists(st.text()), st.booleans())


def _quiet(message):
    pass


@given(SETTINGS, PG, TYPES)
def test_result_is_an_element_of_the_list_with_the_requested_type(settings, pg, action):
    try:
        chosen = resolve_pg(settings, pg, action, warn=_quiet)
    except IamportError as error:
        assert error.code == PG_NOT_REGISTERED
        assert all(s["type"] != action for s in settings)
        return
    assert any(chosen is s for s in settings)
    assert chosen["type"] == action


@given(SETTINGS, TYPES, st.data())
def test_an_exact_unique_code_and_mid_match_is_always_chosen(settings, action, data):
    candidates = [s for s in settings if s["type"] == action and s["pg_id"]]
    if not candidates:
        return
    target = data.draw(st.sampled_from(candidates))
    same = [s for s in candidates
            if (s["pg_provider"], s["pg_id"]) == (target["pg_provider"], target["pg_id"])]
    if len(same) != 1:
        return
    pg = target["pg_provider"] + "." + target["pg_id"]
    assert resolve_pg(settings, pg, action, warn=_quiet) is target


@given(st.lists(st.one_of(SETTING, st.none(), st.integers(), st.text()), max_size=5), ANY_PG,
       TYPES)
def test_nothing_but_the_documented_errors_escape(settings, pg, action):
    try:
        resolve_pg(settings, pg, action, warn=_quiet)
    except IamportError as error:
        assert error.code in (PG_NOT_REGISTERED, INVALID_PG)


@given(SETTINGS, PG, TYPES)
def test_a_warning_is_given_exactly_when_nothing_matches(settings, pg, action):
    warnings = []
    try:
        chosen = resolve_pg(settings, pg, action, warn=warnings.append)
    except IamportError:
        return
    if not pg:
        assert warnings == []
        return
    code, _, mid = pg.partition(".") if not pg.startswith(".") else (pg, "", "")
    matched = any(s["pg_provider"] == code and s["type"] == action
                  and (not mid or s["pg_id"] == mid) for s in settings)
    assert bool(warnings) == (not matched)
    if warnings:
        assert pg in warnings[0]
    else:
        assert chosen["pg_provider"] == code
