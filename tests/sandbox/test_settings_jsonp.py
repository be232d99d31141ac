"""GET /users/pg/{user_code}?callback=<name>: the settings by JSONP, as iamport.js 1.2
reads them (issue 10 §1). In-process through httpx.ASGITransport."""

import asyncio
import json

import httpx
import pytest

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from tests.seeded import seed_file

URL = "/users/pg/" + DEMO["user_code"]


@pytest.fixture
def app(tmp_path):
    app = create_app(Config(db_path=seed_file(tmp_path / "sandbox.sqlite3")))
    merchant = ensure_demo_merchant(app.state.store)
    app.state.store.add_setting(
        merchant["id"],
        {
            "pg_provider": "kcp",
            "pg_id": "T-KCP",
            "type": "payment",
            "sandbox": True,
            "tier_code": "T01",
        },
    )
    yield app
    app.state.store.close()


def get(app, url, **params):
    async def call():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return await client.get(url, params=params)

    return asyncio.run(call())


def unwrap(answer, name):
    """The JSON inside ``name(...);``."""
    text = answer.text
    assert text.startswith(name + "(") and text.endswith(");"), text
    return json.loads(text[len(name) + 1 : -2])


def test_jsonp_wraps_the_same_json_as_a_script(app):
    plain = get(app, URL)
    answer = get(app, URL, callback="jQuery36001234_1700000000000", _="1700000000000")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/javascript")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["access-control-allow-origin"] == "*"
    assert unwrap(answer, "jQuery36001234_1700000000000") == plain.json()


@pytest.mark.parametrize("name", ["cb", "$jsonp", "_x1", "IMP.cb", "a.b.c", "jQuery123_456"])
def test_jsonp_takes_plain_and_dotted_identifiers(app, name):
    assert unwrap(get(app, URL, callback=name), name)["code"] == 0


def test_jsonp_answers_200_for_an_unknown_user_code_so_the_script_runs(app):
    answer = get(app, "/users/pg/imp00000000", callback="cb")
    assert answer.status_code == 200
    body = unwrap(answer, "cb")
    assert body["code"] != 0 and body["msg"] == "unknown user code" and body["data"] is None
    assert get(app, "/users/pg/imp00000000").status_code == 404


def test_jsonp_reads_a_tier(app):
    assert [s["pg_id"] for s in unwrap(get(app, URL, callback="cb", tier="T01"), "cb")["data"]] == [
        "T-KCP"
    ]
    assert unwrap(get(app, URL, callback="cb", tier="NOPE"), "cb")["code"] != 0


@pytest.mark.parametrize(
    "name",
    [
        "alert(1)//",
        "a b",
        "1abc",
        "a..b",
        ".a",
        "a.",
        "a;b",
        "a-b",
        "é",
        "</script>",
        "x" * 101,
        "a.b.c.d.e.f",
    ],
)
def test_a_callback_that_is_not_an_identifier_is_refused(app, name):
    answer = get(app, URL, callback=name)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["code"] != 0 and "callback" in answer.json()["msg"]


def test_an_empty_callback_is_plain_json(app):
    answer = get(app, URL, callback="")
    assert answer.status_code == 200 and answer.json()["code"] == 0


def test_jsonp_escapes_line_separators(app):
    store = app.state.store
    merchant = store.merchant_by_code(DEMO["user_code"])
    store.add_setting(
        merchant["id"],
        {"pg_provider": "kcp", "pg_id": "K\u2028</script>", "type": "payment", "sandbox": True},
    )
    text = get(app, URL, callback="cb").text
    assert "\u2028" not in text and "\\u2028" in text
