"""iamport_py.testing's documented example runs as written: the one in its docstring, and
the README's copy of it (section ``README_HEADING``) is the same code."""

import os
import re
import textwrap

import iamport_py.testing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README_HEADING = "### Unit tests without a browser (`iamport_py.testing`)"


def docstring_example():
    """The indented block after the docstring's ``::``."""
    doc = iamport_py.testing.__doc__
    block = re.search(r"::\n\n((?:    .*\n|\n)+)", doc).group(1)
    return textwrap.dedent(block).strip() + "\n"


def test_the_docstring_example_runs():
    code = docstring_example()
    assert "approve(bridge" in code and "assert callback.rsp" in code
    exec(compile(code, "iamport_py.testing example", "exec"), {})


def test_the_readme_example_is_the_docstring_example():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as source:
        text = source.read()
    assert README_HEADING in text
    section = text[text.index(README_HEADING) :]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert block == docstring_example()
    exec(compile(block, "README example", "exec"), {})
