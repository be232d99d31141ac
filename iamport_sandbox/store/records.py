"""Payments and certifications (identity checks): the records a window opens, through one
accessor keyed by their kind, and a payment's status history.

Both kinds share one ``imp_uid`` space, as Iamport's do, but live in their own tables: no
payment query, F1002 check, find or webhook can meet a certification.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from iamport_sandbox import security
from iamport_sandbox.store.connection import Connection, Row, column_value, now

# Payment columns a page or an API may show (never a secret: payments hold none).
PAYMENT_FIELDS: tuple[str, ...] = (
    "imp_uid", "merchant_uid", "request_id", "status", "amount", "cancel_amount",
    "currency", "name", "pg_provider", "pg_id", "pg_tid", "pay_method", "buyer_name",
    "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode", "custom_data", "notice_url",
    "apply_num", "card_name", "card_quota", "vbank_num", "vbank_name", "vbank_holder",
    "vbank_date", "customer_uid", "error_code", "fail_reason",
    "cancel_reason", "started_at", "paid_at", "failed_at", "cancelled_at", "updated_at",
)  # fmt: skip
# The full payment record of the merchant-server REST API (migration 4) ...
PAYMENT_COLUMNS: tuple[str, ...] = (
    "channel", "card_number", "card_code", "card_type", "bank_code", "bank_name", "vbank_code",
    "vbank_issued_at", "user_agent", "cash_receipt_issued", "customer_uid_usage",
    "emb_pg_provider", "escrow", "cancel_history",
)  # fmt: skip
# ... and the request as the window sent it (migration 6).
PAYMENT_FIELDS += PAYMENT_COLUMNS + ("request_json",)
# Certification columns (Iamport's certification fields, plus the window's bookkeeping).
CERTIFICATION_FIELDS: tuple[str, ...] = (
    "imp_uid", "merchant_uid", "request_id", "status", "pg_provider", "pg_id", "pg_tid",
    "name", "gender", "birth", "birthday", "foreigner", "foreigner_v2", "phone", "carrier",
    "certified", "certified_at", "unique_key", "unique_in_site", "origin", "error_code",
    "fail_reason", "started_at", "failed_at", "updated_at",
)  # fmt: skip

Kind = Literal["payment", "certification"]


@dataclass(frozen=True)
class Table:
    """Where a kind of record lives, and the columns a caller may write."""

    name: str
    fields: tuple[str, ...]


TABLES: dict[Kind, Table] = {
    "payment": Table("payments", PAYMENT_FIELDS),
    "certification": Table("certifications", CERTIFICATION_FIELDS),
}


class Records(Connection):
    """Payments and certifications, one accessor for both; payment status history."""

    # -- the accessor ---------------------------------------------------------------------

    def record(self, kind: Kind, merchant_id: int, imp_uid: str) -> Row | None:
        """The merchant's payment or certification (``kind``) with that ``imp_uid``."""
        return self._one(
            "SELECT * FROM {} WHERE imp_uid = ? AND merchant_id = ?".format(TABLES[kind].name),
            (imp_uid, merchant_id),
        )

    def create_record(self, kind: Kind, merchant_id: int, values: Mapping[str, Any]) -> Row:
        """A new record of ``kind`` with a fresh ``imp_uid``; keys of ``values`` that are
        not the kind's columns are ignored."""
        table = TABLES[kind]
        with self.transaction():
            imp_uid = self._new_imp_uid()
            fields = dict(
                values, imp_uid=imp_uid, merchant_id=merchant_id, started_at=now(), updated_at=now()
            )
            names = [name for name in fields if name in table.fields or name == "merchant_id"]
            self._run(
                "INSERT INTO {} ({}) VALUES ({})".format(
                    table.name, ", ".join(names), ", ".join("?" for _ in names)
                ),
                tuple(column_value(fields[name]) for name in names),
            )
        created = self.record(kind, merchant_id, imp_uid)
        assert created is not None  # inserted just above
        return created

    def update_record(
        self, kind: Kind, merchant_id: int, imp_uid: str, values: Mapping[str, Any]
    ) -> Row | None:
        """Change the record's columns named in ``values`` (others are ignored) and its
        ``updated_at``; returns the record as it now is."""
        table = TABLES[kind]
        names = [name for name in values if name in table.fields and name != "imp_uid"]
        assignments = ", ".join("{} = ?".format(name) for name in [*names, "updated_at"])
        self._run(
            "UPDATE {} SET {} WHERE imp_uid = ? AND merchant_id = ?".format(
                table.name, assignments
            ),
            tuple(column_value(values[n]) for n in names) + (now(), imp_uid, merchant_id),
        )
        return self.record(kind, merchant_id, imp_uid)

    def delete_record(self, kind: Kind, merchant_id: int, imp_uid: str) -> None:
        """Delete the merchant's record of ``kind`` with that ``imp_uid``."""
        self._run(
            "DELETE FROM {} WHERE merchant_id = ? AND imp_uid = ?".format(TABLES[kind].name),
            (merchant_id, imp_uid),
        )

    def _new_imp_uid(self) -> str:
        # One imp_uid space for payments and certifications, as Iamport has.
        while True:
            imp_uid = security.new_imp_uid()
            if not self._one(
                "SELECT 1 FROM payments WHERE imp_uid = ? UNION ALL "
                "SELECT 1 FROM certifications WHERE imp_uid = ?",
                (imp_uid, imp_uid),
            ):
                return imp_uid

    # -- by kind, as the callers name them ------------------------------------------------

    def payment(self, merchant_id: int, imp_uid: str) -> Row | None:
        """The merchant's payment with that ``imp_uid``."""
        return self.record("payment", merchant_id, imp_uid)

    def create_payment(self, merchant_id: int, values: Mapping[str, Any]) -> Row:
        """A new payment (see :meth:`create_record`)."""
        return self.create_record("payment", merchant_id, values)

    def update_payment(
        self, merchant_id: int, imp_uid: str, values: Mapping[str, Any]
    ) -> Row | None:
        """Change a payment (see :meth:`update_record`)."""
        return self.update_record("payment", merchant_id, imp_uid, values)

    def certification(self, merchant_id: int, imp_uid: str) -> Row | None:
        """The merchant's certification with that ``imp_uid``."""
        return self.record("certification", merchant_id, imp_uid)

    def create_certification(self, merchant_id: int, values: Mapping[str, Any]) -> Row:
        """A new certification (see :meth:`create_record`)."""
        return self.create_record("certification", merchant_id, values)

    def update_certification(
        self, merchant_id: int, imp_uid: str, values: Mapping[str, Any]
    ) -> Row | None:
        """Change a certification (see :meth:`update_record`)."""
        return self.update_record("certification", merchant_id, imp_uid, values)

    def delete_certification(self, merchant_id: int, imp_uid: str) -> None:
        """Delete a certification (the REST API's ``DELETE /certifications``)."""
        self.delete_record("certification", merchant_id, imp_uid)

    # -- payments by other keys -----------------------------------------------------------

    def payment_anywhere(self, imp_uid: str) -> Row | None:
        """A payment by its id alone (receipts are reached by their unguessable id)."""
        return self._one("SELECT * FROM payments WHERE imp_uid = ?", (imp_uid,))

    def payment_by_merchant_uid(
        self, merchant_id: int, merchant_uid: str, status: str | None = None
    ) -> Row | None:
        """The latest payment of an order (optionally with ``status``)."""
        sql = "SELECT * FROM payments WHERE merchant_id = ? AND merchant_uid = ?"
        params: tuple[Any, ...] = (merchant_id, merchant_uid)
        if status:
            sql += " AND status = ?"
            params += (status,)
        return self._one(sql + " ORDER BY started_at DESC, rowid DESC LIMIT 1", params)

    # -- status history -------------------------------------------------------------------

    def add_payment_event(self, payment: Row, values: Mapping[str, Any]) -> None:
        """One line of a payment's status history (written by ``payments._record`` in
        the transaction of the change)."""
        self._run(
            "INSERT INTO payment_events (merchant_id, imp_uid, status, amount, "
            "cancel_amount, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                payment["merchant_id"],
                payment["imp_uid"],
                payment["status"],
                payment["amount"],
                payment["cancel_amount"],
                _event_note(payment, values),
                now(),
            ),
        )

    def payment_events(self, merchant_id: int, imp_uid: str) -> list[Row]:
        """A payment's status history, oldest first."""
        return self._all(
            "SELECT * FROM payment_events WHERE merchant_id = ? AND imp_uid = ? ORDER BY id",
            (merchant_id, imp_uid),
        )


def _event_note(payment: Row, values: Mapping[str, Any]) -> str | None:
    """What a status-history line adds to the status (a reason, an issued account)."""
    reason = values.get("cancel_reason") or values.get("fail_reason")
    if reason:
        return str(reason)
    if values.get("vbank_num"):
        return "가상계좌 발급 · virtual account issued"
    if payment["vbank_num"] and payment["status"] == "paid":
        return "입금 확인 · deposit received"
    return None
