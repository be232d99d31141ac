"""The window pages are usable after one request (issue 14): their stylesheet and scripts
are inline (the scripts with the window's facts written in), so nothing but the recording
POST stands between the page and "ready"; the decline message box follows the chosen code
in Korean and English (issue 15).
In-process (httpx.ASGITransport); the scripts themselves run in e2e/."""

import asyncio
import os
import re

import httpx
import pytest

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from iamport_sandbox.windows import facts, inline
from iamport_sandbox.windows.facts import DECLINE_CODES

CODE = DEMO["user_code"]
PG_FORM = {
    "imp_uid": "imp_123456789012",
    "request_id": "req_1700000000000",
    "user_code": CODE,
    "origin": "http://localhost:8000",
    "action": "payment",
    "pg_provider": "eximbay",
    "pg_id": "EXI-1",
    "language": "en",
}


@pytest.fixture
def app(tmp_path):
    app = create_app(Config(db_path=str(tmp_path / "sandbox.sqlite3")))
    ensure_demo_merchant(app.state.store)
    return app


def fetch(app, path, method="GET", **options):
    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            return await http.request(method, path, **options)

    return asyncio.run(go())


def pages(app):
    return {
        "window": fetch(app, "/payments/ready/{}/html5_inicis/MID-b".format(CODE)),
        "404 window": fetch(app, "/payments/ready/{}/kcp/NOPE".format(CODE)),
        "pg page": fetch(app, "/sandbox/pg/imp_123456789012", method="POST", data=PG_FORM),
    }


def static(name):
    """A file of the package as it is on disk."""
    with open(os.path.join(inline.PACKAGE, name), encoding="utf-8") as handle:
        return handle.read()


def as_served(name):
    """A script with the facts written in where its mark is (css: as it is)."""
    return static(name).replace(inline.FACTS_MARK, inline.facts_json())


CSS, ACTIONS = "static/sandbox.css", "windows/static/actions.js"
WINDOW, PG = "windows/static/window.js", "windows/static/pg.js"


def test_the_window_pages_ask_for_no_stylesheet_or_script(app):
    for name, page in pages(app).items():
        assert not re.search(r"<link[^>]+stylesheet|<script[^>]+src=", page.text), name
        assert static(CSS) in page.text, name
        assert as_served(ACTIONS) in page.text, name
        assert inline.FACTS_MARK not in page.text, name
    shown = pages(app)
    assert as_served(WINDOW) in shown["window"].text
    assert as_served(PG) in shown["pg page"].text


def test_the_scripts_are_served_where_they_always_were_facts_written_in(app):
    for name in (ACTIONS, WINDOW, PG):
        answer = fetch(app, "/sandbox/static/" + os.path.basename(name))
        assert answer.status_code == 200 and answer.text == as_served(name), name
        assert answer.headers["content-type"].startswith("text/javascript")


def test_the_actions_script_comes_before_the_page_script_that_uses_it(app):
    window = pages(app)["window"].text
    assert window.index(as_served(ACTIONS)) < window.index(as_served(WINDOW))


def test_a_file_holding_its_closing_tag_is_never_inlined(monkeypatch, tmp_path):
    for filename, _ in inline.INLINE.values():
        (tmp_path / filename).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / filename).write_text(static(filename), encoding="utf-8")
    (tmp_path / WINDOW).write_text("const s = '</SCRIPT><img>';", encoding="utf-8")
    monkeypatch.setattr(inline, "PACKAGE", str(tmp_path))
    with pytest.raises(ValueError, match=r"window\.js"):
        inline.inline_assets()


def test_facts_that_hold_a_closing_tag_are_written_in_escaped(monkeypatch):
    monkeypatch.setitem(facts.TEXTS, "done", "</script><b>")
    assert "</script" not in inline.facts_json() and "\\u003c/script>" in inline.facts_json()


def test_every_decline_code_carries_its_korean_and_english_message(app):
    text = pages(app)["window"].text
    for code, korean, english in DECLINE_CODES:
        assert korean and english and korean != english
        assert (
            '<option value="{}" data-msg-ko="{}" data-msg-en="{}">'.format(code, korean, english)
            in text
        )
    first = DECLINE_CODES[0][1]
    assert 'data-testid="decline-msg" value="{}"'.format(first) in text


def test_the_pg_page_passes_the_request_language_to_its_script(app):
    assert 'data-language="en"' in pages(app)["pg page"].text


def test_window_pages_go_out_gzip_when_the_browser_accepts_it(app):
    path = "/payments/ready/{}/html5_inicis/MID-b".format(CODE)
    packed = fetch(app, path, headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = fetch(app, path, headers={"Accept-Encoding": "identity"})
    assert packed.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert packed.headers["vary"] == "Accept-Encoding"
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.text == plain.text  # httpx decoded it: the same page
    pg_page = fetch(
        app,
        "/sandbox/pg/imp_123456789012",
        method="POST",
        data=PG_FORM,
        headers={"Accept-Encoding": "gzip"},
    )
    assert pg_page.status_code == 200 and pg_page.headers["content-encoding"] == "gzip"


def test_every_script_and_template_of_the_window_is_package_data():
    """A file left out of the wheel works in a checkout and breaks every installed sandbox."""
    import fnmatch
    import tomllib

    root = os.path.dirname(inline.PACKAGE)
    with open(os.path.join(root, "pyproject.toml"), "rb") as source:
        data = tomllib.load(source)["tool"]["setuptools"]["package-data"]
    windows = os.path.join(inline.PACKAGE, "windows")
    for folder in ("static", "templates"):
        for name in os.listdir(os.path.join(windows, folder)):
            path = folder + "/" + name
            assert any(
                fnmatch.fnmatch(path, pattern) for pattern in data["iamport_sandbox.windows"]
            ), path
