"""Answers over HTTP, the same way everywhere: Iamport's envelope, the refusals an endpoint
raises (:class:`ApiError`), and the one mapping of the domain's errors and unreadable
fields to HTTP answers (:func:`answer_of`), which the app registers as exception handlers.
"""

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from iamport_sandbox.domain.errors import AlreadyEnded, NotFound, PaymentError, PaymentRefused
from iamport_sandbox.fields import BodyTooLarge, FieldError


class ApiError(Exception):
    """A refusal with an HTTP status and a message for the client."""

    def __init__(
        self,
        status: int,
        message: str,
        code: int = -1,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers


def too_many(retry_after: int, message: str = "too many requests") -> ApiError:
    """A 429 that says when to come back."""
    return ApiError(
        429,
        "{}; retry in {} s".format(message, retry_after),
        headers={"Retry-After": str(retry_after)},
    )


def refusal(message: str) -> ApiError:
    """A business refusal as api.iamport.kr answers it: HTTP 200 with ``code`` 1 and the
    message (the published REST clients read ``message`` only from a 200; any other status
    becomes a bare HTTP error there)."""
    return ApiError(200, message, code=1)


# The HTTP status of each error of the domain and of the fields (the most specific class
# wins). A business refusal is a 200, as api.iamport.kr answers it: see refusal().
STATUSES: dict[type[Exception], int] = {
    BodyTooLarge: 413,
    FieldError: 400,
    NotFound: 404,
    AlreadyEnded: 409,
    PaymentRefused: 200,
    PaymentError: 400,
}


def answer_of(error: PaymentError | FieldError) -> ApiError:
    """The HTTP answer to a domain error or an unreadable field: its status by
    :data:`STATUSES`, its message, and Iamport's envelope code it carries (else ``-1``)."""
    status = next(STATUSES[kind] for kind in type(error).__mro__ if kind in STATUSES)
    code = error.code if isinstance(error, PaymentError) else -1
    return ApiError(status, error.message, code=code)


def envelope(response: Any, status: int = 200) -> JSONResponse:
    """Iamport's REST envelope: ``{"code": 0, "message": null, "response": ...}``."""
    return JSONResponse({"code": 0, "message": None, "response": response}, status_code=status)


def error_body(
    status: int, message: str, code: int = -1, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """Iamport's envelope of a refusal: ``{"code": code, "message": message, "response": null}``."""
    return JSONResponse(
        {"code": code, "message": message, "response": None}, status_code=status, headers=headers
    )


async def api_error_answer(request: Request, error: Exception) -> JSONResponse:
    """The app's handler of :class:`ApiError`."""
    assert isinstance(error, ApiError)
    return error_body(error.status, error.message, error.code, error.headers)


async def domain_error_answer(request: Request, error: Exception) -> JSONResponse:
    """The app's handler of the domain's errors and unreadable fields (:func:`answer_of`)."""
    assert isinstance(error, (PaymentError, FieldError))
    return await api_error_answer(request, answer_of(error))
