"""Configuration of one sandbox process, from the command line or the tests."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Config:
    """Everything the app needs to know; no global state besides this and the store."""

    def __init__(self, db_path=None, web_dir=None, token_ttl=1800, webhook_attempts=4,
                 webhook_backoff=0.5, webhook_timeout=5.0, max_body=64 * 1024,
                 demo_backend=None, secure_cookies=False,
                 window_open_delay=0.0, api_port=None):
        self.db_path = db_path or os.path.join(os.getcwd(), "data", "sandbox.sqlite3")
        self.web_dir = web_dir or os.path.join(ROOT, "web")
        # Access tokens of the REST API live this long (seconds), like Iamport's 30 minutes.
        self.token_ttl = token_ttl
        # Webhook delivery: attempts in all, first pause (doubled each retry), per-call timeout.
        self.webhook_attempts = webhook_attempts
        self.webhook_backoff = webhook_backoff
        self.webhook_timeout = webhook_timeout
        # The largest request body any endpoint reads, in bytes.
        self.max_body = max_body
        # {"user_code", "imp_key", "imp_secret"} of the merchant whose backend the demo
        # page's /demo endpoints stand for; None disables them.
        self.demo_backend = demo_backend
        self.secure_cookies = secure_cookies
        # Test-only: seconds that POST /sandbox/windows/open waits before it records, so a
        # test can click a window's actions before the request is recorded (0 in real use).
        self.window_open_delay = window_open_delay
        # The port whose requests are the REST API at the root (api.iamport.kr's layout);
        # None: the REST API is only under /api on the main port.
        self.api_port = api_port

    @property
    def runtime_dir(self):
        return os.path.join(self.web_dir, "node_modules")
