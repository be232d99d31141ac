"""The documentation as tests read it: a Markdown file's section by its heading, and the fenced
code blocks in it. Every test that runs or checks a block of README.md or docs/*.md reads it
through :func:`block` or :func:`blocks`, with the file, heading and language written out as
literals: tests/test_docs.py finds those calls and fails for a block that no test reads."""

import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FENCE = re.compile(r"^(`{3,}|~{3,})(\S*)")
HEADING = re.compile(r"^(#{1,6}) ")


def read(path):
    """The text of ``path`` (relative to the repository's root)."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as source:
        return source.read()


def parse(text):
    """``(headings, fenced)`` of a Markdown text: ``headings`` as ``(line number, level,
    line)``, ``fenced`` as ``(line number, language, code)``; a ``#`` line inside a fenced
    block is code, not a heading."""
    headings, fenced = [], []
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        line = lines[number]
        fence = FENCE.match(line)
        if fence:
            marker, end = fence.group(1), number + 1
            while end < len(lines) and not lines[end].startswith(marker):
                end += 1
            code = "\n".join(lines[number + 1 : end])
            fenced.append((number, fence.group(2), code + "\n" if end > number + 1 else ""))
            number = end + 1
            continue
        heading = HEADING.match(line)
        if heading:
            headings.append((number, len(heading.group(1)), line))
        number += 1
    return headings, fenced


def span(text, heading):
    """The line range ``(start, end)`` under ``heading`` (a whole heading line, e.g.
    ``"### A plain JavaScript page"``): up to the next heading of the same or a higher level."""
    headings, _ = parse(text)
    found = [(number, level) for number, level, line in headings if line == heading]
    assert len(found) == 1, "{!r}: {} such headings".format(heading, len(found))
    start, level = found[0]
    ends = [number for number, other, _ in headings if number > start and other <= level]
    return start, ends[0] if ends else len(text.split("\n"))


def section(path, heading):
    """The text of ``path`` under ``heading``, its subsections included."""
    text = read(path)
    start, end = span(text, heading)
    return "\n".join(text.split("\n")[start:end]) + "\n"


def blocks(path, heading, language):
    """The fenced ``language`` blocks under ``heading`` in ``path``, in order."""
    text = read(path)
    start, end = span(text, heading)
    _, fenced = parse(text)
    return [code for number, lang, code in fenced if start < number < end and lang == language]


def block(path, heading, language, index=0):
    """The ``index``-th fenced ``language`` block under ``heading`` in ``path``."""
    found = blocks(path, heading, language)
    assert len(found) > index, "{} {!r}: no {} block #{}".format(path, heading, language, index)
    return found[index]
