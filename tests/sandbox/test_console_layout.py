"""The console package's layout: its ``__init__`` holds the one route table and imports the
page modules; the page modules import the shared helpers (``session``, ``render``,
``guard``); nothing imports back up, so no module imports its caller."""

import ast
import inspect
import pathlib

from iamport_sandbox import console

PACKAGE = pathlib.Path(console.__file__).parent
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py"))
HELPERS = ("session", "render", "guard", "headers", "messages")


def _console_imports(module):
    """The console modules ``module`` imports (``__init__`` for the package itself)."""
    tree = ast.parse((PACKAGE / (module + ".py")).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "iamport_sandbox.console":
            found.update(
                alias.name if alias.name in MODULES else "__init__" for alias in node.names
            )
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "iamport_sandbox.console."
        ):
            found.add(node.module.rsplit(".", 1)[1])
        elif isinstance(node, ast.Import):
            found.update(
                "__init__" for alias in node.names if alias.name == "iamport_sandbox.console"
            )
    return found


def test_no_console_module_imports_the_package_that_imports_it():
    for module in MODULES:
        if module != "__init__":
            assert "__init__" not in _console_imports(module), module


def test_the_shared_helpers_import_no_page_module():
    for module in HELPERS:
        assert all(name in HELPERS for name in _console_imports(module)), module


def test_the_console_imports_have_no_loop():
    graph = {module: _console_imports(module) for module in MODULES}

    def reaches(start, target, seen=()):
        return any(
            name == target or (name not in seen and reaches(name, target, seen + (name,)))
            for name in graph[start]
        )

    assert [module for module in MODULES if reaches(module, module)] == []


def test_every_page_endpoint_has_its_route_in_the_one_table():
    routed = {route.endpoint for route in console.routes}
    pages = [getattr(console, name) for name in MODULES if name.endswith("_pages")]
    assert all(not hasattr(module, "routes") for module in pages)
    endpoints = {
        function
        for module in pages
        for name, function in vars(module).items()
        if not name.startswith("_")
        and inspect.iscoroutinefunction(function)
        and function.__module__ == module.__name__
    }
    assert len(endpoints) == len(routed) and endpoints <= routed
