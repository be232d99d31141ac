"""One request's way from call to callback, once its settings are there.

Data flows one way: param -> routed setting (by ``channelKey``, else ``pg``) ->
validated request -> window -> response -> callback. Every failure on that way is an
:class:`IamportError`, turned into the callback's ``rsp`` in exactly one place
(:meth:`RequestLifecycle.finish`).

One window at a time: the request whose window is open is the *active* one; the
page's messages are matched against it (:meth:`RequestLifecycle.on_message`).

Windows loaded ahead: once the settings are there, each setting's window (up to the
``preload_windows`` cap, the default setting first; not those of popup PGs, whose
requests keep their own hidden frame) is loaded in a hidden frame, as Iamport's
iamport.js does. A request whose window is such a frame takes it: shown at
once and, when it has loaded, given the request at once (no load deadline, and no probe
on the request's way: the frame's probe ran when it was loaded ahead, since a browser
fires ``load`` on its own error page too). A frame serves one request: when
that request ends it is closed and a fresh one is loaded for its setting. A request
whose window has no preloaded frame, or one still loading, goes the way it always did
(the probe and the load deadline watch it).
"""

import json

from iamport_py import errors, protocol
from iamport_py.catalog import IFRAME, POPUP, get_pg
from iamport_py.errors import IamportError
from iamport_py.response import failure_response, success_response
from iamport_py.routing import CERTIFICATION, PAYMENT, resolve_pg
from iamport_py.settings_loader import READY
from iamport_py.validation import message_language, normalise_certification, normalise_payment
from iamport_py.window_mode import REDIRECT, window_mode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from iamport_py.bridge import Bridge, Handle, JsonDict, Timer
    from iamport_py.settings_loader import SettingsLoader

DEFAULT_WINDOW_TIMEOUT_MS = 15000
# After the shopper closed a popup, how long the frame has to answer `communicate`
# (it records the cancel and posts the final answer) before the SDK reports F0005 itself.
POPUP_CLOSED_GRACE_MS = 3000


class PendingRequest:
    """One ``request_pay`` / ``certification`` call, from call to callback."""

    def __init__(
        self,
        action: str,
        param: "Any",
        callback: "Callable[[JsonDict], Any] | None",
        request_id: str,
    ) -> None:
        self.action = action
        self.param = param
        self.callback = callback
        self.request_id = request_id
        self.request: JsonDict | None = None  # the validated request, once there is one
        self.url: str | None = None
        self.handle: Handle = None  # the window's frame
        self.popup: Handle = None  # the popup a popup PG's frame fills through `<pg>.modal`
        self.timers: list[Timer] = []
        self.loaded = False
        self.imp_uid: str | None = None
        self.done = False

    def merchant_uid(self) -> "str | None":
        """The order id, from the validated request or else from the param."""
        source = self.request or (self.param if isinstance(self.param, dict) else {})
        value = source.get("merchant_uid")
        return value if isinstance(value, str) else None


class PreloadedFrame:
    """A setting's window loaded ahead in a hidden frame, for one request at most."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.handle: Handle = None
        self.loaded = False
        self.request: PendingRequest | None = None  # the request that took it


class RequestLifecycle:
    """Routes, validates, opens the window of, and ends the requests of one SDK instance."""

    def __init__(
        self,
        get_bridge: "Callable[[], Bridge]",
        loader: "SettingsLoader",
        new_merchant_uid: "Callable[[], str]",
        call_page: "Callable[[Callable[[Any], Any], Any, str], None]",
    ) -> None:
        self._get_bridge = get_bridge
        self._loader = loader
        self._new_merchant_uid = new_merchant_uid
        self._call_page = call_page
        self.active: PendingRequest | None = None
        self._preloaded: dict[str, PreloadedFrame] = {}  # by window URL, not yet taken
        self._preloading = False

    @property
    def _bridge(self) -> "Bridge":
        return self._get_bridge()

    def start(self, request: PendingRequest) -> None:
        """Route, validate and open the window of ``request`` (settings are loaded)."""
        try:
            if self.active is not None:
                raise IamportError(errors.WINDOW_OPEN)
            setting = resolve_pg(
                self._loader.settings,
                request.param.get("pg"),
                request.action,
                warn=self._warn,
                channel_key=request.param.get("channelKey"),
            )
            normalise = (
                normalise_certification if request.action == CERTIFICATION else normalise_payment
            )
            validated = normalise(
                request.param, setting, self._new_merchant_uid, self._loader.language()
            )
            validated["request_id"] = request.request_id
            if self._loader.tier:
                validated["tier_code"] = self._loader.tier
            request.request = validated
            self._open(request, setting, validated)
        except IamportError as error:
            self.finish(request, self._error_rsp(request, error))
        except Exception as failure:  # a bug or a broken browser API: still one callback
            self._bridge.log("error", "request failed unexpectedly: " + repr(failure))
            self.fail(request, errors.WINDOW_FAILED, reason=repr(failure))

    def close(self) -> None:
        """Close the open window; its request ends with ``F0005``."""
        active = self.active
        if active is not None:
            self.fail(active, errors.USER_CANCEL)

    # -- the window -------------------------------------------------------------------

    def _service_origin(self) -> str:
        return self._loader.service_origin()

    def _window_url(self, action: str, setting: "JsonDict") -> str:
        return protocol.window_url(
            self._loader.service(),
            action,
            str(self._loader.user_code),
            setting,
            self._loader.is_default(setting),
            self._loader.tier,
        )

    def _open(self, request: PendingRequest, setting: "JsonDict", validated: "JsonDict") -> None:
        url = self._window_url(request.action, setting)
        request.url = url
        mode = window_mode(validated, self._bridge.is_mobile())
        if mode == REDIRECT:
            # The page is about to unload: the outcome arrives at m_redirect_url.
            self._bridge.navigate(protocol.redirect_url(url, validated))
            return
        self.active = request
        if mode == POPUP:
            # Now, inside the merchant's call (the shopper's click): later the popup
            # blocker would refuse it. The frame fills it through `<pg>.modal`.
            self._open_popup(request)
        # A popup PG's request keeps its own hidden frame (see _refill).
        frame = self._preloaded.pop(url, None) if mode == IFRAME else None
        if frame is not None:
            frame.request = request
            request.handle = frame.handle
            self._bridge.use_frame(frame.handle)
            if frame.loaded:
                self._on_load(request)
                return
        else:
            request.handle = self._bridge.open_frame(
                url,
                mode == IFRAME,
                lambda: self._on_load(request),
                lambda: self._on_closed(request),
            )
        timeout = self._loader.positive_option("window_timeout_ms", DEFAULT_WINDOW_TIMEOUT_MS)
        self._later(request, timeout, lambda: self._on_deadline(request, timeout))
        if frame is None:  # a preloaded frame's probe is out already
            self._bridge.probe(url, lambda ok, reason: self._on_probe(request, ok, reason))

    def _open_popup(self, request: PendingRequest) -> None:
        request.popup = self._bridge.open_popup(
            protocol.POPUP_NAME, lambda: self._on_popup_closed(request)
        )
        if request.popup is None:
            raise IamportError(errors.POPUP_BLOCKED)

    def _later(
        self, request: PendingRequest, delay_ms: float, callback: "Callable[[], None]"
    ) -> None:
        request.timers.append(self._bridge.start_timer(delay_ms, callback))

    def _on_load(self, request: PendingRequest) -> None:
        if request.done or request.loaded or request.request is None:
            return  # only the first load: a window that navigates has its request
        request.loaded = True
        self._stop_timers(request)
        message = protocol.request_message(request.action, request.request, self._bridge.page_url())
        self._bridge.post_message(request.handle, message, self._service_origin())
        self._refill()  # the windows loaded ahead waited for this one (see _refill)

    def _on_deadline(self, request: PendingRequest, timeout: float) -> None:
        if not request.loaded:
            self._window_failed(
                request,
                "the window did not load within {} ms: {}".format(int(timeout), request.url),
            )

    def _on_probe(self, request: PendingRequest, ok: bool, reason: str) -> None:
        if not ok:
            self._window_failed(
                request,
                "the window page is unreachable ({}): {}".format(reason, request.url),
            )

    def _window_failed(self, request: PendingRequest, reason: str) -> None:
        if not request.done:
            self._bridge.log("error", reason)
            self.fail(request, errors.WINDOW_FAILED, reason=reason)

    def _on_closed(self, request: PendingRequest) -> None:
        self.fail(request, errors.USER_CANCEL)

    def _on_popup_closed(self, request: PendingRequest) -> None:
        request.popup = None
        if request.done:
            return
        if not request.loaded:
            self.fail(request, errors.USER_CANCEL)  # the frame never had the request
            return
        # The frame records the cancel (or the outcome it already has) and answers;
        # should it not, the shopper still gets their F0005.
        message = protocol.communicate_message(
            request.request_id, request.merchant_uid(), request.imp_uid
        )
        self._bridge.post_message(request.handle, message, self._service_origin())
        self._later(request, POPUP_CLOSED_GRACE_MS, lambda: self.fail(request, errors.USER_CANCEL))

    # -- windows loaded ahead ---------------------------------------------------------

    def start_preloading(self) -> None:
        """The settings are there: load their windows ahead, and again after each use."""
        self._preloading = True
        self._refill()

    def _refill(self) -> None:
        """Load ahead, hidden, the windows of the settings that have none waiting (the
        first ``preload_windows`` distinct windows in list order; none on a mobile
        device, where windows usually redirect the page and data costs the shopper)."""
        if not self._preloading or self._loader.state != READY or self._bridge.is_mobile():
            return
        if self.active is not None and not self.active.loaded:
            # The shopper waits for this window: hidden ones loading now would be built
            # and fetched before it shows (about 50 ms on the demo's three). They follow
            # its load (_on_load) or its end (finish).
            return
        limit = self._loader.preload_limit()
        urls: list[str] = []
        for setting in self._loader.settings:
            if len(urls) >= limit:
                break
            kind = setting.get("type")
            # Not a popup PG's: its frame stays hidden and only fills the popup, and a
            # preloaded one taken while loading was seen to miss its load (e2e/test_testkit).
            popup = (get_pg(setting.get("pg_provider")) or {}).get("window") == POPUP
            if kind in (PAYMENT, CERTIFICATION) and not popup:
                url = self._window_url(kind, setting)
                if url not in urls:
                    urls.append(url)
        # The open window's setting gets its next frame when that request ends (finish).
        taken = self.active.url if self.active is not None else None
        for url in urls:
            if url not in self._preloaded and url != taken:
                self._preload(url)

    def _preload(self, url: str) -> None:
        frame = PreloadedFrame(url)
        try:
            frame.handle = self._bridge.preload_frame(
                url, lambda: self._on_preloaded(frame), lambda: self._on_preloaded_closed(frame)
            )
        except Exception as failure:  # a broken browser API: requests open their own frames
            self._bridge.log("warn", "could not preload " + url + ": " + repr(failure))
            return
        if frame.handle is None:
            return
        self._preloaded[url] = frame
        # The browser fires `load` on its own error page too: the probe tells them apart
        # now, off the request's way (a request that took the frame meanwhile is told).
        self._bridge.probe(url, lambda ok, reason: self._on_preload_probe(frame, ok, reason))

    def _on_preload_probe(self, frame: PreloadedFrame, ok: bool, reason: str) -> None:
        if ok:
            return
        if frame.request is not None:
            self._on_probe(frame.request, ok, reason)
        elif self._preloaded.get(frame.url) is frame:
            # Unusable: a request for it opens its own frame, which reports the failure.
            del self._preloaded[frame.url]
            self._bridge.close_window(frame.handle)

    def discard_preloaded(self) -> None:
        """Close the frames loaded ahead that no request has taken and load no more
        until :meth:`start_preloading` (a new ``init`` is coming)."""
        self._preloading = False
        frames, self._preloaded = self._preloaded, {}
        for frame in frames.values():
            self._bridge.close_window(frame.handle)

    def _on_preloaded(self, frame: PreloadedFrame) -> None:
        frame.loaded = True
        if frame.request is not None:
            self._on_load(frame.request)

    def _on_preloaded_closed(self, frame: PreloadedFrame) -> None:
        if frame.request is not None:
            self._on_closed(frame.request)

    # -- messages from the window -----------------------------------------------------

    def on_message(self, origin: str, data: "str | None") -> None:
        """A message reached the page: the active request's answer or intercept, or
        something else (ignored: foreign messages are everyday traffic)."""
        incoming = protocol.parse_incoming(origin, data, self._service_origin())
        active = self.active
        if incoming is None or active is None:
            return
        action, payload = incoming
        request_id = payload.get("request_id")
        if protocol.is_modal(action) or protocol.is_unsupported_intercept(action):
            # Intercepts may come without the id; one naming another request is not ours.
            if request_id is None or request_id == active.request_id:
                self._intercept(active, action, payload)
            return
        if request_id != active.request_id:
            return
        answer = dict(payload)
        answer.pop("request_id")
        self.finish(active, success_response(answer))

    def _intercept(self, request: PendingRequest, action: str, payload: "JsonDict") -> None:
        if protocol.is_unsupported_intercept(action):
            self._window_failed(
                request,
                "the window asked for '{}', which iamport_py does not implement".format(action),
            )
            return
        try:
            url, fields = protocol.modal_form(payload)
        except ValueError as failure:
            self._window_failed(request, "'{}': {}".format(action, failure))
            return
        if isinstance(payload.get("impUid"), str):
            request.imp_uid = payload["impUid"]
        if request.popup is None:
            # A PG the catalog does not know as a popup PG: try now (it may be blocked).
            try:
                self._open_popup(request)
            except IamportError as error:
                self.finish(request, self._error_rsp(request, error))
                return
        self._bridge.submit_form(request.popup, url, fields)

    # -- the one exit -----------------------------------------------------------------

    def _error_rsp(self, request: PendingRequest, error: IamportError) -> "JsonDict":
        language = message_language(request.param, self._loader.language())
        return failure_response(error, request.merchant_uid(), language)

    def fail(self, request: PendingRequest, code: str, **details: "Any") -> None:
        """End ``request`` with the error ``code`` (``details`` fill its message)."""
        self.finish(request, self._error_rsp(request, IamportError(code, **details)))

    def _stop_timers(self, request: PendingRequest) -> None:
        timers, request.timers = request.timers, []
        for timer in timers:
            self._bridge.cancel_timer(timer)

    def finish(self, request: PendingRequest, rsp: "JsonDict") -> None:
        """The one exit: close the request's windows and call its callback, once."""
        if request.done:
            return
        request.done = True
        if self.active is request:
            self.active = None
        self._stop_timers(request)
        for handle in (request.handle, request.popup):
            if handle is not None:
                self._bridge.close_window(handle)
        request.handle = request.popup = None
        # Before the callback: a request it makes at once finds its frame loading.
        self._refill()
        if request.callback is None:
            self._bridge.log("info", "request ended without a callback: " + json.dumps(rsp))
            return
        self._call_page(request.callback, rsp, "the request_pay callback")

    def _warn(self, message: str) -> None:
        self._bridge.log("warn", message)
