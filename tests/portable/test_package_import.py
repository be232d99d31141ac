"""What importing the package leaves behind, on CPython and on MicroPython."""

import sys

import iamport_py


def test_the_built_in_modules_the_package_uses_are_kept_in_sys_modules():
    # MicroPython keeps no built-in module there by itself, and so searched every folder
    # of sys.path for a json.py at each of the package's `import json`.
    import json
    import random

    assert sys.modules["json"] is json and sys.modules["random"] is random
    assert iamport_py.IMP is not None
