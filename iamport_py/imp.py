"""``IMP``: the façade merchants call.

It owns one :class:`~iamport_py.settings_loader.SettingsLoader` (what ``init`` set up
and the PG settings fetched for it) and one
:class:`~iamport_py.request_lifecycle.RequestLifecycle` (a request's way from call to
callback). What it does itself: take the calls, queue requests made while the
settings load, and hand them on when the load ends.
"""

from iamport_py import errors
from iamport_py.host import default_bridge
from iamport_py.ids import IdFactory
from iamport_py.request_lifecycle import PendingRequest, RequestLifecycle
from iamport_py.routing import CERTIFICATION, PAYMENT
from iamport_py.settings_loader import FAILED, IDLE, READY, SettingsLoader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from iamport_py.bridge import Bridge, JsonDict

    RspCallback = Callable[[JsonDict], Any]

VERSION = "0.1.0"


class Iamport:
    """The SDK object. ``IMP`` is the page's instance; tests make their own with a fake
    bridge (:mod:`iamport_py.testing`)."""

    def __init__(self, bridge: "Bridge | None" = None) -> None:
        self._bridge = bridge
        self._ids: IdFactory | None = None
        self._listening = False
        self._queue: list[PendingRequest] = []
        self._ready_listeners: list[Callable[[str], Any]] = []
        self._loader = SettingsLoader(self._bridge_, self._on_settled)
        self._requests = RequestLifecycle(
            self._bridge_, self._loader, self._new_merchant_uid, self._call_page
        )

    # -- public API -------------------------------------------------------------------

    def init(self, user_code: "Any", **options: "Any") -> None:
        """Start using the merchant ``user_code`` and fetch its PG settings once.

        Options: ``service`` (the Iamport service URL, default the real one),
        ``language`` (``"ko"`` or ``"en"``: default for windows and messages),
        ``timeout_ms`` (settings fetch timeout, default 10000),
        ``window_timeout_ms`` (how long a window may take to load, default 15000:
        past it, or when the window page is unreachable, the request ends with
        ``WINDOW_FAILED`` naming the window URL), ``preload_windows`` (how many
        settings' windows to load ahead in hidden frames once the settings arrive, so
        that ``request_pay`` shows one at once: default 4, at most 10, ``0`` for none;
        never on a mobile device). Calling ``init``
        again resets the SDK: the open window (if any) ends with ``F0005`` and the
        settings are fetched anew; queued requests wait for the new settings.
        """
        self._reset(user_code, None, options)

    def agency(self, user_code: "Any", tier_code: "str | None", **options: "Any") -> None:
        """Like :meth:`init`, for an agency's sub-merchant ``tier_code``."""
        self._reset(user_code, tier_code, options)

    def request_pay(self, param: "Any", callback: "RspCallback | None" = None) -> None:
        """Open the payment window of the PG setting chosen by ``param["channelKey"]``
        (the setting's channel key, shown in the console) or, the legacy way, by
        ``param["pg"]`` (see :func:`iamport_py.resolve_pg`).

        ``callback(rsp)`` is called exactly once with the outcome; an unknown
        ``channelKey`` ends it with ``UNKNOWN_CHANNEL_KEY`` and opens no window.
        """
        self._submit(PAYMENT, param, callback)

    def certification(self, param: "Any", callback: "RspCallback | None" = None) -> None:
        """Open the identity-verification window of the certification setting chosen
        by ``param["channelKey"]`` or ``param["pg"]``, as :meth:`request_pay`;
        ``callback(rsp)`` once."""
        self._submit(CERTIFICATION, param, callback)

    def pay(self, param: "Any") -> "Awaitable[JsonDict]":
        """Awaitable form of :meth:`request_pay`: ``rsp = await IMP.pay(param)``."""
        return self._awaitable(PAYMENT, param)

    def certify(self, param: "Any") -> "Awaitable[JsonDict]":
        """Awaitable form of :meth:`certification`."""
        return self._awaitable(CERTIFICATION, param)

    def close(self) -> None:
        """Close the open window; its request ends with ``F0005``."""
        self._requests.close()

    def when_ready(self, callback: "Callable[[str], Any]") -> None:
        """Call ``callback(state)`` once the settings load ends (``"ready"`` or
        ``"failed"``); at once if it already has. Pages use it to enable their Pay button."""
        if self._loader.state in (READY, FAILED):
            self._call_page(callback, self._loader.state, "a when_ready callback")
        else:
            self._ready_listeners.append(callback)

    @property
    def settings(self) -> "list[JsonDict]":
        """The loaded PG settings (a copy), default first; empty before they arrive."""
        return list(self._loader.settings)

    @property
    def state(self) -> str:
        """``"idle"``, ``"loading"``, ``"ready"`` or ``"failed"``."""
        return self._loader.state

    @property
    def bridge(self) -> "Bridge":
        """The bridge this instance talks to the browser through (chosen on first use)."""
        return self._bridge_()

    # -- settings ---------------------------------------------------------------------

    def _bridge_(self) -> "Bridge":
        if self._bridge is None:
            self._bridge = default_bridge()
        return self._bridge

    def _ids_(self) -> IdFactory:
        if self._ids is None:
            self._ids = IdFactory(self._bridge_().now_ms)
        return self._ids

    def _new_merchant_uid(self) -> str:
        return self._ids_().merchant_uid()

    def _reset(self, user_code: "Any", tier: "str | None", options: "dict[str, Any]") -> None:
        bridge = self._bridge_()
        # First: the request closed next must not load its setting's window again.
        self._requests.discard_preloaded()
        self.close()
        self._loader.configure(user_code, tier, options)
        if not self._listening:
            self._listening = True
            bridge.listen(self._requests.on_message)
        self._loader.load()

    def _on_settled(self) -> None:
        failure: dict[str, object] = {}
        if self._loader.state != READY:
            # Which code and which service: a wrong user code is otherwise only the
            # browser's 404 line, and it is logged at init, not at the first payment.
            failure = {
                "reason": str(self._loader.failure),
                "user_code": str(self._loader.user_code),
                "service": str(self._loader.service()),
            }
            message = errors.error_message(errors.NOT_READY, self._loader.language(), failure)
            self._bridge_().log("warn", message)
        queue, self._queue = self._queue, []
        for request in queue:
            if self._loader.state == READY:
                self._requests.start(request)
            else:
                self._requests.fail(request, errors.NOT_READY, **failure)
        if self._loader.state == READY:
            # After the queued requests: their windows first, the others once those loaded.
            self._requests.start_preloading()
        listeners, self._ready_listeners = self._ready_listeners, []
        for listener in listeners:
            self._call_page(listener, self._loader.state, "a when_ready callback")

    # -- requests ---------------------------------------------------------------------

    def _submit(self, action: str, param: "Any", callback: "Callable[[Any], Any] | None") -> None:
        request = PendingRequest(action, param, callback, self._ids_().request_id())
        state = self._loader.state
        if not isinstance(param, dict):
            self._requests.fail(request, errors.INVALID_PARAM)
        elif state == IDLE:
            self._requests.fail(request, errors.NOT_INITIALIZED)
        elif state == READY:
            self._requests.start(request)
        else:
            self._queue.append(request)
            if state == FAILED:
                # A failed load is retried by the next request: the network may be back.
                self._loader.load()

    def _awaitable(self, action: str, param: "Any") -> "Awaitable[JsonDict]":
        awaitable, resolve = self._bridge_().deferred()
        self._submit(action, param, resolve)
        return awaitable

    def _call_page(self, function: "Callable[[Any], Any]", value: "Any", what: str) -> None:
        """Call the page's code; its bug is logged and must never break the SDK."""
        try:
            function(value)
        except Exception as failure:
            self._bridge_().log("error", what + " raised: " + repr(failure))


IMP = Iamport()
