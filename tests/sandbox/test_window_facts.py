"""One source per window fact (iamport_sandbox/windows/facts.py): the scripts and templates
spell no code, path or Korean · English text of their own; they get the facts written in as
they are served, and a fact the scripts or the PG page would need but the table lacks (or
the reverse) fails here. In-process; the scripts themselves run in e2e/."""

import html
import json
import os
import re

import pytest

from iamport_py import errors
from iamport_sandbox.windows import facts, inline, recording
from tests.sandbox import test_window_pages
from tests.sandbox.test_window_pages import CODE, PG_FORM, get, pg_page

app = test_window_pages.app  # the window pages' fixture: the demo merchant and its settings

WINDOWS = os.path.join(inline.PACKAGE, "windows")
SCRIPTS = {
    name: os.path.join(WINDOWS, "static", name) for name in ("actions.js", "window.js", "pg.js")
}
TEMPLATES = {
    name: os.path.join(WINDOWS, "templates", name)
    for name in os.listdir(os.path.join(WINDOWS, "templates"))
}
HANGUL = re.compile("[\uac00-\ud7a3]")


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def served_facts(page):
    """The facts the page's scripts were written with."""
    match = re.search(r"const facts = (\{.*?\});\n", page.text)
    assert match, "no facts written into the page"
    return json.loads(match.group(1))


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_the_scripts_spell_no_korean_text(name):
    assert not HANGUL.findall(read(SCRIPTS[name]))


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_templates_spell_no_korean_text(name):
    assert not HANGUL.findall(read(TEMPLATES[name])), name


def test_a_text_is_a_label_or_a_script_text_never_both():
    """The templates' own labels and the texts the scripts share with them are two tables:
    one text (in either language) is in one of them."""

    def halves(texts):
        return [half.strip() for text in texts for half in text.split(" · ")]

    labels = halves(facts.LABELS.values())
    assert len(labels) == len(set(labels))
    assert not set(labels) & set(halves(facts.TEXTS.values()))


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_the_scripts_spell_no_code_and_no_sandbox_path(name):
    script = read(SCRIPTS[name])
    for code in (*errors.MESSAGES, facts.CERT_DECLINED):
        assert '"{}"'.format(code) not in script, code
    assert "/sandbox/" not in script and '"iamport-sdk"' not in script
    assert '"proxy.closed"' not in script


def test_only_the_actions_script_carries_the_facts_mark():
    marks = {name: read(path).count(inline.FACTS_MARK) for name, path in SCRIPTS.items()}
    assert marks == {"actions.js": 1, "window.js": 0, "pg.js": 0}


def test_every_text_is_said_by_a_script_or_shown_by_a_template_and_no_other():
    said = set()
    for path in SCRIPTS.values():
        said |= set(re.findall(r'\bsay\("(\w+)"', read(path)))
    for path in TEMPLATES.values():
        said |= set(re.findall(r"\btexts\.(\w+)", read(path)))
    assert said == set(facts.TEXTS)


def test_every_path_the_scripts_use_is_a_route(app):
    answer = get(app, "/payments/ready/{}/html5_inicis/MID-b".format(CODE))
    paths = served_facts(answer)["paths"]
    routes = {route.path for route in app.routes if hasattr(route, "path")}
    assert set(paths.values()) <= routes


def test_the_window_page_is_served_with_the_table(app):
    page = get(app, "/payments/ready/{}/html5_inicis/MID-b".format(CODE))
    written = served_facts(page)
    assert written == facts.script_facts()
    # What docs/protocol.md says the window answers and accepts.
    assert written["codes"] == {"noSetting": "F1001", "windowError": "WINDOW_ERROR"}
    assert written["sdkName"] == "iamport-sdk" and written["requestIdMax"] == 80
    assert written["closeResults"] == ["proxy.closed", "check.closing"]


def test_the_window_shows_its_kinds_approving_label(app):
    payment = get(app, "/payments/ready/{}/html5_inicis/MID-b".format(CODE)).text
    certification = get(app, "/certificates/ready/{}/danal/D-1".format(CODE)).text
    assert 'data-testid="approve" disabled>승인 · Approve<' in payment
    assert 'data-testid="approve" disabled>본인인증 완료 · Verify<' in certification
    assert 'data-testid="person-name"' in certification
    assert 'data-testid="person-name"' not in payment


def test_the_pg_page_takes_every_field_of_the_form_the_window_sends(app):
    form = {field.name: "v-" + field.name for field in facts.PG_FORM}
    form.update({key: PG_FORM[key] for key in ("imp_uid", "origin", "action", "pg_provider")})
    page = pg_page(app, form)
    assert page.status_code == 200
    body = page.text.split("<body", 1)[1].split(">", 1)[0]
    shown = {
        name.replace("-", "_"): html.unescape(value)
        for name, value in re.findall(r'data-([a-z-]+)="([^"]*)"', body)
    }
    assert shown == form


def test_the_pg_page_ignores_a_field_the_form_does_not_have(app):
    page = pg_page(app, dict(PG_FORM, card_number="4000000000000001"))
    assert page.status_code == 200 and "4000000000000001" not in page.text


def test_every_outcome_of_every_kind_records_something_and_no_other():
    assert set(recording.HANDLERS) == set(facts.OUTCOMES)
    assert facts.OUTCOMES == ("approve", "decline", "cancel", "certify")
    assert {kind.approve for kind in facts.KINDS.values()} == {"approve", "certify"}


def test_the_decline_codes_are_the_sdk_tables():
    assert [row[0] for row in facts.DECLINE_CODES] == list(errors.DECLINE_CODES)
    for code, korean, english in facts.DECLINE_CODES:
        assert (korean, english) == errors.MESSAGES[code]
