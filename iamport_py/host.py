"""Which bridge this interpreter gets: the one place that chooses (as an HTTP client
picks its transport), so that :mod:`iamport_py.bridge` knows no implementation; and the
bridge for outside a browser, :class:`HeadlessBridge`.

:mod:`iamport_py.browser` tries its host imports itself and tells whether they
were there; checking a flag instead of an ``ImportError``'s ``name`` works on
MicroPython too, whose ImportError has no ``name``.
"""

from iamport_py.bridge import Bridge, Settled
from iamport_py.errors import NO_BROWSER, IamportError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from iamport_py.bridge import Callback, Done, Handle, Timer


def default_bridge() -> Bridge:
    """The browser bridge inside a PyScript page, a :class:`HeadlessBridge` elsewhere
    (CPython, MicroPython or Pyodide under Node)."""
    # At first use, not at import: importing the package (resolve_pg, parse_redirect) tries
    # none of the host imports, and a PyScript page without the JS half learns it from
    # IMP.init, not from its first import.
    from iamport_py import browser

    if not browser.IN_BROWSER:
        return HeadlessBridge()
    return browser.BrowserBridge()


class HeadlessBridge(Bridge):
    """The bridge outside a browser: routing and validation work, windows do not."""

    def now_ms(self) -> int:
        import time

        # MicroPython's time.time() is whole seconds; time_ns() is exact on both.
        return time.time_ns() // 1000000

    def page_url(self) -> str:
        return ""

    def is_mobile(self) -> bool:
        return False

    def fetch_json(self, url: str, timeout_ms: float, on_done: "Done") -> None:
        on_done(False, "no browser to fetch with")

    def open_frame(
        self, url: str, visible: bool, on_load: "Callback", on_closed: "Callback"
    ) -> "Handle":
        raise IamportError(NO_BROWSER)

    def preload_frame(self, url: str, on_load: "Callback", on_closed: "Callback") -> "Handle":
        return None

    def use_frame(self, handle: "Handle") -> None:
        raise IamportError(NO_BROWSER)

    def open_popup(self, name: str, on_closed: "Callback") -> "Handle | None":
        raise IamportError(NO_BROWSER)

    def submit_form(self, handle: "Handle", url: str, fields: "dict[str, str]") -> None:
        pass

    def close_window(self, handle: "Handle") -> None:
        pass

    def post_message(self, handle: "Handle", message: str, target_origin: str) -> None:
        pass

    def probe(self, url: str, on_done: "Callable[[bool, str], None]") -> None:
        on_done(False, "no browser to fetch with")

    def start_timer(self, delay_ms: float, callback: "Callback") -> "Timer":
        return None

    def cancel_timer(self, timer: "Timer") -> None:
        pass

    def navigate(self, url: str) -> None:
        raise IamportError(NO_BROWSER)

    def listen(self, on_message: "Callable[[str, str | None], None]") -> None:
        pass

    def log(self, level: str, message: str) -> None:
        print("[iamport_py] " + level + ": " + message)

    def deferred(self) -> "tuple[Awaitable[Any], Callable[[Any], None]]":
        box: dict[str, Any] = {}

        def resolve(value: "Any") -> None:
            box["value"] = value

        return Settled(box), resolve
