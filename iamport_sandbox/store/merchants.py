"""Merchants: their console login and their REST API key pair.

Secrets are kept only as hashes (password, API secret) and, for the console's display, the
API secret's last 4 characters.
"""

from iamport_sandbox import security
from iamport_sandbox.store.connection import Connection, Row, StoreError, now


class Merchants(Connection):
    """Merchants and their API keys."""

    def create_merchant(
        self,
        login: str,
        password: str,
        user_code: str | None = None,
        imp_key: str | None = None,
        imp_secret: str | None = None,
    ) -> Row:
        """Create a merchant; returns it with its one-time secrets (``password``,
        ``imp_secret``) so the caller can show them once."""
        imp_key = imp_key or security.new_api_key()
        imp_secret = imp_secret or security.new_secret(40)
        with self.transaction():
            if self._one("SELECT id FROM merchants WHERE login = ?", (login,)):
                raise StoreError("login '{}' is taken".format(login))
            while user_code is None or self.merchant_by_code(user_code):
                if user_code is not None:
                    raise StoreError("user code '{}' is taken".format(user_code))
                user_code = security.new_user_code()
            self._run(
                "INSERT INTO merchants (user_code, login, password_hash, imp_key, "
                "imp_secret_hash, imp_secret_tail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    user_code,
                    login,
                    security.hash_secret(password),
                    imp_key,
                    security.hash_secret(imp_secret),
                    imp_secret[-4:],
                    now(),
                ),
            )
        merchant = self.merchant_by_code(user_code)
        assert merchant is not None  # inserted just above
        return dict(merchant, password=password, imp_secret=imp_secret)

    def merchant_by_code(self, user_code: str) -> Row | None:
        """A merchant by its user code (``imp`` and 8 digits)."""
        return self._one("SELECT * FROM merchants WHERE user_code = ?", (user_code,))

    def merchant_by_id(self, merchant_id: int) -> Row | None:
        """A merchant by its row id."""
        return self._one("SELECT * FROM merchants WHERE id = ?", (merchant_id,))

    def merchant_by_login(self, login: str) -> Row | None:
        """A merchant by console login (with its password hash, for the guard only)."""
        return self._one("SELECT * FROM merchants WHERE login = ?", (login,))

    def merchant_by_api_key(self, imp_key: str) -> Row | None:
        """A merchant by REST API key (with its secret hash, for the guard only)."""
        return self._one("SELECT * FROM merchants WHERE imp_key = ?", (imp_key,))

    def set_webhook_url(self, merchant_id: int, url: str | None) -> None:
        """The merchant's webhook URL (empty: none)."""
        self._run("UPDATE merchants SET webhook_url = ? WHERE id = ?", (url or None, merchant_id))

    def set_password(self, merchant_id: int, password: str) -> None:
        """A new console password; every session of the merchant ends."""
        with self.transaction():
            self._run(
                "UPDATE merchants SET password_hash = ? WHERE id = ?",
                (security.hash_secret(password), merchant_id),
            )
            self._run("DELETE FROM sessions WHERE merchant_id = ?", (merchant_id,))

    def regenerate_api_secret(self, merchant_id: int) -> str:
        """A new REST API secret (returned once; the store keeps its hash and its last 4
        characters). The old secret stops working and its access tokens end."""
        secret = security.new_secret(40)
        with self.transaction():
            self._run(
                "UPDATE merchants SET imp_secret_hash = ?, imp_secret_tail = ? WHERE id = ?",
                (security.hash_secret(secret), secret[-4:], merchant_id),
            )
            self._run("DELETE FROM tokens WHERE merchant_id = ?", (merchant_id,))
        return secret
