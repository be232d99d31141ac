"""Plain helpers so the portable tests need no pytest (they also run on MicroPython)."""

from iamport_py.errors import IamportError


def error_code_of(function, *args, **kwargs):
    """The code of the IamportError ``function`` raises; fails when it raises none."""
    try:
        function(*args, **kwargs)
    except IamportError as error:
        return error.code
    raise AssertionError("no IamportError raised")
