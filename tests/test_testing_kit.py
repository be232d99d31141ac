"""iamport_py.testing's documented example runs as written: the one in its docstring, and
the copy of it in docs/test-kit.md is the same code."""

import re
import textwrap

import iamport_py.testing
from tests import docs_text


def docstring_example():
    """The indented block after the docstring's ``::``."""
    doc = iamport_py.testing.__doc__
    block = re.search(r"::\n\n((?:    .*\n|\n)+)", doc).group(1)
    return textwrap.dedent(block).strip() + "\n"


def test_the_docstring_example_runs():
    code = docstring_example()
    assert "approve(bridge" in code and "assert callback.rsp" in code
    exec(compile(code, "iamport_py.testing example", "exec"), {})


def test_the_docs_example_is_the_docstring_example():
    block = docs_text.block(
        "docs/test-kit.md", "## Unit tests without a browser (`iamport_py.testing`)", "python"
    )
    assert block == docstring_example()
    exec(compile(block, "docs/test-kit.md example", "exec"), {})
