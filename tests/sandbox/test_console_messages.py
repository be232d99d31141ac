"""One ko/en message table for the console (issue 15): every word a template or a redirect
asks for is in iamport_sandbox/console/messages.py in both languages, and the pages show
Korean and English headers and status values, never a bare English word. The templates
spell no Korean of their own (issue 23): each ko/en text is the table's, said once."""

import os
import re

import jinja2
from jinja2 import nodes
from markupsafe import Markup

from iamport_sandbox.console import messages
from tests.sandbox.conftest import complete, open_payment, pay

TEMPLATES = os.path.join(os.path.dirname(messages.__file__), "..", "templates")
CONSOLE = os.path.dirname(messages.__file__)
HANGUL = re.compile("[\uac00-\ud7a3]")
LATIN = re.compile("[A-Za-z]")
# The values the dynamic keys ("status." ~ value, ...) take.
VALUES = {
    "status": ("ready", "paid", "failed", "cancelled", "window", "vbank"),
    "delivery": ("pending", "retrying", "delivered", "failed"),
    "schedule": ("scheduled", "executed", "revoked"),
    "type": ("payment", "certification"),
}


def _read(folder, suffix):
    for name in sorted(os.listdir(folder)):
        if name.endswith(suffix):
            with open(os.path.join(folder, name), encoding="utf-8") as source:
                yield name, source.read()


def test_every_entry_has_korean_and_english():
    for key, (korean, english) in messages.MESSAGES.items():
        assert HANGUL.search(korean) or korean == english, key
        assert LATIN.search(english), key
        assert messages.t(key) in (korean, korean + " · " + english)


def _keys(expression):
    """The keys a ``t(...)`` call's first argument can name: ``("key", None)`` for a literal
    (either branch of a conditional), ``(None, "prefix")`` for ``"prefix." ~ value``."""
    if isinstance(expression, nodes.Const) and isinstance(expression.value, str):
        yield expression.value, None
    elif isinstance(expression, nodes.CondExpr):
        yield from _keys(expression.expr1)
        yield from _keys(expression.expr2)
    elif isinstance(expression, nodes.Concat) and isinstance(expression.nodes[0], nodes.Const):
        yield None, expression.nodes[0].value
    else:
        raise AssertionError("a key the test cannot read: {!r}".format(expression))


def _calls(text):
    """Every ``t(...)`` call of a template, and the ones rendered ``|safe``."""
    tree = jinja2.Environment().parse(text)
    calls = [
        call
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name == "t"
    ]
    safe = [
        found.node
        for found in tree.find_all(nodes.Filter)
        if found.name == "safe" and isinstance(found.node, nodes.Call)
    ]
    return calls, safe


def test_every_key_the_templates_use_is_in_the_table():
    used = 0
    for name, text in _read(TEMPLATES, ".html"):
        calls, _ = _calls(text)
        for call in calls:
            for key, prefix in _keys(call.args[0]):
                used += 1
                if key is not None:
                    assert key in messages.MESSAGES, (name, key)
                else:
                    for value in VALUES[prefix.rstrip(".")]:
                        assert prefix + value in messages.MESSAGES, (name, prefix, value)
    assert used > 150  # the reader found the calls (a parse that finds none must fail)


def test_the_templates_spell_no_korean_of_their_own():
    """Korean in a template is only inside a ``t(...)`` call (it never is: keys are ASCII)."""
    outside = {}
    for name, text in _read(TEMPLATES, ".html"):
        text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
        text = re.sub(r"""\bt\((["'])[^"']*\1""", "", text)
        if HANGUL.search(text):
            outside[name] = HANGUL.findall(text)
    assert not outside, {name: "".join(found)[:40] for name, found in outside.items()}


def test_table_text_rendered_safe_is_fixed_markup():
    """A key a template renders ``|safe`` gets no values: nothing from a request is markup."""
    for name, text in _read(TEMPLATES, ".html"):
        for call in _calls(text)[1]:
            if isinstance(call.node, nodes.Name) and call.node.name == "t":
                assert not call.kwargs, name
                for key, _ in _keys(call.args[0]):
                    assert "{" not in "".join(messages.MESSAGES[key]), (name, key)


def test_a_markup_value_keeps_its_markup_and_the_rest_is_escaped():
    code = Markup("<code>{}</code>").format("<x>")
    answer = messages.t("receipt.missing_text", imp_uid=code)
    assert isinstance(answer, Markup)
    assert answer == (
        "이 샌드박스에 <code>&lt;x&gt;</code> 결제가 없습니다 · The sandbox has no payment "
        "<code>&lt;x&gt;</code>."
    )
    # Plain values stay plain (autoescaped by the page), markup or not.
    plain = messages.t("receipt.missing_text", imp_uid="<x>")
    assert not isinstance(plain, Markup) and "<x>" in plain
    assert messages.t("billing_keys.item_title", customer_uid=code) == (
        "빌링키 <code>&lt;x&gt;</code> · Billing key"
    )


def test_every_notice_a_redirect_names_is_in_the_table():
    names = set()
    for name, text in _read(CONSOLE, ".py"):
        if name != "messages.py":
            names.update(re.findall(r"\?notice=([a-z_]+)", text))
    names.update(("up", "down", "default", "delete"))  # "?notice=" + action
    assert names >= {
        "added",
        "saved",
        "password",
        "refunded",
        "deposited",
        "resent",
        "webhook_saved",
        "test",
    }
    for name in names:
        assert messages.notice(name) and " · " in messages.notice(name), name
    assert messages.notice("nonsense") is None and messages.notice(None) is None


def test_pages_show_korean_and_english_headers_and_statuses(http, console, store, demo):
    paid = pay(http, merchant_uid="msg-1", notice_url="http://127.0.0.1:9/hook")
    pages = [
        "/console/pg",
        "/console/payments",
        "/console/webhooks",
        "/console/billing-keys",
        "/console/schedules",
        "/console/payments/" + paid["imp_uid"],
    ]
    for path in pages:
        text = http.get(path).text
        for header in re.findall(r"<th[^>]*>(.*?)</th>", text, re.S):
            plain = re.sub(r"<[^>]+>", "", header).strip()
            if plain in ("#", "PG", "URL"):
                continue
            assert HANGUL.search(plain) and LATIN.search(plain), (path, plain)
    detail = http.get("/console/payments/" + paid["imp_uid"]).text
    history = re.search(r'data-testid="history">(.*?)</ol>', detail, re.S).group(1)
    assert "결제완료 · Paid" in history
    webhooks = http.get("/console/webhooks").text
    assert re.search(
        r'data-testid="delivery-state">(대기 · Pending|재시도 중 · Retrying|'
        r"실패 · Failed)",
        webhooks,
    )
    settings = http.get("/console/pg").text
    assert "결제 · Payment" in settings and ">payment<" not in settings


def test_notices_after_actions_are_in_both_languages(console):
    answer = console.post("/console/webhook", webhook_url="http://127.0.0.1:9/hook")
    assert answer.status_code == 303 and answer.headers["location"].endswith("notice=webhook_saved")
    page = console.http.get(answer.headers["location"]).text
    assert "웹훅 URL을 저장했습니다 · Webhook URL saved" in page


def test_a_failed_payment_links_its_failure_page(http, console):
    opened = open_payment(http, {"merchant_uid": "msg-failed"}).json()["response"]
    complete(http, opened, "decline", error_code="CARD_DECLINED")
    detail = http.get("/console/payments/" + opened["imp_uid"]).text
    assert 'data-testid="failure-page"' in detail and 'data-testid="receipt"' not in detail
    assert "/sandbox/receipts/" + opened["imp_uid"] in detail


def test_a_message_with_values_fills_both_languages():
    assert messages.t("error.setting_serves", pg_ko="카카오페이", pg_en="KakaoPay", kind="x") == (
        "카카오페이은(는) x 용도를 지원하지 않습니다 · KakaoPay does not serve x"
    )
    # A value left out shows the placeholder: a page still renders.
    assert messages.t("error.throttled") == (
        "시도가 너무 많습니다. {seconds}초 후 다시 시도하세요 · Too many attempts; try again in "
        "{seconds} s"
    )


def test_the_console_modules_spell_no_message_of_their_own():
    """Every ko/en text a console module shows comes from the table (one spelling)."""
    for name, text in _read(CONSOLE, ".py"):
        if name != "messages.py":
            assert not HANGUL.search(text), name
