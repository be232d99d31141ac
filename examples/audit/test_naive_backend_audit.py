"""The audit against a deliberately naive backend (naive_backend.py): each planted flaw is
reported, by name, in the scenarios it must fail, and no other scenario fails."""

import pytest
from naive_backend import PLANTED, create_app
from shop_backend import hooks

from iamport_sandbox.audit import SCENARIOS, scenario
from iamport_sandbox.testkit import LiveServer

FAILS = {name: flaw for flaw, names in PLANTED.items() for name in names}


@pytest.fixture
def iamport_audit_hooks(iamport_sandbox):
    app = create_app(iamport_sandbox.url, iamport_sandbox.imp_key, iamport_sandbox.imp_secret)
    server = LiveServer(app).start()
    yield hooks(server.url)
    server.stop()


def test_naive_backend(iamport_audit, iamport_audit_scenario):
    finding = iamport_audit.run(scenario(iamport_audit_scenario))
    assert finding.error is None, finding.line()
    if iamport_audit_scenario in FAILS:
        assert not finding.passed and finding.flaw == FAILS[iamport_audit_scenario], finding.line()
    else:
        assert finding.passed, finding.line()


def test_each_planted_flaw_is_one_the_audit_names():
    named = {found.name: found.flaw for found in SCENARIOS}
    assert {named[name] for name in FAILS} == set(PLANTED)
