"""The seam between the pure SDK and the world outside Python.

The core does everything outside Python through one bridge object with the
methods of :class:`Bridge`. The browser implementation is
:mod:`iamport_py.browser` (the only module that imports ``js``/``pyodide``/
``pyscript``); the tests pass an in-memory fake;
outside a browser there is :class:`HeadlessBridge`, which can fetch nothing and
open no window. This module knows no implementation: :mod:`iamport_py.host`
chooses one.

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

    def open_frame(self, url, visible, on_load, on_closed):
        """Load ``url`` in an iframe and return its handle. ``visible``: inside a
        full-page overlay the shopper can close (then ``on_closed()``); else hidden
        (a popup PG's frame). ``on_load()`` is called on every ``load`` event."""
        raise NotImplementedError

    def open_popup(self, name, on_closed):
        """Open an ``about:blank`` popup named ``name`` (synchronously: the popup
        blocker lets it through only inside the shopper's click); return a handle,
        or ``None`` when the browser refused. ``on_closed()`` when the shopper closes it."""
        raise NotImplementedError

    def submit_form(self, handle, url, fields):
        """Submit a hidden ``POST`` form of string ``fields`` to ``url`` into the popup
        of ``handle``."""
        raise NotImplementedError

    def close_window(self, handle):
        """Close a frame or popup (idempotent)."""
        raise NotImplementedError

    def post_message(self, handle, message, target_origin):
        """Post the JSON string ``message`` to the frame of ``handle``."""
        raise NotImplementedError

    def probe(self, url, on_done):
        """Check that ``url`` answers at all (any HTTP status); later call
        ``on_done(True, "")`` or ``on_done(False, reason)`` once."""
        raise NotImplementedError

    def start_timer(self, delay_ms, callback):
        """Call ``callback()`` once after ``delay_ms``; return a timer for :meth:`cancel_timer`."""
        raise NotImplementedError

    def cancel_timer(self, timer):
        """Stop a timer of :meth:`start_timer` (idempotent)."""
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
        # MicroPython's time.time() is whole seconds; time_ns() is exact on both.
        return time.time_ns() // 1000000

    def page_url(self):
        return ""

    def is_mobile(self):
        return False

    def fetch_json(self, url, timeout_ms, on_done):
        on_done(False, "no browser to fetch with")

    def open_frame(self, url, visible, on_load, on_closed):
        raise IamportError(NO_BROWSER)

    def open_popup(self, name, on_closed):
        raise IamportError(NO_BROWSER)

    def submit_form(self, handle, url, fields):
        pass

    def close_window(self, handle):
        pass

    def post_message(self, handle, message, target_origin):
        pass

    def probe(self, url, on_done):
        on_done(False, "no browser to fetch with")

    def start_timer(self, delay_ms, callback):
        return None

    def cancel_timer(self, timer):
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
