"""One interpreter table (``web/interpreters.json``): imp.js and the demo
page get it written in as they are served, the configs' ``interpreter`` lines and the
export's pages agree with it, and no other file spells a runtime path or script type."""

import json
import re

import pytest

from iamport_sandbox import assets

WEB = assets.web_dir()


def _web(name):
    with open("{}/{}".format(WEB, name), encoding="utf-8") as source:
        return source.read()


def test_the_table_names_runtimes_that_ship():
    for name, entry in assets.INTERPRETER_TABLE.items():
        assert entry["script_type"] in ("py", "mpy")
        folder = entry["runtime"].split("/")[1]
        assert folder == name and folder in assets.RUNTIMES
        shipped = assets.RUNTIMES[folder]["files"]
        for _, path in entry["preload"] + [["modulepreload", entry["runtime"]]]:
            assert path.startswith("runtime/{}/".format(folder))
            assert path.rsplit("/", 1)[1] in shipped


@pytest.mark.parametrize("page", ["imp.js", "index.html"])
def test_pages_take_the_table_instead_of_spelling_it(page):
    text = _web(page)
    assert text.count(assets.INTERPRETERS_MARK) == 1
    code = re.sub(r"//.*|<!--.*?-->", "", text)  # comments may name them
    assert not re.search(r"runtime/(micropython|pyodide)/|[\"']mpy[\"']", code)


def test_served_pages_carry_the_table_with_versioned_paths():
    named = assets.versions()
    text = assets.versioned(_web("imp.js"), named)
    start = text.index("const INTERPRETERS = ") + len("const INTERPRETERS = ")
    table = json.JSONDecoder().raw_decode(text[start:])[0]
    assert set(table) == set(assets.INTERPRETER_TABLE)
    for name, entry in table.items():
        assert entry["runtime"].startswith("runtime/{}/".format(named[name]))


@pytest.mark.parametrize("name", sorted(assets.INTERPRETER_TABLE))
def test_each_config_boots_its_interpreter(name):
    entry = assets.INTERPRETER_TABLE[name]
    config = _web(entry["config"].split("/", 1)[1])
    assert re.search(r'^interpreter = "/{}"$'.format(re.escape(entry["runtime"])), config, re.M)
