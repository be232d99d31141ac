"""The sandbox's REST API measured against PortOne's document (issue 24, item 2): the
document as schemathesis reads it, which of its operations the app serves, and the check
every REST answer of the suite goes through (:func:`check_answer`).

The document is :func:`iamport_sandbox.openapi.conformed`: PortOne's ``v1.openapi.json``
with its own defects mended and the real service's answers where they differ
(``DOCUMENT_FIXES``, ``DEVIATIONS``, each by name; docs/rest-api.md lists them)."""

import functools

import schemathesis
from schemathesis.core.failures import Failure, FailureGroup
from starlette.routing import Match, Mount

from iamport_sandbox import openapi

API_PREFIX = "/api"

# Operations of the document the sandbox does not serve yet, by "METHOD path" (issue 24
# added the last 40: Naver Pay orders, OTP, CVS, external and partner receipts, tiers, the
# PG settings list, kcpquick/payco/benepia/paymentwall, schedule edits, prepared amounts
# changed, escrow shipping read back). The test fails when this set and the app disagree
# either way: add the line of an operation not served, remove it when it is.
NOT_SERVED_YET: frozenset[str] = frozenset()


def label(method, path):
    return "{} {}".format(method.upper(), path)


@functools.cache
def schema():
    """The conformed document as schemathesis reads it, its base path the sandbox's."""
    document = openapi.conformed()
    document.pop("host", None)
    document["basePath"] = API_PREFIX
    document["schemes"] = ["http"]
    return schemathesis.openapi.from_dict(document)


def all_operations():
    """``{label: (method, path)}`` of every operation of the document."""
    return {
        label(method, path): (method, path)
        for method, path, _ in openapi.operations(openapi.conformed())
    }


def _api_routes(app):
    for route in app.routes:
        if isinstance(route, Mount) and route.path == API_PREFIX:
            return route.routes
    raise AssertionError("no REST API mount at " + API_PREFIX)


def serves(app, method, path):
    """Whether the app has a route for the document's ``method`` ``path`` (its parameters
    filled with a sample value)."""
    concrete = path.replace("{", "").replace("}", "")
    scope = {"type": "http", "path": concrete, "method": method.upper(), "root_path": ""}
    return any(route.matches(scope)[0] == Match.FULL for route in _api_routes(app))


def served(app):
    """The labels of the document's operations that ``app`` serves."""
    return {name for name, (method, path) in all_operations().items() if serves(app, method, path)}


class NonConforming(AssertionError):
    """A REST answer the document does not allow."""


def check_answer(response):
    """Validate one REST answer (an ``httpx.Response`` whose body has been read) against the
    document: its body against the schema of its status, where the document gives one. A
    request outside ``/api``, or to a path and method the document does not have, passes."""
    request = response.request
    path = request.url.path
    if not path.startswith(API_PREFIX + "/"):
        return
    operation = schema().find_operation_by_path(request.method, path[len(API_PREFIX) :])
    if operation is None:
        return
    try:
        operation.validate_response(response)
    except (Failure, FailureGroup) as failure:
        raise NonConforming(
            "{} {} -> {} does not conform to PortOne's document: {}\n{}".format(
                request.method, path, response.status_code, failure, response.text[:500]
            )
        ) from None
