"""PortOne's own description of the v1 REST API, the one the sandbox's REST API conforms
to, and the sandbox's answers where the real service and the document disagree.

``v1.openapi.json`` beside this file is PortOne's published document (Swagger 2.0,
``info.version`` 1.0), copied unchanged from the PyPI wheel ``portone-mcp-server`` 0.12.1
(``portone_mcp_server/resources/docs/schema/v1.openapi.json``, SHA-256
``c28e76b4…6bc6cfa``, Apache-2.0). It is kept as data: :func:`official` reads it,
:func:`conformed` is it with :data:`DEVIATIONS` applied (what the real service answers, as
the published clients' tests show it, where the document says otherwise), and
:func:`served` is that document pointed at this sandbox (``/api/openapi.json``), with the
token header declared so that the reference page's "try it" can send it.
"""

import copy
import functools
import json
import os
from collections.abc import Callable
from typing import Any, NamedTuple

Document = dict[str, Any]

HERE = os.path.dirname(os.path.abspath(__file__))
OFFICIAL = os.path.join(HERE, "v1.openapi.json")
SOURCE = "portone-mcp-server 0.12.1 (PyPI), resources/docs/schema/v1.openapi.json"
METHODS = ("get", "post", "put", "delete", "patch")


class Deviation(NamedTuple):
    """Where the real service answers otherwise than PortOne's document says: its name (a
    test names it), what differs, the evidence, and the edit that makes the document say
    what the service does."""

    name: str
    what: str
    evidence: str
    apply: Callable[[Document], None]


def _nullable_message(document: Document) -> None:
    document["definitions"]["ResponseAnnotation"]["properties"]["message"]["x-nullable"] = True


def _nullable_response(document: Document) -> None:
    # Every envelope's `response` is null when `code` is not 0.
    for name, schema in document["definitions"].items():
        for part in schema.get("allOf", []):
            response = part.get("properties", {}).get("response")
            if name.endswith("Response") and response is not None:
                response["x-nullable"] = True


NUMERIC_KEYWORDS = ("maxLength", "minLength", "maximum", "minimum", "maxItems", "minItems")


def _numbers_as_numbers(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in NUMERIC_KEYWORDS and isinstance(value, str):
                node[key] = float(value) if "." in value else int(value)
            else:
                _numbers_as_numbers(value)
    elif isinstance(node, list):
        for value in node:
            _numbers_as_numbers(value)


def _fix_numbers(document: Document) -> None:
    _numbers_as_numbers(document)


def _items_as_schemas(document: Document) -> None:
    for _, _, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if isinstance(parameter.get("items"), str):
                parameter["items"] = {"type": parameter["items"]}


def _inline_form_items(document: Document) -> None:
    # Swagger 2.0 allows only primitive items in a formData array; the document gives
    # objects by reference there, which no tool resolves outside `definitions`.
    for _, _, operation in operations(document):
        for parameter in operation.get("parameters", []):
            items = parameter.get("items", {})
            if parameter.get("in") == "formData" and "$ref" in items:
                name = items["$ref"].rsplit("/", 1)[-1]
                parameter["items"] = copy.deepcopy(document["definitions"][name])


def _required_but_undefined(document: Document) -> None:
    for schema in document["definitions"].values():
        if "required" in schema:
            fields = schema.get("properties", {})
            schema["required"] = [name for name in schema["required"] if name in fields]


# Defects of the document itself (not of the service): without these edits, tools that
# read it (schemathesis, Swagger UI) reject the operations they touch.
DOCUMENT_FIXES: tuple[Deviation, ...] = (
    Deviation(
        "numbers-written-as-strings",
        '46 bounds (`maxLength`, `maximum`, …) are strings (`"20"`); Swagger 2.0 wants numbers',
        "the document: e.g. definitions.PaymentAnnotation.properties.apply_num.maxLength",
        _fix_numbers,
    ),
    Deviation(
        "items-written-as-a-type-name",
        '11 array parameters give `items` as a bare type name (`"string"`) instead of a'
        ' schema (`{"type": "string"}`)',
        "the document: `product_order_id` of the Naver Pay order operations"
        " (POST /payments/{imp_uid}/naver/place, …/ship, …)",
        _items_as_schemas,
    ),
    Deviation(
        "form-items-by-reference",
        "formData arrays whose items are objects by `$ref` (schedules, escrow products)",
        "the document: POST /subscribe/payments/schedule `schedules`, PUT/POST"
        " /escrows/logis/{imp_uid} `products`",
        _inline_form_items,
    ),
    Deviation(
        "required-but-undefined",
        "three definitions require fields they do not define (PaymentPrepareAnnotation"
        " requires `total`, `previous`, `next`, a listing's; BenepiaPointAnnotation"
        " `bank_holder`; SucceededChannelAnnotation `update`)",
        "the document; the prepared amount is `{merchant_uid, amount}` (its own properties,"
        " and iamport-rest-client 0.9.0's tests of prepare)",
        _required_but_undefined,
    ),
)


def _nullable_fields(document: Document) -> None:
    for name, schema in document["definitions"].items():
        if name.endswith("Annotation"):
            for field in schema.get("properties", {}).values():
                field["x-nullable"] = True


SCHEDULE_LISTINGS = (
    "/subscribe/payments/schedule",
    "/subscribe/payments/schedule/customers/{customer_uid}",
    "/subscribe/customers/{customer_uid}/schedules",
)


def _schedule_pages(document: Document) -> None:
    page = copy.deepcopy(document["definitions"]["PagedPaymentAnnotation"])
    page["properties"]["list"] = {
        "type": "array",
        "items": {"$ref": "#/definitions/ScheduleResultAnnotation"},
    }
    document["definitions"]["PagedScheduleAnnotation"] = page
    document["definitions"]["PagedScheduleResponse"] = {
        "allOf": [
            {"$ref": "#/definitions/ResponseAnnotation"},
            {"properties": {"response": {"$ref": "#/definitions/PagedScheduleAnnotation"}}},
        ]
    }
    for path in SCHEDULE_LISTINGS:
        answer = document["paths"][path]["get"]["responses"]["200"]
        answer["schema"] = {"$ref": "#/definitions/PagedScheduleResponse"}


def _not_found_404(document: Document) -> None:
    # An operation on one resource (a path parameter names it) may find none.
    for _, path, operation in operations(document):
        if "{" in path:
            operation["responses"].setdefault("404", {"description": "찾을 수 없음 · not found"})


DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        "message-null-on-success",
        "`message` is null when `code` is 0 (the document types it as a string)",
        "iamport-rest-client 0.9.0's tests (tests/test_*.py) and the Node client's fixtures"
        " expect `{'code': 0, 'message': None, 'response': …}`; docs: v1-docs-full.md, every"
        ' sample answer (`"message": null`)',
        _nullable_message,
    ),
    Deviation(
        "response-null-on-refusal",
        "`response` is null when `code` is not 0 (a refusal, a lookup of nothing)",
        "iamport-rest-client 0.9.0 raises ResponseError from `code`/`message` of a body whose"
        ' `response` is null; v1-docs-full.md\'s error samples (`"response": null`)',
        _nullable_response,
    ),
    Deviation(
        "null-for-absent-values",
        "a record's field the service has no value for is null (a card payment's `bank_code`,"
        " `vbank_*`, `buyer_addr`, `customer_uid`, …); the document types each as a string,"
        " integer or object",
        'v1-docs-full.md\'s sample records: `"bank_code": null`, `"bank_name": null`,'
        ' `"apply_num": null`, `"card_name": null`, `"card_type": null`,'
        ' `"custom_data": null`; iamport-rest-client-nodejs 0.9.12 types them optional',
        _nullable_fields,
    ),
    Deviation(
        "schedule-listings-are-pages",
        "the schedule listings answer a page `{total, previous, next, list}`; the document"
        " says an array (GET /subscribe/payments/schedule, …/schedule/customers/{customer_uid},"
        " /subscribe/customers/{customer_uid}/schedules)",
        "iamport-rest-client-nodejs 0.9.12: Subscribe.getScheduleds reads the answer as a"
        " `collection` (lib/request/Subscribe.ts, lib/response/Collection.ts: total, previous,"
        " next, list)",
        _schedule_pages,
    ),
    Deviation(
        "not-found-is-404",
        "a lookup of nothing answers 404 (code 1) where the document lists only 200 and 401"
        " (e.g. GET /payments/prepare/{merchant_uid}, POST/DELETE /receipts/{imp_uid})",
        "iamport-rest-client 0.9.0's tests expect HttpError 404 for prepare_validate,"
        " find_by_imp_uid, find and find_certification of nothing (tests/sandbox/"
        "test_rest_clients.py keeps them)",
        _not_found_404,
    ),
)


@functools.cache
def _official_text() -> str:
    with open(OFFICIAL, encoding="utf-8") as source:
        return source.read()


def official() -> Document:
    """PortOne's document as published (a fresh copy)."""
    document: Document = json.loads(_official_text())
    return document


@functools.cache
def _conformed() -> Document:
    document = official()
    for deviation in DOCUMENT_FIXES + DEVIATIONS:
        deviation.apply(document)
    return document


def conformed() -> Document:
    """The document the sandbox conforms to: the official one with :data:`DEVIATIONS`."""
    return copy.deepcopy(_conformed())


def operations(document: Document) -> list[tuple[str, str, Document]]:
    """``(METHOD, path, operation)`` of every operation of ``document``."""
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def served(host: str, base_path: str, scheme: str) -> Document:
    """:func:`conformed` pointed at this sandbox (``host``, ``base_path``: ``/api`` on the
    main port, ``/`` on the API port), with the token header as a security definition so
    that a reference page can send it."""
    document = conformed()
    document["host"] = host
    document["basePath"] = base_path or "/"
    document["schemes"] = [scheme]
    document["securityDefinitions"] = {
        "access_token": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "POST /users/getToken 의 access_token · the access_token of"
            " POST /users/getToken",
        }
    }
    document["security"] = [{"access_token": []}]
    document["paths"]["/users/getToken"]["post"]["security"] = []  # the token's own door
    # Form fields go out as a form: Swagger UI labels the body with the first of `consumes`,
    # which the document gives as JSON even where the fields are formData.
    form = "application/x-www-form-urlencoded"
    for _, _, operation in operations(document):
        takes_form = any(p.get("in") == "formData" for p in operation.get("parameters", []))
        if takes_form and form in operation.get("consumes", []):
            operation["consumes"] = [form] + [t for t in operation["consumes"] if t != form]
    document["info"]["description"] += (
        "<br><br>iamport_sandbox: PortOne's document ({}) served by the local sandbox, with"
        " the real service's answers where they differ ({}).".format(
            SOURCE, ", ".join(deviation.name for deviation in DEVIATIONS)
        )
    )
    return document
