"""Point 8: unauthenticated window endpoints cannot grow the store without bound."""

import os
import time

from iamport_sandbox.demo import DEMO
from tests.sandbox.conftest import open_payment
from tests.security.conftest import client, count


def _size(path):
    return sum(
        os.path.getsize(path + suffix) for suffix in ("", "-wal") if os.path.exists(path + suffix)
    )


def test_large_custom_data_is_refused_at_window_open(live):
    url, app = live()
    path = app.state.config.db_path
    with client(url) as http:
        before = _size(path)
        answers = [
            open_payment(
                http,
                {
                    "merchant_uid": "big-{}".format(n),
                    "request_id": "req_big_{}".format(n),
                    "custom_data": {"blob": "x" * 60000},
                },
            )
            for n in range(200)
        ]
        grown = _size(path) - before
    kept = sum(1 for answer in answers if answer.status_code == 200)
    count("8 growth: 60 KB custom_data opens kept", tried=200, through=kept)
    assert kept == 0 and all(answer.status_code == 413 for answer in answers)
    assert grown < 100 * 1024, grown  # was 13.9 MB


def test_custom_data_within_the_limit_is_kept(live):
    url, _ = live(window_custom_data_max=1024)
    with client(url) as http:
        answer = open_payment(http, {"custom_data": {"order": "x" * 900}})
        assert answer.status_code == 200
        assert answer.json()["response"]["custom_data"] == {"order": "x" * 900}
        assert open_payment(http, {"custom_data": "x" * 1100}).status_code == 413


def test_opens_per_user_code_per_minute_are_limited(live):
    url, app = live(window_opens_per_minute=20)
    other = app.state.store.create_merchant("other", "other-password")
    app.state.store.add_setting(
        other["id"], {"pg_provider": "kakaopay", "pg_id": "K", "type": "payment", "sandbox": True}
    )
    started = time.monotonic()
    with client(url) as http:
        answers = [
            open_payment(
                http, {"merchant_uid": "r-{}".format(n), "request_id": "req_r_{}".format(n)}
            )
            for n in range(60)
        ]
        others = open_payment(
            http,
            {"merchant_uid": "o-1"},
            pg_provider="kakaopay",
            pg_id="K",
            user_code=other["user_code"],
        )
    # A bucket of 20 that refills one every 3 s while the test runs.
    allowed = 20 + int((time.monotonic() - started) / 3)
    opened = sum(1 for answer in answers if answer.status_code == 200)
    refused = [answer for answer in answers if answer.status_code == 429]
    count("8 growth: opens past the per-minute limit", tried=60, through=max(0, opened - allowed))
    assert 20 <= opened <= allowed and len(refused) == 60 - opened
    assert int(refused[0].headers["retry-after"]) >= 1
    assert others.status_code == 200  # another merchant is not affected
    # ... and what it opened is the other merchant's; the limited one kept what it opened.
    demo = app.state.store.merchant_by_code(DEMO["user_code"])
    opened_for = {
        merchant["user_code"]: [
            row["merchant_uid"] for row in app.state.store.payments(merchant["id"], limit=1000)
        ]
        for merchant in (demo, other)
    }
    assert opened_for[other["user_code"]] == ["o-1"]
    assert "o-1" not in opened_for[DEMO["user_code"]]
    assert len(opened_for[DEMO["user_code"]]) == opened
