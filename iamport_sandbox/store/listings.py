"""Payment listings: the REST API's pages (by status, by ``imp_uid``), the console's search
and its filter choices. Reads only; the records themselves are :mod:`.records`'."""

from collections.abc import Sequence

from iamport_sandbox.store.connection import Connection, Params, Row

# How a listing may be sorted (Iamport's ``sorting``): the column and the direction.
SORTINGS = {
    "started": "started_at ASC",
    "-started": "started_at DESC",
    "paid": "paid_at ASC",
    "-paid": "paid_at DESC",
    "updated": "updated_at ASC",
    "-updated": "updated_at DESC",
}
# The time a status listing's ``from``/``to`` apply to, per status.
STATUS_TIME = {
    None: "started_at",
    "ready": "started_at",
    "paid": "paid_at",
    "failed": "failed_at",
    "cancelled": "cancelled_at",
}


class Listings(Connection):
    """Pages and searches of a merchant's payments."""

    def payments(self, merchant_id: int, limit: int = 100) -> list[Row]:
        """The merchant's latest payments, newest first."""
        return self._all(
            "SELECT * FROM payments WHERE merchant_id = ? "
            "ORDER BY started_at DESC, rowid DESC LIMIT ?",
            (merchant_id, limit),
        )

    def payments_page(
        self,
        merchant_id: int,
        page: int = 1,
        limit: int = 20,
        status: str | None = None,
        merchant_uid: str | None = None,
        customer_uid: str | None = None,
        since: int | None = None,
        until: int | None = None,
        sorting: str = "-started",
    ) -> tuple[int, list[Row]]:
        """One page of the merchant's payments; ``since``/``until`` bound the time that
        ``status`` is about (``STATUS_TIME``)."""
        where = "merchant_id = ?"
        params: Params = (merchant_id,)
        for column, value in (
            ("status", status),
            ("merchant_uid", merchant_uid),
            ("customer_uid", customer_uid),
        ):
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

    def payments_by_imp_uids(self, merchant_id: int, imp_uids: Sequence[str]) -> list[Row]:
        """The merchant's payments among ``imp_uids``, newest first."""
        marks = ", ".join("?" for _ in imp_uids)
        return self._all(
            "SELECT * FROM payments WHERE merchant_id = ? AND imp_uid IN ({}) "
            "ORDER BY started_at DESC, rowid DESC".format(marks),
            (merchant_id, *imp_uids),
        )

    def search_payments(
        self,
        merchant_id: int,
        page: int = 1,
        limit: int = 20,
        status: str | None = None,
        pg_provider: str | None = None,
        pay_method: str | None = None,
        since: int | None = None,
        until: int | None = None,
        query: str | None = None,
    ) -> tuple[int, list[Row]]:
        """``(total, rows)``: the console's payment list. ``status`` also takes the
        console's split of ``ready``: ``window`` (window open or abandoned) and ``vbank``
        (virtual account issued, awaiting deposit). ``since``/``until`` bound
        ``started_at``; ``query`` matches imp_uid, merchant_uid and the buyer."""
        where = "merchant_id = ?"
        params: Params = (merchant_id,)
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
            where += (
                " AND (imp_uid = ? OR merchant_uid LIKE ? ESCAPE '\\' OR buyer_name "
                "LIKE ? ESCAPE '\\' OR buyer_email LIKE ? ESCAPE '\\' OR buyer_tel "
                "LIKE ? ESCAPE '\\')"
            )
            like = _like(query)
            params += (query, like, like, like, like)
        return self._paged("payments", where, params, "started_at DESC", page, limit)

    def payment_methods(self, merchant_id: int) -> tuple[list[str], list[str]]:
        """The PG codes and pay methods the merchant's payments use (filter choices)."""
        rows = self._all(
            "SELECT DISTINCT pg_provider, pay_method FROM payments WHERE merchant_id = ?",
            (merchant_id,),
        )
        return (
            sorted({r["pg_provider"] for r in rows}),
            sorted({r["pay_method"] for r in rows if r["pay_method"]}),
        )


def _like(text: str) -> str:
    """A LIKE pattern (``ESCAPE '\\'``) matching ``text`` anywhere, its wildcards literal."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
