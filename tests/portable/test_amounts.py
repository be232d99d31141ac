"""The amount rule (iamport_py.amounts) on its own: each currency's minor units, the reason
each refusal gives, the billing-key zero, the float tolerance and the normal form. The
expectations are written out by hand (ISO 4217 for the minor units)."""

from iamport_py.amounts import MINOR_UNITS, amount_problem, minor_units, normalise_amount

# ISO 4217: digits after the decimal point.
ISO_4217 = {
    "KRW": 0, "JPY": 0, "VND": 0, "CLP": 0, "ISK": 0,
    "USD": 2, "EUR": 2, "GBP": 2, "AUD": 2, "CAD": 2, "HKD": 2, "SGD": 2, "CNY": 2, "TWD": 2,
    "THB": 2, "PHP": 2, "MYR": 2, "IDR": 2, "INR": 2, "NZD": 2, "CHF": 2,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3,
}  # fmt: skip


def test_each_currency_has_its_iso_4217_minor_units():
    assert sorted(MINOR_UNITS) == sorted(ISO_4217)
    for currency, units in ISO_4217.items():
        assert minor_units(currency) == units, currency


def test_each_currency_takes_its_minor_units_and_no_more():
    for currency, units in ISO_4217.items():
        finest = 1 + 10**-units if units else 1
        assert amount_problem(finest, currency) is None, currency
        assert amount_problem(1 + 10 ** -(units + 1), currency) is not None, currency


def test_a_currency_the_table_does_not_know_takes_cents():
    assert minor_units("XTS") == 2
    assert amount_problem(1.01, "XTS") is None
    assert amount_problem(1.001, "XTS") == "XTS amounts have at most 2 decimals"


def test_each_refusal_gives_its_reason():
    # What INVALID_AMOUNT's message shows ("amount is not valid: {reason}").
    assert amount_problem("1000") == "a number, not a string"
    for amount in (True, False, None, [1000], {"value": 1000}):
        assert amount_problem(amount) == "must be a number", amount
    for amount in (float("nan"), float("inf"), float("-inf")):
        assert amount_problem(amount) == "not a finite number", amount
    assert amount_problem(-0.0) == "negative zero is not an amount"
    for amount in (0, 0.0, -5, -0.5):
        assert amount_problem(amount) == "must be greater than 0", amount
    assert amount_problem(1000.5, "KRW") == "KRW amounts are whole won"
    assert amount_problem(1.5, "JPY") == "JPY amounts are whole numbers"
    assert amount_problem(0.001, "USD") == "USD amounts have at most 2 decimals"
    assert amount_problem(1.0001, "KWD") == "KWD amounts have at most 3 decimals"


def test_krw_is_the_default_currency():
    assert amount_problem(1000.5) == "KRW amounts are whole won"
    assert amount_problem(1000) is None
    normal = normalise_amount(1000.0000000001)
    assert normal == 1000 and type(normal) is int


def test_zero_is_an_amount_only_when_a_billing_key_is_issued():
    assert amount_problem(0) == "must be greater than 0"
    assert amount_problem(0, "KRW", False) == "must be greater than 0"
    assert amount_problem(0, "KRW", True) is None
    assert amount_problem(0.0, "USD", True) is None
    assert amount_problem(-1, "KRW", True) == "must be greater than 0"
    assert amount_problem(-0.0, "KRW", True) == "negative zero is not an amount"


def test_the_float_tolerance_is_a_millionth_of_a_minor_unit():
    # Binary floats: 19.99 * 100 is 1998.9999999999998, still a whole number of cents.
    assert amount_problem(19.99, "USD") is None
    assert amount_problem(0.01 + 0.5e-8, "USD") is None  # half a millionth of a cent off
    assert amount_problem(0.01 + 1.5e-8, "USD") is not None  # one and a half millionths
    # Relative to the amount: a large one's float noise is larger than a millionth.
    assert amount_problem(1234567.09, "USD") is None
    assert amount_problem(76543210.01, "USD") is None


def test_a_positive_amount_below_one_minor_unit_is_refused_not_sent_as_zero():
    # Within the float tolerance of 0, it would otherwise be normalised to a payment of 0.
    assert amount_problem(1e-8, "USD") == "USD amounts have at most 2 decimals"
    assert amount_problem(4e-7, "KRW") == amount_problem(0.5, "KRW")
    assert amount_problem(1e-8, "USD", billing_key=True) is not None
    assert amount_problem(0.01, "USD") is None and amount_problem(1, "KRW") is None


def test_a_valid_amount_is_normalised_to_its_minor_units():
    for amount, currency, expected in (
        (1000, "KRW", 1000),
        (1000.0, "KRW", 1000),
        (1000.0000000001, "KRW", 1000),
        (1500.0, "JPY", 1500),
        (10.0, "USD", 10),
    ):
        normal = normalise_amount(amount, currency)
        assert normal == expected and type(normal) is int, (amount, currency)
    for amount, currency, expected in (
        (19.990000000000002, "USD", 19.99),
        (10.5, "USD", 10.5),
        (12.3450001, "KWD", 12.345),
        (0.01 + 0.5e-8, "USD", 0.01),
    ):
        normal = normalise_amount(amount, currency)
        assert normal == expected and type(normal) is float, (amount, currency)
