"""Tiers: an agency's sub-merchants (``/tiers/{tier_code}``), each with a name and PG
settings of its own (``pg_settings.tier_code``), which ``IMP.agency(user_code, tier_code)``
and the settings endpoint's ``?tier=`` read."""

from iamport_sandbox.store.connection import Connection, Row, StoreError, now


class Tiers(Connection):
    """The merchant's tiers by their three-character code."""

    def tier(self, merchant_id: int, tier_code: str) -> Row | None:
        """The merchant's tier of ``tier_code``."""
        return self._one(
            "SELECT tier_code, tier_name, created_at, updated_at FROM tiers "
            "WHERE merchant_id = ? AND tier_code = ?",
            (merchant_id, tier_code),
        )

    def add_tier(self, merchant_id: int, tier_code: str, tier_name: str) -> Row:
        """A new tier; :class:`StoreError` when the code is taken."""
        with self.transaction():
            if self.tier(merchant_id, tier_code) is not None:
                raise StoreError("tier_code '{}' is already registered".format(tier_code))
            stamp = now()
            self._run(
                "INSERT INTO tiers (merchant_id, tier_code, tier_name, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (merchant_id, tier_code, tier_name, stamp, stamp),
            )
            added = self.tier(merchant_id, tier_code)
        assert added is not None  # inserted just above
        return added

    def rename_tier(self, merchant_id: int, tier_code: str, tier_name: str) -> Row | None:
        """Give the tier another name; ``None`` when there is no such tier."""
        with self.transaction():
            self._run(
                "UPDATE tiers SET tier_name = ?, updated_at = ? "
                "WHERE merchant_id = ? AND tier_code = ?",
                (tier_name, now(), merchant_id, tier_code),
            )
            return self.tier(merchant_id, tier_code)

    def delete_tier(self, merchant_id: int, tier_code: str) -> None:
        """Delete the tier and its PG settings (a sub-merchant's channels are its own)."""
        with self.transaction():
            self._run(
                "DELETE FROM pg_settings WHERE merchant_id = ? AND tier_code = ?",
                (merchant_id, tier_code),
            )
            self._run(
                "DELETE FROM tiers WHERE merchant_id = ? AND tier_code = ?",
                (merchant_id, tier_code),
            )
