"""The store: one SQLite file in WAL mode, migrated by the service, and a restart loses nothing."""

import sqlite3

from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from iamport_sandbox.store import MIGRATIONS, Store
from tests.live import start_sandbox
from tests.sandbox.conftest import Console, pay, token


def test_schema_is_created_and_versioned(tmp_path):
    store = Store(str(tmp_path / "s.sqlite3"))
    assert store.schema_version() == len(MIGRATIONS)
    mode = sqlite3.connect(str(tmp_path / "s.sqlite3")).execute("PRAGMA journal_mode").fetchone()
    assert mode[0] == "wal"
    store.close()
    assert Store(str(tmp_path / "s.sqlite3")).schema_version() == len(MIGRATIONS)


def test_demo_registration_is_idempotent(tmp_path):
    store = Store(str(tmp_path / "s.sqlite3"))
    first = ensure_demo_merchant(store)
    second = ensure_demo_merchant(store)
    assert first["id"] == second["id"] and len(store.settings(first["id"])) == 3


def test_restart_keeps_merchants_settings_payments_and_sessions(tmp_path):
    import httpx

    config = Config(db_path=str(tmp_path / "s.sqlite3"), demo_backend=DEMO)
    server, app = start_sandbox(config)
    ensure_demo_merchant(app.state.store)
    with httpx.Client(base_url=server.url) as http:
        assert Console(http).login().status_code == 303
        rsp = pay(http, merchant_uid="keep-1")
        cookies = dict(http.cookies)
    server.stop()
    app.state.store.close()

    server, app = start_sandbox(config)
    try:
        with httpx.Client(base_url=server.url, cookies=cookies) as http:
            assert http.get("/console/pg", follow_redirects=False).status_code == 200
            settings = http.get("/users/pg/" + DEMO["user_code"]).json()["data"]
            assert [s["pg_id"] for s in settings] == ["MID-a", "MID-b", "MID-c"]
            payment = http.get(
                "/api/payments/" + rsp["imp_uid"], headers={"Authorization": token(http)}
            ).json()["response"]
            assert payment["status"] == "paid"
    finally:
        server.stop()
        app.state.store.close()
