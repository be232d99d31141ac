"""The store's four schema tracks as commit 29ea7dd had them, kept verbatim as test data,
and a replay of its runners: ``make_store`` writes a store left at any combination of the
tracks' levels, as the sandbox's earlier versions left theirs, for
``tests/sandbox/test_store_migrations.py`` to upgrade.

Copied, not imported, on purpose: the test must meet the stores the old code made, even
if someone later edits the current migrations.
"""

import hashlib
import sqlite3
import uuid


# The old code's own helpers (security.new_channel_key, security.token_digest), copied too.
def _new_channel_key():
    return "channel-key-" + str(uuid.uuid4())


def _add_channel_keys(db):
    """Every setting gets a channel key, settings of earlier versions too; keys are
    unique across the store, as PortOne's are."""
    db.execute("ALTER TABLE pg_settings ADD COLUMN channel_key TEXT")
    for (setting_id,) in db.execute("SELECT id FROM pg_settings").fetchall():
        db.execute(
            "UPDATE pg_settings SET channel_key = ? WHERE id = ?", (_new_channel_key(), setting_id)
        )
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


REST_MIGRATIONS = (
    """
    ALTER TABLE payments ADD COLUMN channel TEXT;
    ALTER TABLE payments ADD COLUMN card_number TEXT;
    ALTER TABLE payments ADD COLUMN card_code TEXT;
    ALTER TABLE payments ADD COLUMN card_type INTEGER;
    ALTER TABLE payments ADD COLUMN bank_code TEXT;
    ALTER TABLE payments ADD COLUMN bank_name TEXT;
    ALTER TABLE payments ADD COLUMN vbank_code TEXT;
    ALTER TABLE payments ADD COLUMN vbank_issued_at INTEGER;
    ALTER TABLE payments ADD COLUMN user_agent TEXT;
    ALTER TABLE payments ADD COLUMN cash_receipt_issued INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE payments ADD COLUMN customer_uid_usage TEXT;
    ALTER TABLE payments ADD COLUMN emb_pg_provider TEXT;
    ALTER TABLE payments ADD COLUMN escrow INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE payments ADD COLUMN cancel_history TEXT;
    CREATE INDEX payments_status ON payments (merchant_id, status, started_at);
    CREATE INDEX payments_customer ON payments (merchant_id, customer_uid);
    ALTER TABLE billing_keys ADD COLUMN card_code TEXT;
    ALTER TABLE billing_keys ADD COLUMN card_number TEXT;
    ALTER TABLE billing_keys ADD COLUMN card_type INTEGER;
    ALTER TABLE billing_keys ADD COLUMN customer_name TEXT;
    ALTER TABLE billing_keys ADD COLUMN customer_tel TEXT;
    ALTER TABLE billing_keys ADD COLUMN customer_email TEXT;
    ALTER TABLE billing_keys ADD COLUMN customer_addr TEXT;
    ALTER TABLE billing_keys ADD COLUMN customer_postcode TEXT;
    ALTER TABLE billing_keys ADD COLUMN updated_at INTEGER;
    CREATE TABLE schedules (
        id INTEGER PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        customer_uid TEXT NOT NULL,
        merchant_uid TEXT NOT NULL,
        schedule_at INTEGER NOT NULL,
        amount REAL NOT NULL,
        currency TEXT NOT NULL DEFAULT 'KRW',
        name TEXT,
        buyer_name TEXT, buyer_email TEXT, buyer_tel TEXT, buyer_addr TEXT, buyer_postcode TEXT,
        custom_data TEXT,
        notice_url TEXT,
        schedule_status TEXT NOT NULL,
        payment_status TEXT,
        imp_uid TEXT,
        fail_reason TEXT,
        executed_at INTEGER,
        revoked_at INTEGER,
        created_at INTEGER NOT NULL,
        UNIQUE (merchant_id, merchant_uid)
    );
    CREATE INDEX schedules_due ON schedules (schedule_status, schedule_at);
    CREATE INDEX schedules_customer ON schedules (merchant_id, customer_uid, schedule_at);
    CREATE TABLE cash_receipts (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        imp_uid TEXT NOT NULL,
        receipt_tid TEXT NOT NULL,
        apply_num TEXT NOT NULL,
        type TEXT NOT NULL,
        identifier_type TEXT NOT NULL,
        identifier TEXT NOT NULL,
        amount REAL NOT NULL,
        vat REAL NOT NULL,
        tax_free REAL NOT NULL DEFAULT 0,
        applied_at INTEGER NOT NULL,
        cancelled_at INTEGER,
        PRIMARY KEY (merchant_id, imp_uid)
    );
    CREATE TABLE escrow_logis (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        imp_uid TEXT NOT NULL,
        company TEXT NOT NULL,
        invoice TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        sender TEXT,
        receiver TEXT,
        applied_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, imp_uid)
    )
    """,
)


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


# Each track: its scripts and where it kept its level (None: PRAGMA user_version).
TRACKS = {
    "core": (MIGRATIONS, None),
    "rest": (REST_MIGRATIONS, "rest_schema"),
    "security": (SECURITY_MIGRATIONS, "security_schema"),
    "console": (CONSOLE_MIGRATIONS, "console_schema"),
}


def make_store(path, core, rest=0, security=0, console=0):
    """A store file at these track levels, migrated in the old constructor's order (core,
    REST, security, console); a level of 0 leaves its track out (and its marker unset)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.create_function("sandbox_sha256", 1, _token_digest, deterministic=True)
    levels = {"core": core, "rest": rest, "security": security, "console": console}
    for track, (scripts, marker) in TRACKS.items():
        for number, script in enumerate(scripts[: levels[track]], start=1):
            db.execute("BEGIN IMMEDIATE")
            if callable(script):
                script(db)
            else:
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
            if marker is None:
                db.execute("PRAGMA user_version = {}".format(number))
            else:
                db.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                    "DO UPDATE SET value = excluded.value",
                    (marker, str(number)),
                )
            db.execute("COMMIT")
    db.close()


def _token_digest(token):
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
