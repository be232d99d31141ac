"""Plain helpers so the portable tests need no pytest (they also run on MicroPython)."""

from iamport_py.errors import IamportError
from iamport_py.testing import Recorder

# The request most tests make: a kakaopay order of 1000 won.
PARAM = {"pg": "kakaopay", "amount": 1000, "name": "Test order", "merchant_uid": "order-1"}


def pay(imp, param=None):
    """``imp.request_pay(param or PARAM)``; the Recorder that gets its rsp."""
    callback = Recorder()
    imp.request_pay(dict(PARAM if param is None else param), callback)
    return callback


def error_code_of(function, *args, **kwargs):
    """The code of the IamportError ``function`` raises; fails when it raises none."""
    try:
        function(*args, **kwargs)
    except IamportError as error:
        return error.code
    raise AssertionError("no IamportError raised")
