"""What importing the package leaves behind, on CPython and on MicroPython."""

import sys

import iamport_py

KEPT = ("json", "random")


def test_the_built_in_modules_the_package_uses_are_kept_in_sys_modules():
    # MicroPython keeps no built-in module there by itself, and so searched every folder
    # of sys.path for a json.py at each of the package's `import json`. Taken out first:
    # on CPython an `import json` would put it back by itself, whatever the package does.
    saved = {name: sys.modules.pop(name, None) for name in KEPT}
    try:
        iamport_py._keep_builtin_modules()
        kept = {name: sys.modules.get(name) for name in KEPT}
    finally:
        for name, module in saved.items():
            if module is not None:
                sys.modules[name] = module
    assert [name for name in KEPT if kept[name] is None] == []
    assert callable(kept["json"].dumps) and callable(kept["random"].getrandbits)
