"""The store's records for the merchant-server REST API (issue 11): billing keys with their
card details, payment schedules, cash receipts, escrow shipping, and the listings the
reconciliation endpoints page through.

A mixin of :class:`iamport_sandbox.store.Store` (it uses the store's SQL plumbing and
lock). Its schema is versioned on its own (``meta.rest_schema``), apart from the store's
``PRAGMA user_version``, so that it migrates the same way whatever the core schema adds.

Card data: only what a card's holder could read on a receipt is kept. ``card_number`` is
stored masked (first 6, last 4 digits); expiry, birth date, password digits and CVC never
reach this module.
"""

import json
import time

# Each entry upgrades this module's schema by one version (meta key ``rest_schema``).
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

# Payment columns this module adds (the store writes them like its own).
PAYMENT_COLUMNS = (
    "channel", "card_number", "card_code", "card_type", "bank_code", "bank_name", "vbank_code",
    "vbank_issued_at", "user_agent", "cash_receipt_issued", "customer_uid_usage",
    "emb_pg_provider", "escrow", "cancel_history",
)
BILLING_KEY_COLUMNS = (
    "pg_provider", "pg_id", "card_name", "card_code", "card_number", "card_type",
    "customer_name", "customer_tel", "customer_email", "customer_addr", "customer_postcode",
)
SCHEDULE_COLUMNS = (
    "customer_uid", "merchant_uid", "schedule_at", "amount", "currency", "name", "buyer_name",
    "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode", "custom_data", "notice_url",
    "schedule_status", "payment_status", "imp_uid", "fail_reason", "executed_at", "revoked_at",
)
# How a listing may be sorted (Iamport's ``sorting``): the column and the direction.
SORTINGS = {
    "started": "started_at ASC", "-started": "started_at DESC",
    "paid": "paid_at ASC", "-paid": "paid_at DESC",
    "updated": "updated_at ASC", "-updated": "updated_at DESC",
}
# The time a status listing's ``from``/``to`` apply to, per status.
STATUS_TIME = {None: "started_at", "ready": "started_at", "paid": "paid_at",
               "failed": "failed_at", "cancelled": "cancelled_at"}


def _now():
    return int(time.time())


class RestRecords:
    """Billing keys, schedules, cash receipts, escrow shipping and payment listings."""

    # -- schema -------------------------------------------------------------------------

    def _migrate_rest(self):
        with self.transaction():
            row = self._one("SELECT value FROM meta WHERE key = 'rest_schema'")
            version = int(row["value"]) if row else 0
            for script in REST_MIGRATIONS[version:]:
                for statement in script.split(";"):
                    if statement.strip():
                        self._run(statement)
            self._run("INSERT INTO meta (key, value) VALUES ('rest_schema', ?) ON CONFLICT (key) "
                      "DO UPDATE SET value = excluded.value", (str(len(REST_MIGRATIONS)),))

    def _paged(self, table, where, params, order, page, limit):
        """``(total, rows)`` of one page (1-based) of ``table`` rows matching ``where``."""
        total = self._one("SELECT COUNT(*) AS n FROM {} WHERE {}".format(table, where),
                          params)["n"]
        rows = self._all("SELECT * FROM {} WHERE {} ORDER BY {}, rowid {} LIMIT ? OFFSET ?".format(
            table, where, order, order.split()[-1]), params + (limit, (page - 1) * limit))
        return total, rows

    # -- payment listings -----------------------------------------------------------------

    def payments_page(self, merchant_id, page=1, limit=20, status=None, merchant_uid=None,
                      customer_uid=None, since=None, until=None, sorting="-started"):
        """One page of the merchant's payments; ``since``/``until`` bound the time that
        ``status`` is about (``STATUS_TIME``)."""
        where, params = "merchant_id = ?", (merchant_id,)
        for column, value in (("status", status), ("merchant_uid", merchant_uid),
                              ("customer_uid", customer_uid)):
            if value is not None:
                where += " AND {} = ?".format(column)
                params += (value,)
        column = STATUS_TIME[status]
        if since is not None:
            where += " AND {} >= ?".format(column)
            params += (since,)
        if until is not None:
            where += " AND {} <= ?".format(column)
            params += (until,)
        return self._paged("payments", where, params, SORTINGS[sorting], page, limit)

    def payments_by_imp_uids(self, merchant_id, imp_uids):
        marks = ", ".join("?" for _ in imp_uids)
        return self._all("SELECT * FROM payments WHERE merchant_id = ? AND imp_uid IN ({}) "
                         "ORDER BY started_at DESC, rowid DESC".format(marks),
                         (merchant_id, *imp_uids))

    # -- billing keys -----------------------------------------------------------------------

    def register_billing_key(self, merchant_id, customer_uid, values):
        """Save (or replace) a billing key with its masked card details."""
        names = [name for name in BILLING_KEY_COLUMNS]
        row = [values.get(name) for name in names]
        stamp = _now()
        self._run(
            "INSERT INTO billing_keys (merchant_id, customer_uid, {}, created_at, updated_at) "
            "VALUES (?, ?, {}, ?, ?) ON CONFLICT (merchant_id, customer_uid) DO UPDATE SET "
            "{}, updated_at = excluded.updated_at".format(
                ", ".join(names), ", ".join("?" for _ in names),
                ", ".join("{0} = excluded.{0}".format(name) for name in names)),
            (merchant_id, customer_uid, *row, stamp, stamp))
        return self.billing_key(merchant_id, customer_uid)

    def billing_keys(self, merchant_id, customer_uids=None, limit=200):
        """The merchant's billing keys (those of ``customer_uids`` only, when given)."""
        if customer_uids is None:
            return self._all("SELECT * FROM billing_keys WHERE merchant_id = ? "
                             "ORDER BY created_at DESC, rowid DESC LIMIT ?", (merchant_id, limit))
        marks = ", ".join("?" for _ in customer_uids)
        return self._all("SELECT * FROM billing_keys WHERE merchant_id = ? AND customer_uid IN "
                         "({}) ORDER BY created_at DESC, rowid DESC".format(marks),
                         (merchant_id, *customer_uids))

    def delete_billing_key(self, merchant_id, customer_uid):
        self._run("DELETE FROM billing_keys WHERE merchant_id = ? AND customer_uid = ?",
                  (merchant_id, customer_uid))

    # -- schedules ----------------------------------------------------------------------------

    def add_schedule(self, merchant_id, values):
        """A new ``scheduled`` schedule; a revoked one of the same ``merchant_uid`` makes way."""
        with self.transaction():
            self._run("DELETE FROM schedules WHERE merchant_id = ? AND merchant_uid = ? AND "
                      "schedule_status = 'revoked'", (merchant_id, values["merchant_uid"]))
            names = [name for name in SCHEDULE_COLUMNS if name in values]
            self._run("INSERT INTO schedules (merchant_id, {}, schedule_status, created_at) "
                      "VALUES (?, {}, 'scheduled', ?)".format(
                          ", ".join(names), ", ".join("?" for _ in names)),
                      (merchant_id, *(_value(values[n]) for n in names), _now()))
        return self.schedule(merchant_id, values["merchant_uid"])

    def schedule(self, merchant_id, merchant_uid):
        return self._one("SELECT * FROM schedules WHERE merchant_id = ? AND merchant_uid = ?",
                         (merchant_id, merchant_uid))

    def update_schedule(self, merchant_id, merchant_uid, values):
        names = [name for name in values if name in SCHEDULE_COLUMNS]
        self._run("UPDATE schedules SET {} WHERE merchant_id = ? AND merchant_uid = ?".format(
            ", ".join("{} = ?".format(name) for name in names)),
            (*(_value(values[n]) for n in names), merchant_id, merchant_uid))
        return self.schedule(merchant_id, merchant_uid)

    def schedules_page(self, merchant_id, page=1, limit=20, customer_uid=None, since=None,
                       until=None, status=None):
        """One page of schedules, by ``schedule_at`` (earliest first)."""
        where, params = "merchant_id = ?", (merchant_id,)
        for clause, value in (("customer_uid = ?", customer_uid), ("schedule_at >= ?", since),
                              ("schedule_at <= ?", until), ("schedule_status = ?", status)):
            if value is not None:
                where += " AND " + clause
                params += (value,)
        return self._paged("schedules", where, params, "schedule_at ASC", page, limit)

    def scheduled_of(self, merchant_id, customer_uid, merchant_uids=None):
        """The customer's schedules still waiting (of ``merchant_uids`` only, when given)."""
        sql = ("SELECT * FROM schedules WHERE merchant_id = ? AND customer_uid = ? "
               "AND schedule_status = 'scheduled'")
        params = (merchant_id, customer_uid)
        if merchant_uids is not None:
            sql += " AND merchant_uid IN ({})".format(", ".join("?" for _ in merchant_uids))
            params += tuple(merchant_uids)
        return self._all(sql + " ORDER BY schedule_at, id", params)

    def due_schedules(self, when, limit=100):
        """Schedules of every merchant whose time has come by ``when``, earliest first."""
        return self._all("SELECT * FROM schedules WHERE schedule_status = 'scheduled' AND "
                         "schedule_at <= ? ORDER BY schedule_at, id LIMIT ?", (when, limit))

    # -- cash receipts and escrow shipping --------------------------------------------------

    def cash_receipt(self, merchant_id, imp_uid):
        return self._one("SELECT * FROM cash_receipts WHERE merchant_id = ? AND imp_uid = ?",
                         (merchant_id, imp_uid))

    def save_cash_receipt(self, merchant_id, imp_uid, values):
        """Issue (or issue again, after a cancellation) the payment's cash receipt."""
        names = ("receipt_tid", "apply_num", "type", "identifier_type", "identifier", "amount",
                 "vat", "tax_free", "applied_at")
        self._run("INSERT OR REPLACE INTO cash_receipts (merchant_id, imp_uid, {}, cancelled_at) "
                  "VALUES (?, ?, {}, NULL)".format(", ".join(names), ", ".join("?" for _ in names)),
                  (merchant_id, imp_uid, *(values[n] for n in names)))
        return self.cash_receipt(merchant_id, imp_uid)

    def cancel_cash_receipt(self, merchant_id, imp_uid, when):
        self._run("UPDATE cash_receipts SET cancelled_at = ? WHERE merchant_id = ? AND "
                  "imp_uid = ?", (when, merchant_id, imp_uid))
        return self.cash_receipt(merchant_id, imp_uid)

    def escrow_logis(self, merchant_id, imp_uid):
        return self._one("SELECT * FROM escrow_logis WHERE merchant_id = ? AND imp_uid = ?",
                         (merchant_id, imp_uid))

    def save_escrow_logis(self, merchant_id, imp_uid, values):
        stamp = _now()
        current = self.escrow_logis(merchant_id, imp_uid)
        self._run("INSERT OR REPLACE INTO escrow_logis (merchant_id, imp_uid, company, invoice, "
                  "sent_at, sender, receiver, applied_at, updated_at) VALUES "
                  "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (merchant_id, imp_uid, values["company"], values["invoice"], values["sent_at"],
                   _value(values.get("sender")), _value(values.get("receiver")),
                   current["applied_at"] if current else stamp, stamp))
        return self.escrow_logis(merchant_id, imp_uid)

    # -- certifications ---------------------------------------------------------------------

    def delete_certification(self, merchant_id, imp_uid):
        self._run("DELETE FROM certifications WHERE merchant_id = ? AND imp_uid = ?",
                  (merchant_id, imp_uid))


def _value(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value
