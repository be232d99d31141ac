"""Packaging: one version, the browser assets found through importlib.resources, and the
self-hosting export with relative URLs only."""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib

import pytest

import iamport_py
from iamport_sandbox import assets

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_version_is_written_once():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as source:
        project = tomllib.load(source)["project"]
    assert "version" not in project and "version" in project["dynamic"]
    with open(os.path.join(assets.web_dir(), "package.json"), encoding="utf-8") as source:
        assert "version" not in json.load(source)
    assert re.fullmatch(r"\d+\.\d+\.\d+", iamport_py.__version__)


def test_the_sdk_depends_on_nothing_and_the_sandbox_on_ranges():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as source:
        project = tomllib.load(source)["project"]
    assert project["dependencies"] == []
    assert not [spec for spec in project["optional-dependencies"]["sandbox"] if "==" in spec]


def test_a_checkout_reads_the_top_level_web_folder():
    """web/ is the browser files' one source: a checkout (editable install) reads it there;
    the wheel carries a copy (test_the_wheel_carries_web_and_serves_it_outside_the_checkout)."""
    web = assets.web_dir()
    assert web == os.path.join(ROOT, "web")
    assert not os.path.exists(os.path.join(ROOT, "iamport_sandbox", "web"))
    for name in assets.SELF_HOSTED + ("index.html", "shop.py", "seed-example.html"):
        assert os.path.isfile(os.path.join(web, name)), name


def test_configs_files_and_imp_js_use_relative_urls():
    """PyScript resolves a config's files and JS modules against the config (relative
    here), its interpreter against the page (the export rewrites that one)."""
    web = assets.web_dir()
    for name in ("mpy.toml", "pyscript.toml"):
        with open(os.path.join(web, name), encoding="utf-8") as source:
            lines = [line for line in source if not line.startswith(("#", "interpreter"))]
        assert not re.search(r'"/(runtime|sdk|web)/', "".join(lines)), name
    with open(os.path.join(web, "imp.js"), encoding="utf-8") as source:
        assert not re.search(r'"/(runtime|sdk|web)/', source.read())


def test_export_writes_a_self_contained_folder(tmp_path):
    if not os.path.isdir(assets.runtime_dir()) and not os.path.isdir(
        os.path.join(assets.web_dir(), "node_modules")
    ):
        pytest.skip("no runtimes (make setup)")
    written = assets.export_assets(
        str(tmp_path),
        service="https://pay.example",
        user_code="imp99",
        interpreters=("micropython",),
    )
    assert [
        name
        for name in written  # runtime/micropython@<version>/: cached for a year
        if re.fullmatch(r"runtime/micropython@[^/]+/micropython\.wasm", name)
    ]
    assert not [name for name in written if name.startswith("runtime/pyodide")]
    assert not [name for name in written if name.endswith((".map", ".d.ts"))]
    for name in ("index.html", "js-example.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert not re.search(r'(src|href|config)="/', page), name
        assert "https://pay.example" in page and "imp99" in page
    for name in ("web/mpy.toml", "web/pyscript.toml"):
        config = (tmp_path / name).read_text(encoding="utf-8")
        assert not re.search(r'"/(runtime|sdk|web)/', config), name
    headers = (tmp_path / "_headers").read_text(encoding="utf-8")
    assert "application/wasm" in headers and "Access-Control-Allow-Origin" in headers


def test_export_assets_runs_without_the_sandbox_dependencies(tmp_path):
    """`iamport-sandbox export-assets` is standard library only: it runs with Starlette,
    uvicorn and Jinja2 hidden."""
    if not os.path.isdir(assets.runtime_dir()):
        pytest.skip("no runtimes (make setup)")
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, *args):\n"
        "        if name.split('.')[0] in ('starlette', 'uvicorn', 'jinja2', 'httpx'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from iamport_sandbox.__main__ import main\n"
        "sys.exit(main(['export-assets', sys.argv[1], '--interpreter', 'micropython']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "web" / "imp.js").is_file()


def test_every_subpackage_is_in_the_distribution():
    # A sub-package left out of `packages.find` installs fine in a checkout (editable) and
    # breaks every pip-installed sandbox at import.
    from setuptools import find_packages

    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as source:
        found = tomllib.load(source)["tool"]["setuptools"]["packages"]["find"]
    shipped = set(find_packages(ROOT, include=found["include"]))
    on_disk = set()
    for top in ("iamport_py", "iamport_sandbox"):
        for folder, folders, files in os.walk(os.path.join(ROOT, top)):
            if "__init__.py" not in files:
                folders[:] = []  # web/, templates/: data, not packages
                continue
            on_disk.add(os.path.relpath(folder, ROOT).replace(os.sep, "."))
    assert on_disk <= shipped, sorted(on_disk - shipped)


def test_every_web_file_is_carried_by_the_build_step():
    """imp.esm.js and imp.esm.d.ts (issue 22) ship in the wheel as imp.js does: every tracked
    file directly in web/ matches a pattern of the build step's list (WEB_FILES)."""
    web = assets.web_dir()
    tracked = subprocess.run(
        ["git", "ls-files", "web"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    names = [os.path.basename(path) for path in tracked if path.count("/") == 1]
    assert "imp.esm.js" in names and assets.TYPINGS in names
    assert sorted(names) == assets.web_files(web)
    assert assets.TYPINGS not in assets.SELF_HOSTED  # for builds: served, not deployed


def test_export_writes_the_module_and_its_sample_page(tmp_path):
    if not os.path.isdir(assets.runtime_dir()):
        pytest.skip("no runtimes (make setup)")
    written = assets.export_assets(
        str(tmp_path), service="https://pay.example", user_code="imp99", interpreters=("pyodide",)
    )
    assert "web/imp.esm.js" in written and "esm-example.html" in written
    page = (tmp_path / "esm-example.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href|from) ?="/', page)
    # Without MicroPython the sample asks the module for Pyodide.
    assert '"./web/imp.esm.js?interpreter=pyodide"' in page
    assert '"imp99"' in page and '"https://pay.example"' in page
    assert "imp.esm.js" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_every_export_template_is_package_data():
    """The export's sample pages, README and _headers are files of iamport_sandbox.assets: one
    left out of the wheel works in a checkout and breaks every installed export-assets."""
    import fnmatch

    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as source:
        patterns = tomllib.load(source)["tool"]["setuptools"]["package-data"]
    folder = os.path.join(ROOT, "iamport_sandbox", "assets", "export_templates")
    names = sorted(os.listdir(folder))
    assert {
        "python-page.html",
        "js-example.html",
        "esm-example.html",
        "_headers",
        "README.md",
    } <= set(names)
    for name in names:
        assert any(
            fnmatch.fnmatch("export_templates/" + name, pattern)
            for pattern in patterns["iamport_sandbox.assets"]
        ), name


def test_export_fills_every_placeholder_of_its_templates(tmp_path):
    if not os.path.isdir(assets.runtime_dir()):
        pytest.skip("no runtimes (make setup)")
    assets.export_assets(
        str(tmp_path),
        service="https://pay.example",
        user_code="imp99",
        interpreters=("micropython", "pyodide"),
    )
    for name in (
        "index.html",
        "index-pyodide.html",
        "js-example.html",
        "esm-example.html",
        "README.md",
        "_headers",
    ):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert not re.search(r"\$\{?[a-z_]+", text), name
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "IMP.init('imp99', service='https://pay.example')" in page


# What a merchant's `pip install .` gets: the wheel built from the checkout's files (as a
# fresh clone has them), installed into a new venv outside the checkout, run from elsewhere.
_RUN_INSTALLED = """
import asyncio, json, sys
import httpx
from iamport_sandbox import assets
from iamport_sandbox.app import create_app
from iamport_sandbox.config import Config
from iamport_sandbox.demo import ensure_demo_merchant
app = create_app(Config(db_path=sys.argv[1]))
ensure_demo_merchant(app.state.store)
async def get_all():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
        return {p: await client.get(p) for p in ("/", "/web/imp.js", "/web/imp.esm.d.ts")}
answers = asyncio.run(get_all())
print(json.dumps({
    "web": assets.web_dir(),
    "files": assets.web_files(assets.web_dir()),
    "statuses": {path: answer.status_code for path, answer in answers.items()},
    "imp_js": "IMP" in answers["/web/imp.js"].text,
}))
"""


def test_the_wheel_carries_web_and_serves_it_outside_the_checkout(tmp_path):
    source = tmp_path / "src"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for path in filter(None, listed):
        if os.path.isfile(os.path.join(ROOT, path)):  # a deleted file not yet committed
            os.makedirs((source / path).parent, exist_ok=True)
            shutil.copy2(os.path.join(ROOT, path), source / path)
    # No runtimes (they need npm and 15 MB of copies): the build step's copy of web/ is what
    # is under test; the runtimes' copy is the same step's other half (make dist).
    # Built as `pip install .` builds it: in its own environment, with the build requirements
    # of pyproject.toml from the package index.
    environment = dict(os.environ, IAMPORT_PY_NO_RUNTIMES="1")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
        + ["-w", str(tmp_path / "dist"), str(source)],
        env=environment,
        check=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("iamport_py-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site]
        + [str(wheel)],
        check=True,
        timeout=120,
    )
    # The sandbox's dependencies from this venv (a path entry: its .pth files, the editable
    # install of the checkout among them, are not read), the package from the new venv.
    dependencies = sysconfig.get_paths()["purelib"]
    done = subprocess.run(
        [python, "-c", _RUN_INSTALLED, str(tmp_path / "s.sqlite3")],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=dependencies),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["web"] == os.path.join(site, "iamport_sandbox", "web")
    assert found["files"] == assets.web_files(assets.web_dir())
    assert found["statuses"] == {"/": 200, "/web/imp.js": 200, "/web/imp.esm.d.ts": 200}
    assert found["imp_js"]
