"""Bearer secrets: console sessions and REST API access tokens. The store keeps only their
SHA-256 digests, so a copy of the file gives no usable one."""

from iamport_sandbox import security
from iamport_sandbox.store.connection import Connection, Row, now


class Sessions(Connection):
    """Console sessions and access tokens."""

    def create_session(self, merchant_id: int, ttl_seconds: int) -> tuple[str, str]:
        """A console session: returns ``(session_id, csrf)``; the store keeps the id's
        digest only. Expired sessions are purged here."""
        session_id, csrf = security.new_secret(32), security.new_secret(24)
        with self.transaction():
            self._run("DELETE FROM sessions WHERE expires_at < ?", (now(),))
            self._run(
                "INSERT INTO sessions (id_digest, merchant_id, csrf, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (security.token_digest(session_id), merchant_id, csrf, now(), now() + ttl_seconds),
            )
        return session_id, csrf

    def session(self, session_id: str | None) -> Row | None:
        """``{"merchant_id", "csrf", "expires_at"}`` of a live session, else ``None``."""
        if not session_id:
            return None
        return self._one(
            "SELECT merchant_id, csrf, expires_at FROM sessions "
            "WHERE id_digest = ? AND expires_at > ?",
            (security.token_digest(session_id), now()),
        )

    def end_session(self, session_id: str) -> None:
        """End a console session (logout)."""
        self._run("DELETE FROM sessions WHERE id_digest = ?", (security.token_digest(session_id),))

    def issue_token(self, merchant_id: int, ttl_seconds: int) -> tuple[str, int]:
        """A new access token and its expiry (Unix seconds); the store keeps only its
        digest. Expired tokens are purged here."""
        token = security.new_secret(32)
        expires = now() + ttl_seconds
        with self.transaction():
            self._run("DELETE FROM tokens WHERE expires_at < ?", (now(),))
            self._run(
                "INSERT INTO tokens (token, merchant_id, expires_at) VALUES (?, ?, ?)",
                (security.token_digest(token), merchant_id, expires),
            )
        return token, expires

    def merchant_for_token(self, token: str) -> Row | None:
        """The merchant a live access token was issued to, else ``None``."""
        return self._one(
            "SELECT merchants.* FROM tokens JOIN merchants ON merchants.id = tokens.merchant_id "
            "WHERE tokens.token = ? AND tokens.expires_at >= ?",
            (security.token_digest(token), now()),
        )
