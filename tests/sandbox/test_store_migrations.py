"""The store's one migration runner over one numbered list: a new file gets the schema a
new file always got, and every store an earlier version made (the four old tracks, at any
combination of their levels) is upgraded to the latest number without losing a row.

The old stores come from the old code itself, not from the code under test: a store file
written by commit 29ea7dd (``legacy/head_store.sqlite3``, made by
``legacy/make_head_store.py``), and ``legacy/head_tracks.py``, that commit's migration
scripts kept verbatim, replayed to any combination of the tracks' levels.
"""

import itertools
import json
import os
import re
import shutil
import sqlite3
import threading

import pytest

from iamport_sandbox import security
from iamport_sandbox.store import MIGRATIONS, Store, migrations
from tests.sandbox.legacy import head_tracks

LEGACY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "legacy")
LATEST = len(MIGRATIONS)
OLD_MARKERS = ("rest_schema", "security_schema", "console_schema")
# A channel key as PortOne issues them: a UUID v4 after the prefix.
KEY_SHAPE = re.compile(
    r"^channel-key-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)


def _schema(path):
    """Tables with their columns (any order), indexes and foreign keys: what a schema is,
    whatever order the columns were added in."""
    db = sqlite3.connect(path)
    try:
        found = {}
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            columns = sorted(
                tuple(row[1:]) for row in db.execute("PRAGMA table_info({})".format(table))
            )
            indexes = sorted(
                (
                    row[1],
                    row[2],
                    tuple(info[2] for info in db.execute("PRAGMA index_info('{}')".format(row[1]))),
                )
                for row in db.execute("PRAGMA index_list({})".format(table))
            )
            keys = sorted(
                tuple(row[2:5]) for row in db.execute("PRAGMA foreign_key_list({})".format(table))
            )
            found[table] = (columns, indexes, keys)
        return found
    finally:
        db.close()


def _meta(path):
    db = sqlite3.connect(path)
    try:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())
    finally:
        db.close()


@pytest.fixture(scope="module")
def old_fresh_schema(tmp_path_factory):
    """The schema the old code gave a new file (all four tracks at their last level), with
    what the migrations after the old tracks' six add."""
    path = str(tmp_path_factory.mktemp("old") / "fresh.sqlite3")
    head_tracks.make_store(path, core=3, rest=1, security=1, console=1)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for migration in MIGRATIONS[6:]:
            migrations._apply(db, migration.step)
    finally:
        db.close()
    return _schema(path)


# -- the list and its mapping -------------------------------------------------------------


def test_the_old_tracks_steps_are_numbers_1_to_6_in_the_old_constructors_order():
    assert [m.was for m in MIGRATIONS[:6]] == [
        ("user_version", 1),
        ("user_version", 2),
        ("user_version", 3),
        ("rest_schema", 1),
        ("security_schema", 1),
        ("console_schema", 1),
    ]


def test_released_migrations_keep_the_old_tracks_scripts():
    old = [
        *head_tracks.MIGRATIONS,
        *head_tracks.REST_MIGRATIONS,
        *head_tracks.SECURITY_MIGRATIONS,
        *head_tracks.CONSOLE_MIGRATIONS,
    ]
    for number, (script, migration) in enumerate(zip(old, MIGRATIONS, strict=False), 1):
        if isinstance(script, str):
            assert migration.step == script, number
        else:  # the channel keys: a function in both (compared by what it does, below)
            assert callable(migration.step), number


# -- a new file ---------------------------------------------------------------------------


def test_a_new_file_gets_the_schema_a_new_file_always_got(tmp_path, old_fresh_schema):
    path = str(tmp_path / "new.sqlite3")
    store = Store(path)
    try:
        assert store.schema_version() == LATEST
    finally:
        store.close()
    assert _schema(path) == old_fresh_schema
    assert not set(OLD_MARKERS) & set(_meta(path))


def test_two_stores_opening_one_new_file_at_once_migrate_it_once(tmp_path):
    path = str(tmp_path / "race.sqlite3")
    stores, errors = [], []

    def open_it():
        try:
            stores.append(Store(path))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    assert errors == [] and len(stores) == 2
    assert Store(path).schema_version() == LATEST


# -- the store the old code wrote -----------------------------------------------------------


@pytest.fixture
def head_store(tmp_path):
    """A copy of the store commit 29ea7dd wrote, and the secrets it was given."""
    path = str(tmp_path / "head.sqlite3")
    shutil.copyfile(os.path.join(LEGACY, "head_store.sqlite3"), path)
    with open(os.path.join(LEGACY, "head_store.json"), encoding="utf-8") as made:
        return path, json.load(made)


def test_the_fixture_is_a_store_of_the_four_tracks(head_store):
    path, _ = head_store
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    db.close()
    assert {key: _meta(path)[key] for key in OLD_MARKERS} == dict.fromkeys(OLD_MARKERS, "1")


def test_the_old_codes_store_is_upgraded_with_every_row(head_store, old_fresh_schema):
    path, made = head_store
    store = Store(path)
    try:
        assert store.schema_version() == LATEST
        merchant = store.merchant_by_code(made["merchant"]["user_code"])
        mid = merchant["id"]
        assert merchant["login"] == made["merchant"]["login"]
        assert security.verify_secret(made["merchant"]["password"], merchant["password_hash"])
        assert security.verify_secret(made["merchant"]["imp_secret"], merchant["imp_secret_hash"])
        assert merchant["imp_secret_tail"] == made["merchant"]["imp_secret"][-4:]
        assert merchant["webhook_url"] == "http://127.0.0.1:9/hook"
        assert store.merchant_by_login("other") is not None

        settings = store.settings(mid)  # the second was made the default (a swap)
        by_mid = {s["pg_id"]: s for s in made["settings"]}
        assert [s["pg_id"] for s in settings] == ["MID-L2", "MID-L1", "CERT-L"]
        for setting in settings + store.settings(mid, "T01"):
            assert setting["channel_key"] == by_mid[setting["pg_id"]]["channel_key"]
        assert settings[1]["masked"] == {"sign_key": "••••••3456"}
        assert [s["pg_id"] for s in store.settings(mid, "T01")] == ["TIER-L"]

        paid = store.payment(mid, made["paid"])
        assert (
            paid["status"],
            paid["amount"],
            paid["apply_num"],
            paid["card_number"],
            paid["channel"],
            paid["buyer_name"],
        ) == ("paid", 1000, "12345678", "123456******1234", "pc", "홍길동")
        assert json.loads(paid["request_json"]) == {"pg": "html5_inicis.MID-L1", "amount": 1000}
        assert [e["status"] for e in store.payment_events(mid, made["paid"])] == ["ready", "paid"]
        vbank = store.payment(mid, made["vbank"])
        assert store.payment_events(mid, made["vbank"])[0]["note"].endswith(
            "virtual account issued"
        )
        assert (vbank["vbank_num"], vbank["vbank_date"]) == ("110-123-456789", 2000000000)
        certified = store.certification(mid, made["certification"])
        assert (certified["status"], certified["name"], certified["unique_key"]) == (
            "certified",
            "홍길동",
            "uk-1",
        )

        assert store.prepared(mid, "order-prepared")["amount"] == 2500
        assert store.billing_key(mid, "customer-1")["card_number"] == "123456******1234"
        assert store.schedule(mid, "order-later")["schedule_status"] == "scheduled"
        assert store.cash_receipt(mid, made["paid"])["receipt_tid"] == "rt-1"
        assert json.loads(store.escrow_logis(mid, made["paid"])["sender"]) == {"name": "shop"}

        assert store.merchant_for_token(made["token"])["id"] == mid
        assert store.session(made["session_id"])["csrf"] == made["csrf"]
        [webhook] = store.pending_webhooks()
        assert (webhook["imp_uid"], json.loads(webhook["payload"])["status"]) == (
            made["paid"],
            "paid",
        )

        # ... and it takes new rows as a new store does.
        assert store.create_payment(
            mid, {"merchant_uid": "after", "status": "ready", "pg_provider": "kcp"}
        )["imp_uid"]
        added = store.setting(
            mid,
            store.add_setting(
                mid, {"pg_provider": "kcp", "pg_id": "NEW", "type": "payment", "sandbox": True}
            ),
        )
        assert KEY_SHAPE.match(added["channel_key"])
    finally:
        store.close()
    assert _schema(path) == old_fresh_schema
    assert not set(OLD_MARKERS) & set(_meta(path))


# -- any combination of the old tracks ------------------------------------------------------

# The keys of a store that had channel keys already (they must stay as they are).
OLD_KEYS = {
    "OLD-A": "channel-key-30000003-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
    "OLD-B": "channel-key-30000003-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
}
COMBINATIONS = [(0, 0, 0, 0)] + list(itertools.product((1, 2, 3), (0, 1), (0, 1), (0, 1)))


def _fill(path, core, security_level, console):
    """One row of each kind the store had at those levels, written as that code wrote it."""
    db = sqlite3.connect(path)
    tail = {"imp_secret_tail": "abcd"} if console else {}
    _insert(
        db,
        "merchants",
        id=1,
        user_code="imp30000003",
        login="old",
        password_hash=security.hash_secret("old-password"),
        imp_key="3000000000000003",
        imp_secret_hash="h",
        created_at=1,
        **tail,
    )
    for position, (mid, key) in enumerate(OLD_KEYS.items()):
        given = {"channel_key": key} if core >= 3 else {}
        _insert(
            db,
            "pg_settings",
            merchant_id=1,
            position=position,
            pg_provider="kcp",
            pg_id=mid,
            type="payment",
            sandbox=1,
            created_at=1,
            credentials='{"sign_key": "OLD-SIGN-SECRET-0001"}',
            **given,
        )
    _insert(
        db,
        "payments",
        imp_uid="imp_000000000001",
        merchant_id=1,
        merchant_uid="o-1",
        status="paid",
        amount=1000,
        pg_provider="kcp",
        pg_id="OLD-A",
        started_at=1,
        paid_at=2,
        updated_at=2,
    )
    if core == 1:  # before migration 2 an identity check was a payment
        _insert(
            db,
            "payments",
            imp_uid="imp_000000000002",
            merchant_id=1,
            merchant_uid="c-1",
            kind="certification",
            status="paid",
            pg_provider="danal",
            buyer_name="홍길동",
            certified=1,
            unique_key="uk",
            started_at=1,
            paid_at=3,
            updated_at=3,
        )
    else:
        _insert(
            db,
            "certifications",
            imp_uid="imp_000000000002",
            merchant_id=1,
            merchant_uid="c-1",
            status="certified",
            pg_provider="danal",
            name="홍길동",
            certified=1,
            certified_at=3,
            unique_key="uk",
            started_at=1,
            updated_at=3,
        )
    # Before the security track, tokens were kept as they were issued.
    token = "old-token-0123456789"
    stored = token if not security_level else security.token_digest(token)
    _insert(db, "tokens", token=stored, merchant_id=1, expires_at=4102444800)
    _insert(
        db,
        "webhooks",
        merchant_id=1,
        imp_uid="imp_000000000001",
        url="http://h/",
        payload='{"status": "paid"}',
        state="pending",
        created_at=2,
        updated_at=2,
    )
    db.commit()
    db.close()
    return token


def _insert(db, table, **values):
    db.execute(
        "INSERT INTO {} ({}) VALUES ({})".format(
            table, ", ".join(values), ", ".join("?" for _ in values)
        ),
        tuple(values.values()),
    )


@pytest.mark.parametrize(("core", "rest", "security_level", "console"), COMBINATIONS)
def test_every_combination_of_the_old_tracks_is_upgraded(
    tmp_path, old_fresh_schema, core, rest, security_level, console
):
    path = str(tmp_path / "old.sqlite3")
    head_tracks.make_store(path, core, rest, security_level, console)
    token = _fill(path, core, security_level, console) if core else None
    store = Store(path)
    try:
        assert store.schema_version() == LATEST
        if core:
            settings = store.settings(1)
            assert [s["pg_id"] for s in settings] == ["OLD-A", "OLD-B"]
            keys = [s["channel_key"] for s in settings]
            assert len(set(keys)) == 2 and all(KEY_SHAPE.match(k) for k in keys)
            assert (keys == list(OLD_KEYS.values())) == (core >= 3)
            assert settings[0]["masked"] == {"sign_key": "••••••0001"}
            payment = store.payment(1, "imp_000000000001")
            assert (payment["status"], payment["amount"], payment["paid_at"]) == ("paid", 1000, 2)
            assert [p["imp_uid"] for p in store.payments(1)] == ["imp_000000000001"]
            certified = store.certification(1, "imp_000000000002")
            assert (
                certified["status"],
                certified["name"],
                certified["unique_key"],
                certified["certified_at"],
            ) == ("certified", "홍길동", "uk", 3)
            assert store.merchant_for_token(token)["login"] == "old"
            assert [w["imp_uid"] for w in store.pending_webhooks()] == ["imp_000000000001"]
    finally:
        store.close()
    assert _schema(path) == old_fresh_schema
    assert not set(OLD_MARKERS) & set(_meta(path))


def test_keys_given_by_migration_3_are_unique_and_kept_keys_unchanged(tmp_path):
    path = str(tmp_path / "old.sqlite3")
    head_tracks.make_store(path, core=2, rest=1, security=1, console=1)
    _fill(path, core=2, security_level=1, console=1)
    store = Store(path)
    first = [s["channel_key"] for s in store.settings(1)]
    store.close()
    store = Store(path)  # a second open migrates nothing
    try:
        assert [s["channel_key"] for s in store.settings(1)] == first
        assert len(set(first)) == 2
    finally:
        store.close()


def test_certifications_recorded_as_payments_move_with_their_webhooks_dropped(tmp_path):
    path = str(tmp_path / "v1.sqlite3")
    head_tracks.make_store(path, core=1)
    db = sqlite3.connect(path)
    db.execute("INSERT INTO merchants VALUES (1, 'imp1', 'l', 'h', 'k', 'h', NULL, 0)")
    db.execute(
        "INSERT INTO payments (imp_uid, merchant_id, merchant_uid, request_id, kind, "
        "status, pg_provider, pg_id, buyer_name, buyer_tel, certified, unique_key, "
        "started_at, paid_at, updated_at) VALUES ('imp_cert', 1, 'o-1', 'req_1', "
        "'certification', 'paid', 'danal', 'D1', '홍길동', '010', 1, 'uk', 5, 6, 6)"
    )
    db.execute(
        "INSERT INTO payments (imp_uid, merchant_id, merchant_uid, status, pg_provider, "
        "started_at, updated_at) VALUES ('imp_pay', 1, 'o-1', 'ready', 'kcp', 5, 5)"
    )
    db.execute(
        "INSERT INTO webhooks (merchant_id, imp_uid, url, payload, state, created_at, "
        "updated_at) VALUES (1, 'imp_cert', 'http://x', '{}', 'pending', 0, 0)"
    )
    db.commit()
    db.close()
    store = Store(path)
    try:
        assert store.schema_version() == LATEST
        moved = store.certification(1, "imp_cert")
        assert (
            moved["status"],
            moved["name"],
            moved["phone"],
            moved["unique_key"],
            moved["certified_at"],
        ) == ("certified", "홍길동", "010", "uk", 6)
        assert [p["imp_uid"] for p in store.payments(1)] == ["imp_pay"]
        assert "kind" not in store.payment(1, "imp_pay")
        assert store.pending_webhooks() == []
    finally:
        store.close()


# -- a migration that fails ----------------------------------------------------------------


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    path = str(tmp_path / "s.sqlite3")
    Store(path).close()
    broken = migrations.Migration("broken", "CREATE TABLE half (a); INSERT INTO nowhere VALUES (1)")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "LATEST", LATEST + 1)
    with pytest.raises(sqlite3.OperationalError):
        Store(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchall() == []
    db.close()


def test_an_old_store_whose_upgrade_fails_keeps_its_old_markers(tmp_path, monkeypatch):
    path = str(tmp_path / "old.sqlite3")
    head_tracks.make_store(path, core=2, rest=1, security=1, console=1)
    _fill(path, core=2, security_level=1, console=1)

    def no_key():
        raise RuntimeError("no randomness today")

    monkeypatch.setattr(security, "new_channel_key", no_key)
    with pytest.raises(RuntimeError):
        Store(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    db.close()
    assert {key: _meta(path)[key] for key in OLD_MARKERS} == dict.fromkeys(OLD_MARKERS, "1")
    monkeypatch.undo()
    store = Store(path)  # the next start finishes the upgrade
    try:
        assert store.schema_version() == LATEST and len(store.settings(1)) == 2
    finally:
        store.close()
