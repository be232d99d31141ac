"""The REST API's reference at hand (issue 24, item 3): the document the sandbox conforms to
at /api/openapi.json, pointed at this sandbox, and a Swagger UI page served from the pinned
package's files (no CDN), linked from the console's API keys page."""

import re

import pytest

from iamport_sandbox import openapi
from tests.sandbox.inprocess import running


def test_the_document_is_served_pointed_at_this_sandbox(http):
    answer = http.get("/api/openapi.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    document = answer.json()
    assert document["host"] == "sandbox.test"
    assert document["basePath"] == "/api" and document["schemes"] == ["http"]
    assert len(openapi.operations(document)) == 78
    # "Try it out" sends the token: declared once, and not for getToken itself.
    assert document["securityDefinitions"]["access_token"]["name"] == "Authorization"
    assert document["paths"]["/users/getToken"]["post"]["security"] == []
    # The deviations the sandbox answers by are in the served document, by name.
    for deviation in openapi.DEVIATIONS:
        assert deviation.name in document["info"]["description"]
    assert (
        document["definitions"]["ResponseAnnotation"]["properties"]["message"]["x-nullable"] is True
    )


def test_the_document_needs_no_token(http):
    assert http.get("/api/openapi.json").status_code == 200
    assert http.get("/api/docs").status_code == 200


def test_the_reference_page_loads_only_files_of_this_sandbox(http):
    page = http.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "://" not in page.text  # nothing from another host, no CDN
    loads = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert set(loads) >= {"docs/swagger-ui.css", "docs/swagger-ui-bundle.js", "docs/reference.js"}
    for path in loads:
        answer = http.get("/api/" + path)
        assert answer.status_code == 200, path
    script = http.get("/api/docs/reference.js").text
    assert "://" not in script
    # Swagger UI would ask validator.swagger.io about the document unless told not to.
    assert "validatorUrl: null" in script
    assert 'url: "openapi.json"' in script
    assert http.get("/api/docs/swagger-ui-bundle.js").text.startswith("/*!")


def test_the_reference_page_serves_none_but_its_files(http):
    for name in ("index.html", "..%2Fapp.py", "swagger-ui.js.map", "oauth2-redirect.html"):
        answer = http.get("/api/docs/" + name)
        assert answer.status_code == 404, name
        assert answer.headers["content-type"] == "application/json"


def test_the_forms_go_out_as_forms_in_the_served_document(http):
    document = http.get("/api/openapi.json").json()
    consumes = document["paths"]["/users/getToken"]["post"]["consumes"]
    assert consumes[0] == "application/x-www-form-urlencoded"


def test_the_api_keys_page_links_the_reference(console):
    page = console.http.get("/console/keys")
    assert page.status_code == 200
    assert re.search(r'<a href="/api/docs" data-testid="api-reference">', page.text)


@pytest.mark.anyio
async def test_on_the_api_port_the_document_says_the_api_is_at_the_root(tmp_path):
    port = 8001
    async with running(tmp_path / "s.sqlite3", api_port=port) as (client, _):
        answer = await client.get("http://api.sandbox.test:{}/openapi.json".format(port))
        document = answer.json()
        assert document["host"] == "api.sandbox.test:{}".format(port)
        assert document["basePath"] == "/"
        page = await client.get("http://api.sandbox.test:{}/docs".format(port))
        assert page.status_code == 200 and 'href="openapi.json"' in page.text
