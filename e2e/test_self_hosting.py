"""Self-hosting: what `iamport-sandbox export-assets` writes, served by a plain static server
on another origin (127.0.0.1, another port, under a path prefix), pays against the sandbox:
every URL in it is relative, and nothing is loaded from the sandbox but the windows and the
settings."""

import mimetypes

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from iamport_sandbox.assets import export_assets, versions
from iamport_sandbox.demo import DEMO
from iamport_sandbox.testkit import approve
from tests.live import LiveServer

PREFIX = "/shop/static/iamport/"
TIMEOUT = 30000


@pytest.fixture(scope="module")
def site(service, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exported")
    written = export_assets(str(folder), service=service, user_code=DEMO["user_code"])
    named = versions()
    assert {
        "web/imp.js",
        "web/mpy.toml",
        "web/imp.js.br",
        "web/imp.js.gz",
        "runtime/{}/iamport-bridge.mjs".format(named["iamport-py"]),
        "runtime/{}/iamport_py-mpy.bundle".format(named["iamport-py"]),
        "runtime/{}/iamport_py-py.bundle".format(named["iamport-py"]),
        "runtime/{}/core.js".format(named["pyscript"]),
        "runtime/{}/micropython.wasm".format(named["micropython"]),
        "runtime/{}/micropython.wasm.br".format(named["micropython"]),
        "runtime/{}/pyodide.asm.wasm".format(named["pyodide"]),
        "README.md",
        "_headers",
    } <= set(written)
    # The static server's types, as the export's _headers asks for them.
    mimetypes.add_type("application/wasm", ".wasm")
    mimetypes.add_type("text/javascript", ".mjs")
    server = LiveServer(
        Starlette(routes=[Mount(PREFIX.rstrip("/"), StaticFiles(directory=str(folder)))])
    ).start()
    yield server.url + PREFIX
    server.stop()


def _paid(page, site, service):
    page.wait_for_selector("body[data-result]", timeout=TIMEOUT)
    assert page.get_attribute("body", "data-result") == "paid", page.inner_text("#result")
    loaded = [url for url in page.requests if "/runtime/" in url or "/sdk/" in url]
    assert loaded and all(url.startswith(site) for url in loaded), loaded
    assert any(url.startswith(service + "/payments/ready/") for url in page.requests)


@pytest.mark.parametrize("name", ["index.html", "index-pyodide.html"])
def test_exported_python_page_pays(page, site, service, name):
    page.goto(site + name)
    page.click("#pay:not([disabled])", timeout=TIMEOUT)
    approve(page)
    _paid(page, site, service)


def test_exported_js_page_pays(page, site, service):
    page.goto(site + "js-example.html")
    page.wait_for_function("window.IMP && window.IMP.sdk === 'iamport-py'", timeout=TIMEOUT)
    page.click("#pay")
    approve(page)
    _paid(page, site, service)
