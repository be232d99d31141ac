"""docs/architecture.md is true to the tree: its module tables name every Python module of
the two packages, once, and nothing that is not there."""

import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, "docs", "architecture.md")
PACKAGES = ("iamport_py", "iamport_sandbox")
# Installed runtimes and caches: no module of ours lives there.
NOT_MODULES = ("node_modules", "runtime", "__pycache__", "static", "templates")


def _tree():
    found = set()
    for package in PACKAGES:
        for folder, folders, files in os.walk(os.path.join(ROOT, package)):
            folders[:] = [name for name in folders if name not in NOT_MODULES]
            for name in files:
                if name.endswith(".py"):
                    found.add(os.path.relpath(os.path.join(folder, name), ROOT))
    return found


def _rows():
    with open(PAGE, encoding="utf-8") as source:
        return re.findall(
            r"^\| `((?:iamport_py|iamport_sandbox)/[^`]+\.py)` \|", source.read(), re.M
        )


def test_every_module_has_one_row_and_every_row_a_module():
    rows = _rows()
    assert len(rows) == len(set(rows)), "a module listed twice"
    tree = _tree()
    assert sorted(tree - set(rows)) == [], "modules the architecture page does not name"
    assert sorted(set(rows) - tree) == [], "rows for modules that are not there"
