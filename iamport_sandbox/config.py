"""Configuration of one sandbox process, from the command line or the tests."""

import os
import time
from collections.abc import Iterable, Mapping

from iamport_sandbox import assets


class Config:
    """Everything the app needs to know; no global state besides this and the store."""

    def __init__(
        self,
        db_path: str | None = None,
        web_dir: str | None = None,
        token_ttl: int = 1800,
        webhook_attempts: int = 4,
        webhook_backoff: float = 0.5,
        webhook_timeout: float = 5.0,
        max_body: int = 64 * 1024,
        demo_backend: Mapping[str, str] | None = None,
        secure_cookies: bool = False,
        window_open_delay: float = 0.0,
        api_port: int | None = None,
        clock: "SandboxClock | None" = None,
        clock_control: bool = False,
        test_controls: bool = False,
        schedule_poll: float = 1.0,
        session_ttl: int = 8 * 3600,
        hash_workers: int = 1,
        hash_queue: int = 64,
        login_free_failures: int = 5,
        address_free_failures: int = 20,
        login_backoff: float = 1.0,
        login_backoff_max: float = 60.0,
        webhook_allow: Iterable[str] = (),
        webhook_max_urls: int = 10,
        webhook_concurrency: int = 16,
        webhook_per_target: int = 2,
        window_opens_per_minute: int = 600,
        window_custom_data_max: int = 4096,
        json_max_depth: int = 32,
    ) -> None:
        self.db_path = db_path or os.path.join(os.getcwd(), "data", "sandbox.sqlite3")
        # The browser assets: the package's web/ folder (imp.js, configs, demo pages, and
        # web/runtime/ with the runtimes copied at build time or by `make setup`).
        self.web_dir = web_dir or assets.web_dir()
        # Access tokens of the REST API live this long (seconds), like Iamport's 30 minutes.
        self.token_ttl = token_ttl
        # Webhook delivery: attempts in all, first pause (doubled each retry), per-call timeout.
        self.webhook_attempts = webhook_attempts
        self.webhook_backoff = webhook_backoff
        self.webhook_timeout = webhook_timeout
        # The largest request body any endpoint reads, in bytes.
        self.max_body = max_body
        # {"user_code", "imp_key", "imp_secret"} of the merchant whose backend the demo
        # page's /demo endpoints stand for; None disables them.
        self.demo_backend = demo_backend
        self.secure_cookies = secure_cookies
        # Test-only: seconds that POST /sandbox/windows/open waits before it records, so a
        # test can click a window's actions before the request is recorded (0 in real use).
        self.window_open_delay = window_open_delay
        # The port whose requests are the REST API at the root (api.iamport.kr's layout);
        # None: the REST API is only under /api on the main port.
        self.api_port = api_port
        # The time payment schedules fall due by (a SandboxClock). TEST-ONLY: tests move it
        # instead of waiting, in-process through this object, or over HTTP with
        # ``POST /sandbox/clock``, served only when ``clock_control`` is True.
        self.clock = clock or SandboxClock()
        self.clock_control = clock_control
        # TEST-ONLY: serve the test controls (webhook chaos, a throwaway second merchant:
        # iamport_sandbox.testkit_api); 404 when False. ``iamport-sandbox --test-controls``.
        self.test_controls = test_controls
        # Seconds between two looks for due schedules.
        self.schedule_poll = schedule_poll
        # -- security (README "Security"; iamport_sandbox.security, .webhooks) --
        # Console sessions (server-side, in the store) end after this many seconds.
        self.session_ttl = session_ttl
        # scrypt threads (each hash ~16 MiB, tens of ms) and how many checks may wait for
        # one before the rest are answered 429.
        self.hash_workers = hash_workers
        self.hash_queue = hash_queue
        # Wrong passwords/secrets: free failures per (login or imp_key, client address) and
        # per client address, then a back-off of login_backoff * 2**k s, at most _max.
        self.login_free_failures = login_free_failures
        self.address_free_failures = address_free_failures
        self.login_backoff = login_backoff
        self.login_backoff_max = login_backoff_max
        # Webhook targets allowed besides the default policy: "HOST" or "HOST:PORT".
        self.webhook_allow = tuple(webhook_allow)
        # notice_urls per payment; deliveries in flight in all and per target host:port.
        self.webhook_max_urls = webhook_max_urls
        self.webhook_concurrency = webhook_concurrency
        self.webhook_per_target = webhook_per_target
        # Unauthenticated window endpoints: opens per user code per minute (0: no limit),
        # the largest custom_data (bytes of its JSON).
        self.window_opens_per_minute = window_opens_per_minute
        self.window_custom_data_max = window_custom_data_max
        # JSON bodies nested deeper than this are refused (400).
        self.json_max_depth = json_max_depth

    @property
    def runtime_dir(self) -> str:
        return assets.runtime_dir(self.web_dir)


class SandboxClock:
    """Real time plus an offset. Only tests move the offset (:meth:`advance`), so that a
    payment scheduled for next month runs now; it decides which schedules are due and
    stamps their ``executed_at``/``revoked_at`` (payment timestamps stay real time)."""

    def __init__(self, offset: int = 0) -> None:
        self.offset = offset

    def now(self) -> int:
        """Unix seconds on this clock."""
        return int(time.time()) + self.offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (never back: schedules already run stay run)."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        self.offset += int(seconds)
