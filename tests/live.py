"""A real sandbox on 127.0.0.1: uvicorn in a thread, on a port the OS picks."""

import socket
import threading
import time

import uvicorn

from iamport_sandbox.app import create_app


class LiveServer:
    """Serve an ASGI app on 127.0.0.1 until :meth:`stop`; ``url`` is its base URL."""

    def __init__(self, app):
        self.app = app
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.url = "http://127.0.0.1:{}".format(self.port)
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._socket]}, daemon=True)

    def start(self):
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.02)
        return self

    def stop(self):
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


def start_sandbox(config):
    """A running sandbox for ``config``; returns ``(server, app)``."""
    app = create_app(config)
    return LiveServer(app).start(), app
