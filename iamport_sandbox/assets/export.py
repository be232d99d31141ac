"""``iamport-sandbox export-assets``: the folder a merchant deploys to self-host the SDK.

imp.js, imp.esm.js and the configs under ``web/``; the SDK, its JS half and the runtimes in
versioned folders (``runtime/<name>@<version>/``); sample pages, ``README.md`` and ``_headers``
from the templates in ``export_templates/`` (``$name`` placeholders, :class:`string.Template`);
a ``.gz`` and a ``.br`` beside every text and wasm file. Standard library only: it runs
without the sandbox's dependencies."""

import os
import shutil
from collections.abc import Sequence
from importlib.resources import files
from string import Template

import iamport_py
from iamport_sandbox.assets.build import copy_runtimes
from iamport_sandbox.assets.bundles import BRIDGE, sdk_files
from iamport_sandbox.assets.compression import ENCODINGS, write_compressed
from iamport_sandbox.assets.layout import INTERPRETER_TABLE, SELF_HOSTED, runtime_dir, web_dir
from iamport_sandbox.assets.versions import SDK_PACKAGE, pinned_versions, versioned, versions

# Per interpreter: PyScript's script type and the config its Python pages name.
INTERPRETERS = {
    name: (entry["script_type"], entry["config"]) for name, entry in INTERPRETER_TABLE.items()
}


def template(name: str) -> Template:
    """One of ``export_templates/``, read from the package with :mod:`importlib.resources`."""
    folder = files("iamport_sandbox.assets") / "export_templates"
    return Template((folder / name).read_text(encoding="utf-8"))


def _preloads(interpreter: str, named: dict[str, str]) -> str:
    """The head links that start a Python page's runtime downloads at once."""
    entry = INTERPRETER_TABLE[interpreter]
    folder = "runtime/" + named[interpreter]

    def here(path: str) -> str:
        return folder + "/" + os.path.basename(path)

    links = ['  <link rel="modulepreload" href="{}">'.format(here(entry["runtime"]))]
    for kind, path in entry["preload"]:
        if kind == "modulepreload":
            links.append('  <link rel="modulepreload" href="{}">'.format(here(path)))
        else:
            links.append(
                '  <link rel="preload" as="fetch" crossorigin href="{}">'.format(here(path))
            )
    return "\n".join(links)


def _write_entry_points(target: str, base: str, named: dict[str, str]) -> None:
    """imp.js, imp.esm.js and the configs into ``target/web/``, their URLs versioned."""
    os.makedirs(os.path.join(target, "web"), exist_ok=True)
    for name in SELF_HOSTED:
        if name == BRIDGE:
            continue  # in the SDK's versioned folder
        with open(os.path.join(base, name), encoding="utf-8") as handle:
            text = handle.read()
        if name.endswith(".toml"):
            # PyScript resolves `interpreter` against the page: relative to the folder's
            # root, where the sample pages are (the other paths are relative to the config).
            text = text.replace('interpreter = "/runtime/', 'interpreter = "runtime/')
        with open(os.path.join(target, "web", name), "w", encoding="utf-8") as handle:
            handle.write(versioned(text, named))


def _write_runtimes(
    runtime_target: str,
    base: str,
    names: Sequence[str],
    named: dict[str, str],
    node_modules: str | None,
) -> None:
    """The runtimes into their versioned folders: from the package's ``web/runtime``, or, in
    a checkout where they were not copied yet, from ``node_modules``."""
    source = runtime_dir(base)
    if all(os.path.isdir(os.path.join(source, name)) for name in names):
        for name in names:
            folder = os.path.join(runtime_target, named[name])
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(os.path.join(source, name), folder)
        return
    node_modules = node_modules or os.path.join(base, "node_modules")
    if not os.path.isdir(node_modules):
        raise RuntimeError("no runtime files in {} (run `make setup` in a checkout)".format(source))
    copy_runtimes(node_modules, runtime_target, names)
    for name in names:
        folder = os.path.join(runtime_target, named[name])
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(os.path.join(runtime_target, name), folder)


def _pages(
    service: str,
    user_code: str,
    interpreters: Sequence[str],
    named: dict[str, str],
    names: Sequence[str],
    base: str,
) -> dict[str, str]:
    """``{file name: text}`` of the sample pages, ``_headers`` and ``README.md``."""
    pages = {}
    for interpreter in interpreters:
        script_type, config = INTERPRETERS[interpreter]
        name = (
            "index.html" if interpreter == interpreters[0] else "index-{}.html".format(interpreter)
        )
        pages[name] = template("python-page.html").substitute(
            interpreter=interpreter,
            script_type=script_type,
            config=config,
            user_code_literal=repr(user_code),
            service_literal=repr(service),
            preload=_preloads(interpreter, named),
        )
    with_micropython = "micropython" in interpreters
    pages["js-example.html"] = template("js-example.html").substitute(
        user_code=user_code,
        service=service,
        interpreter_attribute="" if with_micropython else 'data-interpreter="pyodide" ',
    )
    pages["esm-example.html"] = template("esm-example.html").substitute(
        user_code=user_code,
        service=service,
        query="" if with_micropython else "?interpreter=pyodide",
    )
    pages = {name: versioned(text, named) for name, text in pages.items()}
    pages["_headers"] = template("_headers").template
    pages["README.md"] = template("README.md").substitute(
        version="iamport-py " + iamport_py.__version__,
        user_code=user_code,
        service=service,
        sdk=named[SDK_PACKAGE],
        pyscript=named["pyscript"],
        runtimes="/`, `runtime/".join(named[name] for name in names),
        versions=", ".join(
            "{} {}".format(package, version)
            for package, version in sorted(pinned_versions(base).items())
        ),
    )
    return pages


def _compress_all(target: str) -> list[str]:
    """A ``.gz`` and ``.br`` beside every file of ``target`` that lacks them; every relative
    path written, sorted."""
    written = []
    for folder, _, entries in os.walk(target):
        for entry in entries:
            path = os.path.join(folder, entry)
            if entry.endswith((".gz", ".br")):
                continue
            if not os.path.exists(path + ".gz"):  # the runtimes come with theirs
                write_compressed(path)
            written.append(os.path.relpath(path, target))
    written += [
        name + suffix
        for name in list(written)
        for _, suffix in ENCODINGS
        if os.path.exists(os.path.join(target, name + suffix))
    ]
    return sorted(written)


def export_assets(
    target: str,
    service: str = "https://service.iamport.kr",
    user_code: str = "imp00000000",
    interpreters: Sequence[str] = ("micropython", "pyodide"),
    node_modules: str | None = None,
) -> list[str]:
    """Write what a merchant deploys into ``target``; returns the list of relative paths.

    Runtimes come from the package (``web/runtime``) or, in a checkout where they were not
    copied yet, from ``node_modules``. They and the SDK go into versioned folders
    (``runtime/<name>@<version>/``) that imp.js, the configs and the pages name; every text and
    wasm file gets its ``.gz`` and ``.br`` beside it."""
    base = web_dir()
    names = ["pyscript", *interpreters]
    sdk = sdk_files(base)
    named = versions(base, sdk)
    runtime_target = os.path.join(target, "runtime")
    _write_entry_points(target, base, named)
    for relative, data in sdk.items():
        path = os.path.join(runtime_target, named[SDK_PACKAGE], *relative.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
    _write_runtimes(runtime_target, base, names, named, node_modules)
    pages = _pages(service, user_code, interpreters, named, names, base)
    for name, text in pages.items():
        with open(os.path.join(target, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    return _compress_all(target)
