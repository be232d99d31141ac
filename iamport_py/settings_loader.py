"""What ``IMP.init`` sets up: the merchant, the options, and the PG settings fetched for them.

The settings load is a small state machine: ``idle`` (no ``init`` yet) -> ``loading``
(the fetch is out) -> ``ready`` (the list arrived) or ``failed`` (it could not be
loaded: the reason is kept for ``NOT_READY``). A later ``init`` or a retry starts a
new load; an answer for an earlier one is dropped (each load has its generation).
Whoever waits for the end of a load (queued requests, ``when_ready`` listeners) is
told through the one ``on_settled`` callback the owner gives.
"""

from iamport_py import protocol
from iamport_py.validation import is_number

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from iamport_py.bridge import Bridge, JsonDict

DEFAULT_SERVICE = "https://service.iamport.kr"
DEFAULT_TIMEOUT_MS = 10000
# How many settings' windows are loaded ahead at init (iamport.js loads one per setting):
# most merchants have one to four settings, and each preloaded window is a document of
# the service's kept in the page, so the count is bounded even when asked for more.
DEFAULT_PRELOAD_WINDOWS = 4
MAX_PRELOAD_WINDOWS = 10

IDLE, LOADING, READY, FAILED = "idle", "loading", "ready", "failed"


class SettingsLoader:
    """The state of one SDK instance's ``init``: user code, tier, options, PG settings."""

    def __init__(
        self, get_bridge: "Callable[[], Bridge]", on_settled: "Callable[[], None]"
    ) -> None:
        self._get_bridge = get_bridge
        self._on_settled = on_settled
        self._generation = 0
        self.state = IDLE
        self.user_code: Any = None
        self.tier: str | None = None
        self.options: dict[str, Any] = {}
        self.settings: list[JsonDict] = []
        self.failure: str | None = None
        """Why the last load failed (``NOT_READY``'s reason)."""

    # -- what init set --------------------------------------------------------------------

    def configure(self, user_code: "Any", tier: "str | None", options: "dict[str, Any]") -> None:
        """Take a new ``init`` / ``agency``; the old settings are gone."""
        self.user_code = user_code
        self.tier = tier
        self.options = options
        self.settings = []

    def option(self, name: str, default: "Any") -> "Any":
        """The ``init`` option ``name``, ``default`` when absent or ``None``."""
        value = self.options.get(name)
        return default if value is None else value

    def service(self) -> "Any":
        """The service URL (not checked: :meth:`load` reports a bad one)."""
        return self.option("service", DEFAULT_SERVICE)

    def service_origin(self) -> str:
        """The origin the windows live at and messages must come from."""
        return protocol.origin_of(self.service())

    def language(self) -> "Any":
        """The default language of windows and messages."""
        return self.option("language", "ko")

    def positive_option(self, name: str, default: float) -> float:
        """A duration option: a positive number, else ``default``."""
        value: Any = self.options.get(name)
        return value if is_number(value) and value > 0 else default

    def preload_limit(self) -> int:
        """How many windows to preload: the ``preload_windows`` option (``0`` or
        ``False``: none), else :data:`DEFAULT_PRELOAD_WINDOWS`; at most
        :data:`MAX_PRELOAD_WINDOWS`."""
        value: Any = self.options.get("preload_windows")
        if value is False:
            return 0
        if not is_number(value) or value != value:  # absent, not a number, or NaN
            return DEFAULT_PRELOAD_WINDOWS
        return int(max(0, min(value, MAX_PRELOAD_WINDOWS)))

    def is_default(self, setting: "JsonDict") -> bool:
        """Whether ``setting`` is the default (entry 0 of the loaded list)."""
        return bool(self.settings) and setting is self.settings[0]

    # -- the load ---------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the settings (again); ``on_settled()`` when the fetch has ended."""
        self._generation += 1
        generation = self._generation
        self.state = LOADING

        def on_done(ok: bool, value: "Any") -> None:
            self._on_settings(generation, ok, value)

        service = self.service()
        if not isinstance(service, str) or not protocol.origin_of(service).startswith("http"):
            # A bad option must end in NOT_READY through the callbacks, not in a crash.
            on_done(False, "the service option must be an http(s) URL")
            return
        timeout = self.positive_option("timeout_ms", DEFAULT_TIMEOUT_MS)
        url = protocol.settings_url(service, str(self.user_code), self.tier)
        self._get_bridge().fetch_json(url, timeout, on_done)

    def _on_settings(self, generation: int, ok: bool, value: "Any") -> None:
        if generation != self._generation:
            return  # an answer for an earlier init
        try:
            if not ok:
                raise ValueError(str(value))
            self.settings = protocol.parse_settings(value)
        except ValueError as failure:
            self.state = FAILED
            self.failure = str(failure)
        else:
            self.state = READY
        self._on_settled()
