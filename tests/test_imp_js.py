"""imp.js and the configs load the SDK's modules without PyScript's zip plugin: imp.js as one
JSON bundle, the configs as plain files from a list of their own, which must be the package's
modules. And the self-hosting export: versioned folders, every text and wasm file compressed."""

import gzip
import json
import os
import re
import subprocess
import sys

import brotli
import pytest

from iamport_sandbox import assets
from iamport_sandbox.assets import SELF_HOSTED, sdk_modules, web_dir


def _web(name):
    with open(os.path.join(web_dir(), name), encoding="utf-8") as handle:
        return handle.read()


def test_imp_js_loads_the_sdk_as_one_bundle():
    text = _web("imp.js")
    assert "asset(interpreter.sdk)" in text
    assert assets.INTERPRETER_TABLE["micropython"]["sdk"] == "sdk/" + assets.SDK_MPY_BUNDLE
    assert assets.INTERPRETER_TABLE["pyodide"]["sdk"] == "sdk/" + assets.SDK_PY_BUNDLE
    assert "iamport_py.zip" not in text


@pytest.mark.parametrize(
    "name, bundle", [("mpy.toml", assets.SDK_MPY_BUNDLE), ("pyscript.toml", assets.SDK_PY_BUNDLE)]
)
def test_configs_bring_the_sdk_as_its_init_and_one_bundle(name, bundle):
    text = _web(name)
    assert ".zip" not in text
    files = re.findall(r'^"([^"]+)" = "([^"]+)"$', text.split("[files]")[1].split("[")[0], re.M)
    assert files == [
        ("../sdk/" + bundle, "./iamport_py/_bundle"),
        ("../sdk/iamport_py/__init__.py", "./iamport_py/__init__.py"),
    ]


def test_init_unpacks_a_bundle_beside_it(tmp_path):
    """What a PyScript page gets: __init__.py and _bundle in ./iamport_py/; importing the
    package writes the other modules out and imports them (here on CPython, the .py bundle;
    the e2e tests load both bundles in Chromium)."""
    package = tmp_path / "iamport_py"
    package.mkdir()
    files = assets.sdk_files()
    (package / "__init__.py").write_bytes(files["iamport_py/__init__.py"])
    (package / "_bundle").write_bytes(files[assets.SDK_PY_BUNDLE])
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import iamport_py, sys; print(iamport_py.__file__, iamport_py.IMP.__class__.__name__)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(tmp_path)),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(package / "__init__.py"), "Iamport"]
    assert sorted(path.name for path in package.glob("*.py")) == sdk_modules()


def test_imp_js_starts_the_settings_request_as_the_tag_runs():
    text = _web("imp.js")
    assert "prefetchSettings(tag.dataset.userCode)" in text
    assert "imp.js" in SELF_HOSTED


def test_versioned_rewrites_only_runtime_and_sdk_urls():
    named = {
        "pyscript": "pyscript@1",
        "micropython": "micropython@2",
        "pyodide": "pyodide@3",
        "iamport-py": "iamport-py@4-abc",
    }
    text = (
        '"../runtime/pyscript/core.js" "/runtime/micropython/x.wasm" "sdk/iamport_py/imp.py" '
        '"sdk/iamport_py-mpy.bundle" "sdk/iamport_py.zip" "web/iamport-bridge.mjs" '
        '"web/imp.js"'
    )
    assert assets.versioned(text, named) == (
        '"../runtime/pyscript@1/core.js" "/runtime/micropython@2/x.wasm" '
        '"runtime/iamport-py@4-abc/iamport_py/imp.py" '
        '"runtime/iamport-py@4-abc/iamport_py-mpy.bundle" '
        '"sdk/iamport_py.zip" "runtime/iamport-py@4-abc/iamport-bridge.mjs" "web/imp.js"'
    )


def test_the_sdk_version_changes_with_any_byte():
    files = assets.sdk_files()
    changed = dict(files, **{"iamport_py/imp.py": files["iamport_py/imp.py"] + b"\n"})
    assert assets.sdk_version(files) != assets.sdk_version(changed)
    assert assets.unbundle(files[assets.SDK_PY_BUNDLE])["imp.py"] == files["iamport_py/imp.py"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    if not os.path.isdir(assets.runtime_dir()):
        pytest.skip("no runtimes (make setup)")
    folder = tmp_path_factory.mktemp("export")
    return folder, assets.export_assets(str(folder), interpreters=("micropython",))


def test_export_writes_versioned_folders_that_imp_js_names(exported):
    folder, written = exported
    named = assets.versions()
    sdk = "runtime/{}/".format(named["iamport-py"])
    for name in sdk_modules():
        assert sdk + "iamport_py/" + name in written
    assert sdk + assets.SDK_PY_BUNDLE in written and sdk + "iamport-bridge.mjs" in written
    assert sdk + assets.SDK_MPY_BUNDLE in written
    assert "runtime/{}/micropython.wasm".format(named["micropython"]) in written
    assert not [name for name in written if re.match(r"runtime/[^/@]+/", name)]
    imp_js = (folder / "web" / "imp.js").read_text(encoding="utf-8")
    named_paths = re.findall(r'"((?:runtime|web)/[^"]*[^/"])"', imp_js)
    assert "runtime/{}/micropython.mjs".format(named["micropython"]) in named_paths
    for path in named_paths:
        if "pyodide" not in path:
            assert path in written, path
    headers = (folder / "_headers").read_text(encoding="utf-8")
    assert "immutable" in headers and "max-age=300" in headers and "no-cache" in headers


def test_export_writes_gzip_and_brotli_beside_every_text_and_wasm_file(exported):
    folder, written = exported
    plain = [name for name in written if not name.endswith((".gz", ".br"))]
    for name in plain:
        if not assets.compressible(name):
            continue
        data = (folder / name).read_bytes()
        if len(data) < 200:
            continue  # too small to gain 5 %
        assert gzip.decompress((folder / (name + ".gz")).read_bytes()) == data, name
        assert brotli.decompress((folder / (name + ".br")).read_bytes()) == data, name
        assert name + ".gz" in written and name + ".br" in written


# -- imp.esm.js (issue 22): the ES module form, on imp.js's boot -----------------------

# iamport.esm.js (1.3)'s exports.
ESM_EXPORTS = [
    "agency",
    "certification",
    "close",
    "communicate",
    "default",
    "deinit",
    "init",
    "loadModule",
    "loadUI",
    "naver_zzim",
    "request_pay",
    "slots",
    "updateLoadUIRequest",
]


def test_imp_esm_js_has_the_exports_of_iamport_esm_js():
    text = _web("imp.esm.js")
    names = re.findall(r"^export (?:async )?(?:function|const) (\w+)", text, re.M)
    assert "export default " in text
    assert sorted([*names, "default"]) == ESM_EXPORTS
    assert "imp.esm.js" in SELF_HOSTED


def test_imp_esm_js_runs_imp_js_boot_instead_of_a_copy():
    module, script = _web("imp.esm.js"), _web("imp.js")
    assert 'import "./imp.js";' in module and "globalThis.__iamportBoot({" in module
    # Imported as a module imp.js has no currentScript: it hands its boot over, runs nothing.
    assert "globalThis.__iamportBoot = boot;" in script
    for boot_only in ("unbundle", "loadMicroPython", "registerJsModule", "asset(", "preload"):
        assert boot_only not in module, boot_only


def test_imp_esm_js_answers_only_documented_codes_itself():
    text = _web("imp.esm.js")
    marks = assets.MESSAGES_MARK.findall(text)
    assert marks == ["NOT_INITIALIZED UNKNOWN_METHOD"]
    answered = set(re.findall(r'(?:refuse\(|message\()"([A-Z_]+)"', text))
    assert answered == set(marks[0].split())
    assert assets.VERSION_MARK in text


def test_the_messages_mark_writes_the_one_tables_messages():
    from iamport_py.errors import MESSAGES

    named = {"pyscript": "p@1", "micropython": "m@2", "pyodide": "y@3", "iamport-py": "i@4-a"}
    text = assets.versioned(
        "const M = /* messages UNKNOWN_METHOD */ null; const V = /* sdk version */ null;", named
    )
    assert text == 'const M = {}; const V = "i@4-a";'.format(
        json.dumps({"UNKNOWN_METHOD": MESSAGES["UNKNOWN_METHOD"]}, ensure_ascii=False)
    )


def test_export_writes_imp_esm_js_with_imp_js_beside_it(exported):
    folder, written = exported
    assert "web/imp.esm.js" in written and "web/imp.js" in written
    module = (folder / "web" / "imp.esm.js").read_text(encoding="utf-8")
    assert "/* messages" not in module and "/* sdk version */" not in module
    assert '"{}"'.format(assets.versions()["iamport-py"]) in module
    assert not [name for name in written if name.endswith(".d.ts")]  # build-time, not deployed
    page = (folder / "esm-example.html").read_text(encoding="utf-8")
    assert 'import * as IMP from "./web/imp.esm.js";' in page
