"""Versioned URLs, cached a year (``immutable``): ``runtime/<name>@<npm version>/`` for the
runtimes and ``runtime/iamport-py@<version>-<content hash>/`` for the SDK's modules
(``iamport_py/*.py``), its bundles and its JS half (``iamport-bridge.mjs``). :func:`versioned`
rewrites the entry points (imp.js, the configs, the pages) to name them, and writes in the
facts they get from the SDK's tables; the unversioned URLs keep working."""

import hashlib
import json
import os
import re

import iamport_py
from iamport_py.errors import MESSAGES, SDK_UNAVAILABLE
from iamport_sandbox.assets.bundles import BRIDGE, SDK_MPY_BUNDLE, SDK_PY_BUNDLE, sdk_files
from iamport_sandbox.assets.layout import INTERPRETER_TABLE, RUNTIMES, web_dir

SDK_PACKAGE = "iamport-py"
INTERPRETERS_MARK = "/* interpreters */ null"
# imp.js answers SDK_UNAVAILABLE itself (no Python runs then): its messages from the one table.
UNAVAILABLE_MARK = "/* sdk unavailable */ null"
# imp.esm.js answers a few codes itself too: ``/* messages CODE … */ null`` becomes
# ``{"CODE": [Korean, English], …}``; ``/* sdk version */ null`` the SDK's versioned name.
MESSAGES_MARK = re.compile(r"/\* messages ([A-Z0-9_ ]+) \*/ null")
VERSION_MARK = "/* sdk version */ null"


def pinned_versions(base: str | None = None) -> dict[str, str]:
    """``{npm package: version}`` as ``web/package.json`` pins them."""
    with open(os.path.join(base or web_dir(), "package.json"), encoding="utf-8") as handle:
        pinned: dict[str, str] = json.load(handle)["dependencies"]
    return pinned


def sdk_version(files: dict[str, bytes]) -> str:
    """``<iamport_py.__version__>-<hash of the files>``: a new URL whenever a byte changes,
    also in a checkout where the version number does not."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return "{}-{}".format(iamport_py.__version__, digest.hexdigest()[:10])


def versions(base: str | None = None, files: dict[str, bytes] | None = None) -> dict[str, str]:
    """``{folder name under runtime/: versioned folder name}``, e.g. ``micropython`` ->
    ``micropython@1.27.0`` and ``iamport-py`` -> ``iamport-py@0.1.0-1a2b3c4d5e``."""
    pinned = pinned_versions(base)
    named = {name: "{}@{}".format(name, pinned[spec["package"]]) for name, spec in RUNTIMES.items()}
    named[SDK_PACKAGE] = "{}@{}".format(SDK_PACKAGE, sdk_version(files or sdk_files(base)))
    return named


def _messages(match: re.Match[str]) -> str:
    return json.dumps({code: MESSAGES[code] for code in match.group(1).split()}, ensure_ascii=False)


def versioned(text: str, named: dict[str, str]) -> str:
    """``text`` (imp.js, a config, a page) with its runtime and SDK URLs made versioned:
    ``runtime/<name>/`` -> ``runtime/<name>@<version>/``; ``sdk/iamport_py/``, the
    ``sdk/`` bundles and ``web/iamport-bridge.mjs`` -> under
    ``runtime/iamport-py@<version>/``; imp.js's interpreter table and SDK_UNAVAILABLE
    messages, imp.esm.js's messages and SDK version written in."""
    sdk = "runtime/{}/".format(named[SDK_PACKAGE])
    rewrites = {
        "runtime/{}/".format(name): "runtime/{}/".format(folder)
        for name, folder in named.items()
        if name != SDK_PACKAGE
    }
    rewrites["sdk/iamport_py/"] = sdk + "iamport_py/"
    rewrites["sdk/" + SDK_PY_BUNDLE] = sdk + SDK_PY_BUNDLE
    rewrites["sdk/" + SDK_MPY_BUNDLE] = sdk + SDK_MPY_BUNDLE
    rewrites["web/" + BRIDGE] = sdk + BRIDGE
    pattern = re.compile(
        "|".join(re.escape(key) for key in sorted(rewrites, key=len, reverse=True))
    )
    # The interpreter table goes in first, so that its runtime paths are versioned too.
    text = text.replace(INTERPRETERS_MARK, json.dumps(INTERPRETER_TABLE, separators=(",", ":")))
    text = text.replace(UNAVAILABLE_MARK, json.dumps(MESSAGES[SDK_UNAVAILABLE], ensure_ascii=False))
    text = MESSAGES_MARK.sub(_messages, text)
    text = text.replace(VERSION_MARK, json.dumps(named[SDK_PACKAGE]))
    return pattern.sub(lambda match: rewrites[match.group(0)], text)
