"""pytest plugin (entry point ``pytest11``): the ``iamport_sandbox`` fixture for merchants'
own suites. Installed with the package; it imports the sandbox only when a test asks for it,
so an SDK-only install (no ``sandbox`` extra) never breaks a test run.

    def test_checkout(iamport_sandbox, page):
        iamport_sandbox.preset("order-1", "approve")       # the window answers by itself
        page.goto(my_checkout_url(service=iamport_sandbox.url,
                                  user_code=iamport_sandbox.user_code))

PG settings: the seed's three by default; per test with
``@pytest.mark.iamport_settings([{"pg_provider": "kakaopay", "pg_id": "MID-c"}, ...])``, or for a
whole module or suite by overriding the ``iamport_pg_settings`` fixture. See the README's
"Test kit for your own tests".

The audit of your server (docs/test-kit.md, "Audit your server"), one test per scenario:
define ``iamport_audit_hooks`` (your backend, started against ``iamport_sandbox``: its
order hook, paid hook, payment-complete URL and webhook URL), then

    def test_my_backend(iamport_audit, iamport_audit_scenario):
        iamport_audit.check(iamport_audit_scenario)
"""

from collections.abc import Iterator
from typing import Any

import pytest

from iamport_sandbox.audit.scenarios import NAMES
from iamport_sandbox.testkit import SEED_SETTINGS, Sandbox


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "iamport_settings(settings): the PG settings (a list of dicts, entry 0 the "
        "default PG) of the iamport_sandbox fixture's merchant",
    )


@pytest.fixture
def iamport_pg_settings(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    """The PG settings of the ``iamport_sandbox`` merchant: the ``iamport_settings`` marker's,
    else the seed's three (html5_inicis MID-a (default), html5_inicis MID-b, kakaopay MID-c).
    Each is ``{"pg_provider", "pg_id"}`` plus optional ``"type"`` (``payment``) and
    ``"sandbox"`` (True)."""
    marker = request.node.get_closest_marker("iamport_settings")
    return list(marker.args[0]) if marker else list(SEED_SETTINGS)


@pytest.fixture
def iamport_sandbox(iamport_pg_settings: list[dict[str, Any]]) -> Iterator[Sandbox]:
    """A sandbox on a free 127.0.0.1 port with a temporary store and one merchant holding
    ``iamport_pg_settings``: an :class:`iamport_sandbox.testkit.Sandbox` (``url``,
    ``user_code``, ``imp_key``, ``imp_secret``, ``preset``, ``deposit``, ``payment``, ``find``,
    ``rest``, ``add_merchant``). Stopped and removed after the test."""
    from iamport_sandbox.testkit import start_sandbox

    sandbox = start_sandbox(iamport_pg_settings)
    yield sandbox
    sandbox.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that takes ``iamport_audit_scenario`` runs once per audit scenario."""
    if "iamport_audit_scenario" in metafunc.fixturenames:
        metafunc.parametrize("iamport_audit_scenario", NAMES)


@pytest.fixture
def iamport_audit_hooks() -> Any:
    """Your backend's four URLs on loopback (override this fixture): ``{"order_hook",
    "paid_hook", "complete_url", "webhook_url"}`` (or an ``audit.runner.Hooks``)."""
    raise pytest.UsageError(
        "define an iamport_audit_hooks fixture: your backend's order_hook, paid_hook, "
        "complete_url and webhook_url (docs/test-kit.md, 'Audit your server')"
    )


@pytest.fixture
def iamport_audit(iamport_sandbox: Sandbox, iamport_audit_hooks: Any) -> Iterator[Any]:
    """An :class:`iamport_sandbox.audit.runner.Audit` of your backend on ``iamport_sandbox``
    (its test controls on): ``check(name)`` plays one scenario and fails the test with the
    report's line; ``run(scenario)`` returns the finding."""
    from iamport_sandbox.audit.runner import Audit, Credentials, Hooks

    iamport_sandbox.app.state.config.test_controls = True
    hooks = iamport_audit_hooks
    audit = Audit(
        iamport_sandbox.url,
        hooks if isinstance(hooks, Hooks) else Hooks(**hooks),
        Credentials(iamport_sandbox.user_code, iamport_sandbox.imp_key, iamport_sandbox.imp_secret),
    )
    yield audit
    audit.close()
