"""An in-memory bridge for the core's tests: it records what the SDK asks of the
browser and lets a test play the browser's part (answer fetches, post messages,
close windows)."""

import json

from iamport_py.bridge import POPUP, Bridge

SERVICE = "https://service.test"
PAGE = "https://shop.test/checkout"

SEED_SETTINGS = [
    {"pg_provider": "html5_inicis", "pg_id": "MID-a", "type": "payment", "sandbox": True},
    {"pg_provider": "html5_inicis", "pg_id": "MID-b", "type": "payment", "sandbox": True},
    {"pg_provider": "kakaopay", "pg_id": "MID-c", "type": "payment", "sandbox": True},
]


class FakeWindow:
    def __init__(self, mode, url, on_closed):
        self.mode = mode
        self.url = url
        self.on_closed = on_closed
        self.closed = False

    def user_closes(self):
        self.closed = True
        self.on_closed()


class FakeBridge(Bridge):
    def __init__(self, mobile=False, block_popups=False):
        self.clock = 1700000000000
        self.mobile = mobile
        self.block_popups = block_popups
        self.fetches = []
        self.windows = []
        self.posted = []
        self.logs = []
        self.navigated = []
        self.listener = None

    def now_ms(self):
        return self.clock

    def page_url(self):
        return PAGE

    def is_mobile(self):
        return self.mobile

    def fetch_json(self, url, timeout_ms, on_done):
        self.fetches.append((url, timeout_ms, on_done))

    def answer(self, body, index=-1):
        self.fetches[index][2](True, body)

    def fail_fetch(self, reason="network error", index=-1):
        self.fetches[index][2](False, reason)

    def open_window(self, mode, url, on_closed):
        if mode == POPUP and self.block_popups:
            return None
        window = FakeWindow(mode, url, on_closed)
        self.windows.append(window)
        return window

    def close_window(self, handle):
        handle.closed = True

    def post_message(self, handle, message, target_origin):
        self.posted.append((handle, json.loads(message), target_origin))

    def navigate(self, url):
        self.navigated.append(url)

    def listen(self, on_message):
        self.listener = on_message

    def emit(self, data, origin=SERVICE):
        self.listener(origin, data)

    def log(self, level, message):
        self.logs.append((level, message))

    def deferred(self):
        box = {}

        def resolve(value):
            box["value"] = value

        return _Pending(box), resolve


class _Pending:
    def __init__(self, box):
        self.box = box

    def __await__(self):
        while "value" not in self.box:
            yield
        return self.box["value"]


class Recorder:
    """A callback that counts its calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, rsp):
        self.calls.append(rsp)

    @property
    def rsp(self):
        assert len(self.calls) == 1, "callback called {} times".format(len(self.calls))
        return self.calls[0]


def ready_imp(settings=None, **options):
    """An ``Iamport`` on a fake bridge whose settings have arrived."""
    from iamport_py.imp import Iamport

    bridge = FakeBridge(mobile=options.pop("mobile", False),
                        block_popups=options.pop("block_popups", False))
    imp = Iamport(bridge)
    options.setdefault("service", SERVICE)
    imp.init("imp12345678", **options)
    bridge.answer({"code": 0, "msg": None,
                   "data": SEED_SETTINGS if settings is None else settings})
    return imp, bridge


def done_message(request_id, **fields):
    data = {"success": True, "imp_uid": "imp_000000000001", "request_id": request_id}
    data.update(fields)
    return json.dumps({"action": "done", "data": data})


def ready_message(request_id):
    return json.dumps({"action": "ready", "data": {"request_id": request_id}})


def request_id_of(window):
    from iamport_py.urlcodec import parse_query

    return parse_query(window.url)["request_id"]
