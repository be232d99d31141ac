"""PG settings: a merchant's (or one tier's) settings in console order, the first being the
default, each with its channel key.

Credentials are stored as given and never leave this module unmasked: every reader returns
``masked`` (``••••••`` and the last 4 characters) instead.
"""

import json
from collections.abc import Mapping
from typing import Any

from iamport_sandbox import security
from iamport_sandbox.store.connection import Connection, Row, StoreError, now


class Settings(Connection):
    """PG settings: their order, channel keys and masked credentials."""

    def settings(self, merchant_id: int, tier_code: str | None = None) -> list[Row]:
        """The merchant's settings, default (position 0) first, then console order.
        Each has ``masked`` credentials only."""
        rows = self._all(
            "SELECT * FROM pg_settings WHERE merchant_id = ? AND tier_code IS ? "
            "ORDER BY position, id",
            (merchant_id, tier_code),
        )
        return [_public_setting(row) for row in rows]

    def setting(self, merchant_id: int, setting_id: int) -> Row:
        """One of the merchant's settings; :class:`StoreError` when it has no such one."""
        row = self._one(
            "SELECT * FROM pg_settings WHERE merchant_id = ? AND id = ?",
            (merchant_id, setting_id),
        )
        if row is None:
            raise StoreError("no PG setting {}".format(setting_id))
        return _public_setting(row)

    def add_setting(
        self, merchant_id: int, values: Mapping[str, Any], make_default: bool = False
    ) -> int:
        """Append a setting (or put it first with ``make_default``); returns its id. A
        ``channel_key`` in ``values`` is kept, else one is issued."""
        key = values.get("channel_key") or security.new_channel_key()
        with self.transaction():
            # In the transaction: checked then inserted, the unique index is never what says no.
            if self._one("SELECT id FROM pg_settings WHERE channel_key = ?", (key,)):
                raise StoreError("the channel key '{}' is taken".format(key))
            self._check_unique(merchant_id, values)
            ids = self._ids_in_order(merchant_id, values.get("tier_code"))
            cursor = self._run(
                "INSERT INTO pg_settings (merchant_id, position, pg_provider, pg_id, label, "
                "type, sandbox, tier_code, credentials, created_at, channel_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    merchant_id,
                    len(ids),
                    values["pg_provider"],
                    values["pg_id"],
                    values.get("label") or "",
                    values["type"],
                    int(bool(values["sandbox"])),
                    values.get("tier_code"),
                    json.dumps(values.get("credentials") or {}),
                    now(),
                    key,
                ),
            )
            new_id = cursor.lastrowid
            assert new_id is not None  # an INSERT's
            if make_default:
                self._renumber(merchant_id, [new_id, *ids])
        return new_id

    def update_setting(self, merchant_id: int, setting_id: int, values: Mapping[str, Any]) -> None:
        """Change a setting; credentials left empty in ``values`` keep their stored value."""
        with self.transaction():
            current = self._one(
                "SELECT * FROM pg_settings WHERE merchant_id = ? AND id = ?",
                (merchant_id, setting_id),
            )
            if current is None:
                raise StoreError("no PG setting {}".format(setting_id))
            values = dict(values, tier_code=current["tier_code"])
            self._check_unique(merchant_id, values, except_id=setting_id)
            credentials = json.loads(current["credentials"])
            for name, value in (values.get("credentials") or {}).items():
                if value:
                    credentials[name] = value
            self._run(
                "UPDATE pg_settings SET pg_provider = ?, pg_id = ?, label = ?, type = ?, "
                "sandbox = ?, credentials = ? WHERE id = ?",
                (
                    values["pg_provider"],
                    values["pg_id"],
                    values.get("label") or "",
                    values["type"],
                    int(bool(values["sandbox"])),
                    json.dumps(credentials),
                    setting_id,
                ),
            )

    def delete_setting(self, merchant_id: int, setting_id: int) -> None:
        """Delete a setting; the next one (if any) becomes the default."""
        with self.transaction():
            row = self.setting(merchant_id, setting_id)
            self._run("DELETE FROM pg_settings WHERE id = ?", (setting_id,))
            self._renumber(merchant_id, self._ids_in_order(merchant_id, row["tier_code"]))

    def reorder_setting(self, merchant_id: int, setting_id: int, where: str) -> None:
        """The console's moves. ``up``/``down`` move among the non-default settings only
        (the default never changes by a reorder); ``default`` swaps the chosen setting
        with the default, so every other setting keeps its place."""
        with self.transaction():
            row = self.setting(merchant_id, setting_id)
            ids = self._ids_in_order(merchant_id, row["tier_code"])
            index = ids.index(setting_id)
            if where == "default":
                ids[0], ids[index] = ids[index], ids[0]
            else:
                target = index + (-1 if where == "up" else 1)
                if index == 0 or not 1 <= target < len(ids):
                    raise StoreError(
                        "the default PG does not move by reordering; use "
                        "'Make default' on another setting"
                    )
                ids[index], ids[target] = ids[target], ids[index]
            self._renumber(merchant_id, ids)

    def _check_unique(
        self, merchant_id: int, values: Mapping[str, Any], except_id: int | None = None
    ) -> None:
        clash = self._one(
            "SELECT id FROM pg_settings WHERE merchant_id = ? AND pg_provider = ? AND pg_id IS ? "
            "AND type = ? AND tier_code IS ? AND id IS NOT ?",
            (
                merchant_id,
                values["pg_provider"],
                values["pg_id"],
                values["type"],
                values.get("tier_code"),
                except_id,
            ),
        )
        if clash:
            raise StoreError(
                "a {} setting for {} with MID {} already exists".format(
                    values["type"], values["pg_provider"], values["pg_id"] or "(none)"
                )
            )

    def _ids_in_order(self, merchant_id: int, tier_code: str | None) -> list[int]:
        rows = self._all(
            "SELECT id FROM pg_settings WHERE merchant_id = ? AND tier_code IS ? "
            "ORDER BY position, id",
            (merchant_id, tier_code),
        )
        return [row["id"] for row in rows]

    def _renumber(self, merchant_id: int, ids: list[int]) -> None:
        for position, setting_id in enumerate(ids):
            self._run(
                "UPDATE pg_settings SET position = ? WHERE id = ? AND merchant_id = ?",
                (position, setting_id, merchant_id),
            )


def _public_setting(row: Row) -> Row:
    credentials = json.loads(row.pop("credentials") or "{}")
    row["sandbox"] = bool(row["sandbox"])
    row["masked"] = {name: security.mask(value) for name, value in credentials.items() if value}
    return row
