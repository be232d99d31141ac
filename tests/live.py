"""A real sandbox on 127.0.0.1: uvicorn in a thread, on a port the OS picks (the test kit's
:class:`iamport_sandbox.testkit.LiveServer`, which merchants' suites use too)."""

from iamport_sandbox.app import create_app
from iamport_sandbox.testkit import LiveServer

__all__ = ["LiveServer", "start_sandbox"]


def start_sandbox(config):
    """A running sandbox for ``config``; returns ``(server, app)``."""
    app = create_app(config)
    return LiveServer(app).start(), app
