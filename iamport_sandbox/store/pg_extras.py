"""What the REST operations beside a payment record keep: a convenience-store payment's
barcode, cash receipts of payments made elsewhere (by ``merchant_uid``), the sub-merchant
lines of a payment's receipt, and the state the PG-specific operations move (KCP Quick
members deleted, PAYCO order states, Paymentwall deliveries, Benepia points spent)."""

import json
from collections.abc import Mapping, Sequence
from typing import Any

from iamport_sandbox.store.connection import Connection, Row, now

EXTERNAL_RECEIPT_COLUMNS = (
    "receipt_tid", "apply_num", "type", "identifier_type", "identifier", "name", "amount",
    "vat", "tax_free", "pg_provider", "pg_id", "applied_at",
)  # fmt: skip


class PgExtras(Connection):
    """CVS barcodes, external and partner receipts, PG order states, Benepia points."""

    # -- convenience-store payments -----------------------------------------------------

    def save_cvs_barcode(
        self, merchant_id: int, imp_uid: str, barcode: str, expired_at: int, confirm_url: str | None
    ) -> None:
        """The barcode a convenience store takes the payment of ``imp_uid`` with."""
        self._run(
            "INSERT INTO cvs_barcodes (merchant_id, imp_uid, barcode, expired_at, confirm_url) "
            "VALUES (?, ?, ?, ?, ?)",
            (merchant_id, imp_uid, barcode, expired_at, confirm_url),
        )

    def cvs_barcode(self, merchant_id: int, imp_uid: str) -> Row | None:
        """The barcode row of a convenience-store payment, else ``None``."""
        return self._one(
            "SELECT * FROM cvs_barcodes WHERE merchant_id = ? AND imp_uid = ?",
            (merchant_id, imp_uid),
        )

    def cvs_barcode_taken(self, barcode: str) -> bool:
        """Whether a payment still waiting at a store has this barcode."""
        return bool(
            self._one(
                "SELECT 1 FROM cvs_barcodes JOIN payments USING (imp_uid) "
                "WHERE barcode = ? AND payments.status = 'ready'",
                (barcode,),
            )
        )

    # -- cash receipts of payments made elsewhere ---------------------------------------

    def external_receipt(self, merchant_id: int, merchant_uid: str) -> Row | None:
        """The cash receipt issued for ``merchant_uid`` (cancelled ones too)."""
        return self._one(
            "SELECT * FROM external_receipts WHERE merchant_id = ? AND merchant_uid = ?",
            (merchant_id, merchant_uid),
        )

    def save_external_receipt(
        self, merchant_id: int, merchant_uid: str, values: Mapping[str, Any]
    ) -> Row | None:
        """Issue (or issue again, after a cancellation) the receipt of ``merchant_uid``."""
        names = EXTERNAL_RECEIPT_COLUMNS
        self._run(
            "INSERT OR REPLACE INTO external_receipts (merchant_id, merchant_uid, {}, "
            "cancelled_at) VALUES (?, ?, {}, NULL)".format(
                ", ".join(names), ", ".join("?" for _ in names)
            ),
            (merchant_id, merchant_uid, *(values[name] for name in names)),
        )
        return self.external_receipt(merchant_id, merchant_uid)

    def cancel_external_receipt(self, merchant_id: int, merchant_uid: str) -> Row | None:
        """Mark the receipt of ``merchant_uid`` cancelled now."""
        self._run(
            "UPDATE external_receipts SET cancelled_at = ? WHERE merchant_id = ? AND "
            "merchant_uid = ?",
            (now(), merchant_id, merchant_uid),
        )
        return self.external_receipt(merchant_id, merchant_uid)

    # -- sub-merchant lines of a receipt ------------------------------------------------

    def partner_lines(self, merchant_id: int, imp_uid: str) -> list[dict[str, Any]] | None:
        """The sub-merchant lines registered on a payment's receipt, else ``None``."""
        row = self._one(
            "SELECT lines FROM partner_receipts WHERE merchant_id = ? AND imp_uid = ?",
            (merchant_id, imp_uid),
        )
        return None if row is None else list(json.loads(row["lines"]))

    def save_partner_lines(
        self, merchant_id: int, imp_uid: str, lines: Sequence[Mapping[str, Any]]
    ) -> None:
        """Register (or replace) the sub-merchant lines of a payment's receipt."""
        self._run(
            "INSERT OR REPLACE INTO partner_receipts (merchant_id, imp_uid, lines, created_at) "
            "VALUES (?, ?, ?, ?)",
            (merchant_id, imp_uid, json.dumps(list(lines), ensure_ascii=False), now()),
        )

    # -- KCP Quick members ----------------------------------------------------------------

    def kcpquick_member(self, merchant_id: int, member_id: str, site_code: str) -> Row | None:
        """A KCP Quick member: registered by a window of the merchant's ``kcp_quick`` setting
        of ``site_code`` (``bypass.kcpQuick.memberID``), paid (or its key issued), and not
        deleted since. ``{member_id, pg_id, inserted, updated}``."""
        return self._one(
            "SELECT ? AS member_id, pg_id, MIN(started_at) AS inserted, "
            "MAX(updated_at) AS updated FROM payments WHERE merchant_id = ? AND "
            "pg_provider = 'kcp_quick' AND pg_id = ? AND status IN ('paid', 'cancelled') AND "
            "json_valid(request_json) AND "
            "json_extract(request_json, '$.bypass.kcpQuick.memberID') = ? AND NOT EXISTS ("
            "SELECT 1 FROM kcpquick_deleted d WHERE d.merchant_id = payments.merchant_id AND "
            "d.member_id = ? AND d.site_code = payments.pg_id AND "
            "d.deleted_at >= payments.started_at) GROUP BY pg_id",
            (member_id, merchant_id, site_code, member_id, member_id),
        )

    def delete_kcpquick_member(self, merchant_id: int, member_id: str, site_code: str) -> None:
        """The member is deleted at KCP: its registrations so far no longer count."""
        self._run(
            "INSERT OR REPLACE INTO kcpquick_deleted (merchant_id, member_id, site_code, "
            "deleted_at) VALUES (?, ?, ?, ?)",
            (merchant_id, member_id, site_code, now()),
        )

    # -- PG order states (PAYCO orders, Paymentwall deliveries) ---------------------------

    def pg_order_state(self, merchant_id: int, imp_uid: str, pg: str) -> Row | None:
        """The order state ``pg`` keeps for a payment (``state``, ``details``), else ``None``."""
        return self._one(
            "SELECT state, details, updated_at FROM pg_order_states WHERE merchant_id = ? AND "
            "imp_uid = ? AND pg = ?",
            (merchant_id, imp_uid, pg),
        )

    def save_pg_order_state(
        self, merchant_id: int, imp_uid: str, pg: str, state: str, details: object = None
    ) -> None:
        """Set the order state ``pg`` keeps for a payment."""
        self._run(
            "INSERT OR REPLACE INTO pg_order_states (merchant_id, imp_uid, pg, state, details, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                merchant_id,
                imp_uid,
                pg,
                state,
                None if details is None else json.dumps(details, ensure_ascii=False),
                now(),
            ),
        )

    # -- Benepia points ---------------------------------------------------------------------

    def benepia_spent(self, merchant_id: int, benepia_user: str) -> float:
        """The points a Benepia account has spent at the merchant."""
        row = self._one(
            "SELECT spent FROM benepia_spent WHERE merchant_id = ? AND benepia_user = ?",
            (merchant_id, benepia_user),
        )
        return float(row["spent"]) if row else 0.0

    def spend_benepia(self, merchant_id: int, benepia_user: str, points: float) -> None:
        """Add ``points`` to what the account has spent."""
        self._run(
            "INSERT INTO benepia_spent (merchant_id, benepia_user, spent) VALUES (?, ?, ?) "
            "ON CONFLICT (merchant_id, benepia_user) DO UPDATE SET spent = spent + excluded.spent",
            (merchant_id, benepia_user, points),
        )
