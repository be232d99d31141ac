"""The sandbox's store: one SQLite file (WAL), schema created and migrated here.

This module owns all SQL. Rows come back as plain dicts. Secrets are stored only
as hashes (passwords, REST API secrets) or never leave the store unmasked (PG
credentials): the functions that return data for pages and APIs leave them out.
"""

import json
import logging
import os
import sqlite3
import threading
import time

from iamport_sandbox import security
from iamport_sandbox.rest_store import PAYMENT_COLUMNS, RestRecords

log = logging.getLogger("iamport_sandbox.store")


def _add_channel_keys(db):
    """Every setting gets a channel key, settings of earlier versions too; keys are
    unique across the store, as PortOne's are."""
    db.execute("ALTER TABLE pg_settings ADD COLUMN channel_key TEXT")
    for (setting_id,) in db.execute("SELECT id FROM pg_settings").fetchall():
        db.execute("UPDATE pg_settings SET channel_key = ? WHERE id = ?",
                   (security.new_channel_key(), setting_id))
    db.execute("CREATE UNIQUE INDEX pg_settings_channel_key ON pg_settings (channel_key)")


# Each entry upgrades the schema by one version (PRAGMA user_version): a script,
# or a function of the connection where Python must run.
MIGRATIONS = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE merchants (
        id INTEGER PRIMARY KEY,
        user_code TEXT NOT NULL UNIQUE,
        login TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        imp_key TEXT NOT NULL UNIQUE,
        imp_secret_hash TEXT NOT NULL,
        webhook_url TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE pg_settings (
        id INTEGER PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        position INTEGER NOT NULL,
        pg_provider TEXT NOT NULL,
        pg_id TEXT,
        label TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL,
        sandbox INTEGER NOT NULL,
        tier_code TEXT,
        credentials TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL
    );
    CREATE INDEX pg_settings_order ON pg_settings (merchant_id, position);
    CREATE TABLE payments (
        imp_uid TEXT PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        merchant_uid TEXT NOT NULL,
        request_id TEXT,
        kind TEXT NOT NULL DEFAULT 'payment',
        status TEXT NOT NULL,
        amount REAL NOT NULL DEFAULT 0,
        cancel_amount REAL NOT NULL DEFAULT 0,
        currency TEXT NOT NULL DEFAULT 'KRW',
        name TEXT,
        pg_provider TEXT NOT NULL,
        pg_id TEXT,
        pg_tid TEXT,
        pay_method TEXT,
        buyer_name TEXT, buyer_email TEXT, buyer_tel TEXT, buyer_addr TEXT, buyer_postcode TEXT,
        custom_data TEXT,
        notice_url TEXT,
        apply_num TEXT, card_name TEXT, card_quota INTEGER,
        vbank_num TEXT, vbank_name TEXT, vbank_holder TEXT, vbank_date INTEGER,
        customer_uid TEXT,
        certified INTEGER, unique_key TEXT,
        error_code TEXT, fail_reason TEXT, cancel_reason TEXT,
        started_at INTEGER NOT NULL, paid_at INTEGER, failed_at INTEGER, cancelled_at INTEGER,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX payments_merchant_uid ON payments (merchant_id, merchant_uid);
    CREATE TABLE prepared (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        merchant_uid TEXT NOT NULL,
        amount REAL NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, merchant_uid)
    );
    CREATE TABLE tokens (
        token TEXT PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        expires_at INTEGER NOT NULL
    );
    CREATE TABLE billing_keys (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        customer_uid TEXT NOT NULL,
        pg_provider TEXT NOT NULL,
        pg_id TEXT,
        card_name TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, customer_uid)
    );
    CREATE TABLE webhooks (
        id INTEGER PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        imp_uid TEXT NOT NULL,
        url TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    """,
    # 2: identity checks (certifications) get their own table: no payment query, F1002
    # check, find or webhook can meet one. Rows recorded as payments move over.
    """
    CREATE TABLE certifications (
        imp_uid TEXT PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        merchant_uid TEXT NOT NULL,
        request_id TEXT,
        status TEXT NOT NULL,
        pg_provider TEXT NOT NULL,
        pg_id TEXT,
        pg_tid TEXT,
        name TEXT, gender TEXT, birth INTEGER, birthday TEXT, foreigner INTEGER,
        foreigner_v2 INTEGER, phone TEXT, carrier TEXT,
        certified INTEGER NOT NULL DEFAULT 0, certified_at INTEGER,
        unique_key TEXT, unique_in_site TEXT, origin TEXT,
        error_code TEXT, fail_reason TEXT,
        started_at INTEGER NOT NULL, failed_at INTEGER, updated_at INTEGER NOT NULL
    );
    CREATE INDEX certifications_merchant_uid ON certifications (merchant_id, merchant_uid);
    INSERT INTO certifications (imp_uid, merchant_id, merchant_uid, request_id, status,
        pg_provider, pg_id, pg_tid, name, phone, certified, certified_at, unique_key,
        error_code, fail_reason, started_at, failed_at, updated_at)
    SELECT imp_uid, merchant_id, merchant_uid, request_id,
        CASE WHEN certified OR status = 'paid' THEN 'certified' ELSE status END,
        pg_provider, pg_id, pg_tid, buyer_name, buyer_tel, COALESCE(certified, 0), paid_at,
        unique_key, error_code, fail_reason, started_at, failed_at, updated_at
    FROM payments WHERE kind = 'certification';
    DELETE FROM webhooks WHERE imp_uid IN (SELECT imp_uid FROM certifications);
    DELETE FROM payments WHERE kind = 'certification';
    ALTER TABLE payments DROP COLUMN kind;
    ALTER TABLE payments DROP COLUMN certified;
    ALTER TABLE payments DROP COLUMN unique_key
    """,
    # 3: channel keys (the guide's current edition chooses settings by them).
    _add_channel_keys,
)


# The security schema, versioned apart (meta 'security_schema'). 1: console sessions live
# in the store (the signed-cookie key goes), access tokens are kept as SHA-256 digests.
SECURITY_MIGRATIONS = (
    """
    CREATE TABLE sessions (
        id_digest TEXT PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_merchant ON sessions (merchant_id);
    DELETE FROM meta WHERE key = 'session_key';
    UPDATE tokens SET token = sandbox_sha256(token)
    """,
)

# The console's schema (issue 15), versioned apart (meta 'console_schema'). 1: payments keep
# the request as the window sent it (never a server-side charge's, which may carry a card
# number), a status history, and the merchant the last 4 characters of its REST secret.
CONSOLE_MIGRATIONS = (
    """
    ALTER TABLE payments ADD COLUMN request_json TEXT;
    ALTER TABLE merchants ADD COLUMN imp_secret_tail TEXT;
    CREATE TABLE payment_events (
        id INTEGER PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        imp_uid TEXT NOT NULL,
        status TEXT NOT NULL,
        amount REAL,
        cancel_amount REAL,
        note TEXT,
        at INTEGER NOT NULL
    );
    CREATE INDEX payment_events_payment ON payment_events (merchant_id, imp_uid)
    """,
)

# Payment columns a page or an API may show (never a secret: payments hold none).
PAYMENT_FIELDS = (
    "imp_uid", "merchant_uid", "request_id", "status", "amount", "cancel_amount",
    "currency", "name", "pg_provider", "pg_id", "pg_tid", "pay_method", "buyer_name",
    "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode", "custom_data", "notice_url",
    "apply_num", "card_name", "card_quota", "vbank_num", "vbank_name", "vbank_holder",
    "vbank_date", "customer_uid", "error_code", "fail_reason",
    "cancel_reason", "started_at", "paid_at", "failed_at", "cancelled_at", "updated_at",
)
# The full payment record of the merchant-server REST API (rest_store.py's schema).
PAYMENT_FIELDS += PAYMENT_COLUMNS + ("request_json",)
# Certification columns (Iamport's certification fields, plus the window's bookkeeping).
CERTIFICATION_FIELDS = (
    "imp_uid", "merchant_uid", "request_id", "status", "pg_provider", "pg_id", "pg_tid",
    "name", "gender", "birth", "birthday", "foreigner", "foreigner_v2", "phone", "carrier",
    "certified", "certified_at", "unique_key", "unique_in_site", "origin", "error_code",
    "fail_reason", "started_at", "failed_at", "updated_at",
)


def now():
    """Unix seconds, the unit of Iamport's timestamps."""
    return int(time.time())


class StoreError(Exception):
    """A request the store refuses (duplicate, not found, conflict), with a message."""


class Store(RestRecords):
    """All reads and writes of the sandbox. Safe to share between threads."""

    def __init__(self, path):
        self.path = path
        _private_file(path)
        self._lock = threading.RLock()
        # Called with the ids of webhook rows once the transaction that wrote them has
        # committed (the outbox): a delivery never starts for a row that may roll back.
        self.outbox_listener = None
        self._outbox = []
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.create_function("sandbox_sha256", 1, security.token_digest, deterministic=True)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._migrate()
        self._migrate_rest()
        self._migrate_security()
        self._migrate_console()
        _private_companions(path)

    def close(self):
        with self._lock:
            self._db.close()

    # -- plumbing ---------------------------------------------------------------------

    def _migrate(self):
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    if callable(script):  # a migration that needs Python (random keys)
                        script(self._db)
                    for statement in ("" if callable(script) else script).split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    self._db.execute("PRAGMA user_version = {}".format(number))
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise

    def schema_version(self):
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _all(self, sql, params=()):
        with self._lock:
            return [dict(row) for row in self._db.execute(sql, params).fetchall()]

    def _one(self, sql, params=()):
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _run(self, sql, params=()):
        with self._lock:
            return self._db.execute(sql, params)

    def transaction(self):
        """``with store.transaction():`` groups writes atomically."""
        return _Transaction(self)

    # -- merchants --------------------------------------------------------------------

    def create_merchant(self, login, password, user_code=None, imp_key=None, imp_secret=None):
        """Create a merchant; returns it with its one-time secrets (``password``,
        ``imp_secret``) so the caller can show them once."""
        imp_key = imp_key or security.new_api_key()
        imp_secret = imp_secret or security.new_secret(40)
        with self.transaction():
            if self._one("SELECT id FROM merchants WHERE login = ?", (login,)):
                raise StoreError("login '{}' is taken".format(login))
            while user_code is None or self.merchant_by_code(user_code):
                if user_code is not None:
                    raise StoreError("user code '{}' is taken".format(user_code))
                user_code = security.new_user_code()
            self._run(
                "INSERT INTO merchants (user_code, login, password_hash, imp_key, "
                "imp_secret_hash, imp_secret_tail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_code, login, security.hash_secret(password), imp_key,
                 security.hash_secret(imp_secret), imp_secret[-4:], now()))
        merchant = self.merchant_by_code(user_code)
        return dict(merchant, password=password, imp_secret=imp_secret)

    def merchant_by_code(self, user_code):
        return self._one("SELECT * FROM merchants WHERE user_code = ?", (user_code,))

    def merchant_by_id(self, merchant_id):
        return self._one("SELECT * FROM merchants WHERE id = ?", (merchant_id,))

    def merchant_by_login(self, login):
        """A merchant by console login (with its password hash, for the guard only)."""
        return self._one("SELECT * FROM merchants WHERE login = ?", (login,))

    def merchant_by_api_key(self, imp_key):
        """A merchant by REST API key (with its secret hash, for the guard only)."""
        return self._one("SELECT * FROM merchants WHERE imp_key = ?", (imp_key,))

    def set_webhook_url(self, merchant_id, url):
        self._run("UPDATE merchants SET webhook_url = ? WHERE id = ?", (url or None, merchant_id))

    # -- PG settings ------------------------------------------------------------------

    def settings(self, merchant_id, tier_code=None):
        """The merchant's settings, default (position 0) first, then console order.
        Each has ``masked`` credentials only."""
        rows = self._all(
            "SELECT * FROM pg_settings WHERE merchant_id = ? AND tier_code IS ? "
            "ORDER BY position, id", (merchant_id, tier_code))
        return [_public_setting(row) for row in rows]

    def setting(self, merchant_id, setting_id):
        row = self._one("SELECT * FROM pg_settings WHERE merchant_id = ? AND id = ?",
                        (merchant_id, setting_id))
        if row is None:
            raise StoreError("no PG setting {}".format(setting_id))
        return _public_setting(row)

    def find_setting(self, merchant_id, pg_provider, pg_id, kind, tier_code=None):
        """The setting of that code, MID and type among the merchant's own settings
        (``tier_code`` None) or one tier's."""
        row = self._one(
            "SELECT * FROM pg_settings WHERE merchant_id = ? AND pg_provider = ? "
            "AND pg_id IS ? AND type = ? AND tier_code IS ? ORDER BY position LIMIT 1",
            (merchant_id, pg_provider, pg_id, kind, tier_code))
        return _public_setting(row) if row else None

    def setting_by_channel_key(self, merchant_id, channel_key, tier_code=None):
        """The setting with that channel key among the merchant's own settings
        (``tier_code`` None) or one tier's; ``None`` for a key it has not."""
        row = self._one(
            "SELECT * FROM pg_settings WHERE merchant_id = ? AND channel_key = ? "
            "AND tier_code IS ?", (merchant_id, channel_key, tier_code))
        return _public_setting(row) if row else None

    def _check_unique(self, merchant_id, values, except_id=None):
        clash = self._one(
            "SELECT id FROM pg_settings WHERE merchant_id = ? AND pg_provider = ? AND pg_id IS ? "
            "AND type = ? AND tier_code IS ? AND id IS NOT ?",
            (merchant_id, values["pg_provider"], values["pg_id"], values["type"],
             values.get("tier_code"), except_id))
        if clash:
            raise StoreError("a {} setting for {} with MID {} already exists".format(
                values["type"], values["pg_provider"], values["pg_id"] or "(none)"))

    def add_setting(self, merchant_id, values, make_default=False):
        """Append a setting (or put it first with ``make_default``)."""
        key = values.get("channel_key") or security.new_channel_key()
        if self._one("SELECT id FROM pg_settings WHERE channel_key = ?", (key,)):
            raise StoreError("the channel key '{}' is taken".format(key))
        with self.transaction():
            self._check_unique(merchant_id, values)
            positions = self._all("SELECT id FROM pg_settings WHERE merchant_id = ? "
                                  "AND tier_code IS ? ORDER BY position, id",
                                  (merchant_id, values.get("tier_code")))
            cursor = self._run(
                "INSERT INTO pg_settings (merchant_id, position, pg_provider, pg_id, label, "
                "type, sandbox, tier_code, credentials, created_at, channel_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (merchant_id, len(positions), values["pg_provider"], values["pg_id"],
                 values.get("label") or "", values["type"], int(bool(values["sandbox"])),
                 values.get("tier_code"), json.dumps(values.get("credentials") or {}), now(),
                 key))
            new_id = cursor.lastrowid
            if make_default:
                self._renumber(merchant_id, [new_id] + [row["id"] for row in positions])
        return new_id

    def update_setting(self, merchant_id, setting_id, values):
        """Change a setting; credentials left empty in ``values`` keep their stored value."""
        with self.transaction():
            current = self._one("SELECT * FROM pg_settings WHERE merchant_id = ? AND id = ?",
                                (merchant_id, setting_id))
            if current is None:
                raise StoreError("no PG setting {}".format(setting_id))
            values = dict(values, tier_code=current["tier_code"])
            self._check_unique(merchant_id, values, except_id=setting_id)
            credentials = json.loads(current["credentials"])
            for name, value in (values.get("credentials") or {}).items():
                if value:
                    credentials[name] = value
            self._run(
                "UPDATE pg_settings SET pg_provider = ?, pg_id = ?, label = ?, type = ?, "
                "sandbox = ?, credentials = ? WHERE id = ?",
                (values["pg_provider"], values["pg_id"], values.get("label") or "",
                 values["type"], int(bool(values["sandbox"])), json.dumps(credentials),
                 setting_id))

    def delete_setting(self, merchant_id, setting_id):
        with self.transaction():
            row = self.setting(merchant_id, setting_id)
            self._run("DELETE FROM pg_settings WHERE id = ?", (setting_id,))
            rest = self._all("SELECT id FROM pg_settings WHERE merchant_id = ? AND tier_code IS ? "
                             "ORDER BY position, id", (merchant_id, row["tier_code"]))
            self._renumber(merchant_id, [r["id"] for r in rest])

    def move_setting(self, merchant_id, setting_id, where):
        """``where``: ``"up"``, ``"down"`` or ``"default"`` (to the top)."""
        with self.transaction():
            row = self.setting(merchant_id, setting_id)
            ids = [r["id"] for r in self._all(
                "SELECT id FROM pg_settings WHERE merchant_id = ? AND tier_code IS ? "
                "ORDER BY position, id", (merchant_id, row["tier_code"]))]
            index = ids.index(setting_id)
            target = {"up": index - 1, "down": index + 1, "default": 0}[where]
            target = max(0, min(len(ids) - 1, target))
            ids.insert(target, ids.pop(index))
            self._renumber(merchant_id, ids)

    def _renumber(self, merchant_id, ids):
        for position, setting_id in enumerate(ids):
            self._run("UPDATE pg_settings SET position = ? WHERE id = ? AND merchant_id = ?",
                      (position, setting_id, merchant_id))

    def stored_credentials(self, merchant_id, setting_id):
        """The unmasked credentials, for the sandbox's own PG simulation only."""
        row = self._one("SELECT credentials FROM pg_settings WHERE merchant_id = ? AND id = ?",
                        (merchant_id, setting_id))
        return json.loads(row["credentials"]) if row else {}

    # -- payments ---------------------------------------------------------------------

    def _new_imp_uid(self):
        # One imp_uid space for payments and certifications, as Iamport has.
        while True:
            imp_uid = security.new_imp_uid()
            if not self._one("SELECT 1 FROM payments WHERE imp_uid = ? UNION ALL "
                             "SELECT 1 FROM certifications WHERE imp_uid = ?",
                             (imp_uid, imp_uid)):
                return imp_uid

    def _insert(self, table, allowed, merchant_id, values):
        with self.transaction():
            imp_uid = self._new_imp_uid()
            fields = dict(values, imp_uid=imp_uid, merchant_id=merchant_id,
                          started_at=now(), updated_at=now())
            names = [name for name in fields if name in allowed or name == "merchant_id"]
            self._run("INSERT INTO {} ({}) VALUES ({})".format(
                table, ", ".join(names), ", ".join("?" for _ in names)),
                tuple(_column_value(fields[name]) for name in names))
        return imp_uid

    def _update(self, table, allowed, merchant_id, imp_uid, values):
        names = [name for name in values if name in allowed and name != "imp_uid"]
        assignments = ", ".join("{} = ?".format(name) for name in names + ["updated_at"])
        self._run("UPDATE {} SET {} WHERE imp_uid = ? AND merchant_id = ?".format(
            table, assignments), tuple(_column_value(values[n]) for n in names) +
            (now(), imp_uid, merchant_id))

    def create_payment(self, merchant_id, values):
        imp_uid = self._insert("payments", PAYMENT_FIELDS, merchant_id, values)
        return self.payment(merchant_id, imp_uid)

    def update_payment(self, merchant_id, imp_uid, values):
        self._update("payments", PAYMENT_FIELDS, merchant_id, imp_uid, values)
        return self.payment(merchant_id, imp_uid)

    def payment(self, merchant_id, imp_uid):
        return self._one("SELECT * FROM payments WHERE imp_uid = ? AND merchant_id = ?",
                         (imp_uid, merchant_id))

    def payment_anywhere(self, imp_uid):
        """A payment by its id alone (receipts are reached by their unguessable id)."""
        return self._one("SELECT * FROM payments WHERE imp_uid = ?", (imp_uid,))

    def payment_by_merchant_uid(self, merchant_id, merchant_uid, status=None):
        """The latest payment of an order (optionally with ``status``)."""
        sql = "SELECT * FROM payments WHERE merchant_id = ? AND merchant_uid = ?"
        params = (merchant_id, merchant_uid)
        if status:
            sql += " AND status = ?"
            params += (status,)
        return self._one(sql + " ORDER BY started_at DESC, rowid DESC LIMIT 1", params)

    def payments(self, merchant_id, limit=100):
        return self._all("SELECT * FROM payments WHERE merchant_id = ? "
                         "ORDER BY started_at DESC, rowid DESC LIMIT ?", (merchant_id, limit))

    # -- certifications (identity checks: never payments) -------------------------------

    def create_certification(self, merchant_id, values):
        imp_uid = self._insert("certifications", CERTIFICATION_FIELDS, merchant_id, values)
        return self.certification(merchant_id, imp_uid)

    def update_certification(self, merchant_id, imp_uid, values):
        self._update("certifications", CERTIFICATION_FIELDS, merchant_id, imp_uid, values)
        return self.certification(merchant_id, imp_uid)

    def certification(self, merchant_id, imp_uid):
        return self._one("SELECT * FROM certifications WHERE imp_uid = ? AND merchant_id = ?",
                         (imp_uid, merchant_id))

    # -- prepared amounts, tokens, billing keys ---------------------------------------

    def prepare(self, merchant_id, merchant_uid, amount):
        with self.transaction():
            if self.prepared(merchant_id, merchant_uid):
                raise StoreError("merchant_uid '{}' is already prepared".format(merchant_uid))
            self._run("INSERT INTO prepared (merchant_id, merchant_uid, amount, created_at) "
                      "VALUES (?, ?, ?, ?)", (merchant_id, merchant_uid, amount, now()))
        return self.prepared(merchant_id, merchant_uid)

    def prepared(self, merchant_id, merchant_uid):
        return self._one("SELECT merchant_uid, amount FROM prepared WHERE merchant_id = ? "
                         "AND merchant_uid = ?", (merchant_id, merchant_uid))

    def issue_token(self, merchant_id, ttl_seconds):
        """A new access token; the store keeps only its digest."""
        token = security.new_secret(32)
        expires = now() + ttl_seconds
        with self.transaction():
            self._run("DELETE FROM tokens WHERE expires_at < ?", (now(),))
            self._run("INSERT INTO tokens (token, merchant_id, expires_at) VALUES (?, ?, ?)",
                      (security.token_digest(token), merchant_id, expires))
        return token, expires

    def merchant_for_token(self, token):
        row = self._one("SELECT merchant_id FROM tokens WHERE token = ? AND expires_at >= ?",
                        (security.token_digest(token), now()))
        return self.merchant_by_id(row["merchant_id"]) if row else None

    def save_billing_key(self, merchant_id, customer_uid, pg_provider, pg_id, card_name):
        self._run(
            "INSERT INTO billing_keys (merchant_id, customer_uid, pg_provider, pg_id, card_name, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (merchant_id, customer_uid) "
            "DO UPDATE SET pg_provider = excluded.pg_provider, pg_id = excluded.pg_id, "
            "card_name = excluded.card_name",
            (merchant_id, customer_uid, pg_provider, pg_id, card_name, now()))

    def billing_key(self, merchant_id, customer_uid):
        return self._one("SELECT * FROM billing_keys WHERE merchant_id = ? AND customer_uid = ?",
                         (merchant_id, customer_uid))

    # -- webhooks ---------------------------------------------------------------------

    def add_webhook(self, merchant_id, imp_uid, url, payload):
        """Queue one delivery (an outbox row). Inside a transaction the row is announced
        to ``outbox_listener`` only when that transaction commits."""
        with self.transaction():
            cursor = self._run(
                "INSERT INTO webhooks (merchant_id, imp_uid, url, payload, state, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                (merchant_id, imp_uid, url, json.dumps(payload), now(), now()))
            self._outbox.append(cursor.lastrowid)
        return cursor.lastrowid

    def _committed(self, committed):
        ids, self._outbox = self._outbox, []
        if committed and ids and self.outbox_listener is not None:
            try:
                self.outbox_listener(ids)
            except Exception:  # the rows are committed; a restart resumes them
                log.exception("the outbox listener failed for webhook rows %s", ids)

    def record_webhook_attempt(self, webhook_id, state, error=None):
        self._run("UPDATE webhooks SET attempts = attempts + 1, state = ?, last_error = ?, "
                  "updated_at = ? WHERE id = ?", (state, error, now(), webhook_id))

    def webhooks(self, merchant_id, limit=100):
        return self._all("SELECT * FROM webhooks WHERE merchant_id = ? ORDER BY id DESC LIMIT ?",
                         (merchant_id, limit))

    def pending_webhook(self, webhook_id):
        """One delivery, while it still waits to be (re)tried; ``None`` once it has ended."""
        return self._one("SELECT * FROM webhooks WHERE id = ? AND state IN ('pending', "
                         "'retrying')", (webhook_id,))

    def pending_webhooks(self):
        return self._all("SELECT * FROM webhooks WHERE state IN ('pending', 'retrying') "
                         "ORDER BY id")

    # -- security: console sessions, the security schema -------------------------------
    # Its own schema track (meta 'security_schema'), so that it merges apart from the
    # main MIGRATIONS.

    def _migrate_security(self):
        with self.transaction():
            row = self._one("SELECT value FROM meta WHERE key = 'security_schema'")
            version = int(row["value"]) if row else 0
            for number, script in enumerate(SECURITY_MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._run("INSERT INTO meta (key, value) VALUES ('security_schema', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                          (str(number),))

    def create_session(self, merchant_id, ttl_seconds):
        """A console session: returns ``(session_id, csrf)``; the store keeps the id's
        digest only. Expired sessions are purged here."""
        session_id, csrf = security.new_secret(32), security.new_secret(24)
        with self.transaction():
            self._run("DELETE FROM sessions WHERE expires_at < ?", (now(),))
            self._run("INSERT INTO sessions (id_digest, merchant_id, csrf, created_at, "
                      "expires_at) VALUES (?, ?, ?, ?, ?)",
                      (security.token_digest(session_id), merchant_id, csrf, now(),
                       now() + ttl_seconds))
        return session_id, csrf

    def session(self, session_id):
        """``{"merchant_id", "csrf", "expires_at"}`` of a live session, else ``None``."""
        if not session_id:
            return None
        return self._one("SELECT merchant_id, csrf, expires_at FROM sessions "
                         "WHERE id_digest = ? AND expires_at > ?",
                         (security.token_digest(session_id), now()))

    def end_session(self, session_id):
        self._run("DELETE FROM sessions WHERE id_digest = ?",
                  (security.token_digest(session_id),))

    def set_password(self, merchant_id, password):
        """A new console password; every session of the merchant ends."""
        with self.transaction():
            self._run("UPDATE merchants SET password_hash = ? WHERE id = ?",
                      (security.hash_secret(password), merchant_id))
            self._run("DELETE FROM sessions WHERE merchant_id = ?", (merchant_id,))


    # -- console (issue 15): its own schema track (meta 'console_schema') -------------------

    def _migrate_console(self):
        with self.transaction():
            row = self._one("SELECT value FROM meta WHERE key = 'console_schema'")
            version = int(row["value"]) if row else 0
            for number, script in enumerate(CONSOLE_MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._run("INSERT INTO meta (key, value) VALUES ('console_schema', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                          (str(number),))

    def reorder_setting(self, merchant_id, setting_id, where):
        """The console's moves. ``up``/``down`` move among the non-default settings only
        (the default never changes by a reorder); ``default`` swaps the chosen setting
        with the default, so every other setting keeps its place."""
        with self.transaction():
            row = self.setting(merchant_id, setting_id)
            ids = [r["id"] for r in self._all(
                "SELECT id FROM pg_settings WHERE merchant_id = ? AND tier_code IS ? "
                "ORDER BY position, id", (merchant_id, row["tier_code"]))]
            index = ids.index(setting_id)
            if where == "default":
                ids[0], ids[index] = ids[index], ids[0]
            else:
                target = index + (-1 if where == "up" else 1)
                if index == 0 or not 1 <= target < len(ids):
                    raise StoreError("the default PG does not move by reordering; use "
                                     "'Make default' on another setting")
                ids[index], ids[target] = ids[target], ids[index]
            self._renumber(merchant_id, ids)

    def search_payments(self, merchant_id, page=1, limit=20, status=None, pg_provider=None,
                        pay_method=None, since=None, until=None, query=None):
        """``(total, rows)``: the console's payment list. ``status`` also takes the
        console's split of ``ready``: ``window`` (window open or abandoned) and ``vbank``
        (virtual account issued, awaiting deposit). ``since``/``until`` bound
        ``started_at``; ``query`` matches imp_uid, merchant_uid and the buyer."""
        where, params = "merchant_id = ?", (merchant_id,)
        if status == "window":
            where += " AND status = 'ready' AND vbank_num IS NULL"
        elif status == "vbank":
            where += " AND status = 'ready' AND vbank_num IS NOT NULL"
        elif status:
            where += " AND status = ?"
            params += (status,)
        for column, value in (("pg_provider", pg_provider), ("pay_method", pay_method)):
            if value:
                where += " AND {} = ?".format(column)
                params += (value,)
        if since is not None:
            where += " AND started_at >= ?"
            params += (since,)
        if until is not None:
            where += " AND started_at < ?"
            params += (until,)
        if query:
            like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace(
                "_", "\\_") + "%"
            where += (" AND (imp_uid = ? OR merchant_uid LIKE ? ESCAPE '\\' OR buyer_name "
                      "LIKE ? ESCAPE '\\' OR buyer_email LIKE ? ESCAPE '\\' OR buyer_tel "
                      "LIKE ? ESCAPE '\\')")
            params += (query, like, like, like, like)
        return self._paged("payments", where, params, "started_at DESC", page, limit)

    def payment_methods(self, merchant_id):
        """The PG codes and pay methods the merchant's payments use (filter choices)."""
        rows = self._all("SELECT DISTINCT pg_provider, pay_method FROM payments "
                         "WHERE merchant_id = ?", (merchant_id,))
        return (sorted({r["pg_provider"] for r in rows}),
                sorted({r["pay_method"] for r in rows if r["pay_method"]}))

    def add_payment_event(self, payment, values):
        """One line of a payment's status history (written by ``payments._record`` in
        the transaction of the change)."""
        self._run("INSERT INTO payment_events (merchant_id, imp_uid, status, amount, "
                  "cancel_amount, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (payment["merchant_id"], payment["imp_uid"], payment["status"],
                   payment["amount"], payment["cancel_amount"],
                   _event_note(payment, values), now()))

    def payment_events(self, merchant_id, imp_uid):
        return self._all("SELECT * FROM payment_events WHERE merchant_id = ? AND imp_uid = ? "
                         "ORDER BY id", (merchant_id, imp_uid))

    def webhooks_of(self, merchant_id, imp_uid):
        return self._all("SELECT * FROM webhooks WHERE merchant_id = ? AND imp_uid = ? "
                         "ORDER BY id DESC", (merchant_id, imp_uid))

    def webhook(self, merchant_id, webhook_id):
        return self._one("SELECT * FROM webhooks WHERE merchant_id = ? AND id = ?",
                         (merchant_id, webhook_id))

    def webhooks_page(self, merchant_id, page=1, limit=50):
        return self._paged("webhooks", "merchant_id = ?", (merchant_id,), "id DESC", page,
                           limit)

    def regenerate_api_secret(self, merchant_id):
        """A new REST API secret (returned once; the store keeps its hash and its last 4
        characters). The old secret stops working and its access tokens end."""
        secret = security.new_secret(40)
        with self.transaction():
            self._run("UPDATE merchants SET imp_secret_hash = ?, imp_secret_tail = ? "
                      "WHERE id = ?", (security.hash_secret(secret), secret[-4:], merchant_id))
            self._run("DELETE FROM tokens WHERE merchant_id = ?", (merchant_id,))
        return secret


class _Transaction:
    def __init__(self, store):
        self.store = store
        self.outer = False

    def __enter__(self):
        self.store._lock.acquire()
        self.outer = not self.store._db.in_transaction
        if self.outer:
            self.store._db.execute("BEGIN IMMEDIATE")
        return self.store

    def __exit__(self, kind, value, traceback):
        committed = False
        try:
            if self.outer:
                try:
                    self.store._db.execute("ROLLBACK" if kind else "COMMIT")
                    committed = not kind
                finally:
                    if not committed and self.store._db.in_transaction:
                        self.store._db.execute("ROLLBACK")
        finally:
            try:
                if self.outer:
                    self.store._committed(committed)
            finally:
                self.store._lock.release()


def _event_note(payment, values):
    """What a status-history line adds to the status (a reason, an issued account)."""
    if values.get("cancel_reason") or values.get("fail_reason"):
        return values.get("cancel_reason") or values.get("fail_reason")
    if values.get("vbank_num"):
        return "가상계좌 발급 · virtual account issued"
    if payment["vbank_num"] and payment["status"] == "paid":
        return "입금 확인 · deposit received"
    return None


def _column_value(value):
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def _public_setting(row):
    credentials = json.loads(row.pop("credentials") or "{}")
    row["sandbox"] = bool(row["sandbox"])
    row["masked"] = {name: security.mask(value) for name, value in credentials.items() if value}
    return row


def _private_file(path):
    """Create the store file 0600 (its folder 0700 when we create it); tighten an existing
    file of ours that is readable by others."""
    folder = os.path.dirname(os.path.abspath(path))
    missing = []
    while folder and not os.path.isdir(folder):
        missing.append(folder)
        folder = os.path.dirname(folder)
    for created in reversed(missing):  # every folder we make is ours alone
        os.makedirs(created, mode=0o700, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    _private_companions(path, include_main=True)


def _private_companions(path, include_main=False):
    # SQLite gives -wal and -shm the mode of the database file; make sure anyway.
    names = ([path] if include_main else []) + [path + "-wal", path + "-shm"]
    for name in names:
        try:
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)
        except OSError:  # missing, or not ours: nothing we may do
            pass
