"""The records of the merchant-server REST API (issue 11) beside the payments themselves:
billing keys with their card details, payment schedules, prepared amounts, cash receipts
and escrow shipping.

Card data: only what a card's holder could read on a receipt is kept. ``card_number`` is
stored masked (first 6, last 4 digits); expiry, birth date, password digits and CVC never
reach this module.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from iamport_sandbox.store.connection import (
    Connection,
    Params,
    Row,
    StoreError,
    column_value,
    now,
)

BILLING_KEY_COLUMNS = (
    "pg_provider", "pg_id", "card_name", "card_code", "card_number", "card_type",
    "customer_name", "customer_tel", "customer_email", "customer_addr", "customer_postcode",
)  # fmt: skip
SCHEDULE_COLUMNS = (
    "customer_uid", "merchant_uid", "schedule_at", "amount", "currency", "name", "buyer_name",
    "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode", "custom_data", "notice_url",
    "schedule_status", "payment_status", "imp_uid", "fail_reason", "executed_at", "revoked_at",
)  # fmt: skip
CASH_RECEIPT_COLUMNS = (
    "receipt_tid", "apply_num", "type", "identifier_type", "identifier", "amount", "vat",
    "tax_free", "applied_at",
)  # fmt: skip


class BillingKeys(Connection):
    """Billing keys (a customer's card, for recurring and server-side charges)."""

    def register_billing_key(
        self, merchant_id: int, customer_uid: str, values: Mapping[str, Any]
    ) -> Row | None:
        """Save (or replace) a billing key with its masked card details."""
        names = BILLING_KEY_COLUMNS
        stamp = now()
        self._run(
            "INSERT INTO billing_keys (merchant_id, customer_uid, {}, created_at, updated_at) "
            "VALUES (?, ?, {}, ?, ?) ON CONFLICT (merchant_id, customer_uid) DO UPDATE SET "
            "{}, updated_at = excluded.updated_at".format(
                ", ".join(names),
                ", ".join("?" for _ in names),
                ", ".join("{0} = excluded.{0}".format(name) for name in names),
            ),
            (merchant_id, customer_uid, *(values.get(name) for name in names), stamp, stamp),
        )
        return self.billing_key(merchant_id, customer_uid)

    def billing_key(self, merchant_id: int, customer_uid: str) -> Row | None:
        """The merchant's billing key of ``customer_uid``."""
        return self._one(
            "SELECT * FROM billing_keys WHERE merchant_id = ? AND customer_uid = ?",
            (merchant_id, customer_uid),
        )

    def billing_keys(
        self, merchant_id: int, customer_uids: Sequence[str] | None = None, limit: int = 200
    ) -> list[Row]:
        """The merchant's billing keys (those of ``customer_uids`` only, when given)."""
        if customer_uids is None:
            return self._all(
                "SELECT * FROM billing_keys WHERE merchant_id = ? "
                "ORDER BY created_at DESC, rowid DESC LIMIT ?",
                (merchant_id, limit),
            )
        marks = ", ".join("?" for _ in customer_uids)
        return self._all(
            "SELECT * FROM billing_keys WHERE merchant_id = ? AND customer_uid IN "
            "({}) ORDER BY created_at DESC, rowid DESC".format(marks),
            (merchant_id, *customer_uids),
        )

    def delete_billing_key(self, merchant_id: int, customer_uid: str) -> None:
        """Delete the billing key of ``customer_uid``."""
        self._run(
            "DELETE FROM billing_keys WHERE merchant_id = ? AND customer_uid = ?",
            (merchant_id, customer_uid),
        )


class Schedules(Connection):
    """Payment schedules: charges of a billing key at a time to come."""

    def add_schedule(self, merchant_id: int, values: Mapping[str, Any]) -> Row | None:
        """A new ``scheduled`` schedule; a revoked one of the same ``merchant_uid`` makes way."""
        with self.transaction():
            self._run(
                "DELETE FROM schedules WHERE merchant_id = ? AND merchant_uid = ? AND "
                "schedule_status = 'revoked'",
                (merchant_id, values["merchant_uid"]),
            )
            names = [name for name in SCHEDULE_COLUMNS if name in values]
            self._run(
                "INSERT INTO schedules (merchant_id, {}, schedule_status, created_at) "
                "VALUES (?, {}, 'scheduled', ?)".format(
                    ", ".join(names), ", ".join("?" for _ in names)
                ),
                (merchant_id, *(column_value(values[n]) for n in names), now()),
            )
        return self.schedule(merchant_id, values["merchant_uid"])

    def schedule(self, merchant_id: int, merchant_uid: str) -> Row | None:
        """The merchant's schedule of ``merchant_uid``."""
        return self._one(
            "SELECT * FROM schedules WHERE merchant_id = ? AND merchant_uid = ?",
            (merchant_id, merchant_uid),
        )

    def update_schedule(
        self, merchant_id: int, merchant_uid: str, values: Mapping[str, Any]
    ) -> Row | None:
        """Change the schedule's columns named in ``values`` (others are ignored)."""
        names = [name for name in values if name in SCHEDULE_COLUMNS]
        self._run(
            "UPDATE schedules SET {} WHERE merchant_id = ? AND merchant_uid = ?".format(
                ", ".join("{} = ?".format(name) for name in names)
            ),
            (*(column_value(values[n]) for n in names), merchant_id, merchant_uid),
        )
        return self.schedule(merchant_id, merchant_uid)

    def schedules_page(
        self,
        merchant_id: int,
        page: int = 1,
        limit: int = 20,
        customer_uid: str | None = None,
        since: int | None = None,
        until: int | None = None,
        status: str | None = None,
    ) -> tuple[int, list[Row]]:
        """One page of schedules, by ``schedule_at`` (earliest first)."""
        where = "merchant_id = ?"
        params: Params = (merchant_id,)
        for clause, value in (
            ("customer_uid = ?", customer_uid),
            ("schedule_at >= ?", since),
            ("schedule_at <= ?", until),
            ("schedule_status = ?", status),
        ):
            if value is not None:
                where += " AND " + clause
                params += (value,)
        return self._paged("schedules", where, params, "schedule_at ASC", page, limit)

    def scheduled_of(
        self, merchant_id: int, customer_uid: str, merchant_uids: Sequence[str] | None = None
    ) -> list[Row]:
        """The customer's schedules still waiting (of ``merchant_uids`` only, when given)."""
        sql = (
            "SELECT * FROM schedules WHERE merchant_id = ? AND customer_uid = ? "
            "AND schedule_status = 'scheduled'"
        )
        params: Params = (merchant_id, customer_uid)
        if merchant_uids is not None:
            sql += " AND merchant_uid IN ({})".format(", ".join("?" for _ in merchant_uids))
            params += tuple(merchant_uids)
        return self._all(sql + " ORDER BY schedule_at, id", params)

    def due_schedules(self, when: int, limit: int = 100) -> list[Row]:
        """Schedules of every merchant whose time has come by ``when``, earliest first."""
        return self._all(
            "SELECT * FROM schedules WHERE schedule_status = 'scheduled' AND "
            "schedule_at <= ? ORDER BY schedule_at, id LIMIT ?",
            (when, limit),
        )


class PaymentExtras(Connection):
    """What a payment may have beside its record: the amount prepared for its order, its
    cash receipt, its escrow shipping."""

    def prepare(self, merchant_id: int, merchant_uid: str, amount: float) -> Row | None:
        """Register the amount an order must be paid with; once per ``merchant_uid``."""
        with self.transaction():
            if self.prepared(merchant_id, merchant_uid):
                raise StoreError("merchant_uid '{}' is already prepared".format(merchant_uid))
            self._run(
                "INSERT INTO prepared (merchant_id, merchant_uid, amount, created_at) "
                "VALUES (?, ?, ?, ?)",
                (merchant_id, merchant_uid, amount, now()),
            )
        return self.prepared(merchant_id, merchant_uid)

    def reprepare(self, merchant_id: int, merchant_uid: str, amount: float) -> Row | None:
        """Change the amount prepared for an order (``PUT /payments/prepare``); ``None`` when
        nothing is prepared for it. A paid order keeps the amount it was paid with."""
        with self.transaction():
            if self.prepared(merchant_id, merchant_uid) is None:
                return None
            if self._one(
                "SELECT 1 FROM payments WHERE merchant_id = ? AND merchant_uid = ? "
                "AND status = 'paid'",
                (merchant_id, merchant_uid),
            ):
                raise StoreError("merchant_uid '{}' is paid already".format(merchant_uid))
            self._run(
                "UPDATE prepared SET amount = ? WHERE merchant_id = ? AND merchant_uid = ?",
                (amount, merchant_id, merchant_uid),
            )
        return self.prepared(merchant_id, merchant_uid)

    def prepared(self, merchant_id: int, merchant_uid: str) -> Row | None:
        """``{"merchant_uid", "amount"}`` prepared for the order, else ``None``."""
        return self._one(
            "SELECT merchant_uid, amount FROM prepared WHERE merchant_id = ? AND merchant_uid = ?",
            (merchant_id, merchant_uid),
        )

    def cash_receipt(self, merchant_id: int, imp_uid: str) -> Row | None:
        """The payment's cash receipt (cancelled ones too: ``cancelled_at`` says)."""
        return self._one(
            "SELECT * FROM cash_receipts WHERE merchant_id = ? AND imp_uid = ?",
            (merchant_id, imp_uid),
        )

    def save_cash_receipt(
        self, merchant_id: int, imp_uid: str, values: Mapping[str, Any]
    ) -> Row | None:
        """Issue (or issue again, after a cancellation) the payment's cash receipt."""
        names = CASH_RECEIPT_COLUMNS
        self._run(
            "INSERT OR REPLACE INTO cash_receipts (merchant_id, imp_uid, {}, cancelled_at) "
            "VALUES (?, ?, {}, NULL)".format(", ".join(names), ", ".join("?" for _ in names)),
            (merchant_id, imp_uid, *(values[n] for n in names)),
        )
        return self.cash_receipt(merchant_id, imp_uid)

    def cancel_cash_receipt(self, merchant_id: int, imp_uid: str, when: int) -> Row | None:
        """Mark the payment's cash receipt cancelled at ``when``."""
        self._run(
            "UPDATE cash_receipts SET cancelled_at = ? WHERE merchant_id = ? AND imp_uid = ?",
            (when, merchant_id, imp_uid),
        )
        return self.cash_receipt(merchant_id, imp_uid)

    def escrow_logis(self, merchant_id: int, imp_uid: str) -> Row | None:
        """The payment's escrow shipping registration."""
        return self._one(
            "SELECT * FROM escrow_logis WHERE merchant_id = ? AND imp_uid = ?",
            (merchant_id, imp_uid),
        )

    def save_escrow_logis(
        self, merchant_id: int, imp_uid: str, values: Mapping[str, Any]
    ) -> Row | None:
        """Register (or change) the payment's shipping; the first registration's time
        stays ``applied_at``."""
        stamp = now()
        current = self.escrow_logis(merchant_id, imp_uid)
        self._run(
            "INSERT OR REPLACE INTO escrow_logis (merchant_id, imp_uid, company, invoice, "
            "sent_at, sender, receiver, applied_at, updated_at) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                merchant_id,
                imp_uid,
                values["company"],
                values["invoice"],
                values["sent_at"],
                column_value(values.get("sender")),
                column_value(values.get("receiver")),
                current["applied_at"] if current else stamp,
                stamp,
            ),
        )
        return self.escrow_logis(merchant_id, imp_uid)
