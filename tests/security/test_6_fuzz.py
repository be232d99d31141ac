"""Point 6: zero 5xx on malformed input. A property-based fuzz over every route of the
app (found from its route table, so new endpoints are covered too), in-process, and the
issue's own reproductions against a real server (a 500 also dropped the connection)."""

import json
import re
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from tests.sandbox.conftest import csrf_of
from tests.security.conftest import client, count

PARAM = re.compile(r"{([a-z_]+)(:[a-z]+)?}")


def _routes(routes, prefix=""):
    for route in routes:
        if (
            isinstance(route, Mount)
            and route.routes
            and not route.path.startswith(("/runtime", "/sdk", "/sandbox/static"))
        ):
            yield from _routes(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                yield method, prefix + route.path


texts = st.text(max_size=40) | st.sampled_from(
    [
        "\ud800",
        "²",
        "9" * 20,
        "a\nb",
        "../../etc",
        "imp_000000000000",
        DEMO["user_code"],
        "html5_inicis",
        "MID-a",
        "",
        " ",
        "%00",
        "\x00",
        "payment",
        "approve",
        "tee",
    ]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
FIELDS = [
    "imp_key",
    "imp_secret",
    "merchant_uid",
    "imp_uid",
    "amount",
    "action",
    "user_code",
    "pg_provider",
    "pg_id",
    "request",
    "request_id",
    "outcome",
    "product",
    "quantity",
    "customer_uid",
    "reason",
    "status",
    "login",
    "password",
    "pg_provider",
    "type",
    "webhook_url",
    "new_password",
    "confirm",
    "origin",
    "notice_url",
    "custom_data",
]
objects = st.dictionaries(st.sampled_from(FIELDS) | texts, json_values, max_size=6)


def _raw_json(value):
    # Lone surrogates travel as JSON escapes, as an attacker would send them.
    return json.dumps(value, allow_nan=True).encode()


bodies = st.one_of(
    objects.map(lambda value: ("application/json", _raw_json(value))),
    json_values.map(lambda value: ("application/json", _raw_json(value))),
    st.integers(1, 60000).map(lambda depth: ("application/json", b"[" * depth)),
    st.binary(max_size=200).map(lambda raw: ("application/json", raw)),
    st.dictionaries(
        st.sampled_from(FIELDS + ["csrf"]), texts.filter(lambda t: "\ud800" not in t), max_size=6
    ).map(
        lambda form: (
            "application/x-www-form-urlencoded",
            "&".join("{}={}".format(quote(k), quote(v)) for k, v in form.items()).encode(),
        )
    ),
    st.binary(max_size=200).map(lambda raw: ("application/x-www-form-urlencoded", raw)),
)
segments = st.one_of(
    texts.filter(lambda t: "\ud800" not in t).map(lambda t: quote(t, safe="")),
    st.binary(max_size=20).map(lambda raw: quote_from_bytes(raw, safe="")),
)


@pytest.fixture(scope="module")
def app_clients(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "s.sqlite3"
    app = create_app(
        Config(
            db_path=str(path),
            demo_backend=DEMO,
            login_free_failures=2,
            login_backoff=60,
            address_free_failures=4,
            window_opens_per_minute=10**6,
            webhook_attempts=1,
        )
    )
    ensure_demo_merchant(app.state.store)
    with (
        TestClient(app, raise_server_exceptions=False) as anonymous,
        TestClient(app, raise_server_exceptions=False) as member,
    ):
        member.post(
            "/console/login",
            data={
                "csrf": csrf_of(member.get("/console/login")),
                "login": DEMO["login"],
                "password": DEMO["password"],
            },
        )
        token = csrf_of(member.get("/console/pg"))
        yield app, anonymous, member, token
    app.state.store.close()


def test_every_route_answers_malformed_input_with_a_4xx_never_a_5xx(app_clients):
    app, anonymous, member, csrf = app_clients
    routes = sorted(set(_routes(app.routes)))
    assert len(routes) > 30
    tried, failures = [0], []

    @settings(
        max_examples=700, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(
        route=st.sampled_from(routes),
        params=st.lists(segments, min_size=3, max_size=3),
        body=bodies,
        logged_in=st.booleans(),
        with_csrf=st.booleans(),
        query=st.dictionaries(
            st.sampled_from(["tier", "callback", "status", "notice"]),
            texts.filter(lambda t: "\ud800" not in t),
            max_size=2,
        ),
    )
    def fuzz(route, params, body, logged_in, with_csrf, query):
        method, template = route
        names = iter(params)
        path = PARAM.sub(lambda _: next(names) or "x", template)
        content_type, content = body
        if with_csrf and content_type.endswith("urlencoded"):
            content = b"csrf=" + csrf.encode() + b"&" + content
        http = member if logged_in else anonymous
        answer = http.request(
            method,
            path,
            content=content,
            params=query,
            headers={"Content-Type": content_type, "Authorization": "not-a-token"},
            follow_redirects=False,
        )
        tried[0] += 1
        problem = None
        if answer.status_code >= 500:
            problem = "5xx"
        elif 400 <= answer.status_code < 500:
            kind = answer.headers.get("content-type", "")
            html_ok = template.startswith("/console") or "/ready/" in template
            if not (
                kind.startswith("application/json")
                or (html_ok and "html" in kind)
                or kind.startswith("application/javascript")
            ):
                problem = "4xx without JSON"
        if problem:
            failures.append(
                (problem, method, path, content[:80], answer.status_code, answer.text[:200])
            )
        assert problem is None, failures[-1]

    try:
        fuzz()
    finally:
        count("6 fuzz: requests answered 5xx (in-process)", tried=tried[0], through=len(failures))


ISSUE_CASES = [
    ("POST", "/api/users/getToken", b'{"imp_key": "\\ud800", "imp_secret": "x"}'),
    (
        "POST",
        "/sandbox/windows/open",
        b'{"action": "payment", "user_code": "imp10000001", '
        b'"pg_provider": "html5_inicis", "pg_id": "MID-a", "request": {"merchant_uid": '
        b'"\\ud800", "amount": 1000, "request_id": "r", "name": "\\udfff"}}',
    ),
    ("POST", "/api/payments/prepare", b"[" * 50000),
    ("POST", "/demo/orders", b'{"product": {}}'),
    ("POST", "/demo/verify", b'{"imp_uid": "imp_1\\n2", "merchant_uid": "m"}'),
    ("POST", "/demo/verify", b'{"imp_uid": "\\ud800", "merchant_uid": "\\ud800"}'),
    ("GET", "/console/pg/%C2%B2/edit", b""),
    ("GET", "/console/pg/" + "9" * 20 + "/edit", b""),
    ("POST", "/console/pg/" + "9" * 20 + "/delete", b"csrf=x"),
    (
        "POST",
        "/sandbox/windows/open",
        b'{"action": "payment", "request": {"custom_data": ' + b"[" * 900 + b"]" * 900 + b"}}",
    ),
]


def test_the_issues_reproductions_answer_4xx_and_keep_the_connection(live):
    url, _ = live()
    statuses = []
    with client(url) as http:
        for method, path, content in ISSUE_CASES:
            answer = http.request(
                method, path, content=content, headers={"Content-Type": "application/json"}
            )
            statuses.append((path, answer.status_code, answer.headers.get("connection")))
    count(
        "6 fuzz: the issue's 5xx reproductions",
        tried=len(ISSUE_CASES),
        through=sum(1 for _, status, _ in statuses if status >= 500),
    )
    # 4xx, or 303 to the login page for the console's GETs without a session.
    assert all(400 <= status < 500 or status == 303 for _, status, _ in statuses), statuses
    assert all(connection != "close" for _, _, connection in statuses), statuses
