"""Naver Pay's records beside a payment: its product orders (status, claim, the details of
each move as JSON), what was done to the payment itself (points deposited, purchase
confirmed) and the buyers' reviews. The moves are :mod:`iamport_sandbox.domain.naverpay`'s;
this module only keeps them."""

import json
from collections.abc import Mapping, Sequence
from typing import Any

from iamport_sandbox.store.connection import Connection, Row, column_value, now

ORDER_COLUMNS = (
    "imp_uid", "position", "product_order_status", "claim_type", "claim_status", "placed",
    "holdback", "product_id", "product_name", "product_option_id", "product_option_name",
    "product_amount", "delivery_amount", "quantity", "shipping_due", "refunded", "details",
)  # fmt: skip
REVIEW_COLUMNS = (
    "review_id", "review_type", "score", "title", "content", "product_order_id", "product_id",
    "product_name", "product_option_name", "writer", "created_at", "modified_at",
)  # fmt: skip


def _order(row: Row | None) -> Row | None:
    if row is not None:
        row["placed"] = bool(row["placed"])
        row["holdback"] = bool(row["holdback"])
        row["details"] = json.loads(row["details"] or "{}")
    return row


class NaverPay(Connection):
    """Naver Pay's product orders, payment marks and reviews, per merchant."""

    def naver_orders(self, merchant_id: int, imp_uid: str) -> list[Row]:
        """The product orders of a payment, in the order of its products."""
        rows = self._all(
            "SELECT * FROM naver_product_orders WHERE merchant_id = ? AND imp_uid = ? "
            "ORDER BY position",
            (merchant_id, imp_uid),
        )
        return [row for row in map(_order, rows) if row is not None]

    def naver_order(self, merchant_id: int, product_order_id: str) -> Row | None:
        """One of the merchant's product orders by its Naver Pay number."""
        return _order(
            self._one(
                "SELECT * FROM naver_product_orders WHERE merchant_id = ? AND product_order_id = ?",
                (merchant_id, product_order_id),
            )
        )

    def naver_order_id_taken(self, product_order_id: str) -> bool:
        """Whether any merchant has a product order of that number."""
        return (
            self._one(
                "SELECT 1 FROM naver_product_orders WHERE product_order_id = ?",
                (product_order_id,),
            )
            is not None
        )

    def add_naver_orders(
        self, merchant_id: int, imp_uid: str, orders: Sequence[Mapping[str, Any]]
    ) -> list[Row]:
        """Keep a payment's product orders (made once, when first asked for)."""
        names = ORDER_COLUMNS
        stamp = now()
        with self.transaction():
            for order in orders:
                values = dict(order, imp_uid=imp_uid)
                self._run(
                    "INSERT INTO naver_product_orders (merchant_id, product_order_id, {}, "
                    "created_at, updated_at) VALUES (?, ?, {}, ?, ?)".format(
                        ", ".join(names), ", ".join("?" for _ in names)
                    ),
                    (
                        merchant_id,
                        order["product_order_id"],
                        *(column_value(values.get(name)) for name in names),
                        stamp,
                        stamp,
                    ),
                )
        return self.naver_orders(merchant_id, imp_uid)

    def update_naver_order(
        self, merchant_id: int, product_order_id: str, values: Mapping[str, Any]
    ) -> Row | None:
        """Change a product order's columns (``details`` replaced whole)."""
        names = [name for name in values if name in ORDER_COLUMNS and name != "imp_uid"]
        if names:
            self._run(
                "UPDATE naver_product_orders SET {}, updated_at = ? "
                "WHERE merchant_id = ? AND product_order_id = ?".format(
                    ", ".join("{} = ?".format(name) for name in names)
                ),
                (
                    *(column_value(values[name]) for name in names),
                    now(),
                    merchant_id,
                    product_order_id,
                ),
            )
        return self.naver_order(merchant_id, product_order_id)

    def naver_payment(self, merchant_id: int, imp_uid: str) -> Row | None:
        """What was done to a Naver Pay payment itself (points, purchase confirmation)."""
        return self._one(
            "SELECT * FROM naver_payments WHERE merchant_id = ? AND imp_uid = ?",
            (merchant_id, imp_uid),
        )

    def mark_naver_payment(self, merchant_id: int, imp_uid: str, values: Mapping[str, Any]) -> Row:
        """Record ``point_amount``/``point_at`` or ``confirmed_at``/``confirmed_by``."""
        names = [
            n for n in ("point_amount", "point_at", "confirmed_at", "confirmed_by") if n in values
        ]
        with self.transaction():
            self._run(
                "INSERT INTO naver_payments (merchant_id, imp_uid) VALUES (?, ?) "
                "ON CONFLICT (merchant_id, imp_uid) DO NOTHING",
                (merchant_id, imp_uid),
            )
            if names:
                self._run(
                    "UPDATE naver_payments SET {} WHERE merchant_id = ? AND imp_uid = ?".format(
                        ", ".join("{} = ?".format(name) for name in names)
                    ),
                    (*(values[name] for name in names), merchant_id, imp_uid),
                )
            row = self.naver_payment(merchant_id, imp_uid)
        assert row is not None  # inserted above
        return row

    def add_naver_review(self, merchant_id: int, values: Mapping[str, Any]) -> Row | None:
        """A buyer's review of a product order."""
        names = REVIEW_COLUMNS
        self._run(
            "INSERT INTO naver_reviews (merchant_id, {}) VALUES (?, {})".format(
                ", ".join(names), ", ".join("?" for _ in names)
            ),
            (merchant_id, *(values.get(name) for name in names)),
        )
        return self._one(
            "SELECT * FROM naver_reviews WHERE merchant_id = ? AND review_id = ?",
            (merchant_id, values["review_id"]),
        )

    def naver_reviews(
        self, merchant_id: int, since: int, until: int, review_type: str
    ) -> list[Row]:
        """The merchant's reviews of one type written from ``since`` to ``until``, oldest
        first (at most 1000)."""
        return self._all(
            "SELECT * FROM naver_reviews WHERE merchant_id = ? AND review_type = ? "
            "AND created_at BETWEEN ? AND ? ORDER BY created_at, rowid LIMIT 1000",
            (merchant_id, review_type, since, until),
        )
