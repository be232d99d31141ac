"""iamport_py: the Iamport (PortOne v1) browser payment SDK, in Python.

``from iamport_py import IMP`` inside a PyScript page (Pyodide or MicroPython)
gives the same ``IMP.init`` / ``IMP.request_pay`` merchants know from Iamport's
JavaScript SDK. Everything here but :mod:`iamport_py.browser` is pure Python.
"""


def _bundle_files(data: bytes) -> "list[tuple[str, bytes]]":
    """The ``(name, bytes)`` of a bundle (``bundle()`` of ``iamport_sandbox/assets/bundles.py``:
    a first line ``[[name, size], ...]`` in JSON, then the bytes in that order). Here, not in a
    module of its own: it runs before any other module of the package is there."""
    import json

    end = data.index(b"\n")
    start = end + 1
    files = []
    for name, size in json.loads(data[:end].decode("utf-8")):
        files.append((name, data[start : start + size]))
        start += size
    return files


def _unpack_bundle() -> None:
    """A PyScript page's config brings the package as this file and ``_bundle`` beside it:
    every other module in one file (one request instead of 18; MicroPython's are compiled,
    ``.mpy``). Written out here, before the imports below need them. An installed package
    (CPython, tests) has no ``_bundle``: nothing happens."""
    folder = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
    try:
        with open(folder + "/_bundle", "rb") as handle:
            data = handle.read()
    except OSError:
        return
    for name, content in _bundle_files(data):
        if not name.startswith("__init__."):
            with open(folder + "/" + name, "wb") as handle:
                handle.write(content)


def _keep_builtin_modules() -> None:
    """MicroPython searches every folder of ``sys.path`` for a file of a built-in module's
    name at each ``import json`` (a ``json.py`` may extend the built-in one) and does not keep
    the module in ``sys.modules``. In a browser each search is a failed ``stat`` raised as a
    JavaScript exception: the package's four ``import json`` cost 36 of them, about a tenth of
    its import time. Kept in ``sys.modules`` once found, as CPython does; a no-op there."""
    import sys

    for name in ("json", "random"):
        if name not in sys.modules:
            sys.modules[name] = __import__(name)


_unpack_bundle()
_keep_builtin_modules()

from iamport_py.errors import IamportError, error_message  # noqa: E402
from iamport_py.imp import IMP, VERSION, Iamport  # noqa: E402
from iamport_py.response import parse_redirect  # noqa: E402
from iamport_py.routing import resolve_pg, split_pg  # noqa: E402

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
