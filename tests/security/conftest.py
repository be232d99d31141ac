"""The security suite (issue 8): real sandboxes on 127.0.0.1 where sockets matter, and a
tally of what each attack tried and what got through, printed at the end of the run."""

import time

import httpx
import pytest

from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from tests.live import start_sandbox
from tests.seeded import seed_file

# point -> {"tried": n, "through": n, "allowed": n}; "allowed" counts what the policy
# lets through on purpose (webhooks to the merchant's loopback backend).
TALLY = {}


def count(point, tried=0, through=0, allowed=0):
    """Add to the run's summary: attempts made, attempts that got through."""
    entry = TALLY.setdefault(point, {"tried": 0, "through": 0, "allowed": 0})
    entry["tried"] += tried
    entry["through"] += through
    entry["allowed"] += allowed


def pytest_terminal_summary(terminalreporter):
    if not TALLY:
        return
    write = terminalreporter.write_line
    terminalreporter.section("security summary (issue 8)")
    write("{:<54} {:>7} {:>8} {:>8}".format("attack", "tried", "through", "allowed"))
    for point in sorted(TALLY):
        entry = TALLY[point]
        write(
            "{:<54} {:>7} {:>8} {:>8}".format(
                point, entry["tried"], entry["through"], entry["allowed"]
            )
        )
    write(
        "{:<54} {:>7} {:>8} {:>8}".format(
            "total",
            sum(e["tried"] for e in TALLY.values()),
            sum(e["through"] for e in TALLY.values()),
            sum(e["allowed"] for e in TALLY.values()),
        )
    )


@pytest.fixture
def live(tmp_path):
    """``live(**config)`` starts a sandbox with the demo merchant on 127.0.0.1 and returns
    ``(url, app)``; every one started is stopped at the end of the test."""
    started = []

    def start(**options):
        if "db_path" not in options:  # the demo merchant seeded once per run, copied here
            options["db_path"] = seed_file(tmp_path / "sandbox{}.sqlite3".format(len(started)))
        options.setdefault("webhook_backoff", 0.05)
        options.setdefault("webhook_timeout", 2.0)
        config = Config(demo_backend=DEMO, **options)
        server, app = start_sandbox(config)
        ensure_demo_merchant(app.state.store)
        started.append((server, app))
        return server.url, app

    yield start
    for server, app in started:
        server.stop()
        app.state.store.close()


def client(url, source="127.0.0.1", **options):
    """An HTTP client to the sandbox whose connections come from ``source`` (any address
    of 127.0.0.0/8 is this machine's loopback: a stand-in for another host)."""
    transport = httpx.HTTPTransport(local_address=source)
    return httpx.Client(base_url=url, transport=transport, timeout=10, **options)


def until(condition, seconds=10, step=0.02):
    """Poll ``condition`` until it is true or the deadline passes; returns its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def get_token(http, key=DEMO["imp_key"], secret=DEMO["imp_secret"]):
    return http.post("/api/users/getToken", json={"imp_key": key, "imp_secret": secret})
