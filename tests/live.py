"""A real sandbox on 127.0.0.1: uvicorn in a thread, on a port the OS picks (the test kit's
:class:`iamport_sandbox.testkit.LiveServer`, which merchants' suites use too)."""

import httpx

from iamport_sandbox.app import create_app
from iamport_sandbox.testkit import LiveServer

__all__ = ["LiveServer", "reuse_tls", "start_sandbox"]

_TLS = []  # the one TLS context of the run's webhook senders


def reuse_tls(app):
    """Give ``app``'s webhook sender, before it starts, the transport it would build itself
    (``verify=True``, no proxies from the environment) but on a TLS context made once per
    run: loading certifi's bundle costs ~20 ms per app start, a few seconds per suite.
    Returns ``app``."""
    if not _TLS:
        _TLS.append(httpx.create_ssl_context(trust_env=False))
    # WebhookSender's own test seam (its ``transport`` argument), set after create_app.
    app.state.webhooks._transport = httpx.AsyncHTTPTransport(verify=_TLS[0], trust_env=False)
    return app


def start_sandbox(config):
    """A running sandbox for ``config``; returns ``(server, app)``."""
    app = reuse_tls(create_app(config))
    return LiveServer(app).start(), app
