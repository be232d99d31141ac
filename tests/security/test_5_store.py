"""Point 5: the store is private: 0600 files (0700 folder when created), tokens and
session ids kept only as digests, no session signing key."""

import os
import sqlite3
import stat

import httpx

from iamport_sandbox.demo import DEMO
from iamport_sandbox.store import Store
from tests.sandbox.conftest import csrf_of
from tests.security.conftest import count, get_token


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def _file_bytes(db_path):
    found = b""
    for suffix in ("", "-wal"):
        if os.path.exists(db_path + suffix):
            with open(db_path + suffix, "rb") as handle:
                found += handle.read()
    return found


def test_the_store_file_wal_and_shm_are_private(tmp_path):
    path = tmp_path / "made-by-the-sandbox" / "nested" / "s.sqlite3"
    old = os.umask(0o022)  # a usual umask: files would be 0644
    try:
        store = Store(str(path))
        store.create_merchant("m", "password-123")
    finally:
        os.umask(old)
    modes = {name: _mode(str(path) + name) for name in ("", "-wal", "-shm")}
    store.close()
    readable = [name for name, mode in modes.items() if mode & 0o077]
    count("5 store: files readable by others", tried=3, through=len(readable))
    assert modes == {"": 0o600, "-wal": 0o600, "-shm": 0o600}
    assert _mode(str(path.parent)) == 0o700 and _mode(str(path.parent.parent)) == 0o700


def test_an_existing_world_readable_store_is_tightened(tmp_path):
    path = tmp_path / "s.sqlite3"
    sqlite3.connect(str(path)).close()
    os.chmod(path, 0o644)
    Store(str(path)).close()
    assert _mode(str(path)) == 0o600


def test_tokens_and_session_ids_are_not_in_the_file(live):
    url, app = live()
    with httpx.Client(base_url=url, timeout=10) as http:
        token = get_token(http).json()["response"]["access_token"]
        assert (
            http.get("/api/payments/imp_000000000000", headers={"Authorization": token}).status_code
            == 404
        )  # still valid
        login = http.post(
            "/console/login",
            data={
                "csrf": csrf_of(http.get("/console/login")),
                "login": DEMO["login"],
                "password": DEMO["password"],
            },
        )
        assert login.status_code == 303
        session_id = http.cookies["iamport_console"]
    stored = _file_bytes(app.state.config.db_path)
    db = sqlite3.connect(app.state.config.db_path)
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())  # every row
    db.close()
    leaks = [
        name
        for name, secret in (("token", token), ("session id", session_id))
        if secret.encode() in stored
    ]
    count("5 store: live bearer secrets in the file", tried=2, through=len(leaks))
    assert leaks == []
    # Every row, and none at all: the signed-cookie console kept its key here as
    # "session_key"; a key under any other name is a row too.
    assert meta == {}, "meta rows in a fresh store: {}".format(sorted(meta))


def test_an_earlier_versions_session_key_leaves_the_file(tmp_path):
    from tests.sandbox.legacy import head_tracks

    path = str(tmp_path / "s.sqlite3")
    head_tracks.make_store(path, core=3, rest=1)  # before console sessions moved to the store
    key = "session-signing-key-" + "k" * 24
    db = sqlite3.connect(path)
    db.execute("INSERT INTO meta (key, value) VALUES ('session_key', ?)", (key,))
    db.commit()
    db.close()
    Store(path).close()
    db = sqlite3.connect(path)
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    db.close()
    assert "session_key" not in meta and key.encode() not in _file_bytes(path)
