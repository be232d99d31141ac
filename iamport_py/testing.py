"""An in-memory bridge for unit tests of code that uses the SDK (as httpx ships
``MockTransport``): no browser, no network, no timers that fire on their own.

The SDK talks to the browser only through a bridge (:class:`iamport_py.bridge.Bridge`).
:class:`FakeBridge` records what the SDK asks of it (settings fetches, windows opened,
messages posted, timers, console lines) and lets the test play the browser's and the
payment window's parts: answer the settings fetch, load a frame, post the window's
answer, close a window, run a timer. Everything happens synchronously, in the order the
test says, so a test needs no event loop and no sleeps. Pure Python: it runs on CPython,
Pyodide and MicroPython alike (the SDK's own portable tests use it on all three).

Write the checkout code against an :class:`iamport_py.Iamport` it is given (the page
gives it ``IMP``); the test gives it one on a fake bridge::

    from iamport_py.testing import Recorder, approve, ready_imp

    imp, bridge = ready_imp()  # an Iamport whose settings (the seed's three) have arrived
    callback = Recorder()
    imp.request_pay({"pg": "kakaopay", "amount": 1000, "name": "Test order"}, callback)
    assert bridge.frame().url == "https://service.test/payments/ready/imp12345678/kakaopay/MID-c"
    approve(bridge, paid_amount=1000)  # the window loads, gets the request, answers "paid"
    assert callback.rsp["success"] is True and callback.rsp["paid_amount"] == 1000

Other outcomes: ``bridge.frame().user_closes()`` (the shopper closes the window:
``F0005``), ``bridge.emit(done_message(request_id_of(bridge), success=False,
error_code="CARD_DECLINED"))`` (a decline), ``bridge.fail_fetch()`` before any request
(the settings cannot be loaded: ``NOT_READY``), ``ready_imp(mobile=True)`` (mobile: a
request with ``m_redirect_url`` goes to ``bridge.navigated``), ``ready_imp(settings=[…])``
(your own PG settings).

Windows loaded ahead: once the settings arrive the SDK loads its settings' windows in
hidden frames (``bridge.preloaded``; ``bridge.waiting()`` for those no request took).
They load only when the test says so (``bridge.load_preloaded()``): until then a request
takes its window's frame still loading and goes the way a freshly opened frame does. A
frame a request used is in ``bridge.windows`` like any other.
"""

import json

from iamport_py.bridge import Bridge, Settled

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from iamport_py.bridge import Callback, Done, JsonDict
    from iamport_py.imp import Iamport

SERVICE = "https://service.test"
"""The service URL :func:`ready_imp` gives ``init``; windows live under it."""
PAGE = "https://shop.test/checkout"
"""The merchant page's URL the fake reports."""
USER_CODE = "imp12345678"

SEED_SETTINGS = [
    {"pg_provider": "html5_inicis", "pg_id": "MID-a", "type": "payment", "sandbox": True},
    {"pg_provider": "html5_inicis", "pg_id": "MID-b", "type": "payment", "sandbox": True},
    {"pg_provider": "kakaopay", "pg_id": "MID-c", "type": "payment", "sandbox": True},
]
"""The seed guide's settings: Inicis MID-a (the default), Inicis MID-b, KakaoPay MID-c."""

CURRENT_EDITION_SETTINGS = [
    {
        "pg_provider": "nice_v2",
        "pg_id": "MID-a",
        "type": "payment",
        "sandbox": True,
        "channel_key": "channel-key-12345678-1234-5678-9012-123456789012",
    },
    {
        "pg_provider": "nice_v2",
        "pg_id": "MID-b",
        "type": "payment",
        "sandbox": True,
        "channel_key": "channel-key-abcdefgh-abcd-efgh-ijkl-abcdefghijkl",
    },
    {
        "pg_provider": "kakaopay",
        "pg_id": "MID-c",
        "type": "payment",
        "sandbox": True,
        "channel_key": "channel-key-98765432-9876-5432-1098-987654321098",
    },
]
"""The current edition's settings with the guide's own keys: (new) NICE Payments MID-a
(authenticated, the default), NICE MID-b (non-authenticated: the same PG code, told apart
by its key only) and KakaoPay MID-c."""


class FakeWindow:
    """A frame (``mode`` ``"iframe"`` visible, ``"hidden"``; ``"preload"`` while it waits,
    loaded ahead, for a request) or a ``"popup"``."""

    def __init__(
        self,
        bridge: "FakeBridge",
        mode: str,
        url: str,
        on_closed: "Callback",
        on_load: "Callback | None" = None,
        name: "str | None" = None,
    ) -> None:
        self.bridge = bridge
        self.mode = mode
        self.url = url
        self.name = name
        self.on_closed = on_closed
        self.on_load = on_load
        self.closed = False
        self.forms: list[tuple[str, dict[str, str]]] = []

    def load(self) -> None:
        """The browser fires the frame's ``load`` event."""
        if not self.closed and self.on_load is not None:
            self.on_load()

    def user_closes(self) -> None:
        """The shopper closes the window (the overlay's close button, or the popup)."""
        self.closed = True
        self.on_closed()

    def messages(self) -> "list[tuple[JsonDict, str]]":
        """What the page posted to this window: ``(message, target_origin)`` pairs."""
        return [
            (message, target) for handle, message, target in self.bridge.posted if handle is self
        ]


class FakeBridge(Bridge):
    """A :class:`Bridge` in memory. ``mobile``: the page is on a phone (redirect mode);
    ``block_popups``: the browser refuses popups."""

    def __init__(self, mobile: bool = False, block_popups: bool = False) -> None:
        self.clock = 1700000000000
        self.mobile = mobile
        self.block_popups = block_popups
        self.fetches: list[tuple[str, float, Done]] = []
        self.windows: list[FakeWindow] = []
        """The windows requests used, in the order they used them."""
        self.preloaded: list[FakeWindow] = []
        """Every frame the SDK loaded ahead (:meth:`waiting` for those still unused)."""
        self.posted: list[tuple[FakeWindow, JsonDict, str]] = []
        self.logs: list[tuple[str, str]] = []
        self.navigated: list[str] = []
        self.probes: list[tuple[str, Callable[[bool, str], None]]] = []
        self.timers: list[dict[str, Any]] = []
        self.listener: Callable[[str, str | None], None] | None = None

    def now_ms(self) -> int:
        return self.clock

    def page_url(self) -> str:
        return PAGE

    def is_mobile(self) -> bool:
        return self.mobile

    def fetch_json(self, url: str, timeout_ms: float, on_done: "Done") -> None:
        self.fetches.append((url, timeout_ms, on_done))

    def answer(self, body: "Any", index: int = -1) -> None:
        """Answer a settings fetch (the last by default) with the JSON ``body``."""
        self.fetches[index][2](True, body)

    def fail_fetch(self, reason: str = "network error", index: int = -1) -> None:
        """Fail a settings fetch (the last by default)."""
        self.fetches[index][2](False, reason)

    def open_frame(
        self, url: str, visible: bool, on_load: "Callback", on_closed: "Callback"
    ) -> FakeWindow:
        window = FakeWindow(self, "iframe" if visible else "hidden", url, on_closed, on_load)
        self.windows.append(window)
        return window

    def preload_frame(self, url: str, on_load: "Callback", on_closed: "Callback") -> FakeWindow:
        window = FakeWindow(self, "preload", url, on_closed, on_load)
        self.preloaded.append(window)
        return window

    def use_frame(self, handle: FakeWindow) -> None:
        handle.mode = "iframe"
        self.windows.append(handle)

    def waiting(self) -> "list[FakeWindow]":
        """The frames loaded ahead that no request has taken and that are not closed."""
        return [w for w in self.preloaded if w.mode == "preload" and not w.closed]

    def load_preloaded(self) -> None:
        """The browser fires ``load`` on every waiting preloaded frame."""
        for window in self.waiting():
            window.load()

    def open_popup(self, name: str, on_closed: "Callback") -> "FakeWindow | None":
        if self.block_popups:
            return None
        window = FakeWindow(self, "popup", "about:blank", on_closed, name=name)
        self.windows.append(window)
        return window

    def submit_form(self, handle: FakeWindow, url: str, fields: "dict[str, str]") -> None:
        handle.forms.append((url, fields))

    def close_window(self, handle: FakeWindow) -> None:
        handle.closed = True

    def post_message(self, handle: FakeWindow, message: str, target_origin: str) -> None:
        self.posted.append((handle, json.loads(message), target_origin))

    def probe(self, url: str, on_done: "Callable[[bool, str], None]") -> None:
        self.probes.append((url, on_done))

    def start_timer(self, delay_ms: float, callback: "Callback") -> "dict[str, Any]":
        timer = {"delay": delay_ms, "callback": callback, "active": True}
        self.timers.append(timer)
        return timer

    def cancel_timer(self, timer: "dict[str, Any]") -> None:
        timer["active"] = False

    def run_timers(self, delay_ms: "float | None" = None) -> None:
        """Fire the active timers (those of ``delay_ms`` only, when given)."""
        for timer in list(self.timers):
            if timer["active"] and (delay_ms is None or timer["delay"] == delay_ms):
                timer["active"] = False
                timer["callback"]()

    def active_timers(self) -> "list[float]":
        """The delays of the timers that have not fired nor been cancelled."""
        return [timer["delay"] for timer in self.timers if timer["active"]]

    def navigate(self, url: str) -> None:
        self.navigated.append(url)

    def listen(self, on_message: "Callable[[str, str | None], None]") -> None:
        self.listener = on_message

    def emit(self, data: "str | None", origin: str = SERVICE) -> None:
        """A message reaches the page (from the service origin by default)."""
        if self.listener is not None:
            self.listener(origin, data)

    def log(self, level: str, message: str) -> None:
        self.logs.append((level, message))

    def deferred(self) -> "tuple[Awaitable[Any], Callable[[Any], None]]":
        box: dict[str, Any] = {}

        def resolve(value: "Any") -> None:
            box["value"] = value

        return Settled(box), resolve

    # -- the window's part ---------------------------------------------------------------

    def frame(self) -> FakeWindow:
        """The last frame the SDK opened."""
        return [w for w in self.windows if w.mode != "popup"][-1]

    def load(self) -> "JsonDict":
        """Load the last frame and return the request the SDK posted to it."""
        frame = self.frame()
        frame.load()
        return frame.messages()[-1][0]


class Recorder:
    """A callback that records its calls; :attr:`rsp` insists on exactly one."""

    def __init__(self) -> None:
        self.calls: list[JsonDict] = []

    def __call__(self, rsp: "JsonDict") -> None:
        self.calls.append(rsp)

    @property
    def rsp(self) -> "JsonDict":
        """The one ``rsp`` the callback got (an ``AssertionError`` for none or several)."""
        # Raised, not asserted: the message must not depend on ``python -O`` or on pytest
        # rewriting this module's asserts (it does when the package is a test dependency).
        if len(self.calls) != 1:
            raise AssertionError("callback called {} times".format(len(self.calls)))
        return self.calls[0]


def ready_imp(
    settings: "list[JsonDict] | None" = None,
    mobile: bool = False,
    block_popups: bool = False,
    **options: "Any",
) -> "tuple[Iamport, FakeBridge]":
    """``(imp, bridge)``: an :class:`iamport_py.Iamport` on a :class:`FakeBridge`, its
    ``init`` called (``service`` :data:`SERVICE`, ``options`` passed on) and its settings
    arrived (``settings``, by default :data:`SEED_SETTINGS`)."""
    from iamport_py.imp import Iamport

    bridge = FakeBridge(mobile=mobile, block_popups=block_popups)
    imp = Iamport(bridge)
    options.setdefault("service", SERVICE)
    imp.init(USER_CODE, **options)
    bridge.answer({"code": 0, "msg": None, "data": SEED_SETTINGS if settings is None else settings})
    return imp, bridge


def message(name: str, request_id: "str | None" = None, **data: "Any") -> str:
    """A window -> page message ``{"action": name, "data": data}`` (a JSON string)."""
    if request_id is not None:
        data["request_id"] = request_id
    return json.dumps({"action": name, "data": data})


def done_message(request_id: str, **fields: "Any") -> str:
    """The window's final answer for ``request_id``: paid (``success`` true, an
    ``imp_uid``) unless ``fields`` say otherwise."""
    data: dict[str, Any] = {"success": True, "imp_uid": "imp_000000000001"}
    data.update(fields)
    return message("done", request_id, **data)


def request_id_of(bridge: FakeBridge) -> str:
    """The id of the request the SDK posted to its last frame (loading it if need be)."""
    frame = bridge.frame()
    if not frame.messages():
        frame.load()
    request_id: str = frame.messages()[0][0]["data"]["request_id"]
    return request_id


def approve(bridge: FakeBridge, **fields: "Any") -> None:
    """Play a window that approves: its frame loads, gets the request and answers
    :func:`done_message` (with ``fields``)."""
    bridge.emit(done_message(request_id_of(bridge), **fields))
