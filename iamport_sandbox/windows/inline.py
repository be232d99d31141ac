"""What the window pages carry inline: the sandbox's stylesheet and the window's scripts,
with the window's facts (:func:`.facts.script_facts`) written into the scripts where they
say ``/* window facts */ null``. The window is usable after its one page request and the
recording ``POST``, with no stylesheet or script request in between (issue 14)."""

import json
import os

from iamport_sandbox.windows.facts import script_facts

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""``iamport_sandbox/``: the files below are relative to it."""

INLINE = {
    "css": ("static/sandbox.css", "</style"),
    "actions": ("windows/static/actions.js", "</script"),
    "window": ("windows/static/window.js", "</script"),
    "pg": ("windows/static/pg.js", "</script"),
}
"""``{template name: (file, the closing tag it may not hold)}``; the stylesheet is the
console's too."""

FACTS_MARK = "/* window facts */ null"

_inlined: dict[str, tuple[tuple[int, int], str]] = {}  # path -> ((mtime_ns, size), text)


def facts_json() -> str:
    """The window's facts as a JS value that can sit inside a ``<script>``."""
    text = json.dumps(script_facts(), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def served(filename: str, closing: str) -> str:
    """``filename`` (relative to the package) as the pages carry it: the facts written in.
    Read again only when the file has changed, so an edited file shows at the next load;
    a file holding ``closing`` could end the element it sits in, and raises."""
    path = os.path.join(PACKAGE, filename)
    stat = os.stat(path)
    key = (stat.st_mtime_ns, stat.st_size)
    if path not in _inlined or _inlined[path][0] != key:
        with open(path, encoding="utf-8") as handle:
            text = handle.read().replace(FACTS_MARK, facts_json())
        if closing in text.lower():
            raise ValueError("{} cannot be inlined: it contains {}".format(filename, closing))
        _inlined[path] = (key, text)
    return _inlined[path][1]


def inline_assets() -> dict[str, str]:
    """``{name: text}`` of the files the window pages inline."""
    return {name: served(filename, closing) for name, (filename, closing) in INLINE.items()}
