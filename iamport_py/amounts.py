"""The amount rule: which ``amount`` a payment may ask for, in which currency.

One rule for the SDK (before a window opens) and the sandbox (when a window or the
REST API records an amount), so that the two can never disagree. Pure Python that
also runs on MicroPython (docs/architecture.md, "Interpreter rules"): no exception types
of its own; the caller turns a problem into its own error (``IamportError`` in the SDK, a
4xx in the sandbox).
"""

# ISO 4217 minor units (digits after the decimal point) of the currencies the PG
# catalog accepts, and a few more a merchant may meet.
MINOR_UNITS = {
    "KRW": 0,
    "JPY": 0,
    "VND": 0,
    "CLP": 0,
    "ISK": 0,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "AUD": 2,
    "CAD": 2,
    "HKD": 2,
    "SGD": 2,
    "CNY": 2,
    "TWD": 2,
    "THB": 2,
    "PHP": 2,
    "MYR": 2,
    "IDR": 2,
    "INR": 2,
    "NZD": 2,
    "CHF": 2,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
}
# Most ISO currencies have two.
DEFAULT_MINOR_UNITS = 2

# Problems, as the SDK's INVALID_AMOUNT message ("amount is not valid: {reason}") shows them.
NOT_A_NUMBER = "a number, not a string"
NOT_NUMERIC = "must be a number"
NOT_FINITE = "not a finite number"
NEGATIVE_ZERO = "negative zero is not an amount"
NOT_POSITIVE = "must be greater than 0"
WHOLE_WON = "KRW amounts are whole won"


def minor_units(currency: str) -> int:
    """Digits after the decimal point that ``currency`` (upper-case ISO code) allows."""
    return MINOR_UNITS.get(currency, DEFAULT_MINOR_UNITS)


def _finite(value: float) -> bool:
    # NaN is the only value unequal to itself; infinities survive subtraction as NaN.
    return value == value and (value - value) == 0


def _negative_zero(value: float) -> bool:
    # -0.0 == 0; only its text (the same on CPython and MicroPython) tells it apart.
    return isinstance(value, float) and value == 0 and str(value).startswith("-")


def _fits_minor_units(value: float, units: int) -> bool:
    scaled = value * (10**units)
    whole = round(scaled)
    if value != 0 and whole == 0:
        # Below one minor unit (1e-8 USD) is within the float tolerance of 0: it would be
        # sent as 0, a payment of nothing.
        return False
    # Binary floats: 19.99 * 100 is 1998.9999999999998, still a whole number of cents.
    return bool(abs(scaled - whole) <= 1e-6 * max(1.0, abs(scaled)))


def amount_problem(
    amount: object, currency: str = "KRW", billing_key: bool = False
) -> "str | None":
    """Why ``amount`` is not a valid payment amount in ``currency``, or ``None``.

    Rules: a finite number (not a string, not a bool), not negative zero, greater
    than 0 — or exactly 0 when a billing key is issued (``billing_key``: the request
    has a ``customer_uid``) — with no more decimals than the currency's minor units
    (KRW and JPY: whole numbers; USD and EUR: cents).
    """
    if isinstance(amount, str):
        return NOT_A_NUMBER
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return NOT_NUMERIC
    if not _finite(amount):
        return NOT_FINITE
    if _negative_zero(amount):
        return NEGATIVE_ZERO
    if amount < 0 or (amount == 0 and not billing_key):
        return NOT_POSITIVE
    units = minor_units(currency)
    if not _fits_minor_units(amount, units):
        if currency == "KRW":
            return WHOLE_WON
        if units == 0:
            return "{} amounts are whole numbers".format(currency)
        return "{} amounts have at most {} decimals".format(currency, units)
    return None


def normalise_amount(amount: float, currency: str = "KRW") -> "int | float":
    """A valid ``amount`` as it is sent and stored: whole numbers as ``int``, others
    rounded to the currency's minor units (``19.990000000000002`` → ``19.99``)."""
    units = minor_units(currency)
    if units == 0 or amount == int(amount):
        return round(amount)
    return round(float(amount), units)
