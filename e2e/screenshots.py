"""The documentation's six screenshots, made again from a running demo (``make screenshots``).

``python -m e2e.screenshots [--out docs]`` starts the sandbox as ``iamport-sandbox --demo`` does
(the demo merchant, the seed's three PG settings, the demo shop's backend) on a temporary
SQLite file on 127.0.0.1, pays through the demo shop in Debian's headless Chromium (Pyodide,
as a shopper's browser boots it) and the sandbox's windows, logs into the console with the demo
login, and writes the pictures the docs show. Nothing leaves the machine: the browser's proxy
is one nobody runs (loopback excepted) and every request to another host is aborted; the run
fails if a page tried one. Every step waits for the page's own readiness marker, never for time.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright
from starlette.applications import Starlette

from e2e.checkout import TIMEOUT, payment_window, start_payment, wait_result
from e2e.conftest import last_rsp, launch_chromium
from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import DEMO, ensure_demo_merchant
from iamport_sandbox.testkit import (
    LiveServer,
    SandboxRoutes,
    approve,
    decline,
    offline_proxy,
    route_to_sandbox,
)

# The sizes the docs have always shown: the console at 1280 px, the shop at 1100 px (as the
# end-to-end tests see it), a phone at 390 x 844.
CONSOLE: ViewportSize = {"width": 1280, "height": 900}
SHOP: ViewportSize = {"width": 1100, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# Pyodide's first boot on a busy two-core machine can take far longer than a window's answer.
BOOT_TIMEOUT = 180000
# Each file, and what the docs say it shows (their alt texts).
SHOTS = {
    "demo-shop.png": "The demo checkout after a verified payment",
    "payment-window.png": "A sandbox payment window (KG Inicis, MID-b) over the demo checkout",
    "console.png": "The console's PG settings page",
    "console-payments.png": "Payments",
    "console-payment.png": "A payment's detail",
    "console-phone.png": "The payments page at 390 px",
}


class Shots:
    """Where the pictures go; each is written once its page is ready."""

    def __init__(self, out: str) -> None:
        self.out = out

    def take(self, page: Page, name: str, full_page: bool = False) -> None:
        assert name in SHOTS, name
        # Web fonts and images settled; CSS transitions ended (the overlay fades in).
        page.evaluate("document.fonts.ready.then(() => true)")
        page.wait_for_load_state("load")
        path = os.path.join(self.out, name)
        page.screenshot(path=path, full_page=full_page, animations="disabled", caret="hide")


def missing_fonts() -> str | None:
    """What the pictures would lack: without a Hangul font every Korean label is a row of
    boxes (fontconfig's list; None where there is no fontconfig to ask)."""
    if shutil.which("fc-list") is None:
        return None
    needs = {"Hangul": ":lang=ko", "colour emoji": ":color=true"}
    hint = "Debian: apt-get install fonts-noto-cjk fonts-noto-color-emoji"
    for what, pattern in needs.items():
        found = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True)
        if not found.stdout.strip():
            return "no {} font ({})".format(what, hint)
    return None


def start_demo(db_path: str) -> tuple[LiveServer, Starlette]:
    """The sandbox as ``iamport-sandbox --demo`` serves it, on ``db_path``, on 127.0.0.1."""
    app = create_app(Config(db_path=db_path, demo_backend=DEMO))
    if ensure_demo_merchant(app.state.store) is None:
        raise SystemExit("the demo merchant could not be registered")
    return LiveServer(app).start(), app


def offline_context(
    browser: Browser, base: str, viewport: ViewportSize, **options: Any
) -> tuple[BrowserContext, SandboxRoutes]:
    """A context that reaches the sandbox and nothing else, and the log of what it stopped."""
    context = browser.new_context(viewport=viewport, proxy=offline_proxy(), **options)
    return context, route_to_sandbox(context, base)


def ready_shop(page: Page, base: str) -> None:
    """The demo shop as ``make demo`` serves it, once its SDK holds the settings."""
    page.goto(base + "/")
    page.wait_for_selector(
        "body[data-imp-state=ready] [data-testid=pay]:enabled", timeout=BOOT_TIMEOUT
    )
    page.wait_for_selector("[data-testid=runtime].ready", timeout=TIMEOUT)


def pay(
    page: Page,
    count: int,
    route: str,
    pay_method: str,
    act: Callable[[Page], Any],
    before: Callable[[Page], None] | None = None,
) -> dict[str, Any]:
    """The shop's ``count``-th payment: choose the route and method, Pay, let ``act`` answer
    the window (``before`` sees the ready window first); returns the callback's rsp once the
    shop's backend has checked it."""
    start_payment(page, route, pay_method)
    payment_window(page)
    if before is not None:
        before(page)
    act(page)
    wait_result(page, count)
    # Pay comes back once the shop is done with the payment (its backend's check included).
    page.wait_for_selector("[data-testid=pay]:enabled", timeout=TIMEOUT)
    rsp: dict[str, Any] = last_rsp(page)
    if rsp["success"]:
        verdict = "good" if rsp["status"] == "paid" else "pending"  # pending: a virtual account
        page.wait_for_selector("[data-testid=verification].{}".format(verdict), timeout=TIMEOUT)
    return rsp


def shop_pictures(browser: Browser, base: str, shots: Shots) -> dict[str, Any]:
    """Four payments through the demo shop: Inicis MID-a (the default) by card, approved;
    KakaoPay, declined; a virtual account on the default, issued (awaiting deposit); Inicis
    MID-b by card, approved — its window and the shop after its verification are pictured.
    Returns the virtual account's rsp."""
    context, routes = offline_context(browser, base, SHOP)
    page = context.new_page()
    ready_shop(page, base)
    done = [
        pay(page, 1, "", "card", approve),
        pay(page, 2, "kakaopay", "card", decline),
        pay(page, 3, "", "vbank", approve),
        pay(
            page,
            4,
            "html5_inicis.MID-b",
            "card",
            approve,
            before=lambda shop: shots.take(shop, "payment-window.png"),
        ),
    ]
    outcomes = [(rsp["success"], rsp["pg_id"], rsp["status"]) for rsp in done]
    expected = [
        (True, "MID-a", "paid"),
        (False, "MID-c", "failed"),
        (True, "MID-a", "ready"),
        (True, "MID-b", "paid"),
    ]
    if outcomes != expected:
        raise SystemExit("the shop's payments went otherwise: {}".format(outcomes))
    page.wait_for_selector(".iamport-overlay", state="detached", timeout=TIMEOUT)
    page.evaluate("window.scrollTo(0, 0)")
    shots.take(page, "demo-shop.png", full_page=True)
    close(context, routes)
    return done[2]


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/console/login")
    page.fill("input[name=login]", DEMO["login"])
    page.fill("input[name=password]", DEMO["password"])
    page.click("[data-testid=login]")
    page.wait_for_selector("[data-testid=settings]", timeout=TIMEOUT)


def console_pictures(browser: Browser, base: str, shots: Shots, vbank_imp_uid: str) -> None:
    context, routes = offline_context(browser, base, CONSOLE)
    page = context.new_page()
    log_in(page, base)
    page.goto(base + "/console/pg")
    page.wait_for_selector("[data-testid=setting-row] >> nth=2", timeout=TIMEOUT)
    shots.take(page, "console.png", full_page=True)
    page.goto(base + "/console/payments")
    page.wait_for_selector("[data-testid=payment-row] >> nth=3", timeout=TIMEOUT)
    shots.take(page, "console-payments.png")
    page.goto("{}/console/payments/{}".format(base, vbank_imp_uid))
    page.wait_for_selector("[data-testid=deposit]", timeout=TIMEOUT)
    shots.take(page, "console-payment.png", full_page=True)
    session = context.storage_state()
    close(context, routes)

    phone, routes = offline_context(
        browser, base, PHONE, storage_state=session, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(base + "/console/payments")
    page.wait_for_selector("[data-testid=payment-row] >> nth=3", timeout=TIMEOUT)
    shots.take(page, "console-phone.png")
    close(phone, routes)


def close(context: BrowserContext, routes: SandboxRoutes) -> None:
    context.unroute_all(behavior="ignoreErrors")
    context.close()
    if routes.blocked:
        raise SystemExit("a page asked for hosts off this machine: {}".format(routes.blocked))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m e2e.screenshots", description=__doc__)
    parser.add_argument("--out", default="docs", help="folder for the PNGs (default: docs)")
    args = parser.parse_args(argv)
    lacking = missing_fonts()
    if lacking:
        parser.error(lacking)
    with tempfile.TemporaryDirectory(prefix="iamport-screenshots-") as folder:
        # The pictures go to the docs together or not at all (never half of them from a
        # run that failed part way).
        shots = Shots(os.path.join(folder, "png"))
        os.makedirs(shots.out)
        server, app = start_demo(os.path.join(folder, "sandbox.sqlite3"))
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                try:
                    issued = shop_pictures(browser, server.url, shots)
                    console_pictures(browser, server.url, shots, issued["imp_uid"])
                finally:
                    browser.close()
        finally:
            server.stop()
            app.state.store.close()
        os.makedirs(args.out, exist_ok=True)
        for name in SHOTS:
            shutil.move(os.path.join(shots.out, name), os.path.join(args.out, name))
            print("wrote {} ({})".format(os.path.join(args.out, name), SHOTS[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
