"""Which bridge this interpreter gets: the one place that chooses (as an HTTP
client picks its transport), so :mod:`iamport_py.bridge` knows no implementation.

:mod:`iamport_py.browser` tries its host imports itself and tells whether they
were there; checking a flag instead of an ``ImportError``'s ``name`` works on
MicroPython too, whose ImportError has no ``name``.
"""

from iamport_py.bridge import Bridge, HeadlessBridge


def default_bridge() -> Bridge:
    """The browser bridge inside a PyScript page, a :class:`HeadlessBridge` elsewhere
    (CPython, MicroPython or Pyodide under Node)."""
    from iamport_py import browser

    if not browser.IN_BROWSER:
        return HeadlessBridge()
    return browser.BrowserBridge()
