"""iamport_py: the Iamport (PortOne v1) browser payment SDK, in Python.

``from iamport_py import IMP`` inside a PyScript page (Pyodide or MicroPython)
gives the same ``IMP.init`` / ``IMP.request_pay`` merchants know from Iamport's
JavaScript SDK. Everything here but :mod:`iamport_py.browser` is pure Python.
"""

from iamport_py.errors import IamportError, error_message
from iamport_py.imp import IMP, VERSION, Iamport
from iamport_py.response import parse_redirect
from iamport_py.routing import resolve_pg, split_pg

__version__ = VERSION
__all__ = [
    "IMP",
    "Iamport",
    "IamportError",
    "__version__",
    "error_message",
    "parse_redirect",
    "resolve_pg",
    "split_pg",
]
