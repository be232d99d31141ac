"""The browser bridge: the one module of iamport_py that imports ``js`` / ``pyscript``.

It needs the JS half, ``iamport-bridge.mjs``, loaded through the PyScript config::

    [js_modules.main]
    "/web/iamport-bridge.mjs" = "iamport_bridge"

Only strings, numbers and booleans cross to JavaScript and back (JSON text for
anything structured), so Pyodide and MicroPython behave the same.
"""

import json

from iamport_py.bridge import Bridge

# Trying the imports is how the SDK tells a PyScript page from anywhere else
# (CPython, or MicroPython under Node, which has ``js`` but no ``pyscript``).
try:
    import js
    from pyscript import ffi
except ImportError:
    js = ffi = None

IN_BROWSER = ffi is not None
"""Whether this interpreter runs inside a PyScript page."""

_js = None
if IN_BROWSER:
    try:
        from pyscript.js_modules import iamport_bridge as _js
    except ImportError:
        # A PyScript page without the JS half is a broken setup: say how to fix it.
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
        self._timers = {}
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
        # As text: MicroPython's FFI cuts a JS number to 30 bits (ms since 1970 need 41).
        return int(str(_js.nowText()))

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

    def _keep(self, handle, proxies):
        if handle:
            self._window_proxies[handle] = proxies
            return handle
        self._retired.extend(proxies)
        return None

    def open_frame(self, url, visible, on_load, on_closed):
        proxies = [self._proxy(on_load), self._proxy(on_closed)]
        return self._keep(int(_js.openFrame(url, bool(visible), proxies[0], proxies[1])),
                          proxies)

    def open_popup(self, name, on_closed):
        proxy = self._proxy(on_closed)
        return self._keep(int(_js.openPopup(name, proxy)), [proxy])

    def submit_form(self, handle, url, fields):
        _js.submitForm(handle, url, json.dumps(fields))

    def close_window(self, handle):
        _js.closeWindow(handle)
        self._retired.extend(self._window_proxies.pop(handle, ()))

    def post_message(self, handle, message, target_origin):
        _js.post(handle, message, target_origin)

    def probe(self, url, on_done):
        holder = []

        def done(ok, reason):
            self._retired.extend(holder)
            on_done(bool(ok), str(reason))

        holder.append(self._proxy(done))
        _js.probe(url, holder[0])

    def start_timer(self, delay_ms, callback):
        holder = []

        def fire():
            self._timers.pop(timer, None)
            self._retired.extend(holder)
            callback()

        holder.append(self._proxy(fire))
        timer = int(_js.startTimer(int(delay_ms), holder[0]))
        self._timers[timer] = holder[0]
        return timer

    def cancel_timer(self, timer):
        proxy = self._timers.pop(timer, None)
        if proxy is not None:
            _js.cancelTimer(timer)
            self._retired.append(proxy)

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
