"""The documentation: README.md short and opening with its two commands; every fenced code block
of README.md and docs/*.md read by a test (through tests/docs_text.py) or marked as output or an
illustration; the blocks no other test runs (shell commands, the export and its nginx
configuration, the test kit's example, the published REST clients) run or are checked here; and
the site builds with ``mkdocs build --strict`` and loads nothing from another host."""

import ast
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests import docs_text

ROOT = docs_text.ROOT
PAGES = ["README.md"] + sorted(
    "docs/" + name for name in os.listdir(os.path.join(ROOT, "docs")) if name.endswith(".md")
)
# Blocks that are output or listings, never code a merchant runs.
OUTPUT = {"console": "a shell session and what it prints", "text": "a listing or a diagram"}
# Blocks no test runs, each with its reason: ((page, heading, language, index), reason).
ILLUSTRATIONS = [
    (
        ("docs/protocol.md", "## 2. The request (page → frame)", "json", 0),
        "the shape of a protocol message ('…' marks the parameters), not code to copy; "
        "tests/portable/test_window_protocol.py plays the protocol",
    ),
    (
        ("docs/protocol.md", "## 3. The answer (frame → page)", "json", 0),
        "the shape of a protocol message, not code to copy",
    ),
    (
        ("docs/architecture.md", "### Interpreter rules", "python", 0),
        "the pattern the SDK's modules follow for typing names; mypy --strict checks the "
        "modules themselves",
    ),
]
# Where the tests that read blocks are.
TEST_FOLDERS = ("tests", "e2e", "examples", "bench")


# -- README.md -------------------------------------------------------------------------


def test_the_readme_is_at_most_250_lines():
    assert len(docs_text.read("README.md").splitlines()) <= 250


def test_the_readme_starts_with_the_two_commands():
    text = docs_text.read("README.md")
    assert text.startswith("# iamport-py\n\n```bash\nmake demo ")
    commands = docs_text.block("README.md", "# iamport-py", "bash")
    assert [line.split()[:2] for line in commands.splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]
    makefile = docs_text.read("Makefile")
    for target in ("demo", "test"):
        assert re.search(r"^{}:".format(target), makefile, re.M), target


# -- every block is read --------------------------------------------------------------


def _constants(tree):
    """Module-level ``NAME = "text"`` assignments of a test module."""
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
        ):
            found[node.targets[0].id] = node.value.value
    return found


def _value(node, constants):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    raise AssertionError("a docs_text call with an argument a reader cannot see: " + ast.dump(node))


def read_calls():
    """``[(test file, page, heading, language, index or None for all)]``: every
    ``docs_text.block`` / ``docs_text.blocks`` call in the tests."""
    calls = []
    for folder in TEST_FOLDERS:
        for base, _, names in os.walk(os.path.join(ROOT, folder)):
            if "node_modules" in base:
                continue
            for name in names:
                if not name.endswith(".py"):
                    continue
                path = os.path.join(base, name)
                with open(path, encoding="utf-8") as source:
                    tree = ast.parse(source.read())
                constants = _constants(tree)
                for node in ast.walk(tree):
                    if (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("block", "blocks")
                        and isinstance(node.func.value, ast.Name)
                        and node.func.value.id == "docs_text"
                    ):
                        args = [_value(arg, constants) for arg in node.args]
                        index = (
                            (args[3] if len(args) > 3 else 0) if node.func.attr == "block" else None
                        )
                        calls.append((os.path.relpath(path, ROOT), *args[:3], index))
    return calls


def _lines(page, heading, language, index):
    """The first lines of the blocks a call reads (all of them for ``index`` None)."""
    text = docs_text.read(page)
    start, end = docs_text.span(text, heading)
    _, fenced = docs_text.parse(text)
    found = [number for number, lang, _ in fenced if start < number < end and lang == language]
    return found if index is None else found[index : index + 1]


def test_every_block_is_read_by_a_test_or_marked_as_output():
    read = {}
    for test_file, page, heading, language, index in read_calls():
        lines = _lines(page, heading, language, index)
        assert lines, "{} reads a block {} does not have: {!r} {}".format(
            test_file, page, heading, language
        )
        for line in lines:
            read.setdefault((page, line), test_file)
    for (page, heading, language, index), reason in ILLUSTRATIONS:
        lines = _lines(page, heading, language, index)
        assert lines and reason, "a stale allow-list entry: {} {!r}".format(page, heading)
        for line in lines:
            assert (page, line) not in read, "allow-listed and read: {} {!r}".format(page, heading)
            read[(page, line)] = "ILLUSTRATIONS"
    unread = []
    for page in PAGES:
        _, fenced = docs_text.parse(docs_text.read(page))
        for line, language, code in fenced:
            if (page, line) not in read and language not in OUTPUT:
                unread.append(
                    "{}:{} ```{} {}".format(page, line + 1, language, code.split("\n")[0])
                )
    assert not unread, (
        "blocks no test reads (read them through tests/docs_text.py, or mark "
        "them as output or in ILLUSTRATIONS with a reason):\n" + "\n".join(unread)
    )


def test_the_readers_see_the_blocks_the_tests_read():
    calls = read_calls()
    readers = {test_file for test_file, *_ in calls}
    # The quick starts and the module example, the routing recipe, the unit-test example.
    assert {
        "e2e/test_readme.py",
        "e2e/test_routing_recipe.py",
        "tests/test_testing_kit.py",
    } <= readers, readers


# -- the shell commands ---------------------------------------------------------------


def _cli_help(*command):
    done = subprocess.run(
        [sys.executable, "-m", "iamport_sandbox", *command, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_install_commands_name_what_the_package_has():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as source:
        project = tomllib.load(source)["project"]
    for line in docs_text.block("README.md", "## Install", "bash").splitlines():
        words = shlex.split(line.split("#")[0])
        if words[:2] == ["pip", "install"]:
            extras = re.findall(r"\[(\w+)\]", words[2])
            assert words[2].startswith(".") and set(extras) <= set(
                project["optional-dependencies"]
            ), line
        else:
            assert words[0] in project["scripts"], line
            sub = [words[1]] if words[1:] and not words[1].startswith("-") else []
            options = _cli_help(*sub)
            for word in words[1:]:
                assert not word.startswith("--") or word in options, (line, word)


def test_the_export_command_writes_the_listed_folder(tmp_path):
    command = docs_text.block("docs/self-hosting.md", "## Exporting the files", "bash")
    words = shlex.split(command)
    assert words[:3] == ["iamport-sandbox", "export-assets", "./public/iamport"]
    target = tmp_path / "public" / "iamport"
    done = subprocess.run(
        [sys.executable, "-m", "iamport_sandbox", "export-assets", str(target), *words[3:]],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    for name in (
        "web/imp.js",
        "web/imp.esm.js",
        "web/mpy.toml",
        "web/pyscript.toml",
        "index.html",
        "index-pyodide.html",
        "js-example.html",
        "esm-example.html",
        "README.md",
        "_headers",
        "web/imp.js.br",
        "web/imp.js.gz",
    ):
        assert (target / name).is_file(), name
    written = (target / "README.md").read_text(encoding="utf-8")
    # The options took: the sample page is the merchant's, on the given service.
    sample = (target / "js-example.html").read_text(encoding="utf-8")
    assert "imp12345678" in sample and "https://service.iamport.kr" in sample
    # The nginx configuration the page shows is the one the export's README ships.
    nginx = docs_text.block("docs/self-hosting.md", "## Headers your server sends", "nginx")
    assert "```nginx\n" + nginx + "```" in written


# -- the test kit's example -------------------------------------------------------------


def test_the_test_kit_example_is_the_example_suite():
    code = docs_text.block("docs/test-kit.md", "## An example suite", "python")
    suite = docs_text.read("examples/merchant_suite/test_checkout_with_sandbox.py")
    imported = {
        (node.module, alias.name)
        for node in ast.parse(suite).body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    tree = ast.parse(code)
    assert any(isinstance(node, ast.FunctionDef) for node in tree.body)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            assert {(node.module, alias.name) for alias in node.names} <= imported
        else:
            assert ast.get_source_segment(code, node) in suite, node.name


# -- the published REST clients ---------------------------------------------------------


@pytest.fixture
def demo_sandbox(tmp_path):
    """A live sandbox with the demo merchant, the REST API also at the root of a second port."""
    from iamport_sandbox.app import create_app
    from iamport_sandbox.config import Config
    from iamport_sandbox.demo import DEMO, ensure_demo_merchant
    from tests.live import reuse_tls
    from tests.sandbox.test_rest_clients import TwoPortServer

    app = reuse_tls(create_app(Config(db_path=str(tmp_path / "docs.sqlite3"), demo_backend=DEMO)))
    ensure_demo_merchant(app.state.store)
    server = TwoPortServer(app).start()
    yield server
    server.stop()
    app.state.store.close()


def test_the_python_rest_client_block_talks_to_the_sandbox(demo_sandbox):
    code = docs_text.block(
        "docs/existing-code.md", "## Servers on the published REST clients", "python"
    )
    assert code.count("http://127.0.0.1:8000/api/") == 1
    names = {}
    exec(
        compile(
            code.replace("http://127.0.0.1:8000/api/", demo_sandbox.url + "/api/"),
            "docs/existing-code.md",
            "exec",
        ),
        names,
    )
    client = names["iamport"]
    client.prepare(merchant_uid="docs-python-1", amount=1000)
    assert client.prepare_validate(merchant_uid="docs-python-1", amount=1000)


def test_the_node_rest_client_block_talks_to_the_sandbox(demo_sandbox):
    clients = os.path.join(ROOT, "tests", "clients")
    assert os.path.isdir(os.path.join(clients, "node_modules", "iamport-rest-client-nodejs")), (
        "the Node client is not installed: run `make setup`"
    )
    code = docs_text.block(
        "docs/existing-code.md", "## Servers on the published REST clients", "js"
    )
    assert code.count("http://127.0.0.1:8001") == 1
    script = (
        code.replace("http://127.0.0.1:8001", demo_sandbox.api_url)
        + """
const { Prepare } = require("iamport-rest-client-nodejs").Request;
Prepare.postAmount({ merchant_uid: "docs-node-1", amount: 1000 }).request(iamport).then(
  (answer) => console.log(JSON.stringify(answer.data)),
  (error) => { console.error(String(error)); process.exit(1); });
"""
    )
    done = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, timeout=60, cwd=clients
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert (answer["code"], answer["response"]["merchant_uid"]) == (0, "docs-node-1")


# -- the site ---------------------------------------------------------------------------


class _Loads(HTMLParser):
    """What an HTML page makes the browser load: ``src`` of every element, ``href`` of
    ``link`` elements (stylesheets, icons, preloads), and ``url(...)`` in inline styles."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        self.urls += re.findall(r"url\(['\"]?([^'\")]+)", attrs.get("style") or "")


CSS_LOADS = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])(https?:)?//""")


def test_the_site_builds_strictly_and_loads_nothing_from_another_host(tmp_path):
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pages = sorted(site.rglob("*.html"))
    assert {"index.html", "merchant-api.html", "architecture.html"} <= {p.name for p in pages}
    external = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for host in ("fonts.googleapis.com", "fonts.gstatic.com"):
            if host in text:
                external.append("{}: {}".format(path.name, host))
        if path.suffix == ".css" and CSS_LOADS.search(text):
            external.append("{}: a stylesheet loads from another host".format(path.name))
        if path.suffix == ".html":
            parser = _Loads()
            parser.feed(text)
            for url in parser.urls:
                if urlsplit(url).scheme in ("http", "https") or url.startswith("//"):
                    external.append("{}: {}".format(path.name, url))
    assert not external, "\n".join(external)
