"""Bad input gets a 4xx with a JSON body: never a 500, never a hang."""

import pytest

from iamport_sandbox.demo import DEMO
from tests.sandbox.conftest import token

JSON_ENDPOINTS = [
    "/api/users/getToken",
    "/api/payments/prepare",
    "/api/payments/cancel",
    "/api/subscribe/payments/again",
    "/sandbox/windows/open",
    "/sandbox/windows/imp_000000000000/complete",
    "/demo/orders",
    "/demo/verify",
]
BAD_BODIES = [
    b"{not json",
    b"[1, 2]",
    b'"text"',
    b"\xff\xfe",
    b"null",
    b"{}",
    b'{"imp_key": 1, "imp_secret": [], "merchant_uid": {}, "amount": "lots", '
    b'"imp_uid": 5, "customer_uid": true, "action": "payment", "request": 3}',
]


def _is_json_4xx(answer):
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith("application/json"), answer.text
    body = answer.json()
    assert body["code"] != 0 and body["message"]


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
def test_malformed_and_mistyped_bodies(http, path):
    auth = {"Authorization": token(http)}
    for body in BAD_BODIES:
        _is_json_4xx(
            http.post(
                path, content=body, headers=dict(auth, **{"Content-Type": "application/json"})
            )
        )


@pytest.mark.parametrize("path", JSON_ENDPOINTS + ["/console/login"])
def test_oversize_bodies_are_413(http, path):
    answer = http.post(
        path,
        content=b"x" * (70 * 1024),
        headers={"Content-Type": "application/json", "Authorization": token(http)},
    )
    assert answer.status_code == 413 and answer.json()["code"] != 0


def test_wrong_types_in_rest_fields(http):
    auth = {"Authorization": token(http)}
    for body in (
        {"merchant_uid": "x", "amount": -5},
        {"merchant_uid": "x", "amount": True},
        {"merchant_uid": "x" * 41, "amount": 5},
        {"merchant_uid": "x", "amount": "NaN"},
        {"merchant_uid": "x", "amount": 1e20},
    ):
        _is_json_4xx(http.post("/api/payments/prepare", json=body, headers=auth))


def test_window_open_with_bad_request_fields(http):
    for request in (
        {"merchant_uid": "m", "amount": "1000"},
        {"amount": 1000},
        {"merchant_uid": "m", "amount": 1000, "notice_url": [1]},
        {"merchant_uid": "m", "amount": 1000, "name": ["x"]},
    ):
        _is_json_4xx(
            http.post(
                "/sandbox/windows/open",
                json={
                    "action": "payment",
                    "user_code": DEMO["user_code"],
                    "pg_provider": "kakaopay",
                    "pg_id": "MID-c",
                    "request": request,
                },
            )
        )
    _is_json_4xx(
        http.post(
            "/sandbox/windows/open",
            json={
                "action": "payment",
                "user_code": "imp00000000",
                "pg_provider": "kakaopay",
                "pg_id": "MID-c",
                "request": {"merchant_uid": "m", "amount": 1},
            },
        )
    )


@pytest.mark.parametrize(
    "method,path",
    [
        ("PUT", "/api/users/getToken"),
        ("DELETE", "/api/payments/imp_1"),
        ("POST", "/users/pg/" + DEMO["user_code"]),
        ("GET", "/sandbox/windows/open"),
        ("GET", "/api/subscribe/payments/again"),
        ("PATCH", "/console/pg"),
    ],
)
def test_wrong_methods_are_405_json(http, method, path):
    answer = http.request(method, path)
    assert answer.status_code == 405 and answer.json()["code"] != 0


@pytest.mark.parametrize(
    "path",
    [
        "/nope",
        "/api/nope",
        "/web/../pyproject.toml",
        "/web/package.json.missing",
        "/web/.hidden",
        "/sandbox/receipts/imp_000000000000",
    ],
)
def test_unknown_paths_are_404_json(http, path):
    answer = http.get(path)
    assert answer.status_code == 404 and answer.json()["code"] != 0


def test_console_form_with_bad_encoding_is_400(console):
    answer = console.http.post(
        "/console/pg",
        content=b"csrf=%ff%fe&pg_provider=\xff",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert 400 <= answer.status_code < 500
