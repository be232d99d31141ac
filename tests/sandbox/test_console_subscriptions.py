"""The console's billing keys and schedules (issue 11): list and detail, the merchant's own."""

import time

from tests.sandbox.conftest import token

CARD = {"card_number": "4111-1111-1111-1111", "expiry": "2099-12", "birth": "900131"}


def _rest(http, method, path, **kwargs):
    answer = http.request(method, "/api" + path, headers={"Authorization": token(http)}, **kwargs)
    assert answer.status_code == 200 and answer.json()["code"] == 0, answer.text
    return answer.json()["response"]


def test_billing_keys_and_schedules_are_listed_and_shown(console):
    http = console.http
    _rest(http, "POST", "/subscribe/customers/cons-1", json=dict(CARD, customer_name="홍길동"))
    _rest(
        http,
        "POST",
        "/subscribe/payments/schedule",
        json={
            "customer_uid": "cons-1",
            "schedules": [
                {
                    "merchant_uid": "cons-s-1",
                    "amount": 9900,
                    "schedule_at": int(time.time()) + 86400,
                }
            ],
        },
    )
    nav = http.get("/console/payments").text
    assert 'href="/console/billing-keys"' in nav and 'href="/console/schedules"' in nav
    keys = http.get("/console/billing-keys")
    assert keys.status_code == 200 and "cons-1" in keys.text and "411111******1111" in keys.text
    assert "4111111111111111" not in keys.text
    key = http.get("/console/billing-keys/cons-1")
    assert key.status_code == 200 and "홍길동" in key.text and "cons-s-1" in key.text
    schedules = http.get("/console/schedules")
    assert schedules.status_code == 200 and "cons-s-1" in schedules.text
    schedule = http.get("/console/schedules/cons-s-1")
    assert schedule.status_code == 200 and "scheduled" in schedule.text and "9,900" in schedule.text
    assert http.get("/console/billing-keys/nobody").status_code == 404
    assert http.get("/console/schedules/nothing").status_code == 404


def test_the_pages_need_a_login(http):
    for path in (
        "/console/billing-keys",
        "/console/billing-keys/x",
        "/console/schedules",
        "/console/schedules/x",
    ):
        answer = http.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/console/login"
