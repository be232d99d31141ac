"""imp.js loads the SDK's modules as plain files from a list of its own: the list must be the
package's modules, or a page would miss one (or ask for one that is not there)."""

import json
import os
import re

from iamport_sandbox.assets import SELF_HOSTED, sdk_modules, web_dir


def _imp_js():
    with open(os.path.join(web_dir(), "imp.js"), encoding="utf-8") as handle:
        return handle.read()


def test_imp_js_lists_every_sdk_module():
    listed = re.search(r"const SDK_MODULES = (\[.*?\]);", _imp_js(), re.S).group(1)
    assert json.loads(listed.replace("\n", " ").rstrip(", ]") + "]") == sdk_modules()


def test_imp_js_starts_the_settings_request_as_the_tag_runs():
    text = _imp_js()
    assert "prefetchSettings(tag.dataset.userCode)" in text
    assert "imp.js" in SELF_HOSTED


def test_export_writes_the_sdk_modules_as_plain_files(tmp_path):
    from iamport_sandbox.assets import export_assets

    written = export_assets(str(tmp_path), interpreters=("micropython",))
    for name in sdk_modules():
        assert os.path.join("sdk", "iamport_py", name) in written
