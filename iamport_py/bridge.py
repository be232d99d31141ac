"""The seam between the pure SDK and the world outside Python.

The core does everything outside Python through one bridge object with the
methods of :class:`Bridge`. This module knows no implementation and imports no
module of the package (the core imports its type aliases): the browser's is
:mod:`iamport_py.browser` (the only module that imports ``js``/``pyodide``/
``pyscript``), outside a browser there is :class:`iamport_py.host.HeadlessBridge`,
which can fetch nothing and open no window, and tests pass the in-memory
:class:`iamport_py.testing.FakeBridge`. :mod:`iamport_py.host` chooses, as an HTTP
client picks its transport.

Every method that waits takes a callback instead of being ``async``: that keeps
the core free of event-loop differences between Pyodide and MicroPython.

Types: annotations are checked by ``mypy --strict`` on CPython and ignored by
MicroPython, which parses them without evaluating them. Names from ``typing`` are
imported only under ``if TYPE_CHECKING:`` with a module-level ``TYPE_CHECKING = False``
(mypy treats any name ``TYPE_CHECKING`` as true), so no interpreter imports
``typing`` at run time, and annotations that use them are strings. The aliases below
are shared that way by the other modules.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    JsonDict = dict[str, Any]
    """A JSON object: a request's param, a setting, an ``rsp``."""
    Handle = Any
    """A window the bridge opened, opaque to the core (the bridge's own type)."""
    Timer = Any
    """A timer of :meth:`Bridge.start_timer`, opaque to the core."""
    Callback = Callable[[], None]
    Done = Callable[[bool, Any], None]
    """``on_done(ok, value_or_reason)``."""


class Bridge:
    """What the core needs from its host. Subclasses implement every method."""

    def now_ms(self) -> int:
        """Milliseconds since the epoch."""
        raise NotImplementedError

    def page_url(self) -> str:
        """The merchant page's URL (``location.href``)."""
        raise NotImplementedError

    def is_mobile(self) -> bool:
        """Whether the page runs on a mobile device (where windows redirect)."""
        raise NotImplementedError

    def fetch_json(self, url: str, timeout_ms: float, on_done: "Done") -> None:
        """GET ``url`` asynchronously; later call ``on_done(True, parsed_json)`` or
        ``on_done(False, reason)`` exactly once, ``reason`` a short string."""
        raise NotImplementedError

    def open_frame(
        self, url: str, visible: bool, on_load: "Callback", on_closed: "Callback"
    ) -> "Handle":
        """Load ``url`` in an iframe and return its handle. ``visible``: inside a
        full-page overlay the shopper can close (then ``on_closed()``); else hidden
        (a popup PG's frame). ``on_load()`` is called on every ``load`` event."""
        raise NotImplementedError

    def preload_frame(self, url: str, on_load: "Callback", on_closed: "Callback") -> "Handle":
        """Load ``url`` ahead in a hidden frame (not visible, focusable nor announced) and
        return its handle, or ``None`` when there is no browser to load it in.
        :meth:`use_frame` puts it to use later without reloading it; ``on_load()`` on
        every ``load`` event; ``on_closed()`` when the shopper closes it once shown."""
        raise NotImplementedError

    def use_frame(self, handle: "Handle") -> None:
        """Show a frame of :meth:`preload_frame` as it is (not reloaded), in the full-page
        overlay :meth:`open_frame` makes (popup PGs' frames are never loaded ahead)."""
        raise NotImplementedError

    def open_popup(self, name: str, on_closed: "Callback") -> "Handle | None":
        """Open an ``about:blank`` popup named ``name`` (synchronously: the popup
        blocker lets it through only inside the shopper's click); return a handle,
        or ``None`` when the browser refused. ``on_closed()`` when the shopper closes it."""
        raise NotImplementedError

    def submit_form(self, handle: "Handle", url: str, fields: "dict[str, str]") -> None:
        """Submit a hidden ``POST`` form of string ``fields`` to ``url`` into the popup
        of ``handle``."""
        raise NotImplementedError

    def close_window(self, handle: "Handle") -> None:
        """Close a frame or popup (idempotent)."""
        raise NotImplementedError

    def post_message(self, handle: "Handle", message: str, target_origin: str) -> None:
        """Post the JSON string ``message`` to the frame of ``handle``."""
        raise NotImplementedError

    def probe(self, url: str, on_done: "Callable[[bool, str], None]") -> None:
        """Check that ``url`` answers at all (any HTTP status); later call
        ``on_done(True, "")`` or ``on_done(False, reason)`` once."""
        raise NotImplementedError

    def start_timer(self, delay_ms: float, callback: "Callback") -> "Timer":
        """Call ``callback()`` once after ``delay_ms``; return a timer for :meth:`cancel_timer`."""
        raise NotImplementedError

    def cancel_timer(self, timer: "Timer") -> None:
        """Stop a timer of :meth:`start_timer` (idempotent)."""
        raise NotImplementedError

    def navigate(self, url: str) -> None:
        """Send the whole page to ``url`` (mobile redirect mode)."""
        raise NotImplementedError

    def listen(self, on_message: "Callable[[str, str | None], None]") -> None:
        """Call ``on_message(origin, data)`` for every message the page receives
        (``data`` ``None`` when it is not a string)."""
        raise NotImplementedError

    def log(self, level: str, message: str) -> None:
        """Write to the console; ``level`` is ``"info"``, ``"warn"`` or ``"error"``."""
        raise NotImplementedError

    def deferred(self) -> "tuple[Awaitable[Any], Callable[[Any], None]]":
        """``(awaitable, resolve)``: awaiting gives what ``resolve(value)`` was given."""
        raise NotImplementedError


class Settled:
    """An awaitable that gives ``box["value"]``, waiting (yielding to the event loop)
    until a resolve has put it there; at once when it already has (headless requests
    end synchronously)."""

    def __init__(self, box: "dict[str, Any]") -> None:
        self._box = box

    def __await__(self) -> "Any":
        while "value" not in self._box:
            yield
        return self._box["value"]
