"""The seam between the pure SDK and the world outside Python.

The core does everything outside Python through one bridge object with the
methods of :class:`Bridge`. The browser implementation is
:mod:`iamport_py.browser` (the only module that imports ``js``/``pyodide``/
``pyscript``); the tests pass an in-memory fake; plain CPython gets a
:class:`HeadlessBridge`, which can fetch nothing and open no window.

Every method that waits takes a callback instead of being ``async``: that keeps
the core free of event-loop differences between Pyodide and MicroPython.
"""

from iamport_py.errors import NO_BROWSER, IamportError

IFRAME = "iframe"
POPUP = "popup"
REDIRECT = "redirect"


class Bridge:
    """What the core needs from its host. Subclasses implement every method."""

    def now_ms(self):
        """Milliseconds since the epoch."""
        raise NotImplementedError

    def page_url(self):
        """The merchant page's URL (``location.href``)."""
        raise NotImplementedError

    def is_mobile(self):
        """Whether the page runs on a mobile device (where windows redirect)."""
        raise NotImplementedError

    def fetch_json(self, url, timeout_ms, on_done):
        """GET ``url`` asynchronously; later call ``on_done(True, parsed_json)`` or
        ``on_done(False, reason)`` exactly once, ``reason`` a short string."""
        raise NotImplementedError

    def open_window(self, mode, url, on_closed):
        """Open ``url`` as an ``IFRAME`` overlay or a ``POPUP``; return a handle, or
        ``None`` when the browser refused (a blocked popup). ``on_closed()`` is
        called when the user closes it (overlay button, Escape, popup closed)."""
        raise NotImplementedError

    def close_window(self, handle):
        """Close a window opened by :meth:`open_window` (idempotent)."""
        raise NotImplementedError

    def post_message(self, handle, message, target_origin):
        """Post the JSON string ``message`` to the window of ``handle``."""
        raise NotImplementedError

    def navigate(self, url):
        """Send the whole page to ``url`` (mobile redirect mode)."""
        raise NotImplementedError

    def listen(self, on_message):
        """Call ``on_message(origin, data)`` for every message the page receives."""
        raise NotImplementedError

    def log(self, level, message):
        """Write to the console; ``level`` is ``"info"``, ``"warn"`` or ``"error"``."""
        raise NotImplementedError

    def deferred(self):
        """``(awaitable, resolve)``: awaiting gives what ``resolve(value)`` was given."""
        raise NotImplementedError


class HeadlessBridge(Bridge):
    """The bridge outside a browser: routing and validation work, windows do not."""

    def now_ms(self):
        import time
        return time.time() * 1000

    def page_url(self):
        return ""

    def is_mobile(self):
        return False

    def fetch_json(self, url, timeout_ms, on_done):
        on_done(False, "no browser to fetch with")

    def open_window(self, mode, url, on_closed):
        raise IamportError(NO_BROWSER)

    def close_window(self, handle):
        pass

    def post_message(self, handle, message, target_origin):
        pass

    def navigate(self, url):
        raise IamportError(NO_BROWSER)

    def listen(self, on_message):
        pass

    def log(self, level, message):
        print("[iamport_py] " + level + ": " + message)

    def deferred(self):
        box = {}

        def resolve(value):
            box["value"] = value

        return _Ready(box), resolve


class _Ready:
    """An awaitable that is already settled (headless requests end synchronously)."""

    def __init__(self, box):
        self._box = box

    def __await__(self):
        return self._box.get("value")
        yield  # unreachable: it makes __await__ a generator, which is what await needs


def default_bridge():
    """The browser bridge inside PyScript, a :class:`HeadlessBridge` elsewhere."""
    try:
        from iamport_py.browser import BrowserBridge
    except ImportError as error:
        # No `js` module: not a browser. Any other import error is a broken page
        # setup (the config lacks the JS half) and must not pass silently.
        if getattr(error, "name", None) in ("js", "pyscript"):
            return HeadlessBridge()
        raise
    return BrowserBridge()
