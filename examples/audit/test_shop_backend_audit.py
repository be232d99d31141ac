"""Audit your server with the test kit — copy this file into your suite.

Needs: pip install 'iamport-py[sandbox]' pytest   (the plugin loads by itself)
Runs:  pytest test_shop_backend_audit.py   (one test per audit scenario)

Your backend stands here as ``shop_backend.create_app``: start yours against
``iamport_sandbox.url`` with ``iamport_sandbox.imp_key`` and ``imp_secret`` and give its four
URLs (on loopback) in ``iamport_audit_hooks``.
"""

import pytest
from shop_backend import create_app, hooks

from iamport_sandbox.testkit import LiveServer


@pytest.fixture
def iamport_audit_hooks(iamport_sandbox):
    app = create_app(iamport_sandbox.url, iamport_sandbox.imp_key, iamport_sandbox.imp_secret)
    server = LiveServer(app).start()
    yield hooks(server.url)
    server.stop()


def test_shop_backend(iamport_audit, iamport_audit_scenario):
    iamport_audit.check(iamport_audit_scenario)  # fails with what was wrongly accepted
