"""The store's one SQLite connection: its file (private, WAL), the lock that lets threads
share it, transactions, and the outbox's after-commit hook.

Every aggregate class of the package (merchants, settings, records, ...) derives from
:class:`Connection` and reaches SQL through its ``_all``, ``_one`` and ``_run`` only.
"""

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from iamport_sandbox import security

log = logging.getLogger("iamport_sandbox.store")

# A row as every reader returns it: column name -> value.
Row = dict[str, Any]
Params = tuple[Any, ...]


def now() -> int:
    """Unix seconds, the unit of Iamport's timestamps."""
    return int(time.time())


def column_value(value: Any) -> Any:
    """A value as a column keeps it: JSON for structured values (custom data, a request,
    a shipping party), 0/1 for flags."""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


class StoreError(Exception):
    """A request the store refuses (duplicate, not found, conflict), with a message."""


def connect(path: str) -> sqlite3.Connection:
    """The connection to the store file at ``path``: WAL, foreign keys, a busy timeout,
    autocommit (transactions are explicit), rows by name and ``sandbox_sha256``, which the
    migrations use to keep only digests of bearer secrets."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.create_function("sandbox_sha256", 1, security.token_digest, deterministic=True)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    return db


class Connection:
    """The shared connection and its plumbing. Safe to share between threads: every
    statement runs under one re-entrant lock."""

    def __init__(self, path: str) -> None:
        self.path = path
        _private_file(path)
        self._lock = threading.RLock()
        # Called with the ids of webhook rows once the transaction that wrote them has
        # committed (the outbox): a delivery never starts for a row that may roll back.
        self.outbox_listener: Callable[[list[int]], object] | None = None
        self._outbox: list[int] = []
        self._db = connect(path)

    def close(self) -> None:
        """Close the connection (the last one folds the WAL into the file)."""
        with self._lock:
            self._db.close()

    def transaction(self) -> "Transaction":
        """``with store.transaction():`` groups writes atomically."""
        return Transaction(self)

    def _all(self, sql: str, params: Params = ()) -> list[Row]:
        with self._lock:
            return [dict(row) for row in self._db.execute(sql, params).fetchall()]

    def _one(self, sql: str, params: Params = ()) -> Row | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _run(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, params)

    def _paged(
        self, table: str, where: str, params: Params, order: str, page: int, limit: int
    ) -> tuple[int, list[Row]]:
        """``(total, rows)`` of one page (1-based) of ``table`` rows matching ``where``."""
        with self._lock:
            total: int = self._db.execute(
                "SELECT COUNT(*) FROM {} WHERE {}".format(table, where), params
            ).fetchone()[0]
        # rowid breaks ties in the order's own direction, so pages never overlap.
        rows = self._all(
            "SELECT * FROM {} WHERE {} ORDER BY {}, rowid {} LIMIT ? OFFSET ?".format(
                table, where, order, order.split()[-1]
            ),
            params + (limit, (page - 1) * limit),
        )
        return total, rows

    def _queue_outbox(self, webhook_id: int) -> None:
        """Announce a webhook row to ``outbox_listener`` when its transaction commits."""
        self._outbox.append(webhook_id)

    def _committed(self, committed: bool) -> None:
        ids, self._outbox = self._outbox, []
        if committed and ids and self.outbox_listener is not None:
            try:
                self.outbox_listener(ids)
            except Exception:  # the rows are committed; a restart resumes them
                log.exception("the outbox listener failed for webhook rows %s", ids)


class Transaction:
    """The context manager of :meth:`Connection.transaction`: the outermost one begins
    (``BEGIN IMMEDIATE``) and commits, or rolls back on an exception; nested ones join."""

    def __init__(self, store: Connection) -> None:
        self.store = store
        self.outer = False

    def __enter__(self) -> Connection:
        self.store._lock.acquire()
        self.outer = not self.store._db.in_transaction
        if self.outer:
            self.store._db.execute("BEGIN IMMEDIATE")
        return self.store

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
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


def _private_file(path: str) -> None:
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
    private_companions(path, include_main=True)


def private_companions(path: str, include_main: bool = False) -> None:
    """Make the store's -wal and -shm files (and with ``include_main`` the file itself)
    readable by their owner only, where they exist."""
    # SQLite gives -wal and -shm the mode of the database file; make sure anyway.
    names = ([path] if include_main else []) + [path + "-wal", path + "-shm"]
    for name in names:
        try:
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)
        except OSError:  # missing, or not ours: nothing we may do
            pass
