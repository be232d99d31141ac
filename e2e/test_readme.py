"""The README's quick starts, copied out of README.md and run as written — only the sandbox
URL substituted — from a merchant's own origin (localhost, another port), on both
interpreters: the page pays."""

import os
import re

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.testkit import approve
from tests.live import LiveServer

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")
DOCUMENTED_SERVICE = "http://127.0.0.1:8000"
TIMEOUT = 30000


def _section(text, heading):
    start = text.index(heading + "\n")
    following = re.compile(r"^##+ ", re.M).search(text, start + len(heading))
    return text[start:following.start() if following else None]


def readme_section(heading):
    """The README's text under ``heading``, up to the next heading of any level."""
    with open(README, encoding="utf-8") as source:
        return _section(source.read(), heading)


def code_blocks(text, language):
    """The fenced ``language`` code blocks in ``text``, in order."""
    return re.findall(r"```{}\n(.*?)```".format(language), text, re.S)


def readme_files():
    """{name: text} of the quick start's page and configs, as the README shows them."""
    with open(README, encoding="utf-8") as source:
        text = source.read()
    python = _section(text, "### A Python page (PyScript)")
    module = _section(text, "### A JavaScript module (and TypeScript)")
    files = {"python.html": code_blocks(python, "html")[0],
             "js.html": code_blocks(_section(text, "### A plain JavaScript page"), "html")[0],
             "esm.html": code_blocks(module, "html")[0]}
    for config in code_blocks(python, "toml"):
        files[config.splitlines()[0].lstrip("# ").strip()] = config
    assert set(files) == {"python.html", "js.html", "esm.html", "mpy.toml", "pyodide.toml"}, \
        set(files)
    return files


def test_python_block_has_no_html_inside_its_script():
    body = readme_files()["python.html"].split('<script type="mpy" config="./mpy.toml">')[1]
    assert "<!--" not in body.split("</script>")[0]


@pytest.fixture(scope="module")
def merchant_site(service):
    """The merchant's server: the README's files, the service URL substituted."""
    files = {name: text.replace(DOCUMENTED_SERVICE, service)
             for name, text in readme_files().items()}
    files["python-pyodide.html"] = files["python.html"].replace(
        '<script type="mpy" config="./mpy.toml">', '<script type="py" config="./pyodide.toml">')
    files["js-pyodide.html"] = files["js.html"].replace(
        'data-user-code="imp10000001"', 'data-user-code="imp10000001" data-interpreter="pyodide"')
    files["esm-pyodide.html"] = files["esm.html"].replace(
        '/web/imp.esm.js"', '/web/imp.esm.js?interpreter=pyodide"')

    async def serve(request):
        name = request.path_params["name"]
        if name not in files:
            return Response("not found", status_code=404)
        kind = "text/html" if name.endswith(".html") else "text/plain"
        return Response("<!doctype html><meta charset=utf-8>" + files[name]
                        if kind == "text/html" else files[name], media_type=kind)

    server = LiveServer(Starlette(routes=[Route("/{name}", serve)]), host="localhost").start()
    yield server.url
    server.stop()


@pytest.mark.parametrize("block", ["python", "js", "esm"])
def test_readme_quick_start_pays(page, merchant_site, service, rest, interpreter, block):
    name = "{}{}.html".format(block, "-pyodide" if interpreter == "pyodide" else "")
    paid = ("paid imp_", "true imp_")[block != "python"]
    with page.expect_console_message(lambda message: message.text.startswith(paid),
                                     timeout=TIMEOUT) as logged:
        page.goto(merchant_site + "/" + name)
        approve(page)
    imp_uid = logged.value.text.split()[1]
    payment = rest.get("/payments/{}".format(imp_uid)).json()["response"]
    assert payment["status"] == "paid"
    assert payment["pg_provider"] == ("html5_inicis", "kakaopay")[block != "python"]
