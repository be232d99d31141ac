"""An in-memory bridge for the core's tests: it records what the SDK asks of the
browser and lets a test play the browser's and the window's parts (answer fetches,
load frames, post messages, close windows, run timers)."""

import json

from iamport_py.bridge import Bridge

SERVICE = "https://service.test"
PAGE = "https://shop.test/checkout"

SEED_SETTINGS = [
    {"pg_provider": "html5_inicis", "pg_id": "MID-a", "type": "payment", "sandbox": True},
    {"pg_provider": "html5_inicis", "pg_id": "MID-b", "type": "payment", "sandbox": True},
    {"pg_provider": "kakaopay", "pg_id": "MID-c", "type": "payment", "sandbox": True},
]


class FakeWindow:
    """A frame (``mode`` ``"iframe"`` visible, ``"hidden"``) or a ``"popup"``."""

    def __init__(self, bridge, mode, url, on_closed, on_load=None, name=None):
        self.bridge = bridge
        self.mode = mode
        self.url = url
        self.name = name
        self.on_closed = on_closed
        self.on_load = on_load
        self.closed = False
        self.forms = []

    def load(self):
        """The browser fires the frame's ``load`` event."""
        if not self.closed:
            self.on_load()

    def user_closes(self):
        self.closed = True
        self.on_closed()

    def messages(self):
        """What the page posted to this window: ``(message, target_origin)`` pairs."""
        return [(message, target) for handle, message, target in self.bridge.posted
                if handle is self]


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
        self.probes = []
        self.timers = []
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

    def open_frame(self, url, visible, on_load, on_closed):
        window = FakeWindow(self, "iframe" if visible else "hidden", url, on_closed, on_load)
        self.windows.append(window)
        return window

    def open_popup(self, name, on_closed):
        if self.block_popups:
            return None
        window = FakeWindow(self, "popup", "about:blank", on_closed, name=name)
        self.windows.append(window)
        return window

    def submit_form(self, handle, url, fields):
        handle.forms.append((url, fields))

    def close_window(self, handle):
        handle.closed = True

    def post_message(self, handle, message, target_origin):
        self.posted.append((handle, json.loads(message), target_origin))

    def probe(self, url, on_done):
        self.probes.append((url, on_done))

    def start_timer(self, delay_ms, callback):
        timer = {"delay": delay_ms, "callback": callback, "active": True}
        self.timers.append(timer)
        return timer

    def cancel_timer(self, timer):
        timer["active"] = False

    def run_timers(self, delay_ms=None):
        """Fire the active timers (those of ``delay_ms`` only, when given)."""
        for timer in list(self.timers):
            if timer["active"] and (delay_ms is None or timer["delay"] == delay_ms):
                timer["active"] = False
                timer["callback"]()

    def active_timers(self):
        return [timer["delay"] for timer in self.timers if timer["active"]]

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

    # -- the window's part ---------------------------------------------------------------

    def frame(self):
        """The last frame the SDK opened."""
        return [w for w in self.windows if w.mode != "popup"][-1]

    def load(self):
        """Load the last frame and return the request the SDK posted to it."""
        frame = self.frame()
        frame.load()
        return frame.messages()[-1][0]


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


def message(name, request_id=None, **data):
    """A window -> page message ``{"action": name, "data": data}`` (a JSON string)."""
    if request_id is not None:
        data["request_id"] = request_id
    return json.dumps({"action": name, "data": data})


def done_message(request_id, **fields):
    data = {"success": True, "imp_uid": "imp_000000000001"}
    data.update(fields)
    return message("done", request_id, **data)


def request_id_of(bridge):
    """The id of the request the SDK posted to its last frame (loading it if need be)."""
    frame = bridge.frame()
    if not frame.messages():
        frame.load()
    return frame.messages()[0][0]["data"]["request_id"]
