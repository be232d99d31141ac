"""The test kit gives a merchant's suite its settings' channel keys (what its pages pass as
``channelKey``): the sandbox's own random ones, or keys the suite fixed in its settings.
A real sandbox on 127.0.0.1."""

import re

import pytest

from iamport_sandbox.testkit import start_sandbox

FIXED = "channel-key-98765432-9876-5432-1098-987654321098"


@pytest.fixture
def sandbox():
    running = start_sandbox(
        [
            {"pg_provider": "nice_v2", "pg_id": "MID-a"},
            {"pg_provider": "nice_v2", "pg_id": "MID-b"},
            {"pg_provider": "kakaopay", "pg_id": "MID-c", "channel_key": FIXED},
            {"pg_provider": "danal", "pg_id": "D-1", "type": "certification"},
        ]
    )
    yield running
    running.stop()


def test_channel_keys_of_each_setting_random_or_fixed(sandbox):
    a, b = sandbox.channel_key("nice_v2", "MID-a"), sandbox.channel_key("nice_v2", "MID-b")
    assert a != b and all(re.match(r"^channel-key-[0-9a-f-]{36}$", key) for key in (a, b))
    assert sandbox.channel_key("kakaopay") == FIXED
    assert sandbox.channel_key("danal", kind="certification").startswith("channel-key-")
    assert [s["channel_key"] for s in sandbox.settings()][:3] == [a, b, FIXED]


def test_a_setting_it_has_not_is_a_lookup_error(sandbox):
    for call in (
        lambda: sandbox.channel_key("kcp"),
        lambda: sandbox.channel_key("danal"),
        lambda: sandbox.channel_key("nice_v2", "MID-z"),
    ):
        with pytest.raises(LookupError):
            call()


def test_another_merchant_has_keys_of_its_own(sandbox):
    other = sandbox.add_merchant([{"pg_provider": "nice_v2", "pg_id": "MID-a"}])
    assert other.channel_key("nice_v2") != sandbox.channel_key("nice_v2", "MID-a")
