"""Secrets of the sandbox: hashing, random ids, masking, constant-time checks."""

import base64
import hashlib
import hmac
import secrets

# scrypt parameters: about 16 MiB and a few tens of milliseconds per hash here.
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def hash_secret(secret):
    """``scrypt$<salt>$<hash>`` of a password or API secret."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt${}${}".format(base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


def verify_secret(secret, stored):
    """Whether ``secret`` hashes to ``stored`` (constant time)."""
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt" or not isinstance(secret, str):
        return False
    candidate = hashlib.scrypt(secret.encode("utf-8"), salt=base64.b64decode(salt), dklen=32,
                               **_SCRYPT)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def same(a, b):
    """Constant-time equality of two strings (``None`` never equals)."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def new_secret(nbytes=32):
    return secrets.token_urlsafe(nbytes)


def _digits(count):
    return "".join(secrets.choice("0123456789") for _ in range(count))


def new_user_code():
    """A merchant's user code: ``imp`` and 8 digits, like Iamport's."""
    return "imp" + _digits(8)


def new_api_key():
    """A REST API key (public half of the pair): 16 digits, like Iamport's."""
    return _digits(16)


def new_imp_uid():
    """A payment id: ``imp_`` and 12 digits."""
    return "imp_" + _digits(12)


def mask(value):
    """``••••••ab12``: enough to recognise a credential, never enough to use it."""
    value = str(value)
    tail = value[-4:] if len(value) >= 12 else ""
    return "•" * 6 + tail
