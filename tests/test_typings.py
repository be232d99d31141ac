"""imp.esm.d.ts is the generator's output (never edited by hand, never stale), its unions are
the catalog's and the error table's, and it declares every parameter the SDK checks and every
response field a window may report. `make types` then runs the pinned tsc on tests/types."""

import json
import os
import re

import pytest

from iamport_py import catalog, errors, response, validation
from iamport_sandbox import assets, typings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPES = os.path.join(ROOT, "tests", "types")
# iamport.esm.js (1.3)'s exports.
ESM_EXPORTS = {
    "init",
    "agency",
    "request_pay",
    "certification",
    "close",
    "deinit",
    "communicate",
    "naver_zzim",
    "loadUI",
    "updateLoadUIRequest",
    "loadModule",
    "slots",
    "default",
}


def _declarations():
    with open(typings.TARGET, encoding="utf-8") as handle:
        return handle.read()


def _union(text, name):
    body = re.search(r"export type {} =\n((?:  \| \"[^\"]+\"\n?)+);".format(name), text)
    assert body, name
    return re.findall(r'"([^"]+)"', body.group(1))


def _fields(table):
    return {name.rstrip("?"): kind for name, kind, _ in table}


def test_the_declarations_are_the_generators_output():
    assert _declarations() == typings.render(), (
        "imp.esm.d.ts is stale: run python -m iamport_sandbox.typings"
    )


def test_the_declarations_sit_beside_the_module_as_typescript_looks_for_them():
    assert os.path.basename(typings.TARGET) == assets.TYPINGS == "imp.esm.d.ts"
    assert os.path.dirname(typings.TARGET) == assets.web_dir()


def test_the_check_mode_fails_on_a_stale_file(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "imp.esm.d.ts"
    stale.write_text(typings.render().replace('"kakaopay"', '"kakao_pay"'), encoding="utf-8")
    monkeypatch.setattr(typings, "TARGET", str(stale))
    assert typings.main(["--check"]) == 1
    assert '-  | "kakao_pay"' in capsys.readouterr().out
    assert typings.main([]) == 0
    assert typings.main(["--check"]) == 0


def test_the_unions_are_the_catalogs_and_the_error_tables():
    text = _declarations()
    entries = [catalog.PGS[code] for code in catalog.CODES]
    assert _union(text, "PgCode") == [entry["code"] for entry in entries if entry["payment"]]
    assert set(_union(text, "CertificationPgCode")) == {
        entry["code"] for entry in entries if entry["certification"]
    }
    assert set(_union(text, "PayMethod")) == {
        method for entry in entries for method in entry["pay_methods"]
    }
    assert set(_union(text, "Currency")) == {
        currency for entry in entries for currency in entry["currencies"]
    }
    assert set(_union(text, "Language")) == {
        language for entry in entries for language in entry["languages"]
    }
    assert _union(text, "ErrorCode") == list(errors.MESSAGES)
    # "code" and "code.MID", as the routing rule reads pg; "" for the default.
    assert 'export type PgValue = "" | PgCode | `${PgCode}.${string}`;' in text


def test_pg_is_deprecated_for_channel_key():
    for table in (typings.PAY_PARAMS, typings.CERTIFICATION_PARAMS):
        docs = {name: doc for name, _, doc in table}
        assert docs["pg?"].startswith("@deprecated Replaced by `channelKey`")
        assert _fields(table)["channelKey"] == "string"


def test_every_parameter_the_sdk_checks_is_declared_with_its_type():
    pay, certification = _fields(typings.PAY_PARAMS), _fields(typings.CERTIFICATION_PARAMS)
    declared = {**certification, **pay}
    strings = ("string", "PgValue", "PayMethod", "Currency", "Language", '"SKT"')
    for field in validation.STRING_FIELDS:
        assert field in declared, field
        assert declared[field].startswith(strings), (field, declared[field])
    for field in validation.BOOL_FIELDS:
        assert declared[field] == "boolean", field
    for field in validation.OWN_RULES:
        assert field in pay, field
    assert pay["amount"] == "number"  # required: the only name without "?"
    assert [name for name, _, _ in typings.PAY_PARAMS if not name.endswith("?")] == ["amount"]
    assert pay["notice_url"] == "string | string[]"  # as check_types takes it
    assert certification["min_age"] == "number"


@pytest.mark.parametrize(
    "rule",
    [rule for rule in catalog.COMMON_RULES]
    + [rule for code in catalog.CODES for rule in catalog.PGS[code]["rules"]],
    ids=lambda rule: rule["field"],
)
def test_every_catalog_rule_field_is_declared_with_its_type(rule):
    kind = _fields(typings.PAY_PARAMS)[rule["field"]]
    expected = {"boolean": "boolean", "string": "string", "objects": "Array<"}
    if "type" in rule:
        assert kind.startswith(expected[rule["type"]]), (rule, kind)
    if "format" in rule or "strip" in rule:
        assert kind == "string", (rule, kind)


def test_every_response_field_is_typed():
    always = [name for name, _, _ in typings.ALWAYS]
    assert always == ["success", "imp_uid", "merchant_uid", "error_code", "error_msg"]
    assert set(typings.RESPONSE_TYPES) == set(response.WINDOW_FIELDS) - set(always)


def test_the_module_declares_iamport_esm_js_exports():
    text = _declarations()
    declared = set(re.findall(r"^export declare (?:function|const) (\w+)", text, re.M))
    assert declared | {"default"} == ESM_EXPORTS
    assert "export default _default;" in text
    assert "var IMP: IamportWindow;" in text  # the global form (imp.js's window.IMP)


def test_the_type_check_pins_its_typescript():
    with open(os.path.join(TYPES, "package.json"), encoding="utf-8") as handle:
        pinned = json.load(handle)["dependencies"]
    assert list(pinned) == ["typescript"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned["typescript"])  # exact, not a range
    with open(os.path.join(TYPES, "package-lock.json"), encoding="utf-8") as handle:
        locked = json.load(handle)["packages"]["node_modules/typescript"]
    assert locked["version"] == pinned["typescript"]
    assert locked["integrity"].startswith("sha512-")


def test_the_examples_cover_both_forms_and_refusals():
    examples = {}
    for name in sorted(os.listdir(TYPES)):
        if name.endswith(".ts"):
            with open(os.path.join(TYPES, name), encoding="utf-8") as handle:
                examples[name] = handle.read()
    joined = "\n".join(examples.values())
    assert 'pg : "kakaopay"' in joined and 'pg : "html5_inicis.MID-b"' in joined  # the seed's
    assert "channel-key-98765432-9876-5432-1098-987654321098" in joined  # the current guide's
    assert 'import * as IMP from "./imp.esm.js";' in joined
    assert [name for name, text in examples.items() if "import" not in text]  # window.IMP
    assert joined.count("// @ts-expect-error") >= 10
