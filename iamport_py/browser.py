"""The browser bridge: the one module of iamport_py that imports ``js`` / ``pyscript``.

It needs the JS half, ``iamport-bridge.mjs``, loaded through the PyScript config::

    [js_modules.main]
    "/web/iamport-bridge.mjs" = "iamport_bridge"

Only strings, numbers and booleans cross to JavaScript and back (JSON text for
anything structured), so Pyodide and MicroPython behave the same.
"""

import json

import js  # fails outside a browser, which is how default_bridge tells
from pyscript import ffi

from iamport_py.bridge import IFRAME, Bridge

try:
    from pyscript.js_modules import iamport_bridge as _js
except ImportError:
    raise ImportError(
        "iamport_py needs its JS half: add [js_modules.main] "
        "\"<service>/web/iamport-bridge.mjs\" = \"iamport_bridge\" to the PyScript config")


def _release(proxy):
    destroy = getattr(proxy, "destroy", None)
    if destroy is not None:
        try:
            destroy()
        except Exception:  # already released
            pass


class BrowserBridge(Bridge):
    """The bridge inside a PyScript page (Pyodide or MicroPython)."""

    def __init__(self):
        self._window_proxies = {}
        # Proxies are destroyed on the next call, never while JavaScript is calling them.
        self._retired = []

    def _proxy(self, function):
        self._sweep()
        return ffi.create_proxy(function)

    def _sweep(self):
        retired, self._retired = self._retired, []
        for proxy in retired:
            _release(proxy)

    def now_ms(self):
        return _js.now()

    def page_url(self):
        return str(_js.pageUrl())

    def is_mobile(self):
        return bool(_js.isMobile())

    def fetch_json(self, url, timeout_ms, on_done):
        holder = []

        def done(ok, text):
            self._retired.extend(holder)
            if not ok:
                on_done(False, str(text))
                return
            try:
                value = json.loads(str(text))
            except ValueError:
                on_done(False, "the answer is not JSON")
                return
            on_done(True, value)

        proxy = self._proxy(done)
        holder.append(proxy)
        _js.fetchText(url, int(timeout_ms), proxy)

    def open_window(self, mode, url, on_closed):
        proxy = self._proxy(on_closed)
        opener = _js.openOverlay if mode == IFRAME else _js.openPopup
        handle = int(opener(url, proxy))
        if not handle:
            self._retired.append(proxy)
            return None
        self._window_proxies[handle] = proxy
        return handle

    def close_window(self, handle):
        _js.closeWindow(handle)
        proxy = self._window_proxies.pop(handle, None)
        if proxy is not None:
            self._retired.append(proxy)

    def post_message(self, handle, message, target_origin):
        _js.post(handle, message, target_origin)

    def navigate(self, url):
        _js.navigate(url)

    def listen(self, on_message):
        def receive(origin, data):
            on_message(str(origin), data if isinstance(data, str) else None)

        # Lives as long as the page: never retired.
        _js.listen(ffi.create_proxy(receive))

    def log(self, level, message):
        _js.log(level, message)

    def deferred(self):
        box = {}
        pending = _js.deferred()

        def resolve(value):
            box["value"] = value
            pending.resolve()

        return _settled(pending.promise, box), resolve


async def _settled(promise, box):
    await promise
    return box.get("value")


def install_js_api(imp, window_name="__iamportInstall"):
    """Give ``window.IMP`` (made by imp.js) its Python implementation and let imp.js
    replay the calls it queued. Arguments and results cross as JSON text."""

    def dispatch(method, args_json, callback=None):
        args = json.loads(str(args_json))
        respond = None
        if callback is not None and not _is_nullish(callback):
            def respond(rsp):
                callback(json.dumps(rsp))
        if method == "init":
            imp.init(args[0], **_options(args))
        elif method == "agency":
            imp.agency(args[0], args[1] if len(args) > 1 else None, **_options(args, 2))
        elif method == "request_pay":
            imp.request_pay(args[0] if args else None, respond)
        elif method == "certification":
            imp.certification(args[0] if args else None, respond)
        elif method == "close":
            imp.close()

    getattr(js.window, window_name)(ffi.create_proxy(dispatch))


def _options(args, index=1):
    options = args[index] if len(args) > index and isinstance(args[index], dict) else {}
    return {str(key): options[key] for key in options}


def _is_nullish(value):
    is_none = getattr(ffi, "is_none", None)
    return bool(is_none(value)) if is_none is not None else value is None
