"""The settings loader (iamport_py.settings_loader): its states, generations and options."""

from iamport_py.settings_loader import DEFAULT_SERVICE, SettingsLoader
from iamport_py.testing import SEED_SETTINGS, SERVICE, FakeBridge


def _loader(options=None):
    bridge = FakeBridge()
    settled = []
    loader = SettingsLoader(lambda: bridge, lambda: settled.append(loader.state))
    loader.configure("imp12345678", None, {"service": SERVICE} if options is None else options)
    return loader, bridge, settled


def test_a_load_goes_loading_then_ready_and_tells_once():
    loader, bridge, settled = _loader()
    assert loader.state == "idle"
    loader.load()
    assert loader.state == "loading" and settled == []
    bridge.answer({"code": 0, "msg": None, "data": SEED_SETTINGS})
    assert loader.state == "ready" and settled == ["ready"]
    assert loader.settings == SEED_SETTINGS and loader.is_default(loader.settings[0])
    assert not loader.is_default(loader.settings[1])


def test_a_failed_load_keeps_the_reason():
    loader, bridge, settled = _loader()
    loader.load()
    bridge.answer({"code": -1, "msg": "unknown merchant", "data": None})
    assert (loader.state, loader.failure, settled) == ("failed", "unknown merchant", ["failed"])


def test_an_answer_for_an_earlier_load_is_dropped():
    loader, bridge, settled = _loader()
    loader.load()
    loader.load()
    bridge.answer({"code": 0, "msg": None, "data": SEED_SETTINGS}, index=0)
    assert loader.state == "loading" and settled == []
    bridge.answer({"code": 0, "msg": None, "data": SEED_SETTINGS[:1]}, index=1)
    assert loader.settings == SEED_SETTINGS[:1] and settled == ["ready"]


def test_a_service_that_is_not_http_fails_without_fetching():
    loader, bridge, settled = _loader({"service": "ftp://service.test"})
    loader.load()
    assert bridge.fetches == [] and settled == ["failed"]
    assert loader.failure == "the service option must be an http(s) URL"


def test_options_and_their_defaults():
    loader, _, _ = _loader({"timeout_ms": -5, "window_timeout_ms": 900, "language": None})
    assert loader.service() == DEFAULT_SERVICE
    assert loader.service_origin() == "https://service.iamport.kr"
    assert loader.language() == "ko"
    assert loader.positive_option("timeout_ms", 10000) == 10000
    assert loader.positive_option("window_timeout_ms", 15000) == 900
