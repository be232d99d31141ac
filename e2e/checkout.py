"""Driving the demo checkout page (web/index.html) the way a shopper does."""

from urllib.parse import urlencode

ROUTES = {
    "": "route-general",
    "html5_inicis.MID-b": "route-recurring",
    "kakaopay": "route-kakaopay",
}
TIMEOUT = 30000
# The window's (and the sandbox PG page's) readiness marker: its actions are usable.
WINDOW_READY = "body[data-window-state=ready]"


def open_shop(page, origin, service, interpreter, **query):
    """Load the shop and wait until the SDK has tried to load its settings."""
    params = dict({"service": service, "interpreter": interpreter}, **query)
    page.goto(origin + "/?" + urlencode(params))
    page.wait_for_selector("body[data-imp-state]", timeout=TIMEOUT)
    return page.get_attribute("body", "data-imp-state")


def start_payment(page, pg="", pay_method="card", billing=False):
    """Choose how to pay and press Pay; returns nothing (the window may or may not open)."""
    if pg in ROUTES:
        page.click("[data-testid={}]".format(ROUTES[pg]))
    else:
        page.click("[data-testid=route-custom]")
        page.fill("[data-testid=custom_pg]", pg)
    page.select_option("[data-testid=pay_method]", pay_method)
    # Set either way: a shop page may have served a billing payment before.
    page.set_checked("[data-testid=billing]", billing)
    page.click("[data-testid=pay]")


def wait_window_ready(frame):
    """Wait until a window (a frame, a popup or the page itself) has opened its payment:
    never first paint, when its actions are still disabled."""
    frame.wait_for_selector(WINDOW_READY, timeout=TIMEOUT)
    return frame


def payment_window(page):
    """The overlay's iframe, once the window is ready."""
    frame = page.wait_for_selector("iframe.iamport-frame", timeout=TIMEOUT).content_frame()
    return wait_window_ready(frame)


def window_shows(frame):
    """(pg_provider, MID) as the window's own page shows them."""
    return (frame.inner_text("[data-testid=pg-provider]"), frame.inner_text("[data-testid=pg-mid]"))


def wait_result(page, callbacks=1):
    page.wait_for_selector("body[data-callbacks='{}']".format(callbacks), timeout=TIMEOUT)
    page.wait_for_selector("[data-testid=result]:not([hidden])", timeout=TIMEOUT)


def wait_verification(page):
    # Pay is disabled from the click until the shop has verified the payment: only then is
    # the verdict this payment's (a shop page that paid before keeps the last one's class).
    page.wait_for_selector("[data-testid=pay]:enabled", timeout=TIMEOUT)
    page.wait_for_selector(
        "[data-testid=verification].good, [data-testid=verification].bad", timeout=TIMEOUT
    )
    return page.inner_text("[data-testid=verification]")


def callbacks(page):
    return int(page.get_attribute("body", "data-callbacks") or "0")
