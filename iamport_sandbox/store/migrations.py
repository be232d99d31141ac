"""The store's schema: one numbered list of migrations and the one runner that applies
them, each in its own transaction, when a :class:`~iamport_sandbox.store.Store` opens.

A migration's number is its place in :data:`MIGRATIONS`, from 1. ``PRAGMA user_version``
holds the highest number up to which every migration has run (0: a new file).

Stores made before this list (up to commit 29ea7dd) versioned four tracks apart; each of
their steps is one migration here, with the same script, in the order the old constructor
ran the tracks (so a new file gets the very schema a new file got then):

====  =========================================  ==========================================
 No.  what it adds                               old track: the step's marker and level
====  =========================================  ==========================================
 1    merchants, settings, payments, webhooks,   ``PRAGMA user_version`` 1
      prepared amounts, tokens, billing keys
 2    certifications apart from payments         ``PRAGMA user_version`` 2
 3    a channel key for every PG setting         ``PRAGMA user_version`` 3
 4    the REST API's records (billing key card   meta ``rest_schema`` 1
      details, schedules, receipts, escrow)
 5    console sessions, hashed access tokens     meta ``security_schema`` 1
 6    request, status history, secret tail       meta ``console_schema`` 1
====  =========================================  ==========================================

The old ``user_version`` (1..3) counted the first three only, which are numbers 1..3 here,
so it keeps its meaning; the three meta markers say which of 4..6 an old store also has.
A store therefore has had migration *n* when *n* <= ``user_version`` or its old marker
reached the level above. Any combination of the old levels is upgraded by running what is
missing, in order; once ``user_version`` reaches 6 the old markers are deleted (from then on
``user_version`` alone tells).
"""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from iamport_sandbox import security

# 1: the first schema.
_FIRST = """
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
    """

# 2: identity checks (certifications) get their own table: no payment query, F1002
# check, find or webhook can meet one. Rows recorded as payments move over.
_CERTIFICATIONS = """
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
    """


def _add_channel_keys(db: sqlite3.Connection) -> None:
    """3: every setting gets a channel key, settings of earlier versions too; keys are
    unique across the store, as PortOne's are (the guide's current edition chooses
    settings by them)."""
    db.execute("ALTER TABLE pg_settings ADD COLUMN channel_key TEXT")
    for (setting_id,) in db.execute("SELECT id FROM pg_settings").fetchall():
        db.execute(
            "UPDATE pg_settings SET channel_key = ? WHERE id = ?",
            (security.new_channel_key(), setting_id),
        )
    db.execute("CREATE UNIQUE INDEX pg_settings_channel_key ON pg_settings (channel_key)")


# 4: the merchant-server REST API's records (issue 11): the full payment record, billing
# keys with their (masked) card details, payment schedules, cash receipts, escrow shipping.
_REST_RECORDS = """
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
    """

# 5: console sessions live in the store (the signed-cookie key goes), access tokens are
# kept as SHA-256 digests (issue 8).
_SECURITY = """
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
    """

# 6: the console (issue 15): payments keep the request as the window sent it (never a
# server-side charge's, which may carry a card number), a status history, and the merchant
# the last 4 characters of its REST secret.
_CONSOLE = """
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
    """


# Issue 24: the REST operations beside payments: OTP identity checks, a convenience-store
# payment's barcode, cash receipts of payments made elsewhere, sub-merchants' receipt lines,
# tiers (sub-merchants), and what the PG-specific operations change (KCP Quick members
# deleted, PAYCO order states, Paymentwall deliveries, Benepia points spent).
_ISSUE_24 = """
    CREATE TABLE otp_requests (
        imp_uid TEXT PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        phone TEXT NOT NULL,
        birth TEXT NOT NULL,
        gender_digit TEXT NOT NULL,
        carrier TEXT NOT NULL,
        is_mvno INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE cvs_barcodes (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        imp_uid TEXT NOT NULL PRIMARY KEY,
        barcode TEXT NOT NULL,
        expired_at INTEGER NOT NULL,
        confirm_url TEXT
    );
    CREATE TABLE external_receipts (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        merchant_uid TEXT NOT NULL,
        receipt_tid TEXT NOT NULL,
        apply_num TEXT NOT NULL,
        type TEXT NOT NULL,
        identifier_type TEXT,
        identifier TEXT NOT NULL,
        name TEXT NOT NULL,
        amount REAL NOT NULL,
        vat REAL NOT NULL,
        tax_free REAL NOT NULL DEFAULT 0,
        pg_provider TEXT,
        pg_id TEXT,
        applied_at INTEGER NOT NULL,
        cancelled_at INTEGER,
        PRIMARY KEY (merchant_id, merchant_uid)
    );
    CREATE TABLE partner_receipts (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        imp_uid TEXT NOT NULL,
        lines TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, imp_uid)
    );
    CREATE TABLE tiers (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        tier_code TEXT NOT NULL,
        tier_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, tier_code)
    );
    CREATE TABLE kcpquick_deleted (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        member_id TEXT NOT NULL,
        site_code TEXT NOT NULL,
        deleted_at INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, member_id, site_code)
    );
    CREATE TABLE pg_order_states (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        imp_uid TEXT NOT NULL,
        pg TEXT NOT NULL,
        state TEXT NOT NULL,
        details TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, imp_uid, pg)
    );
    CREATE TABLE benepia_spent (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        benepia_user TEXT NOT NULL,
        spent REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (merchant_id, benepia_user)
    )
    """


# Issue 24: Naver Pay's product orders (one per product of a paid Naver Pay payment, with
# its status, claim and the details of each move), what was done to the payment itself
# (points, purchase confirmation), and the buyers' reviews.
_NAVER_PAY = """
    CREATE TABLE naver_product_orders (
        product_order_id TEXT PRIMARY KEY,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        imp_uid TEXT NOT NULL,
        position INTEGER NOT NULL,
        product_order_status TEXT NOT NULL,
        claim_type TEXT,
        claim_status TEXT,
        placed INTEGER NOT NULL DEFAULT 0,
        holdback INTEGER NOT NULL DEFAULT 0,
        product_id TEXT NOT NULL,
        product_name TEXT NOT NULL,
        product_option_id TEXT NOT NULL,
        product_option_name TEXT NOT NULL,
        product_amount INTEGER NOT NULL,
        delivery_amount INTEGER NOT NULL,
        quantity INTEGER NOT NULL,
        shipping_due INTEGER,
        refunded REAL NOT NULL DEFAULT 0,
        details TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX naver_product_orders_payment
        ON naver_product_orders (merchant_id, imp_uid, position);
    CREATE TABLE naver_payments (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        imp_uid TEXT NOT NULL,
        point_amount INTEGER,
        point_at INTEGER,
        confirmed_at INTEGER,
        confirmed_by TEXT,
        PRIMARY KEY (merchant_id, imp_uid)
    );
    CREATE TABLE naver_reviews (
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        review_id TEXT NOT NULL,
        review_type TEXT NOT NULL,
        score TEXT NOT NULL,
        title TEXT NOT NULL,
        content TEXT,
        product_order_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        product_name TEXT NOT NULL,
        product_option_name TEXT,
        writer TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        modified_at INTEGER,
        PRIMARY KEY (merchant_id, review_id)
    );
    CREATE INDEX naver_reviews_time ON naver_reviews (merchant_id, review_type, created_at)
    """


@dataclass(frozen=True)
class Migration:
    """One step of the schema: a SQL script (statements separated by ``;``) or a function
    of the connection where Python must run, and the old track's step it was."""

    summary: str
    step: str | Callable[[sqlite3.Connection], None]
    # (marker, level): the step as a store made before one numbered list records it.
    was: tuple[str, int] | None = None


MIGRATIONS: tuple[Migration, ...] = (
    Migration("merchants, settings, payments, webhooks", _FIRST, ("user_version", 1)),
    Migration("certifications apart from payments", _CERTIFICATIONS, ("user_version", 2)),
    Migration("a channel key for every PG setting", _add_channel_keys, ("user_version", 3)),
    Migration("the REST API's records", _REST_RECORDS, ("rest_schema", 1)),
    Migration("console sessions, hashed tokens", _SECURITY, ("security_schema", 1)),
    Migration("request, status history, secret tail", _CONSOLE, ("console_schema", 1)),
    Migration("OTP, CVS, external and partner receipts, tiers, PG states", _ISSUE_24),
    Migration("Naver Pay product orders, payment marks, reviews", _NAVER_PAY),
)
LATEST = len(MIGRATIONS)
# The old tracks' meta markers, read until user_version passes the last step they name.
_MARKERS = tuple(m.was[0] for m in MIGRATIONS if m.was and m.was[0] != "user_version")
_MARKED_UNTIL = max(number for number, m in enumerate(MIGRATIONS, start=1) if m.was)


def schema_version(db: sqlite3.Connection) -> int:
    """The store's migration number (``PRAGMA user_version``)."""
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def applied(db: sqlite3.Connection) -> set[int]:
    """The numbers of the migrations the store has had (see the table above)."""
    version = schema_version(db)
    done = set(range(1, version + 1))
    if version < _MARKED_UNTIL:
        levels = _old_levels(db, version)
        for number, migration in enumerate(MIGRATIONS, start=1):
            if migration.was and levels.get(migration.was[0], 0) >= migration.was[1]:
                done.add(number)
    return done


def upgrade(db: sqlite3.Connection) -> None:
    """Run every migration the store has not had, in order, each in its own transaction,
    and bring ``user_version`` to the latest number (an old store that has had every step
    only records it). The state is read again under the write lock (``BEGIN IMMEDIATE``):
    another process opening the same file at the same time migrates it once, never twice."""
    while schema_version(db) < LATEST:
        db.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(db) < LATEST:
                done = applied(db)
                missing = [number for number in range(1, LATEST + 1) if number not in done]
                if missing:
                    _apply(db, MIGRATIONS[missing[0] - 1].step)
                    done.add(missing[0])
                _record(db, done)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _apply(db: sqlite3.Connection, step: str | Callable[[sqlite3.Connection], None]) -> None:
    if callable(step):
        step(db)
        return
    # Statement by statement: executescript would commit the open transaction first.
    for statement in step.split(";"):
        if statement.strip():
            db.execute(statement)


def _record(db: sqlite3.Connection, done: set[int]) -> None:
    version = 0
    while version + 1 in done:
        version += 1
    db.execute("PRAGMA user_version = {}".format(version))
    if version >= _MARKED_UNTIL:  # user_version alone tells from now on
        db.execute(
            "DELETE FROM meta WHERE key IN ({})".format(", ".join("?" for _ in _MARKERS)),
            _MARKERS,
        )


def _old_levels(db: sqlite3.Connection, version: int) -> dict[str, int]:
    """The old tracks' levels: ``user_version`` and the meta markers (none before the
    first migration made the meta table)."""
    levels = {"user_version": version}
    if version:
        marks = ", ".join("?" for _ in _MARKERS)
        for key, value in db.execute(
            "SELECT key, value FROM meta WHERE key IN ({})".format(marks), _MARKERS
        ).fetchall():
            levels[key] = int(value)
    return levels
