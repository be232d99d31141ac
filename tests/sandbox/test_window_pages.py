"""The window pages of docs/protocol.md: every URL shape, the readiness markup, and the
sandbox PG page a popup PG's window sends into the merchant page's popup.
In-process (httpx.ASGITransport); the scripts themselves run in e2e/."""

import asyncio
import os
import re

import httpx
import pytest

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from tests.seeded import seed_file

CODE = DEMO["user_code"]
PACKAGE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "iamport_sandbox"
)
STATIC = os.path.join(PACKAGE, "static")
SCRIPTS = os.path.join(PACKAGE, "windows", "static")


@pytest.fixture
def app(tmp_path):
    app = create_app(Config(db_path=seed_file(tmp_path / "sandbox.sqlite3"), max_body=4096))
    store = app.state.store
    merchant = ensure_demo_merchant(store)
    for values in (
        {"pg_provider": "naverpay", "pg_id": None, "type": "payment"},
        {"pg_provider": "eximbay", "pg_id": "EXI-1", "type": "payment"},
        {"pg_provider": "danal", "pg_id": "D-1", "type": "certification"},
        {"pg_provider": "kcp", "pg_id": "T-KCP", "type": "payment", "tier_code": "T01"},
        {"pg_provider": "kakaopay", "pg_id": None, "type": "payment", "tier_code": "T01"},
    ):
        store.add_setting(merchant["id"], dict(values, sandbox=True))
    yield app
    store.close()


def get(app, url, **options):
    async def call():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return await client.request(options.pop("method", "GET"), url, **options)

    return asyncio.run(call())


def shown(page):
    """(status, pg_provider, pg_id, found) as the window's <body> carries them."""
    attrs = dict(
        re.findall(r'data-([a-z-]+)="([^"]*)"', page.text.split("<body", 1)[1].split(">", 1)[0])
    )
    return page.status_code, attrs["pg-provider"], attrs["pg-id"], attrs["found"]


@pytest.mark.parametrize(
    "path,expected",
    [
        ("/payments/ready/{}", ("html5_inicis", "MID-a")),
        ("/payments/ready/{}/kakaopay/MID-c", ("kakaopay", "MID-c")),
        ("/payments/ready/{}/html5_inicis/MID-b", ("html5_inicis", "MID-b")),
        ("/payments/ready/{}/naverpay", ("naverpay", "")),
        ("/certificates/ready/{}", ("danal", "D-1")),
        ("/certificates/ready/{}/danal/D-1", ("danal", "D-1")),
        ("/payments/ready/{}?tier=T01", ("kcp", "T-KCP")),
        ("/payments/ready/{}/kakaopay?tier=T01", ("kakaopay", "")),
        ("/payments/ready/{}/kcp/T-KCP?tier=T01", ("kcp", "T-KCP")),
    ],
)
def test_every_window_url_shape_shows_its_setting(app, path, expected):
    assert shown(get(app, path.format(CODE))) == (200,) + expected + ("yes",)


@pytest.mark.parametrize(
    "path",
    [
        "/payments/ready/{}/kakaopay",  # kakaopay has a MID: the MID-less shape is another
        "/payments/ready/{}/kcp/NOPE",
        "/payments/ready/{}/html5_inicis/MID-a?tier=T01",  # not one of the tier's settings
        "/payments/ready/{}?tier=NOPE",
        "/certificates/ready/{}/kakaopay/MID-c",
        "/payments/ready/imp00000000",
    ],
)
def test_a_shape_naming_no_setting_is_the_404_window_that_answers_F1001(app, path):
    page = get(app, path.format(CODE))
    assert page.status_code == 404 and 'data-found="no"' in page.text
    assert "sandboxActions(" in page.text and "<script src=" not in page.text


def test_the_default_url_follows_the_default_setting(app):
    store = app.state.store
    merchant = store.merchant_by_code(CODE)
    kakao = next(s for s in store.settings(merchant["id"]) if s["pg_id"] == "MID-c")
    store.reorder_setting(merchant["id"], kakao["id"], "default")
    assert shown(get(app, "/payments/ready/" + CODE))[1:3] == ("kakaopay", "MID-c")


def test_popup_pgs_are_marked_from_the_catalog(app):
    assert 'data-popup="yes"' in get(app, "/payments/ready/{}/eximbay/EXI-1".format(CODE)).text
    assert 'data-popup="no"' in get(app, "/payments/ready/{}/kakaopay/MID-c".format(CODE)).text


def test_the_tier_reaches_the_page_for_the_open_request(app):
    assert 'data-tier="T01"' in get(app, "/payments/ready/{}?tier=T01".format(CODE)).text


def test_actions_are_hidden_and_disabled_until_ready(app):
    page = get(app, "/payments/ready/" + CODE).text
    assert re.search(r'<section id="actions" class="actions" hidden>', page)
    for name in ("approve", "decline", "cancel"):
        assert re.search(r'data-testid="{}" disabled>'.format(name), page), name
    assert "data-window-state" not in page.split("<body", 1)[1].split(">", 1)[0]
    with open(os.path.join(STATIC, "sandbox.css"), encoding="utf-8") as css:
        assert "[hidden] { display: none !important; }" in css.read()


@pytest.mark.parametrize("name", ["window.js", "actions.js", "pg.js"])
def test_the_window_script_posts_no_ready_and_never_to_any_origin(name):
    with open(os.path.join(SCRIPTS, name), encoding="utf-8") as source:
        script = source.read()
    # iamport.js takes any message from the service as a result: only the answer is posted.
    assert 'action: "ready"' not in script
    assert '"*")' not in script


PG_FORM = {
    "imp_uid": "imp_123456789012",
    "request_id": "req_1700000000000",
    "user_code": CODE,
    "origin": "http://localhost:8000",
    "action": "payment",
    "name": "Mug",
    "amount": "25",
    "currency": "USD",
    "pay_method": "card",
    "pg_provider": "eximbay",
    "pg_id": "EXI-1",
    "merchant_uid": "order-9",
}


def pg_page(app, form=None, imp_uid="imp_123456789012", **options):
    return get(
        app,
        "/sandbox/pg/" + imp_uid,
        method="POST",
        data=PG_FORM if form is None else form,
        **options,
    )


def test_the_pg_page_renders_the_form(app):
    page = pg_page(app)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    for needle in (
        'data-origin="http://localhost:8000"',
        'data-request-id="req_1700000000000"',
        'data-imp-uid="imp_123456789012"',
        ">Mug<",
        ">USD<",
        "엑심베이",
        "sandboxActions(",
        'data-testid="approve" disabled',
    ):
        assert needle in page.text, needle


def test_the_pg_page_shows_identity_fields_for_a_certification(app):
    page = pg_page(app, dict(PG_FORM, action="certification", pg_provider="danal"))
    assert page.status_code == 200 and 'data-testid="person-name"' in page.text
    assert 'data-testid="order-amount"' not in page.text


def test_the_pg_page_escapes_what_it_shows(app):
    page = pg_page(
        app, dict(PG_FORM, name="<img src=x onerror=alert(1)>", pg_id='"><script>alert(1)</script>')
    )
    assert page.status_code == 200
    assert "<img src=x" not in page.text and "<script>alert" not in page.text
    assert "&lt;img src=x" in page.text


@pytest.mark.parametrize(
    "change",
    [
        {"origin": "*"},
        {"origin": "javascript:alert(1)"},
        {"origin": "http://shop.test/path"},
        {"origin": "file://"},
        {"origin": "null"},
        {"origin": ""},
        {"origin": "http://a b"},
        {"request_id": ""},
        {"request_id": "r" * 81},
        {"imp_uid": "imp_other"},
        {"action": "refund"},
        {"name": "n" * 201},
        {"user_code": None},
    ],
)
def test_the_pg_page_refuses_garbage_with_a_4xx(app, change):
    form = {key: value for key, value in dict(PG_FORM, **change).items() if value is not None}
    answer = pg_page(app, form)
    assert answer.status_code == 400 and answer.json()["code"] != 0


def test_the_pg_page_takes_only_a_bounded_form(app):
    assert pg_page(app, form={}, json=PG_FORM).status_code == 415
    assert pg_page(app, dict(PG_FORM, name="x" * 5000)).status_code == 413
    assert get(app, "/sandbox/pg/imp_123456789012").status_code == 405


def test_the_window_takes_its_codes_from_the_sdk_table(http):
    from iamport_py import errors

    page = http.get("/payments/ready/imp10000001/html5_inicis/MID-a")
    assert '"windowError":"{}"'.format(errors.WINDOW_ERROR) in page.text
    for code in errors.DECLINE_CODES:
        korean, english = errors.MESSAGES[code]
        assert code in page.text and korean in page.text and english in page.text
