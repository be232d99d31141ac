"""``IMP``: the façade merchants call, and the lifecycle of every request.

Data flows one way: param -> routed setting -> validated request -> window ->
response -> callback. Every failure on that way is an :class:`IamportError`,
turned into the callback's ``rsp`` in exactly one place (:meth:`Iamport._finish`).
"""

import json

from iamport_py import errors, protocol
from iamport_py.bridge import IFRAME, POPUP, REDIRECT
from iamport_py.catalog import get_pg
from iamport_py.errors import IamportError
from iamport_py.host import default_bridge
from iamport_py.ids import IdFactory
from iamport_py.response import failure_response, success_response
from iamport_py.routing import CERTIFICATION, PAYMENT, resolve_pg
from iamport_py.validation import (
    is_number,
    message_language,
    normalise_certification,
    normalise_payment,
)

VERSION = "0.1.0"
DEFAULT_SERVICE = "https://service.iamport.kr"
DEFAULT_TIMEOUT_MS = 10000
DEFAULT_WINDOW_TIMEOUT_MS = 15000
# After the shopper closed a popup, how long the frame has to answer `communicate`
# (it records the cancel and posts the final answer) before the SDK reports F0005 itself.
POPUP_CLOSED_GRACE_MS = 3000

IDLE, LOADING, READY, FAILED = "idle", "loading", "ready", "failed"


class _Request:
    """One ``request_pay`` / ``certification`` call, from call to callback."""

    def __init__(self, action, param, callback, request_id):
        self.action = action
        self.param = param
        self.callback = callback
        self.request_id = request_id
        self.request = None
        self.url = None
        self.handle = None  # the window's frame
        self.popup = None  # the popup a popup PG's frame fills through `<pg>.modal`
        self.timers = []
        self.loaded = False
        self.imp_uid = None
        self.done = False

    def merchant_uid(self):
        source = self.request or (self.param if isinstance(self.param, dict) else {})
        value = source.get("merchant_uid")
        return value if isinstance(value, str) else None


class Iamport:
    """The SDK object. ``IMP`` is the page's instance; tests make their own with a fake bridge."""

    def __init__(self, bridge=None):
        self._bridge = bridge
        self._ids = None
        self._listening = False
        self._generation = 0
        self._state = IDLE
        self._user_code = None
        self._tier = None
        self._options = {}
        self._settings = []
        self._failure = None
        self._queue = []
        self._active = None
        self._ready_listeners = []

    # -- public API -------------------------------------------------------------------

    def init(self, user_code, **options):
        """Start using the merchant ``user_code`` and fetch its PG settings once.

        Options: ``service`` (the Iamport service URL, default the real one),
        ``language`` (``"ko"`` or ``"en"``: default for windows and messages),
        ``timeout_ms`` (settings fetch timeout, default 10000),
        ``window_timeout_ms`` (how long a window may take to load, default 15000:
        past it, or when the window page is unreachable, the request ends with
        ``WINDOW_FAILED`` naming the window URL). Calling ``init``
        again resets the SDK: the open window (if any) ends with ``F0005`` and the
        settings are fetched anew; queued requests wait for the new settings.
        """
        self._reset(user_code, None, options)

    def agency(self, user_code, tier_code, **options):
        """Like :meth:`init`, for an agency's sub-merchant ``tier_code``."""
        self._reset(user_code, tier_code, options)

    def request_pay(self, param, callback=None):
        """Open the payment window of the PG setting chosen by ``param["pg"]``.

        ``callback(rsp)`` is called exactly once with the outcome.
        """
        self._submit(PAYMENT, param, callback)

    def certification(self, param, callback=None):
        """Open the identity-verification window; ``callback(rsp)`` once."""
        self._submit(CERTIFICATION, param, callback)

    def pay(self, param):
        """Awaitable form of :meth:`request_pay`: ``rsp = await IMP.pay(param)``."""
        return self._awaitable(PAYMENT, param)

    def certify(self, param):
        """Awaitable form of :meth:`certification`."""
        return self._awaitable(CERTIFICATION, param)

    def close(self):
        """Close the open window; its request ends with ``F0005``."""
        active = self._active
        if active is not None:
            self._fail(active, errors.USER_CANCEL)

    def when_ready(self, callback):
        """Call ``callback(state)`` once the settings load ends (``"ready"`` or
        ``"failed"``); at once if it already has. Pages use it to enable their Pay button."""
        if self._state in (READY, FAILED):
            self._call_page(callback, self._state, "a when_ready callback")
        else:
            self._ready_listeners.append(callback)

    @property
    def settings(self):
        """The loaded PG settings (a copy), default first; empty before they arrive."""
        return list(self._settings)

    @property
    def state(self):
        """``"idle"``, ``"loading"``, ``"ready"`` or ``"failed"``."""
        return self._state

    # -- settings ---------------------------------------------------------------------

    def _bridge_(self):
        if self._bridge is None:
            self._bridge = default_bridge()
        if self._ids is None:
            self._ids = IdFactory(self._bridge.now_ms)
        return self._bridge

    def _option(self, name, default):
        value = self._options.get(name)
        return default if value is None else value

    def _service(self):
        return self._option("service", DEFAULT_SERVICE)

    def _positive_option(self, name, default):
        value = self._options.get(name)
        return value if is_number(value) and value > 0 else default

    def _language(self):
        return self._option("language", "ko")

    def _reset(self, user_code, tier, options):
        bridge = self._bridge_()
        self.close()
        self._user_code = user_code
        self._tier = tier
        self._options = options
        self._settings = []
        if not self._listening:
            self._listening = True
            bridge.listen(self._on_message)
        self._fetch_settings()

    def _fetch_settings(self):
        self._generation += 1
        generation = self._generation
        self._state = LOADING

        def on_done(ok, value):
            self._on_settings(generation, ok, value)

        service = self._service()
        if not isinstance(service, str) or not protocol.origin_of(service).startswith("http"):
            # A bad option must end in NOT_READY through the callbacks, not in a crash.
            on_done(False, "the service option must be an http(s) URL")
            return
        timeout = self._positive_option("timeout_ms", DEFAULT_TIMEOUT_MS)
        url = protocol.settings_url(service, str(self._user_code), self._tier)
        self._bridge_().fetch_json(url, timeout, on_done)

    def _on_settings(self, generation, ok, value):
        if generation != self._generation:
            return  # an answer for an earlier init
        try:
            if not ok:
                raise ValueError(str(value))
            self._settings = protocol.parse_settings(value)
        except ValueError as failure:
            self._state = FAILED
            # Which code and which service: a wrong user code is otherwise only the
            # browser's 404 line.
            self._failure = {"reason": str(failure), "user_code": str(self._user_code),
                             "service": str(self._service())}
            self._warn(errors.error_message(errors.NOT_READY, self._language(), self._failure))
            self._drain(lambda request: self._fail(request, errors.NOT_READY,
                                                   **self._failure))
        else:
            self._state = READY
            self._drain(self._start)
        listeners, self._ready_listeners = self._ready_listeners, []
        for listener in listeners:
            self._call_page(listener, self._state, "a when_ready callback")

    def _drain(self, serve):
        queue, self._queue = self._queue, []
        for request in queue:
            serve(request)

    # -- requests ---------------------------------------------------------------------

    def _submit(self, action, param, callback):
        self._bridge_()
        request = _Request(action, param, callback, self._ids.request_id())
        if not isinstance(param, dict):
            self._fail(request, errors.INVALID_PARAM)
        elif self._state == IDLE:
            self._fail(request, errors.NOT_INITIALIZED)
        elif self._state == READY:
            self._start(request)
        else:
            self._queue.append(request)
            if self._state == FAILED:
                # A failed load is retried by the next request: the network may be back.
                self._fetch_settings()

    def _awaitable(self, action, param):
        awaitable, resolve = self._bridge_().deferred()
        self._submit(action, param, resolve)
        return awaitable

    def _start(self, request):
        try:
            if self._active is not None:
                raise IamportError(errors.WINDOW_OPEN)
            setting = resolve_pg(self._settings, request.param.get("pg"), request.action,
                                 warn=self._warn)
            normalise = normalise_certification if request.action == CERTIFICATION \
                else normalise_payment
            request.request = normalise(request.param, setting, self._ids.merchant_uid,
                                        self._language())
            request.request["request_id"] = request.request_id
            if self._tier:
                request.request["tier_code"] = self._tier
            self._open(request, setting)
        except IamportError as error:
            self._finish(request, self._error_rsp(request, error))
        except Exception as failure:  # a bug or a broken browser API: still one callback
            self._bridge.log("error", "request failed unexpectedly: " + repr(failure))
            self._fail(request, errors.WINDOW_FAILED, reason=repr(failure))

    def _window_mode(self, request):
        if request.request.get("m_redirect_url") and self._bridge.is_mobile():
            return REDIRECT
        pg = get_pg(request.request.get("pg_provider")) or {}
        if request.request.get("popup") is True or pg.get("window") == POPUP:
            return POPUP
        return IFRAME

    def _open(self, request, setting):
        is_default = bool(self._settings) and setting is self._settings[0]
        request.url = protocol.window_url(self._service(), request.action, str(self._user_code),
                                          setting, is_default, self._tier)
        mode = self._window_mode(request)
        if mode == REDIRECT:
            # The page is about to unload: the outcome arrives at m_redirect_url.
            self._bridge.navigate(protocol.redirect_url(request.url, request.request))
            return
        self._active = request
        if mode == POPUP:
            # Now, inside the merchant's call (the shopper's click): later the popup
            # blocker would refuse it. The frame fills it through `<pg>.modal`.
            self._open_popup(request)
        request.handle = self._bridge.open_frame(
            request.url, mode == IFRAME, lambda: self._on_load(request),
            lambda: self._on_closed(request))
        timeout = self._positive_option("window_timeout_ms", DEFAULT_WINDOW_TIMEOUT_MS)
        self._later(request, timeout, lambda: self._on_deadline(request, timeout))
        self._bridge.probe(request.url, lambda ok, reason: self._on_probe(request, ok, reason))

    def _open_popup(self, request):
        request.popup = self._bridge.open_popup(protocol.POPUP_NAME,
                                                lambda: self._on_popup_closed(request))
        if request.popup is None:
            raise IamportError(errors.POPUP_BLOCKED)

    def _later(self, request, delay_ms, callback):
        request.timers.append(self._bridge.start_timer(delay_ms, callback))

    def _on_load(self, request):
        if request.done or request.loaded:
            return  # only the first load: a window that navigates has its request
        request.loaded = True
        self._stop_timers(request)
        message = protocol.request_message(request.action, request.request,
                                           self._bridge.page_url())
        self._bridge.post_message(request.handle, message, protocol.origin_of(self._service()))

    def _on_deadline(self, request, timeout):
        if not request.loaded:
            self._window_failed(request, "the window did not load within {} ms: {}".format(
                int(timeout), request.url))

    def _on_probe(self, request, ok, reason):
        if not ok:
            self._window_failed(request, "the window page is unreachable ({}): {}".format(
                reason, request.url))

    def _window_failed(self, request, reason):
        if not request.done:
            self._bridge.log("error", reason)
            self._fail(request, errors.WINDOW_FAILED, reason=reason)

    def _on_closed(self, request):
        self._fail(request, errors.USER_CANCEL)

    def _on_popup_closed(self, request):
        request.popup = None
        if request.done:
            return
        if not request.loaded:
            self._fail(request, errors.USER_CANCEL)  # the frame never had the request
            return
        # The frame records the cancel (or the outcome it already has) and answers;
        # should it not, the shopper still gets their F0005.
        message = protocol.communicate_message(request.request_id, request.merchant_uid(),
                                               request.imp_uid)
        self._bridge.post_message(request.handle, message, protocol.origin_of(self._service()))
        self._later(request, POPUP_CLOSED_GRACE_MS,
                    lambda: self._fail(request, errors.USER_CANCEL))

    def _on_message(self, origin, data):
        incoming = protocol.parse_incoming(origin, data, protocol.origin_of(self._service()))
        active = self._active
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
        self._finish(active, success_response(answer))

    def _intercept(self, request, action, payload):
        if protocol.is_unsupported_intercept(action):
            self._window_failed(request, "the window asked for '{}', which iamport_py does "
                                         "not implement".format(action))
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
                self._finish(request, self._error_rsp(request, error))
                return
        self._bridge.submit_form(request.popup, url, fields)

    # -- the one exit -----------------------------------------------------------------

    def _error_rsp(self, request, error):
        language = message_language(request.param, self._language())
        return failure_response(error, request.merchant_uid(), language)

    def _fail(self, request, code, **details):
        self._finish(request, self._error_rsp(request, IamportError(code, **details)))

    def _stop_timers(self, request):
        timers, request.timers = request.timers, []
        for timer in timers:
            self._bridge.cancel_timer(timer)

    def _finish(self, request, rsp):
        if request.done:
            return
        request.done = True
        if self._active is request:
            self._active = None
        self._stop_timers(request)
        for handle in (request.handle, request.popup):
            if handle is not None:
                self._bridge.close_window(handle)
        request.handle = request.popup = None
        if request.callback is None:
            self._bridge.log("info", "request ended without a callback: " + json.dumps(rsp))
            return
        self._call_page(request.callback, rsp, "the request_pay callback")

    def _call_page(self, function, value, what):
        """Call the page's code; its bug is logged and must never break the SDK."""
        try:
            function(value)
        except Exception as failure:
            self._bridge_().log("error", what + " raised: " + repr(failure))

    def _warn(self, message):
        self._bridge_().log("warn", message)


IMP = Iamport()
