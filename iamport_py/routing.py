"""Choosing the PG setting for a request: the routing rule of the seed guide.

Settings arrive from the console as an ordered list; entry 0 is the default PG. Each
carries a ``channel_key``; the guide's current edition chooses by ``channelKey``, its
earlier one by ``pg`` (``"{code}"`` or ``"{code}.{MID}"``, now deprecated). See
:func:`resolve_pg`.
"""

from iamport_py.errors import (
    CHANNEL_KEY_WRONG_TYPE,
    INVALID_PG,
    INVALID_TYPE,
    PG_NOT_REGISTERED,
    UNKNOWN_CHANNEL_KEY,
    IamportError,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from iamport_py.bridge import JsonDict

PAYMENT = "payment"
CERTIFICATION = "certification"


def split_pg(pg: str) -> "tuple[str, str | None]":
    """Split a ``pg`` value into ``(code, mid)``; ``mid`` is ``None`` when not given.

    The split is at the first dot only, so MIDs may contain dots; a dot at index 0
    is part of the code (``".x"`` is an unknown code, not an empty one). An empty
    MID (``"kcp."``) counts as no MID.
    """
    dot = pg.find(".")
    if dot <= 0:
        return pg, None
    mid = pg[dot + 1 :]
    return pg[:dot], (mid if mid else None)


def setting_type(setting: "JsonDict") -> "Any":
    """A setting's type; settings that predate types are payment settings."""
    return setting.get("type") or PAYMENT


def describe_setting(setting: "JsonDict") -> str:
    """``code.MID`` (or just the code) for messages."""
    code = setting.get("pg_provider")
    mid = setting.get("pg_id")
    return "{}.{}".format(code, mid) if mid else str(code)


def _matches(setting: "JsonDict", code: str, mid: "str | None", action: str) -> bool:
    if setting.get("pg_provider") != code or setting_type(setting) != action:
        return False
    return mid is None or setting.get("pg_id") == mid


def _fallback(settings: "list[JsonDict]", action: str) -> "JsonDict | None":
    if settings and setting_type(settings[0]) == action:
        return settings[0]
    for setting in settings:
        if setting_type(setting) == action:
            return setting
    return None


def _by_channel_key(settings: "list[JsonDict]", channel_key: str, action: str) -> "JsonDict | None":
    """The setting with that key; ``None`` when no setting publishes keys at all.

    A service whose settings carry no ``channel_key`` (not the sandbox's) chooses itself:
    the key travels in the request to its window, as iamport.js sends it."""
    if not any("channel_key" in setting for setting in settings):
        return None
    for setting in settings:
        if setting.get("channel_key") == channel_key:
            if setting_type(setting) != action:
                raise IamportError(
                    CHANNEL_KEY_WRONG_TYPE,
                    channel_key=channel_key,
                    kind=setting_type(setting),
                    setting=describe_setting(setting),
                    action=action,
                )
            return setting
    # Exact strings, never parsed: the guide's own example key is not hexadecimal.
    raise IamportError(UNKNOWN_CHANNEL_KEY, channel_key=channel_key)


def _warn_default(message: str) -> None:
    print("[iamport_py] warning: " + message)


def resolve_pg(
    settings: "Any",
    pg: "Any",
    action: str = PAYMENT,
    warn: "Callable[[str], object] | None" = None,
    channel_key: "Any" = None,
) -> "JsonDict":
    """Return the setting (one of ``settings``, the same object) that serves the request.

    The rule, in order:

    0. ``channel_key`` given (``channelKey``, today's way): the setting with that key.
       It wins over ``pg``; a ``pg`` naming another setting only adds a warning naming
       both. A key no setting has raises ``UNKNOWN_CHANNEL_KEY``, a key of a setting of
       the other type ``CHANNEL_KEY_WRONG_TYPE``: a key is an exact reference, so there
       is never a fallback (a typo must not charge through another PG). Settings that
       carry no keys at all (a service that does not publish them) leave the choice to
       the service: the default below is the window the key is posted to.
    1. Empty or missing ``pg``: the default (entry 0) if it serves ``action``.
    2. A setting matches when its ``pg_provider`` equals the code, its ``type``
       equals ``action``, and no MID was given or its ``pg_id`` equals the MID.
       Comparison is exact and case-sensitive.
    3. The default wins when it matches; otherwise the first match in list order.
    4. Nothing matches: the default if it serves ``action``, else the first setting
       of that type, with a warning naming ``pg`` and the setting chosen.
    5. No setting serves ``action``: :class:`IamportError` with code ``F1001``.

    ``warn`` receives the warnings (default: printed, which is the browser console
    under PyScript). A non-string ``pg`` raises ``INVALID_PG``, a non-string
    ``channel_key`` ``INVALID_TYPE``.
    """
    if pg is not None and not isinstance(pg, str):
        raise IamportError(INVALID_PG)
    if channel_key is not None and not isinstance(channel_key, str):
        raise IamportError(INVALID_TYPE, field="channelKey", expected="string")
    usable: list[JsonDict] = [s for s in (settings or []) if isinstance(s, dict)]
    say = warn or _warn_default
    if channel_key is not None:
        keyed = _by_channel_key(usable, channel_key, action)
        if keyed is not None:
            if pg and not _matches(keyed, *split_pg(pg), action=action):
                say(
                    "channelKey '{}' selects '{}'; pg '{}' names another setting and is "
                    "ignored.".format(channel_key, describe_setting(keyed), pg)
                )
            return keyed
    fallback = _fallback(usable, action)
    if fallback is None:
        raise IamportError(PG_NOT_REGISTERED, action=action)
    if not pg or channel_key is not None:
        return fallback
    code, mid = split_pg(pg)
    # The default is entry 0, so "default first, then list order" is one scan.
    for setting in usable:
        if _matches(setting, code, mid, action):
            return setting
    say(
        "pg '{}' matches no {} setting; using '{}' instead.".format(
            pg, action, describe_setting(fallback)
        )
    )
    return fallback
