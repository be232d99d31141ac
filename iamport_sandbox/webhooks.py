"""Webhooks: on the status changes Iamport notifies (:func:`notifies`: paid, a virtual
account issued, cancelled; failed only for a scheduled payment), POST ``{imp_uid,
merchant_uid, status}`` to the payment's ``notice_url`` (or the merchant's configured URL),
in the background, with bounded retries.

The rows are an outbox: :mod:`iamport_sandbox.domain.payments` writes a status change and its
webhook rows in one transaction; the sender hears of the rows only once that
transaction has committed, and a restart resumes every row still pending. So each
status change has exactly one row per target URL, delivered at least once.

The target policy (a ``notice_url`` comes from an unauthenticated window request, so the
sandbox must not become anyone's tool for reaching hosts it can reach):

- http(s) with a host, no user:password, a valid port; at most
  :data:`MAX_NOTICE_URLS` per payment;
- loopback addresses are allowed (the merchant's backend on the developer's machine),
  except the sandbox's own ports; private, link-local (cloud metadata), multicast,
  unspecified and other non-global addresses are refused, unless the host (or host and
  port) is listed in ``Config.webhook_allow`` / ``--webhook-allow HOST[:PORT]``;
- the host is resolved at delivery time and EVERY address it resolves to must pass;
  the connection then goes to the address that was checked (the URL is rewritten to it,
  with the original ``Host`` header and TLS server name), so a DNS answer that changes
  between check and connect (rebinding) cannot redirect it;
- redirects are never followed (a 3xx is an ``HTTP 3xx`` failure);
- ``last_error`` says ``refused: <why>``, ``timed out``, ``connection failed`` or
  ``HTTP <status>``: never the socket error (no port-scan oracle);
- deliveries run concurrently, at most ``webhook_per_target`` at a time per target
  host:port and ``webhook_concurrency`` in all, so a slow target delays only itself.
"""

import asyncio
import ipaddress
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Collection, Coroutine, Iterable, Mapping, Sequence
from typing import Any

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

from iamport_sandbox.config import Config
from iamport_sandbox.store import Store
from iamport_sandbox.webhook_chaos import DROPPED, Chaos, Rule

log = logging.getLogger("iamport_sandbox.webhooks")

MAX_NOTICE_URLS = 10
MAX_URL_LENGTH = 500
# Well-known NAT64 prefix: 64:ff9b::a00:1 reaches 10.0.0.1 through a NAT64 gateway.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# Every address a host resolves to (:func:`system_resolver`, or a test's).
Resolver = Callable[[str, int], Awaitable[list[str]]]


class Refused(Exception):
    """A target the policy refuses, with the reason shown as ``refused: <reason>``."""


class Unreachable(Exception):
    """A target the policy allows that gave no answer: ``timed out`` or ``connection
    failed`` (never the socket error: no port-scan oracle)."""


def parse_target(url: object) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of a webhook URL, or :class:`Refused` (pure)."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        raise Refused("not a URL of at most {} characters".format(MAX_URL_LENGTH))
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii").lower()
        port = parsed.port
    except (httpx.InvalidURL, ValueError, TypeError, UnicodeError):
        raise Refused("not a valid URL") from None
    if parsed.scheme not in ("http", "https"):
        raise Refused("only http and https URLs")
    if not host:
        raise Refused("the URL has no host")
    if parsed.userinfo:
        raise Refused("no user or password in the URL")
    if "%" in host:
        raise Refused("no IPv6 zone in the URL")
    port = port or (443 if parsed.scheme == "https" else 80)
    if not 0 < port < 65536:
        raise Refused("not a valid port")
    return parsed.scheme, host.rstrip("."), port


def parse_allow(entries: Iterable[str]) -> list[tuple[str, int | None]]:
    """``--webhook-allow`` entries (``HOST``, ``HOST:PORT``, ``[V6]:PORT``) as
    ``(host, port or None)``; ``ValueError`` for a malformed one."""
    allowed = []
    for given in entries:
        entry = given.strip().lower()
        host, port = entry, None
        if entry.startswith("["):
            host, _, rest = entry[1:].partition("]")
            port = rest[1:] if rest.startswith(":") else None
        elif entry.count(":") == 1:
            host, port = entry.split(":")
        if not host or (
            port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536)
        ):
            raise ValueError("--webhook-allow takes HOST or HOST:PORT, not '{}'".format(entry))
        allowed.append((host.rstrip("."), int(port) if port else None))
    return allowed


def _unwrap(address: Address) -> Address:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), else itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.ip_address(int(address) & 0xFFFFFFFF)
        if address.sixtofour:
            return address.sixtofour
    return address


def address_problem(
    text: str, port: int, own_ports: Collection[int] = (), own_hosts: Collection[str] = ()
) -> str | None:
    """Why the policy refuses connecting to address ``text`` on ``port`` (``None``: it
    does not). Pure: nothing is resolved or contacted."""
    try:
        address = _unwrap(ipaddress.ip_address(text))
    except ValueError:
        return "not an IP address"
    if address.is_unspecified:
        return "unspecified address"
    if port in own_ports and (address.is_loopback or str(address) in own_hosts):
        return "the sandbox's own address"
    if address.is_loopback:
        return None
    if address.is_multicast:
        return "multicast address"
    if address.is_link_local:
        return "link-local address"
    if address.is_private:
        return "private address"
    if not address.is_global:
        return "reserved address"
    return None


class Policy:
    """The webhook target policy of one sandbox: the allow list and its own addresses."""

    def __init__(self, allow: Iterable[str] = ()) -> None:
        self.allow = parse_allow(allow)
        self.own_ports: set[int] = set()
        self.own_hosts: set[str] = set()

    def note_server(self, host: str | None, port: int) -> None:
        """The sandbox serves on ``host:port``: never a webhook target."""
        self.own_ports.add(port)
        if host:
            self.own_hosts.add(str(host).strip("[]").lower())

    def allowed(self, host: str, port: int) -> bool:
        return any(name == host and (only is None or only == port) for name, only in self.allow)

    def problem(self, host: str, port: int, addresses: Sequence[str]) -> str | None:
        """Why a target whose ``host`` resolved to ``addresses`` is refused, or ``None``.
        Every address must pass (pure)."""
        if self.allowed(host, port):
            return None
        if not addresses:
            return "the host has no address"
        for address in addresses:
            if self.allowed(address, port):
                continue
            why = address_problem(address, port, self.own_ports, self.own_hosts)
            if why:
                return why
        return None

    def check_url(self, url: object) -> None:
        """The checks that need no DNS (shape; an IP-literal host's address), for a URL
        given at window open or in the console: :class:`Refused` or ``None``."""
        _, host, port = parse_target(url)
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return None  # a name: checked, with every address, at delivery time
        why = self.problem(host, port, [host])
        if why:
            raise Refused(why)
        return None


def targets(merchant: Mapping[str, Any], payment: Mapping[str, Any]) -> list[str]:
    """The URLs a status change of ``payment`` is posted to (http(s) only, at most
    :data:`MAX_NOTICE_URLS`)."""
    urls: list[str] = json.loads(payment["notice_url"]) if payment["notice_url"] else []
    if not urls and merchant["webhook_url"]:
        urls = [merchant["webhook_url"]]
    # The scheme in any case (``HTTP://…``): the window accepted it (httpx reads it so).
    web = [url for url in urls if url[:8].lower().startswith(("http://", "https://"))]
    return web[:MAX_NOTICE_URLS]


# What Iamport v1 sends a webhook for (docs.iamport.kr/tech/webhook, "아임포트 webhook은
# 다음과 같은 경우에 호출됩니다"): a payment approved (paid, every pay method), a virtual
# account issued (ready) and paid into (paid), a scheduled payment attempted (paid or
# failed), a refund (cancelled). A one-off decline, a closed window or a failed `again` /
# `onetime` charge is not in that list: the window's callback or the API's answer carries
# it, and Iamport does not notify it.
SCHEDULED_USAGE = "payment.scheduled"


def notifies(payment: Mapping[str, Any]) -> bool:
    """Whether Iamport sends a webhook for ``payment``'s new status."""
    if payment["status"] != "failed":
        return True
    usage: str | None = payment["customer_uid_usage"]
    return usage == SCHEDULED_USAGE


def payload(payment: Mapping[str, Any]) -> dict[str, Any]:
    """What Iamport's webhook carries: the merchant's server reads the rest by imp_uid."""
    return {
        "imp_uid": payment["imp_uid"],
        "merchant_uid": payment["merchant_uid"],
        "status": payment["status"],
    }


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the OS resolver, off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # str() for the type checker: only AF_PACKET's (not asked for here) give an int.
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class OwnAddress:
    """Tells the policy every ``host:port`` the sandbox is reached on (the socket a
    request came in on), so that a webhook can never be aimed at the sandbox itself."""

    def __init__(self, app: ASGIApp, policy: Policy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        server = scope.get("server")
        if server and server[1] is not None and server[1] not in self.policy.own_ports:
            self.policy.note_server(server[0], server[1])
        await self.app(scope, receive, send)


class WebhookSender:
    """Delivers outbox rows: concurrently, per target bounded, retried with back-off."""

    def __init__(
        self,
        store: Store,
        config: Config,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.policy = Policy(config.webhook_allow)
        if config.api_port:
            self.policy.note_server(None, config.api_port)
        self._transport = transport
        self._resolve = resolver or system_resolver
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._all: asyncio.Semaphore | None = None
        self._per_target: dict[str, list[Any]] = {}  # "host:port" -> [semaphore, users]
        # Rows being delivered or waiting for a retry: a row is never delivered twice at once.
        self._queued: set[int] = set()
        self._stopping = False
        # TEST-ONLY rules (duplicate, reorder, delay, drop): set only through the test
        # controls (iamport_sandbox.webhook_chaos); none by default.
        self.chaos = Chaos()

    async def start(self) -> None:
        self._stopping = False
        self._loop = asyncio.get_running_loop()
        self._all = asyncio.Semaphore(max(1, self.config.webhook_concurrency))
        self._client = self._new_client()
        # Listen first, then resume: a row committed in between is heard, not lost.
        self.store.outbox_listener = self._committed
        for webhook in self.store.pending_webhooks():
            self._enqueue([webhook["id"]], webhook["attempts"])

    def _committed(self, ids: list[int]) -> None:
        # Called by the store after a commit, possibly from another thread. A loop that
        # has gone leaves the rows pending: the next start resumes them.
        assert self._loop is not None  # start() sets it before it listens
        try:
            self._loop.call_soon_threadsafe(self._enqueue, ids, 0)
        except RuntimeError:
            log.warning("webhook sender stopped; rows %s wait for the next start", ids)

    def _enqueue(self, ids: Iterable[int], attempts: int) -> None:
        for webhook_id in ids:
            if webhook_id not in self._queued:
                self._queued.add(webhook_id)
                self._spawn(self._run(webhook_id, attempts))

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        if self._stopping:  # the rows stay pending: the next start resumes them
            coroutine.close()
            return
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        if self.store.outbox_listener == self._committed:
            self.store.outbox_listener = None
        self._stopping = True
        while self._tasks:
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._client:
            await self._client.aclose()

    async def _run(self, webhook_id: int, attempts: int) -> None:
        try:
            webhook = self.store.pending_webhook(webhook_id)
            if webhook is None:
                self._queued.discard(webhook_id)
                return
            rule = self.chaos.rule_for(webhook, _merchant_uid(webhook["payload"]))
            if rule is not None and attempts == 0:
                if rule["delay"]:
                    await asyncio.sleep(rule["delay"])
                if rule["reorder"] and self._oldest_waiting(webhook):
                    await self.chaos.hold(webhook)
            key = _target_key(webhook["url"])
            slot = self._per_target.setdefault(
                key, [asyncio.Semaphore(max(1, self.config.webhook_per_target)), 0]
            )
            slot[1] += 1
            everyone = self._all
            assert everyone is not None  # start() sets it before the first row is queued
            try:
                # The target's own slot first: a slow target's backlog waits there, not
                # in the shared pool.
                async with slot[0], everyone:
                    dropped = rule is not None and attempts < rule["drop"]
                    delivered = await self._deliver(webhook, attempts, dropped)
                if rule is not None:
                    self._after(webhook, rule, delivered)
            finally:
                slot[1] -= 1
                if not slot[1]:
                    self._per_target.pop(key, None)
        except asyncio.CancelledError:
            raise
        except Exception:  # a bad URL or a bug must not stop the sender
            log.exception("webhook %s failed unexpectedly", webhook_id)
            self.store.record_webhook_attempt(webhook_id, "failed", "internal error")
            self._queued.discard(webhook_id)

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self.config.webhook_timeout,
            transport=self._transport,
            follow_redirects=False,
            trust_env=False,
        )

    async def post(
        self, url: str, body: bytes | str, timeout: float, read: int = 0
    ) -> tuple[int, bytes]:
        """POST ``body`` (JSON bytes) to ``url`` under the policy, everything (resolving
        included) within ``timeout`` seconds: the host resolved, EVERY address checked, the
        connection made to the checked one, no redirect followed. Returns ``(status, the
        first read bytes of the answer)``; raises :class:`Refused` or :class:`Unreachable`.
        The one way the sandbox calls a merchant's server (webhooks, ``confirm_url``)."""
        if self._client is None:  # not started (an app without its lifespan): one-off
            async with self._new_client() as client:
                return await self._post(client, url, body, timeout, read)
        return await self._post(self._client, url, body, timeout, read)

    async def _post(
        self, client: httpx.AsyncClient, url: str, body: bytes | str, timeout: float, read: int
    ) -> tuple[int, bytes]:
        scheme, host, port = parse_target(url)
        try:
            async with asyncio.timeout(timeout):
                try:
                    addresses = await self._resolve(host, port)
                except (OSError, UnicodeError):
                    raise Unreachable("connection failed") from None
                why = self.policy.problem(host, port, addresses)
                if why:
                    raise Refused(why)
                original = httpx.URL(url)
                request = client.build_request(
                    "POST",
                    original.copy_with(host=addresses[0]),
                    content=body,
                    # identity: the answer's bytes are read raw, never inflated
                    headers={
                        "Content-Type": "application/json",
                        "Accept-Encoding": "identity",
                        "Host": original.netloc.decode("ascii"),
                    },
                    extensions={"sni_hostname": host} if scheme == "https" else {},
                    timeout=timeout,
                )
                answer = await client.send(request, stream=True)
                try:
                    head = b""
                    if read:  # never more than asked for: no size to fear
                        async for chunk in answer.aiter_raw():
                            head += chunk
                            if len(head) >= read:
                                break
                finally:
                    await answer.aclose()
        except (TimeoutError, httpx.TimeoutException):
            raise Unreachable("timed out") from None
        except httpx.HTTPError:
            raise Unreachable("connection failed") from None
        return answer.status_code, head[:read]

    async def attempt(self, url: str, body: bytes | str) -> tuple[str | None, bool]:
        """One POST of ``body`` to ``url`` under the policy: ``None`` when delivered (2xx),
        else the ``last_error`` text and whether to retry."""
        try:
            status, _ = await self.post(url, body, self.config.webhook_timeout)
        except Refused as refused:
            return "refused: {}".format(refused), False
        except Unreachable as failure:
            return str(failure), True
        if 200 <= status < 300:
            return None, False
        return "HTTP {}".format(status), True

    async def _deliver(
        self, webhook: Mapping[str, Any], attempts: int, dropped: bool = False
    ) -> bool:
        """One attempt (``dropped``: one the chaos rule fails unsent); True when delivered."""
        webhook_id = webhook["id"]
        if dropped:
            error: str | None = DROPPED
            retry = True
        else:
            error, retry = await self.attempt(webhook["url"], webhook["payload"])
        attempts += 1
        if error is None:
            self.store.record_webhook_attempt(webhook_id, "delivered")
            self._queued.discard(webhook_id)
        elif not retry or attempts >= self.config.webhook_attempts:
            self.store.record_webhook_attempt(webhook_id, "failed", error)
            self._queued.discard(webhook_id)
        else:
            self.store.record_webhook_attempt(webhook_id, "retrying", error)
            pause = self.config.webhook_backoff * (2 ** (attempts - 1))
            self._spawn(self._later(pause, webhook_id, attempts))
        return error is None

    def _oldest_waiting(self, webhook: Mapping[str, Any]) -> bool:
        """Whether no older delivery of the payment still waits (the one reorder holds)."""
        return not any(
            row["id"] < webhook["id"] and row["state"] in ("pending", "retrying")
            for row in self.store.webhooks_of(webhook["merchant_id"], webhook["imp_uid"])
        )

    def _after(self, webhook: Mapping[str, Any], rule: Rule, delivered: bool) -> None:
        """Chaos after an attempt: release a held delivery; duplicate a delivered one."""
        self.chaos.attempted(webhook)
        if delivered and rule["duplicate"]:
            copy = self.store.add_webhook(
                webhook["merchant_id"],
                webhook["imp_uid"],
                webhook["url"],
                json.loads(webhook["payload"]),
            )
            self.chaos.exempt.add(copy)

    async def _later(self, pause: float, webhook_id: int, attempts: int) -> None:
        await asyncio.sleep(pause)
        await self._run(webhook_id, attempts)


def _merchant_uid(payload: str) -> str | None:
    try:
        body = json.loads(payload)
    except ValueError:
        return None
    found = body.get("merchant_uid") if isinstance(body, dict) else None
    return found if isinstance(found, str) else None


def _target_key(url: str) -> str:

    try:
        _, host, port = parse_target(url)
    except Refused:
        return "refused"
    return "{}:{}".format(host, port)
