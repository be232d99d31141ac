"""``window.IMP`` for plain JavaScript pages: imp.js's calls, carried out on an ``IMP``.

imp.js installs a ``window.IMP`` whose methods serialise their arguments to JSON and
call one Python function (:meth:`JsApi.call`) with ``(method, args_json, respond)``;
``respond(rsp_json)`` is the page's callback. :class:`JsApi` is pure, so every rule here
is unit-tested without a browser; :func:`install_js_api`, which imp.js calls once Python
is up, connects it to the page through :func:`iamport_py.browser.expose`.

A call it cannot carry out is never ignored silently: an unknown method ends with
``UNKNOWN_METHOD``, unreadable arguments with ``INVALID_CALL`` — through the callback
when the call has one (``request_pay``, ``certification``), else as an error line on
the console. Nothing is raised back into JavaScript (imp.js replays queued calls in a
loop that one exception would cut short).
"""

import json

from iamport_py import errors
from iamport_py.browser import expose
from iamport_py.errors import IamportError
from iamport_py.response import failure_response

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from iamport_py.bridge import JsonDict
    from iamport_py.imp import Iamport

    Respond = Callable[[str], None]

METHODS = ("init", "agency", "request_pay", "certification", "close")
"""The methods of ``window.IMP`` that reach Python."""


def install_js_api(imp: "Iamport", window_name: str = "__iamportInstall") -> None:
    """Give ``window.IMP`` (made by imp.js) its Python implementation, a :class:`JsApi`
    on ``imp``, and let imp.js replay the calls it queued (``window[window_name]``).
    Arguments and results cross as JSON text."""
    expose(window_name, JsApi(imp).call)


class JsApi:
    """Carries out imp.js's calls on ``imp`` (the page's ``IMP``)."""

    def __init__(self, imp: "Iamport") -> None:
        self._imp = imp

    def call(self, method: str, args_json: str, respond: "Respond | None" = None) -> None:
        """Run ``IMP.<method>(*args)``; ``respond(rsp_json)`` gets the request's ``rsp``
        as JSON text (or the error of a call that cannot be carried out)."""
        try:
            args = _arguments(method, args_json)
            self._run(method, args, respond)
        except IamportError as error:
            self._refuse(error, respond)

    def _run(self, method: str, args: "list[Any]", respond: "Respond | None") -> None:
        callback = None if respond is None else _json_callback(respond)
        if method == "init":
            self._imp.init(_user_code(method, args), **_options(args, 1))
        elif method == "agency":
            tier = args[1] if len(args) > 1 else None
            self._imp.agency(_user_code(method, args), tier, **_options(args, 2))
        elif method == "request_pay":
            self._imp.request_pay(args[0] if args else None, callback)
        elif method == "certification":
            self._imp.certification(args[0] if args else None, callback)
        elif method == "close":
            self._imp.close()
        else:
            raise IamportError(errors.UNKNOWN_METHOD, method=method)

    def _refuse(self, error: IamportError, respond: "Respond | None") -> None:
        if respond is not None:
            respond(json.dumps(failure_response(error, None, "en")))
        else:
            self._imp.bridge.log("error", "window.IMP: " + error.message("en"))


def _arguments(method: str, args_json: str) -> "list[Any]":
    try:
        args = json.loads(args_json)
    except (TypeError, ValueError):
        raise IamportError(errors.INVALID_CALL, method=method, reason="not JSON")
    if not isinstance(args, list):
        raise IamportError(errors.INVALID_CALL, method=method, reason="not a list")
    return args


def _user_code(method: str, args: "list[Any]") -> "Any":
    if not args or args[0] is None:
        raise IamportError(errors.INVALID_CALL, method=method, reason="no user code")
    return args[0]


def _options(args: "list[Any]", index: int) -> "dict[str, Any]":
    options = args[index] if len(args) > index and isinstance(args[index], dict) else {}
    return {str(key): options[key] for key in options}


def _json_callback(respond: "Respond") -> "Callable[[JsonDict], None]":
    def callback(rsp: "JsonDict") -> None:
        respond(json.dumps(rsp))

    return callback
