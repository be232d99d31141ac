"""The window's one setting lookup: the setting a window URL names (every shape of
docs/protocol.md §1), and the setting a request posted to it is recorded on (the one its
``channelKey`` names, by the SDK's own rule). The pages and the recording API both ask
here, so a window never shows one setting and records on another."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from iamport_py.routing import resolve_pg

Row = dict[str, Any]
"""A stored record (a merchant, a setting, a payment) as the store returns it (a dict, as
``iamport_sandbox.store.connection.Row``)."""


class SettingsStore(Protocol):
    """What the lookup reads of the store."""

    def merchant_by_code(self, user_code: str) -> Row | None:
        """The merchant with that user code."""

    def settings(self, merchant_id: int, tier_code: str | None = None) -> list[Row]:
        """The merchant's (or one tier's) settings, the default first."""


@dataclass(frozen=True)
class Address:
    """A window URL, read: its kind, user code, setting (none: the default shape)
    and an agency's tier."""

    kind: str
    user_code: str
    pg_provider: str | None = None
    pg_id: str | None = None
    tier: str | None = None


@dataclass(frozen=True)
class Window:
    """What a window URL names: the merchant (``None``: no such user code), the setting
    it shows (``None``: the window that answers F1001) and the settings it chose among."""

    address: Address
    merchant: Row | None
    setting: Row | None
    settings: tuple[Row, ...] = ()


def _named(setting: Row, address: Address) -> bool:
    # A MID-less shape names a setting without a MID (None or ""), and only such a one.
    return (setting["type"], setting["pg_provider"], setting["pg_id"] or None) == (
        address.kind,
        address.pg_provider,
        address.pg_id or None,
    )


def find_window(store: SettingsStore, address: Address) -> Window:
    """The setting ``address`` names: the default shape shows the merchant's (or tier's)
    entry 0 when it is of the window's kind, else the first setting of that kind; the
    other shapes the setting of that kind, code and MID."""
    merchant = store.merchant_by_code(address.user_code)
    if merchant is None:
        return Window(address, None, None)
    settings = tuple(store.settings(merchant["id"], address.tier))
    if address.pg_provider is None:
        shown = [s for s in settings if s["type"] == address.kind]
    else:
        shown = [s for s in settings if _named(s, address)]
    return Window(address, merchant, shown[0] if shown else None, settings)


def recorded_setting(window: Window, request: Mapping[str, Any]) -> Row | None:
    """The setting a request posted to ``window`` is recorded on: the one its
    ``channelKey`` names (a current iamport.js posts the key to the default window and
    leaves the choice to the service), else the window's own. An unknown key, or one of
    the other kind, raises the SDK's :class:`~iamport_py.errors.IamportError`: no
    fallback, ever."""
    key = request.get("channelKey")
    if key is None:
        return window.setting
    return resolve_pg(
        list(window.settings), None, window.address.kind, warn=lambda _: None, channel_key=key
    )
