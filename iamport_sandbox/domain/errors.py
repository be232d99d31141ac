"""What the sandbox's payments refuse, as their own errors: never an HTTP status.

Each carries the message a client is told and, where Iamport has one, its code: ``code``
is the REST envelope's (``-1``, or ``1`` for a business refusal, as api.iamport.kr
answers), ``error_code`` the SDK's ``rsp.error_code`` a window answers with. The endpoints
turn them into HTTP answers in one place (:func:`iamport_sandbox.wire.answer_of`).
"""


class PaymentError(Exception):
    """A payment or certification that cannot do what was asked."""

    code = -1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(PaymentError):
    """The payment or certification a request names is not (or no longer) there."""

    def __init__(self, message: str = "unknown payment request") -> None:
        super().__init__(message)


class AlreadyEnded(PaymentError):
    """The request was completed before; its stored result stands."""

    def __init__(self, message: str = "this request has already ended") -> None:
        super().__init__(message)


class PaymentRefused(PaymentError):
    """Iamport or the PG refuses the request (an order already paid, a refund of more than
    is left, ...): a business refusal, Iamport's message; ``error_code`` the SDK's code a
    window answers with, when one applies."""

    code = 1

    def __init__(self, message: str, error_code: str | None = None) -> None:
        super().__init__(message)
        self.error_code = error_code
