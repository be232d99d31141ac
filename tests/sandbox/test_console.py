"""The merchant console over HTTP: login, CSRF, and every PG settings flow."""

import re

from iamport_sandbox.demo import DEMO, SEED_SETTINGS
from tests.sandbox.conftest import Console, csrf_of


def _rows(store, demo):
    return [(s["pg_provider"], s["pg_id"]) for s in store.settings(demo["id"])]


def _fresh_merchant(store):
    merchant = store.create_merchant("fresh", "fresh-password")
    return merchant


def test_console_needs_login(http):
    answer = http.get("/console/pg", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/login"


def test_wrong_password_is_refused(http):
    answer = Console(http).login(password="nope")
    assert answer.status_code == 401 and "Wrong login or password" in answer.text


def test_login_shows_settings_in_order_with_default_first(console):
    page = console.http.get("/console/pg")
    assert page.status_code == 200
    assert page.text.index("MID-a") < page.text.index("MID-b") < page.text.index("MID-c")
    assert 'data-testid="default-badge"' in page.text


def test_post_without_csrf_is_refused(console, store, demo):
    answer = console.http.post(
        "/console/pg", data={"pg_provider": "kcp", "pg_id": "K1", "type": "payment"}
    )
    assert answer.status_code == 403 and "CSRF" in answer.json()["message"]
    answer = console.http.post(
        "/console/pg",
        data={"csrf": "forged", "pg_provider": "kcp", "pg_id": "K1", "type": "payment"},
    )
    assert answer.status_code == 403
    assert len(store.settings(demo["id"])) == 3


def test_seed_walkthrough_by_clicking_through_the_console(http, store):
    merchant = _fresh_merchant(store)
    session = Console(http)
    assert session.login("fresh", "fresh-password").status_code == 303
    for mid, label, default, extra in (
        ("MID-a", "General payment", "on", {"sign_key": "SIGNKEY-A-123456789"}),
        (
            "MID-b",
            "Recurring payment",
            "",
            {"sign_key": "SIGNKEY-B-123456789", "merchant_key": "MERCHANTKEY-B-12345"},
        ),
    ):
        answer = session.post(
            "/console/pg",
            pg_provider="html5_inicis",
            pg_id=mid,
            label=label,
            type="payment",
            sandbox="on",
            default=default,
            **extra,
        )
        assert answer.status_code == 303, answer.text
    answer = session.post(
        "/console/pg",
        pg_provider="kakaopay",
        pg_id="MID-c",
        label="Simple payment",
        type="payment",
        sandbox="on",
    )
    assert answer.status_code == 303
    assert _rows(store, merchant) == [
        ("html5_inicis", "MID-a"),
        ("html5_inicis", "MID-b"),
        ("kakaopay", "MID-c"),
    ]
    data = http.get("/users/pg/" + merchant["user_code"]).json()["data"]
    assert [s["pg_id"] for s in data] == ["MID-a", "MID-b", "MID-c"]
    page = http.get("/console/pg").text
    assert "MERCHANTKEY-B-12345" not in page and "2345" in page  # masked: the tail only


def test_add_as_default_puts_the_old_default_second_and_keeps_the_rest(console, store, demo):
    answer = console.post(
        "/console/pg", pg_provider="kcp", pg_id="K1", type="payment", default="on"
    )
    assert answer.status_code == 303
    assert _rows(store, demo) == [
        ("kcp", "K1"),
        ("html5_inicis", "MID-a"),
        ("html5_inicis", "MID-b"),
        ("kakaopay", "MID-c"),
    ]


def test_unknown_pg_code_is_refused(console):
    answer = console.post("/console/pg", pg_provider="acme_pay", pg_id="X", type="payment")
    assert answer.status_code == 400 and "Unknown PG service" in answer.text


def test_empty_mid_is_refused_for_a_pg_that_needs_one(console):
    answer = console.post("/console/pg", pg_provider="kcp", pg_id="  ", type="payment")
    assert answer.status_code == 400 and "needs a PG merchant ID" in answer.text


def test_duplicate_code_mid_type_is_refused(console):
    answer = console.post("/console/pg", pg_provider="kakaopay", pg_id="MID-c", type="payment")
    assert answer.status_code == 400 and "already exists" in answer.text


def test_type_the_pg_does_not_serve_is_refused(console):
    answer = console.post("/console/pg", pg_provider="kakaopay", pg_id="X", type="certification")
    assert answer.status_code == 400 and "does not serve certification" in answer.text


def test_edit_keeps_credentials_left_empty(console, store, demo):
    setting = store.settings(demo["id"])[1]
    merchant_key = SEED_SETTINGS[1]["credentials"]["merchant_key"]
    before = setting["masked"]
    assert set(before) == {"sign_key", "merchant_key"}
    form = console.http.get("/console/pg/{}/edit".format(setting["id"]))
    assert form.status_code == 200 and merchant_key not in form.text
    answer = console.post(
        "/console/pg/{}".format(setting["id"]),
        pg_provider="html5_inicis",
        pg_id="MID-b2",
        label="Recurring v2",
        type="payment",
        sandbox="on",
        sign_key="",
        merchant_key="",
    )
    assert answer.status_code == 303
    assert store.setting(demo["id"], setting["id"])["pg_id"] == "MID-b2"
    assert store.setting(demo["id"], setting["id"])["masked"] == before


def test_reorder_moves_among_the_others_and_never_changes_the_default(console, store, demo):
    ids = [s["id"] for s in store.settings(demo["id"])]
    assert console.post("/console/pg/{}/up".format(ids[2])).status_code == 303
    assert _rows(store, demo) == [
        ("html5_inicis", "MID-a"),
        ("kakaopay", "MID-c"),
        ("html5_inicis", "MID-b"),
    ]
    # the default does not move down, and nothing moves up into its place
    assert console.post("/console/pg/{}/down".format(ids[0])).status_code == 400
    assert console.post("/console/pg/{}/up".format(ids[2])).status_code == 400
    assert _rows(store, demo)[0] == ("html5_inicis", "MID-a")
    page = console.http.get("/console/pg").text
    assert 'data-testid="down-{}"'.format(ids[0]) not in page
    assert 'data-testid="up-{}"'.format(ids[2]) not in page


def test_make_default_swaps_with_the_default_and_keeps_the_others_in_place(console, store, demo):
    console.post("/console/pg", pg_provider="kcp", pg_id="K1", type="payment")
    ids = [s["id"] for s in store.settings(demo["id"])]
    assert console.post("/console/pg/{}/default".format(ids[2])).status_code == 303
    assert _rows(store, demo) == [
        ("kakaopay", "MID-c"),
        ("html5_inicis", "MID-b"),
        ("html5_inicis", "MID-a"),
        ("kcp", "K1"),
    ]
    assert (
        "기본 PG를 바꿨습니다 · Default PG changed"
        in console.http.get("/console/pg?notice=default").text
    )


def test_numbering_starts_at_one_with_the_default_badge_on_one(console):
    page = console.http.get("/console/pg").text
    assert [int(n) for n in re.findall(r'data-testid="position">(\d+)<', page)] == [1, 2, 3]


def test_delete_asks_first_and_names_the_next_default(console, store, demo):
    ids = [s["id"] for s in store.settings(demo["id"])]
    page = console.http.get("/console/pg/{}/delete".format(ids[0]))
    assert page.status_code == 200 and 'data-testid="default-warning"' in page.text
    assert "html5_inicis.MID-b" in page.text
    assert console.post("/console/pg/{}/delete".format(ids[0])).status_code == 400
    assert len(store.settings(demo["id"])) == 3
    answer = console.post("/console/pg/{}/delete".format(ids[0]), confirm="yes")
    assert answer.status_code == 303
    assert _rows(store, demo) == [("html5_inicis", "MID-b"), ("kakaopay", "MID-c")]


def test_form_shows_each_pgs_own_credential_fields(console, store, demo):
    page = console.http.get("/console/pg/new").text
    shown = re.findall(r'data-credential="(\w+)" data-pgs="[^"]*"(?! hidden)>', page)
    assert shown == ["sign_key", "merchant_key", "api_secret"]  # html5_inicis
    assert re.search(r'data-credential="sign_key" data-pgs="[^"]* kcp [^"]*"', page)
    assert not re.search(r'data-credential="sign_key" data-pgs="[^"]* kakaopay ', page)
    console.post(
        "/console/pg",
        pg_provider="kakaopay",
        pg_id="KP2",
        type="payment",
        sign_key="SIGN-KEY-NOT-FOR-KAKAO",
        api_secret="KAKAO-SECRET-1234",
    )
    (setting,) = [s for s in store.settings(demo["id"]) if s["pg_id"] == "KP2"]
    assert setting["masked"] == {"api_secret": "••••••1234"}


def test_another_merchants_setting_is_not_found(console, store):
    other = _fresh_merchant(store)
    other_id = store.add_setting(
        other["id"], {"pg_provider": "kcp", "pg_id": "K1", "type": "payment", "sandbox": True}
    )
    assert console.http.get("/console/pg/{}/edit".format(other_id)).status_code == 404
    assert console.post("/console/pg/{}/delete".format(other_id)).status_code == 404
    assert console.http.get("/console/pg/abc/edit").status_code == 404
    assert len(store.settings(other["id"])) == 1


def test_logout_ends_the_session(console):
    token = csrf_of(console.http.get("/console/pg"))
    assert console.http.post("/console/logout", data={"csrf": token}).status_code == 303
    assert console.http.get("/console/pg", follow_redirects=False).status_code == 303


def test_payments_and_webhooks_pages(console):
    assert console.http.get("/console/payments").status_code == 200
    assert console.http.get("/console/webhooks").status_code == 200
    answer = console.post("/console/webhook", webhook_url="javascript:alert(1)")
    assert answer.status_code == 400


def test_demo_login_is_the_printed_one(http):
    assert Console(http).login(DEMO["login"], DEMO["password"]).status_code == 303
