"""iamport_py's imports form layers: no loop, and no import from a lower layer to a higher
one. Every import counts — at the top of a module, under ``if TYPE_CHECKING:`` and inside a
function — since each is an arrow a reader follows (and one that mypy or a page follows).
The graph is read from the sources with ``ast``, not from what an import leaves in
``sys.modules``: a function-level import runs only when the function does."""

import ast
import os

import iamport_py

PACKAGE = "iamport_py"
SOURCE = os.path.dirname(os.path.abspath(iamport_py.__file__))

LAYERS = (
    # Facts and pure helpers that import nothing of the package.
    ("foundation", ("errors", "urlcodec", "ids", "amounts")),
    # The seam: the Bridge interface and the type aliases the core shares. It knows no
    # implementation (httpx's transport base does not import its transports).
    ("seam", ("bridge",)),
    # The pure core: the catalog, the rules, the wire shapes, a request's way.
    (
        "core",
        (
            "catalog",
            "routing",
            "validation",
            "response",
            "protocol",
            "window_mode",
            "settings_loader",
            "request_lifecycle",
        ),
    ),
    # The bridge implementation for pages: the one module that imports js / pyscript.
    ("browser bridge", ("browser",)),
    # What chooses the bridge (the browser's, or the headless one it holds).
    ("host", ("host",)),
    # The façade merchants call.
    ("facade", ("imp",)),
    # Entry points: the package, imp.js's window.IMP, the test kit for merchants' suites.
    ("entry points", ("__init__", "js_api", "testing")),
)
"""Lowest first. A module may import modules of its own layer (no loop) and of lower ones."""

HOST_MODULES = ("js", "pyodide", "pyscript", "jsffi", "iamport_bridge")
"""What only exists in a page (docs/architecture.md, "Interpreter rules": every such import
lives in the bridge module)."""
BRIDGE_MODULE = "browser"


def modules():
    """The package's module names (``__init__`` for the package itself)."""
    return sorted(name[:-3] for name in os.listdir(SOURCE) if name.endswith(".py"))


def imports_of(source, module, known):
    """``(package modules, other top-level names)`` that ``source`` (of ``module``)
    imports anywhere: module level, under ``TYPE_CHECKING``, in functions."""
    inside, outside = set(), set()

    def add(dotted):
        parts = dotted.split(".")
        if parts[0] != PACKAGE:
            outside.add(parts[0])
        elif len(parts) == 1:
            inside.add("__init__")
        else:
            inside.add(parts[1])

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                # Relative: from the package (every module of iamport_py sits at its top).
                base = PACKAGE + ("." + base if base else "")
            if base == PACKAGE:
                # `from iamport_py import x`: the module x, else a name of the package.
                for alias in node.names:
                    add(PACKAGE + "." + alias.name if alias.name in known else PACKAGE)
            else:
                add(base)
    inside.discard(module)
    return inside, outside


def graph():
    """``{module: (package modules it imports, other top-level names it imports)}``."""
    known = modules()
    found = {}
    for module in known:
        with open(os.path.join(SOURCE, module + ".py"), encoding="utf-8") as handle:
            found[module] = imports_of(handle.read(), module, known)
    return found


def find_cycle(edges):
    """One loop of ``edges`` (``{node: targets}``) as a path ``[a, b, ..., a]``, or ``None``."""
    done, path = set(), []

    def visit(node):
        if node in path:
            return path[path.index(node) :] + [node]
        if node in done:
            return None
        path.append(node)
        for target in sorted(edges.get(node, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        path.pop()
        done.add(node)
        return None

    for node in sorted(edges):
        cycle = visit(node)
        if cycle:
            return cycle
    return None


def layering_violations(edges, layers):
    """``["a -> b (layer x imports layer y)", ...]`` for every arrow that runs up."""
    level = {
        module: (index, name) for index, (name, members) in enumerate(layers) for module in members
    }
    return [
        "{} -> {} ({} imports {})".format(module, target, level[module][1], level[target][1])
        for module in sorted(edges)
        for target in sorted(edges[module])
        if level[target][0] > level[module][0]
    ]


def test_every_module_has_one_layer():
    declared = [module for _, members in LAYERS for module in members]
    assert sorted(declared) == modules(), "place each module of iamport_py in LAYERS, once"


def test_no_import_loop():
    edges = {module: inside for module, (inside, _) in graph().items()}
    cycle = find_cycle(edges)
    assert cycle is None, "import loop: " + " -> ".join(cycle)


def test_no_import_runs_from_a_lower_layer_to_a_higher_one():
    edges = {module: inside for module, (inside, _) in graph().items()}
    assert layering_violations(edges, LAYERS) == []


def test_only_the_bridge_module_imports_what_exists_only_in_a_page():
    found = {
        module: sorted(outside & set(HOST_MODULES)) for module, (_, outside) in graph().items()
    }
    assert {module: names for module, names in found.items() if names} == {
        BRIDGE_MODULE: ["iamport_bridge", "js", "jsffi", "pyodide", "pyscript"]
    }


def test_the_seam_imports_nothing_of_the_package():
    assert graph()["bridge"][0] == set()


# -- the checker itself: it sees every kind of import, and it fails on what it must ----------


def test_type_checking_and_function_level_imports_are_arrows():
    source = (
        "from iamport_py import errors, IMP\n"
        "import iamport_py.catalog\n"
        "TYPE_CHECKING = False\n"
        "if TYPE_CHECKING:\n"
        "    from iamport_py.imp import Iamport\n"
        "def f():\n"
        "    from . import host\n"
        "    from .browser import expose\n"
        "    import json\n"
    )
    inside, outside = imports_of(source, "routing", modules())
    assert inside == {"errors", "__init__", "catalog", "imp", "host", "browser"}
    assert outside == {"json"}
    # And on the real tree: host's bridge choice is a function-level import, the core's
    # JsonDict a TYPE_CHECKING one.
    edges = graph()
    assert "browser" in edges["host"][0] and "bridge" in edges["routing"][0]


def test_the_checker_finds_a_loop_and_an_upward_arrow():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    layers = (("low", ("a",)), ("high", ("b",)))
    assert layering_violations({"a": {"b"}, "b": set()}, layers) == ["a -> b (low imports high)"]
    assert layering_violations({"a": set(), "b": {"a"}}, layers) == []
