"""Identifiers the SDK makes: request ids and default merchant_uids.

Both join the clock in milliseconds, a counter and a few random bits, so two ids
made in the same millisecond still differ (the counter), and two pages opened in
the same millisecond almost surely do too (the random part).
"""

import random

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    if number == 0:
        return "0"
    digits = []
    while number:
        digits.append(_ALPHABET[number % 36])
        number //= 36
    return "".join(reversed(digits))


class IdFactory:
    """Makes unique ids from a clock (a function returning milliseconds)."""

    def __init__(self, now_ms: "Callable[[], float]") -> None:
        self._now_ms = now_ms
        self._counter = 0
        self._salt = _base36(random.getrandbits(20))

    def _next(self, prefix: str) -> str:
        self._counter += 1
        stamp = _base36(int(self._now_ms()))
        return "{}{}_{}{}".format(prefix, stamp, self._salt, _base36(self._counter))

    def request_id(self) -> str:
        """A request id, unique within this page: ``req_<time>_<salt><n>``."""
        return self._next("req_")

    def merchant_uid(self) -> str:
        """A default order id (at most 40 characters): ``mid_<time>_<salt><n>``."""
        return self._next("mid_")
