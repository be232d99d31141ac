"""The docs' tables of facts (docs/request-pay.md) are checked against the one place each fact
lives: the error codes against ``iamport_py.errors``, the PG codes against the catalog, the
``rsp`` fields against ``iamport_py.response``. A page that drifts fails here, not in a
merchant's code."""

import re

from iamport_py import catalog, errors
from iamport_py.response import WINDOW_FIELDS
from tests import docs_text

PAGE = "docs/request-pay.md"


def _section(heading):
    return docs_text.section(PAGE, heading)


def test_every_error_code_is_documented_once_and_no_other():
    rows = [line for line in _section("## Error codes").splitlines() if line.startswith("| `")]
    documented = []
    for row in rows:
        first_cell = row.split("|")[1]
        documented += re.findall(r"`([A-Z0-9_]+)`", first_cell)
    assert len(documented) == len(set(documented)), "a code documented twice"
    assert set(documented) == set(errors.MESSAGES)


def test_every_code_has_a_korean_and_an_english_message():
    for code, pair in errors.MESSAGES.items():
        assert len(pair) == 2 and all(pair), code
        assert errors.error_message(code, "ko") != errors.error_message(code, "en"), code


def test_the_docs_list_every_catalog_pg_code():
    paragraph = _section("## The PG catalog")
    listed = paragraph[paragraph.index("and\n`") + 4 :]
    listed = listed[: listed.index("`.")].strip("`").split()
    seed = catalog.CODES[: len(catalog.CODES) - len(listed)]
    assert "the seed's {} codes".format(len(seed)) in paragraph
    assert listed == list(catalog.CODES[len(seed) :])


def test_the_documented_rsp_fields_are_the_sdk_fields():
    section = _section("## The response (`rsp`)")
    start = section.index("Always: ")
    fields_text = section[start : section.index("Only these fields pass")]
    named = set()
    for name in re.findall(r"`([a-z_*]+)`", fields_text):
        if name.endswith("*"):
            named |= {f for f in WINDOW_FIELDS if f.startswith(name[:-1])}
        elif name not in ("paid", "ready", "failed"):  # status values, not fields
            named.add(name)
    assert named == set(WINDOW_FIELDS) | {"success"}
