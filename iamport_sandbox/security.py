"""Secrets of the sandbox: hashing, random ids, masking, constant-time checks, and the
guard in front of every secret check (scrypt off the event loop, throttled guessing)."""

import asyncio
import base64
import collections
import hashlib
import hmac
import math
import secrets
import time
import uuid
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from iamport_sandbox.config import Config

# scrypt parameters: about 16 MiB and a few tens of milliseconds per hash here.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_secret(secret: str) -> str:
    """``scrypt$<salt>$<hash>`` of a password or API secret."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt${}${}".format(base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


# Checked when the login or key is unknown, so that an unknown one costs exactly what a
# known one costs (no timing oracle). Nobody knows its secret.
DUMMY_HASH = hash_secret(secrets.token_urlsafe(32))


def verify_secret(secret: object, stored: str) -> bool:
    """Whether ``secret`` hashes to ``stored`` (constant time)."""
    try:
        scheme, salt, digest = stored.split("$")
    except (AttributeError, ValueError):
        return False
    if scheme != "scrypt" or not isinstance(secret, str):
        return False
    try:
        encoded = secret.encode("utf-8")
    except UnicodeEncodeError:
        encoded = b""  # a lone surrogate never matches, but still costs a hash
    candidate = hashlib.scrypt(encoded, salt=base64.b64decode(salt), dklen=32, **_SCRYPT)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def token_digest(token: str) -> str:
    """What the store keeps of a bearer secret with 256 random bits (access tokens, console
    session ids): its SHA-256. A copy of the file does not give a usable token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same(a: object, b: object) -> bool:
    """Constant-time equality of two strings (``None`` never equals)."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    return hmac.compare_digest(
        a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
    )


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def new_user_code() -> str:
    """A merchant's user code: ``imp`` and 8 digits, like Iamport's."""
    return "imp" + _digits(8)


def new_api_key() -> str:
    """A REST API key (public half of the pair): 16 digits, like Iamport's."""
    return _digits(16)


def new_channel_key() -> str:
    """A PG setting's channel key: ``channel-key-`` and a random UUID v4, like PortOne's.
    A public identifier (it sits in merchants' pages), not a secret."""
    return "channel-key-" + str(uuid.uuid4())


def new_imp_uid() -> str:
    """A payment id: ``imp_`` and 12 digits."""
    return "imp_" + _digits(12)


def mask(value: object) -> str:
    """``••••••ab12``: enough to recognise a credential, never enough to use it."""
    text = str(value)
    tail = text[-4:] if len(text) >= 12 else ""
    return "•" * 6 + tail


# -- throttling ------------------------------------------------------------------------


class Throttled(Exception):
    """Too many failures: try again in ``retry_after`` seconds (a 429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many attempts; retry in {} s".format(retry_after))
        self.retry_after = retry_after


class Backoff:
    """Failures per key with exponential back-off: ``free`` failures may be made freely;
    from the ``free``-th on, each blocks the key for ``base * 2**k`` seconds (k = 0, 1,
    ...; capped at ``cap``). A success clears the key. At most ``size`` keys are
    remembered (the least recently used go first), so guessing cannot grow memory."""

    def __init__(
        self,
        free: int,
        base: float,
        cap: float,
        size: int = 10000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.base, self.cap, self.size = free, base, cap, size
        self.clock = clock
        # key -> [failures, blocked_until, last]
        self._keys: collections.OrderedDict[Hashable, list[float]] = collections.OrderedDict()

    def retry_after(self, key: Hashable) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        entry = self._keys.get(key)
        if entry is None:
            return 0
        return max(0.0, entry[1] - self.clock())

    def fail(self, key: Hashable) -> None:
        now = self.clock()
        entry = self._keys.pop(key, None) or [0, 0.0, now]
        # A key quiet for twice the cap starts again: back-off is not a life sentence.
        if now - entry[2] > 2 * self.cap:
            entry = [0, 0.0, now]
        entry[0] += 1
        entry[2] = now
        if entry[0] >= self.free:
            entry[1] = now + min(self.cap, self.base * 2 ** (entry[0] - self.free))
        self._keys[key] = entry
        while len(self._keys) > self.size:
            self._keys.popitem(last=False)

    def clear(self, key: Hashable) -> None:
        self._keys.pop(key, None)


class RateLimit:
    """A token bucket per key: ``per_minute`` events a minute, bursts up to that many."""

    def __init__(
        self, per_minute: int, size: int = 10000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute, self.size, self.clock = per_minute, size, clock
        # key -> [tokens, last]
        self._keys: collections.OrderedDict[Hashable, list[float]] = collections.OrderedDict()

    def take(self, key: Hashable) -> None:
        """Spend one event for ``key``, or raise :class:`Throttled`."""
        if not self.per_minute:
            return
        now = self.clock()
        tokens, last = self._keys.pop(key, None) or [float(self.per_minute), now]
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)
        if tokens < 1:
            self._keys[key] = [tokens, now]
            raise Throttled(math.ceil((1 - tokens) * 60.0 / self.per_minute))
        self._keys[key] = [tokens - 1, now]
        while len(self._keys) > self.size:
            self._keys.popitem(last=False)


class Guard:
    """Every check of a password or API secret goes through here.

    - scrypt runs in a small thread pool (scrypt releases the GIL), never on the event
      loop; callers wait for a slot asynchronously, so a flood of guesses queues here
      instead of stalling every other request;
    - an unknown login or key is checked against :data:`DUMMY_HASH`: same cost, same
      answer;
    - failures are counted per (subject, client address) and per client address, each
      with exponential back-off (a 429 with ``Retry-After``). The owner of an account is
      never locked out by a stranger at another address, and at the same address only
      for the back-off (capped). The throttle is checked again when a hash slot frees, so
      a burst of concurrent guesses is not all processed before the first one fails.
    """

    def __init__(self, config: Config, clock: Callable[[], float] = time.monotonic) -> None:
        self.workers = max(1, config.hash_workers)
        self.max_waiting = config.hash_queue
        self._pool: ThreadPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._waiting = 0
        self.per_subject = Backoff(
            config.login_free_failures, config.login_backoff, config.login_backoff_max, clock=clock
        )
        self.per_address = Backoff(
            config.address_free_failures,
            config.login_backoff,
            config.login_backoff_max,
            clock=clock,
        )

    def _check(self, subject: str, address: str) -> None:
        wait = max(
            self.per_subject.retry_after((subject, address)), self.per_address.retry_after(address)
        )
        if wait > 0:
            raise Throttled(max(1, math.ceil(wait)))

    async def verify(self, subject: str, address: str, secret: object, stored: str | None) -> bool:
        """Whether ``secret`` matches ``stored`` (``None``: an unknown subject, checked
        against the dummy); raises :class:`Throttled` instead of checking when
        ``subject`` at ``address``, or ``address`` itself, is backing off."""
        self._check(subject, address)
        if self._waiting >= self.max_waiting:
            raise Throttled(1)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        self._waiting += 1
        try:
            async with self._slots:
                self._check(subject, address)
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(
                        max_workers=self.workers, thread_name_prefix="sandbox-scrypt"
                    )
                loop = asyncio.get_running_loop()
                ok = await loop.run_in_executor(
                    self._pool, verify_secret, secret, stored or DUMMY_HASH
                )
        finally:
            self._waiting -= 1
        ok = ok and stored is not None
        if ok:
            self.per_subject.clear((subject, address))
        else:
            self.per_subject.fail((subject, address))
            self.per_address.fail(address)
        return ok

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


class Connection(Protocol):
    """What :func:`client_address` reads of a Starlette request (not imported: the store
    uses this module, and ``create-merchant`` runs without the ``sandbox`` extra)."""

    @property
    def scope(self) -> Mapping[str, Any]: ...


def client_address(request: Connection) -> str:
    """The peer's address (behind a reverse proxy, the proxy's: put the limits there)."""
    client: tuple[str, int] | None = request.scope.get("client")

    return client[0] if client else "unknown"
