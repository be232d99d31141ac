"""The browser bridge: the one module of iamport_py that imports ``js`` / ``pyscript``.

It needs the JS half, ``iamport-bridge.mjs``: a PyScript page loads it through its config::

    [js_modules.main]
    "/web/iamport-bridge.mjs" = "iamport_bridge"

and imp.js, which boots the interpreter itself, registers it as the module ``iamport_bridge``.

Only strings, numbers and booleans cross to JavaScript and back (JSON text for
anything structured), so Pyodide and MicroPython behave the same. It knows nothing of
the SDK above the seam: :func:`expose` hands imp.js a Python function, and what is done
with imp.js's calls is :mod:`iamport_py.js_api`'s job.
"""

import json

from iamport_py.bridge import Bridge

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from iamport_py.bridge import Callback, Done, Handle, Timer

    Respond = Callable[[str], None]
    Handler = Callable[[str, str, Respond | None], None]


class _DirectFfi:
    """What ``pyscript.ffi`` gives a PyScript page (``create_proxy``, ``is_none``), for a page
    whose imp.js booted the interpreter itself: from MicroPython's ``jsffi`` or Pyodide's
    ``pyodide.ffi``."""

    def __init__(self) -> None:
        try:
            from jsffi import create_proxy  # type: ignore[import-not-found]
        except ImportError:
            from pyodide.ffi import create_proxy  # type: ignore[import-not-found]
        self.create_proxy = create_proxy
        # JavaScript's null (undefined arrives as None), found the way pyscript.ffi does.
        self._null = js.Object.getPrototypeOf(js.Object.prototype)

    def is_none(self, value: "Any") -> bool:
        return value is None or value is self._null


# Trying the imports is how the SDK tells a page from anywhere else (CPython, or MicroPython
# under Node, which has ``js`` but neither ``pyscript`` nor the JS half). Two kinds of page:
# a page whose imp.js booted the interpreter itself and registered the JS half as the module
# ``iamport_bridge`` (tried first: it is already loaded there, while a failed ``import
# pyscript`` searches every folder of sys.path), and a PyScript page (the JS half comes
# through its config's js_modules).
js: "Any" = None
ffi: "Any" = None
_js: "Any" = None
try:
    import iamport_bridge as _js  # type: ignore[import-not-found,no-redef]
except ImportError:
    try:
        import js  # type: ignore[import-not-found,no-redef]
        from pyscript import ffi  # type: ignore[import-not-found,no-redef]
    except ImportError:
        js = ffi = None
    else:
        try:
            from pyscript.js_modules import iamport_bridge as _js  # type: ignore[import-not-found,no-redef]
        except ImportError:
            # A PyScript page without the JS half is a broken setup: say how to fix it.
            raise ImportError(
                "iamport_py needs its JS half: add [js_modules.main] "
                '"<service>/web/iamport-bridge.mjs" = "iamport_bridge" to the PyScript config'
            )
else:
    import js  # type: ignore[no-redef]

    ffi = _DirectFfi()

IN_BROWSER = ffi is not None
"""Whether this interpreter runs inside a page (PyScript's, or one imp.js booted)."""


def _release(proxy: "Any") -> None:
    destroy = getattr(proxy, "destroy", None)
    if destroy is not None:
        try:
            destroy()
        except Exception:  # already released
            pass


class BrowserBridge(Bridge):
    """The bridge inside a PyScript page (Pyodide or MicroPython)."""

    def __init__(self) -> None:
        self._window_proxies: dict[int, list[Any]] = {}
        self._timers: dict[int, Any] = {}
        # Proxies are destroyed on the next call, never while JavaScript is calling them.
        self._retired: list[Any] = []

    def _proxy(self, function: "Callable[..., None]") -> "Any":
        self._sweep()
        return ffi.create_proxy(function)

    def _sweep(self) -> None:
        retired, self._retired = self._retired, []
        for proxy in retired:
            _release(proxy)

    def now_ms(self) -> int:
        # As text: MicroPython's FFI cuts a JS number to 30 bits (ms since 1970 need 41).
        return int(str(_js.nowText()))

    def page_url(self) -> str:
        return str(_js.pageUrl())

    def is_mobile(self) -> bool:
        return bool(_js.isMobile())

    def fetch_json(self, url: str, timeout_ms: float, on_done: "Done") -> None:
        holder: list[Any] = []

        def done(ok: bool, text: "Any") -> None:
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

    def _keep(self, handle: int, proxies: "list[Any]") -> "int | None":
        if handle:
            self._window_proxies[handle] = proxies
            return handle
        self._retired.extend(proxies)
        return None

    def open_frame(
        self, url: str, visible: bool, on_load: "Callback", on_closed: "Callback"
    ) -> "Handle":
        proxies = [self._proxy(on_load), self._proxy(on_closed)]
        handle = int(_js.openFrame(url, bool(visible), proxies[0], proxies[1]))
        return self._keep(handle, proxies)

    def preload_frame(self, url: str, on_load: "Callback", on_closed: "Callback") -> "Handle":
        proxies = [self._proxy(on_load), self._proxy(on_closed)]
        return self._keep(int(_js.preloadFrame(url, proxies[0], proxies[1])), proxies)

    def use_frame(self, handle: "Handle") -> None:
        _js.useFrame(handle)

    def open_popup(self, name: str, on_closed: "Callback") -> "Handle | None":
        proxy = self._proxy(on_closed)
        return self._keep(int(_js.openPopup(name, proxy)), [proxy])

    def submit_form(self, handle: "Handle", url: str, fields: "dict[str, str]") -> None:
        _js.submitForm(handle, url, json.dumps(fields))

    def close_window(self, handle: "Handle") -> None:
        _js.closeWindow(handle)
        self._retired.extend(self._window_proxies.pop(handle, ()))

    def post_message(self, handle: "Handle", message: str, target_origin: str) -> None:
        _js.post(handle, message, target_origin)

    def probe(self, url: str, on_done: "Callable[[bool, str], None]") -> None:
        holder: list[Any] = []

        def done(ok: "Any", reason: "Any") -> None:
            self._retired.extend(holder)
            on_done(bool(ok), str(reason))

        holder.append(self._proxy(done))
        _js.probe(url, holder[0])

    def start_timer(self, delay_ms: float, callback: "Callback") -> "Timer":
        holder: list[Any] = []

        def fire() -> None:
            self._timers.pop(timer, None)
            self._retired.extend(holder)
            callback()

        holder.append(self._proxy(fire))
        timer = int(_js.startTimer(int(delay_ms), holder[0]))
        self._timers[timer] = holder[0]
        return timer

    def cancel_timer(self, timer: "Timer") -> None:
        proxy = self._timers.pop(timer, None)
        if proxy is not None:
            _js.cancelTimer(timer)
            self._retired.append(proxy)

    def navigate(self, url: str) -> None:
        _js.navigate(url)

    def listen(self, on_message: "Callable[[str, str | None], None]") -> None:
        def receive(origin: "Any", data: "Any") -> None:
            on_message(str(origin), data if isinstance(data, str) else None)

        # Lives as long as the page: never retired.
        _js.listen(ffi.create_proxy(receive))

    def log(self, level: str, message: str) -> None:
        _js.log(level, message)

    def deferred(self) -> "tuple[Awaitable[Any], Callable[[Any], None]]":
        box: dict[str, Any] = {}
        pending = _js.deferred()

        def resolve(value: "Any") -> None:
            box["value"] = value
            pending.resolve()

        return _settled(pending.promise, box), resolve


async def _settled(promise: "Any", box: "dict[str, Any]") -> "Any":
    await promise
    return box.get("value")


def expose(window_name: str, handler: "Handler") -> None:
    """Call imp.js's ``window[window_name]`` with a JavaScript function that runs
    ``handler(method, args_json, respond)``: its arguments as strings, ``respond(text)``
    the page's callback, ``None`` when the call has none (JavaScript's ``null`` or
    ``undefined``)."""

    def dispatch(method: "Any", args_json: "Any", callback: "Any" = None) -> None:
        respond = None
        if callback is not None and not _is_nullish(callback):

            def respond(text: str) -> None:
                callback(text)

        handler(str(method), str(args_json), respond)

    getattr(js.window, window_name)(ffi.create_proxy(dispatch))


def _is_nullish(value: "Any") -> bool:
    is_none = getattr(ffi, "is_none", None)
    return bool(is_none(value)) if is_none is not None else value is None
