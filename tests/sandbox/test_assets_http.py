"""The browser assets over HTTP (issue 13): compressed as the request accepts, versioned URLs
cached for a year, entry points revalidated, and what imp.js names is what the sandbox serves."""

import gzip
import json
import os
import re

import brotli
import pytest

from iamport_py.errors import MESSAGES, SDK_UNAVAILABLE
from iamport_sandbox import assets
from iamport_sandbox.asset_routes import negotiate

IMMUTABLE = "public, max-age=31536000, immutable"
NAMED = assets.versions()
WASM = "/runtime/{}/micropython.wasm".format(NAMED["micropython"])
SDK = "/runtime/{}/".format(NAMED["iamport-py"])
needs_runtimes = pytest.mark.skipif(
    not os.path.isfile(os.path.join(assets.runtime_dir(), "micropython", "micropython.wasm")),
    reason="no runtimes (make setup)",
)


def raw(http, path, encoding=None, **headers):
    """(response, body bytes as sent) for ``Accept-Encoding: encoding``."""
    headers["Accept-Encoding"] = encoding if encoding is not None else "identity"
    with http.stream("GET", path, headers=headers) as response:
        return response, b"".join(response.iter_raw())


def decoded(response, body):
    coding = response.headers.get("content-encoding")
    return {None: lambda data: data, "gzip": gzip.decompress, "br": brotli.decompress}[coding](body)


@pytest.mark.parametrize(
    ("header", "available", "chosen"),
    [
        ("gzip, deflate, br, zstd", {"br", "gzip"}, "br"),
        ("gzip", {"br", "gzip"}, "gzip"),
        ("br;q=0, gzip", {"br", "gzip"}, "gzip"),
        ("br;q=0.5, gzip;q=0.8", {"br", "gzip"}, "gzip"),
        ("br, gzip;q=0", {"gzip"}, None),
        ("identity", {"br", "gzip"}, None),
        ("", {"br", "gzip"}, None),
        ("*", {"br", "gzip"}, "br"),
        ("*, br;q=0", {"br", "gzip"}, "gzip"),
        ("BR;Q=1", {"br"}, "br"),
        ("br;q=nonsense, gzip", {"br", "gzip"}, "gzip"),
    ],
)
def test_negotiation(header, available, chosen):
    assert negotiate(header, available) == chosen


@needs_runtimes
@pytest.mark.parametrize(
    "path",
    [
        WASM,
        "/web/imp.js",
        SDK + assets.SDK_MPY_BUNDLE,
        SDK + "iamport_py/imp.py",
        "/runtime/pyscript/core.js",
    ],
)
def test_every_encoding_gives_the_same_file(http, path):
    plain, body = raw(http, path)
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert int(plain.headers["content-length"]) == len(body)
    etags = {plain.headers["etag"]}
    for coding in ("br", "gzip"):
        response, packed = raw(http, path, coding)
        assert response.headers["content-encoding"] == coding
        assert "Accept-Encoding" in [v.strip() for v in response.headers["vary"].split(",")]
        assert response.headers["content-type"] == plain.headers["content-type"]
        assert int(response.headers["content-length"]) == len(packed) < len(body)
        assert decoded(response, packed) == body
        etags.add(response.headers["etag"])
    assert len(etags) == 3  # a cache must never take one encoding's ETag for another's


@needs_runtimes
def test_refused_encodings_are_not_sent(http):
    response, body = raw(http, WASM, "br;q=0, gzip;q=0")
    assert "content-encoding" not in response.headers and body[:4] == b"\0asm"
    response, _ = raw(http, WASM, "gzip, br;q=0")
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"] == "application/wasm"


@needs_runtimes
def test_versioned_files_are_immutable_and_entry_points_revalidated(http):
    for path in (
        WASM,
        SDK + assets.SDK_MPY_BUNDLE,
        SDK + "iamport-bridge.mjs",
        SDK + "iamport_py/__init__.py",
        "/runtime/{}/core.js".format(NAMED["pyscript"]),
    ):
        response, _ = raw(http, path, "br", Origin="http://shop.example")  # a merchant page
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == IMMUTABLE, path
        assert response.headers["access-control-allow-origin"] == "*", path
    for path in ("/web/imp.js", "/web/mpy.toml"):
        response, _ = raw(http, path, "br")
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "public, max-age=300", path
    for path in (
        "/",
        "/runtime/micropython/micropython.wasm",
        "/sdk/iamport_py/imp.py",
        "/sdk/" + assets.SDK_MPY_BUNDLE,
        "/sdk/iamport_py.zip",
    ):
        response, _ = raw(http, path, "br")
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-cache", path
    assert http.get("/users/pg/imp10000001").headers["cache-control"] == "no-store"


@needs_runtimes
@pytest.mark.parametrize("path", ["/web/imp.js", WASM, SDK + assets.SDK_MPY_BUNDLE])
def test_a_revalidation_is_answered_304_per_encoding(http, path):
    for coding in ("br", "gzip", None):
        response, _ = raw(http, path, coding)
        again, body = raw(http, path, coding, **{"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304 and body == b"", (path, coding)


def test_other_versions_are_not_served(http):
    assert http.get("/runtime/micropython@0.0.1/micropython.wasm").status_code == 404
    old_sdk = "/runtime/iamport-py@0.0.0-0000000000/"
    assert http.get(old_sdk + assets.SDK_MPY_BUNDLE).status_code == 404


@needs_runtimes
def test_imp_js_names_versioned_urls_the_sandbox_serves(http):
    text = http.get("/web/imp.js").text
    assert "/* interpreters */" not in text and "/* sdk unavailable */" not in text
    assert "runtime/pyscript" not in text  # imp.js boots the interpreter without PyScript
    assert json.dumps(MESSAGES[SDK_UNAVAILABLE], ensure_ascii=False) in text
    names = set(re.findall(r'"((?:runtime|sdk|web)/[^"]*)"', text))
    assert "runtime/{}/micropython.wasm".format(NAMED["micropython"]) in names
    loaded = [name for name in names if not name.endswith("/")]
    assert not [name for name in loaded if name.startswith(("runtime/pyscript/", "sdk/"))]
    for name in loaded:
        if "pyodide" in name:
            continue  # covered by the e2e tests (make test)
        response = http.get("/" + name)
        assert response.status_code == 200, name
        if name.startswith("runtime/"):
            assert response.headers["cache-control"] == IMMUTABLE, name


def test_the_sdk_bundles_are_the_package(http):
    sources = assets.unbundle(http.get(SDK + assets.SDK_PY_BUNDLE).content)
    assert sorted(sources) == assets.sdk_modules()
    assert sources["imp.py"] == http.get(SDK + "iamport_py/imp.py").content
    assert (
        http.get("/sdk/" + assets.SDK_PY_BUNDLE).content
        == http.get(SDK + assets.SDK_PY_BUNDLE).content
    )
    compiled = assets.unbundle(http.get(SDK + assets.SDK_MPY_BUNDLE).content)
    assert sorted(compiled) == sorted(name[:-3] + ".mpy" for name in assets.sdk_modules())
    assert all(data.startswith(b"M\x06") for data in compiled.values())  # .mpy format 6
    assert (
        http.get("/sdk/" + assets.SDK_MPY_BUNDLE).content
        == http.get(SDK + assets.SDK_MPY_BUNDLE).content
    )


def test_web_files_stay_inside_web(http):
    for path in (
        "/web/..%2Fconfig.py",
        "/web/.hidden",
        "/web/node_modules",
        "/sdk/iamport_py/x.py",
        "/runtime/{}/../config.py".format(NAMED["iamport-py"]),
    ):
        assert http.get(path).status_code == 404, path


def test_only_the_public_files_allow_any_origin(http):
    for path in ("/web/imp.js", "/sdk/" + assets.SDK_MPY_BUNDLE, WASM):
        response, _ = raw(http, path, Origin="http://shop.example")
        assert response.headers["access-control-allow-origin"] == "*", path
    for path in ("/", "/console/login", "/sandbox/static/sandbox.css"):
        response, _ = raw(http, path, Origin="http://shop.example")
        assert "access-control-allow-origin" not in response.headers, path


def test_the_files_every_boot_waits_for_are_compressed_when_the_app_starts(tmp_path):
    # Not on the first shopper's request after a start: brotli at its best quality takes
    # tens of milliseconds for the SDK bundle.
    from iamport_sandbox.app import create_app
    from iamport_sandbox.asset_routes import _variants
    from iamport_sandbox.config import Config

    _variants.cache_clear()
    app = create_app(Config(db_path=str(tmp_path / "store.sqlite3")))
    files = assets.sdk_files()
    for name in (assets.SDK_MPY_BUNDLE, assets.SDK_PY_BUNDLE, assets.BRIDGE):
        hits = _variants.cache_info().hits
        _variants(files[name])
        assert _variants.cache_info().hits == hits + 1, name
    app.state.store.close()


def test_imp_esm_js_is_served_like_imp_js_with_its_marks_written_in(http):
    """issue 22: the module form, an entry point as imp.js is (5 minutes, any origin, a
    JavaScript type a browser runs as a module); the codes it answers itself carry the one
    table's messages, slots.SDK_VERSION the SDK's versioned name."""
    response, body = raw(http, "/web/imp.esm.js", Origin="http://shop.example")
    text = body.decode("utf-8")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "/* messages" not in text and "/* sdk version */" not in text
    written = {code: MESSAGES[code] for code in ("NOT_INITIALIZED", "UNKNOWN_METHOD")}
    assert json.dumps(written, ensure_ascii=False) in text
    assert json.dumps(NAMED["iamport-py"]) in text
    # What it imports (imp.js, beside it) is served from the same folder.
    assert 'import "./imp.js";' in text and http.get("/web/imp.js").status_code == 200
    for coding in ("br", "gzip"):
        packed, data = raw(http, "/web/imp.esm.js", coding)
        assert decoded(packed, data) == body


def test_the_typings_are_served_as_text(http):
    response = http.get("/web/" + assets.TYPINGS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/typescript; charset=utf-8"
    assert response.text.startswith("// Generated by `python -m iamport_sandbox.typings`")
    assert "export declare function request_pay" in response.text
