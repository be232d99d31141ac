"""The webhook outbox: one row per delivery, written in the transaction of the status
change it announces, announced to the deliverer only once that transaction commits (see
:meth:`Connection.transaction <iamport_sandbox.store.connection.Connection.transaction>`),
and updated by each attempt."""

import json
from typing import Any

from iamport_sandbox.store.connection import Connection, Row, now


class Outbox(Connection):
    """Webhook deliveries and their attempts."""

    def add_webhook(self, merchant_id: int, imp_uid: str, url: str, payload: Any) -> int:
        """Queue one delivery (an outbox row). Inside a transaction the row is announced
        to ``outbox_listener`` only when that transaction commits."""
        with self.transaction():
            cursor = self._run(
                "INSERT INTO webhooks (merchant_id, imp_uid, url, payload, state, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                (merchant_id, imp_uid, url, json.dumps(payload), now(), now()),
            )
            webhook_id = cursor.lastrowid
            assert webhook_id is not None  # an INSERT's
            self._queue_outbox(webhook_id)
        return webhook_id

    def replay_webhook(self, merchant_id: int, webhook_id: int) -> Row | None:
        """Queue one of the merchant's deliveries again, whatever its state: a new row with
        its URL and body (the row it repeats stays as it was). The new row, or ``None`` for
        a delivery the merchant does not have."""
        row = self.webhook(merchant_id, webhook_id)
        if row is None:
            return None
        copy = self.add_webhook(merchant_id, row["imp_uid"], row["url"], json.loads(row["payload"]))
        return self.webhook(merchant_id, copy)

    def record_webhook_attempt(self, webhook_id: int, state: str, error: str | None = None) -> None:
        """One delivery attempt: its outcome (``state``) and error, if any."""
        self._run(
            "UPDATE webhooks SET attempts = attempts + 1, state = ?, last_error = ?, "
            "updated_at = ? WHERE id = ?",
            (state, error, now(), webhook_id),
        )

    def pending_webhook(self, webhook_id: int) -> Row | None:
        """One delivery, while it still waits to be (re)tried; ``None`` once it has ended."""
        return self._one(
            "SELECT * FROM webhooks WHERE id = ? AND state IN ('pending', 'retrying')",
            (webhook_id,),
        )

    def pending_webhooks(self) -> list[Row]:
        """Every delivery still to be (re)tried, of every merchant (a restart resumes them)."""
        return self._all(
            "SELECT * FROM webhooks WHERE state IN ('pending', 'retrying') ORDER BY id"
        )

    def webhook(self, merchant_id: int, webhook_id: int) -> Row | None:
        """One of the merchant's deliveries."""
        return self._one(
            "SELECT * FROM webhooks WHERE merchant_id = ? AND id = ?", (merchant_id, webhook_id)
        )

    def webhooks(self, merchant_id: int, limit: int = 100) -> list[Row]:
        """The merchant's latest deliveries, newest first."""
        return self._all(
            "SELECT * FROM webhooks WHERE merchant_id = ? ORDER BY id DESC LIMIT ?",
            (merchant_id, limit),
        )

    def webhooks_of(self, merchant_id: int, imp_uid: str) -> list[Row]:
        """The deliveries of one payment, newest first."""
        return self._all(
            "SELECT * FROM webhooks WHERE merchant_id = ? AND imp_uid = ? ORDER BY id DESC",
            (merchant_id, imp_uid),
        )

    def webhooks_page(
        self, merchant_id: int, page: int = 1, limit: int = 50
    ) -> tuple[int, list[Row]]:
        """``(total, rows)``: one page of the merchant's deliveries, newest first."""
        return self._paged("webhooks", "merchant_id = ?", (merchant_id,), "id DESC", page, limit)
