"""The README's quick starts (and the docs' module example), copied out of README.md and
docs/merchant-api.md and run as written — only the sandbox URL substituted — from a merchant's
own origin (localhost, another port), on both interpreters: the page pays. The Python page's
window is approved by the readiness snippet of docs/protocol.md §6, as written."""

import re

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.testkit import approve
from tests import docs_text
from tests.live import LiveServer

DOCUMENTED_SERVICE = "http://127.0.0.1:8000"
TIMEOUT = 30000


def readme_section(heading):
    """The README's text under ``heading``, its subsections included."""
    return docs_text.section("README.md", heading)


def code_blocks(text, language):
    """The fenced ``language`` code blocks in ``text``, in order."""
    return re.findall(r"```{}\n(.*?)```".format(language), text, re.S)


def readme_files():
    """{name: text} of the quick starts' pages and configs, as the docs show them."""
    files = {
        "python.html": docs_text.block("README.md", "### A Python page (PyScript)", "html"),
        "js.html": docs_text.block("README.md", "### A plain JavaScript page", "html"),
        "esm.html": docs_text.block(
            "docs/merchant-api.md", "## A JavaScript module (and TypeScript)", "html"
        ),
    }
    for config in docs_text.blocks("README.md", "### A Python page (PyScript)", "toml"):
        files[config.splitlines()[0].lstrip("# ").strip()] = config
    assert set(files) == {"python.html", "js.html", "esm.html", "mpy.toml", "pyodide.toml"}, set(
        files
    )
    return files


def approve_as_documented(page):
    """docs/protocol.md's readiness snippet, run as written on ``page``."""
    snippet = docs_text.block(
        "docs/protocol.md", "## 6. Readiness markers (for tests and benchmarks)", "python"
    )
    exec(compile(snippet, "docs/protocol.md readiness snippet", "exec"), {"page": page})


def test_python_block_has_no_html_inside_its_script():
    body = readme_files()["python.html"].split('<script type="mpy" config="./mpy.toml">')[1]
    assert "<!--" not in body.split("</script>")[0]


@pytest.fixture(scope="module")
def merchant_site(service):
    """The merchant's server: the README's files, the service URL substituted."""
    files = {
        name: text.replace(DOCUMENTED_SERVICE, service) for name, text in readme_files().items()
    }
    files["python-pyodide.html"] = files["python.html"].replace(
        '<script type="mpy" config="./mpy.toml">', '<script type="py" config="./pyodide.toml">'
    )
    files["js-pyodide.html"] = files["js.html"].replace(
        'data-user-code="imp10000001"', 'data-user-code="imp10000001" data-interpreter="pyodide"'
    )
    files["esm-pyodide.html"] = files["esm.html"].replace(
        '/web/imp.esm.js"', '/web/imp.esm.js?interpreter=pyodide"'
    )

    async def serve(request):
        name = request.path_params["name"]
        if name not in files:
            return Response("not found", status_code=404)
        kind = "text/html" if name.endswith(".html") else "text/plain"
        return Response(
            "<!doctype html><meta charset=utf-8>" + files[name]
            if kind == "text/html"
            else files[name],
            media_type=kind,
        )

    server = LiveServer(Starlette(routes=[Route("/{name}", serve)]), host="localhost").start()
    yield server.url
    server.stop()


@pytest.mark.parametrize("block", ["python", "js", "esm"])
def test_readme_quick_start_pays(page, merchant_site, service, rest, interpreter, block):
    name = "{}{}.html".format(block, "-pyodide" if interpreter == "pyodide" else "")
    paid = ("paid imp_", "true imp_")[block != "python"]
    with page.expect_console_message(
        lambda message: message.text.startswith(paid), timeout=TIMEOUT
    ) as logged:
        page.goto(merchant_site + "/" + name)
        (approve_as_documented if block == "python" else approve)(page)
    imp_uid = logged.value.text.split()[1]
    payment = rest.get("/payments/{}".format(imp_uid)).json()["response"]
    assert payment["status"] == "paid"
    assert payment["pg_provider"] == ("html5_inicis", "kakaopay")[block != "python"]
