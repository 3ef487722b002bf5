"""Values with units, as a service level manager writes them: percentages, durations, money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slaforge.errors import ValueRefused
from slaforge.spec.currencies import currency_codes
from slaforge.spec.units import Duration, Money, Pct, parse_duration, parse_money, parse_percent

# ------------------------------------------------------------------ percentages


@pytest.mark.parametrize(
    ("written", "exact"),
    [
        ("99.95%", "99.95"),
        (" 99.95 % ", "99.95"),
        ("99.95", "99.95"),
        (99.95, "99.95"),
        (99, "99"),
        (100, "100"),
        ("0.5%", "0.5"),
        (Decimal("99.999"), "99.999"),
    ],
)
def test_percent_parses_exactly(written: object, exact: str) -> None:
    value = parse_percent(written)
    assert isinstance(value, Pct)
    assert value == Decimal(exact)
    assert value.as_tuple() == Decimal(exact).as_tuple()  # the digits, not a binary approximation


def test_percent_from_a_float_keeps_the_written_digits() -> None:
    # Decimal(99.95) would be 99.9500000000000028421709430404007434844970703125
    assert parse_percent(99.95) == Decimal("99.95")
    assert parse_percent(0.1) + parse_percent(0.2) == Decimal("0.3")


@pytest.mark.parametrize(("written", "shown"), [("99.950%", "99.95%"), (100, "100%"), ("99.0", "99%"), ("5%", "5%")])
def test_percent_prints_back(written: object, shown: str) -> None:
    value = parse_percent(written)
    assert str(value) == shown
    assert f"{value}" == shown
    assert f"{value:.1f}" == f"{Decimal(shown.rstrip('%')):.1f}"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("high", "not a number"),
        ("99.95 percent", "not a number"),
        ("", "not a number"),
        (True, "expected a percentage"),
        (None, "expected a percentage"),
        ([99.9], "expected a percentage"),
        (float("nan"), "not a finite number"),
        ("inf%", "not a finite number"),
    ],
)
def test_percent_rejects(written: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_percent(written)


@pytest.mark.parametrize("written", ["99,95%", "2,5%", "1,000%"])
def test_percent_refuses_a_decimal_comma_rather_than_misreading_it(written: str) -> None:
    # '2,5%' used to become 25%: a tenfold credit
    with pytest.raises(ValueError, match="decimal point"):
        parse_percent(written)


# ------------------------------------------------------------------ durations


@pytest.mark.parametrize(
    ("written", "amount", "unit", "business", "clock_minutes"),
    [
        ("15m", "15", "minute", False, "15"),
        ("15 min", "15", "minute", False, "15"),
        ("4h", "4", "hour", False, "240"),
        ("1.5 hours", "1.5", "hour", False, "90"),
        ("30s", "30", "second", False, "0.5"),
        ("90 days", "90", "day", False, "129600"),
        ("2 weeks", "2", "week", False, "20160"),
        ("2 business days", "2", "day", True, "960"),
        ("8 business hours", "8", "hour", True, "480"),
        ("3 working days", "3", "day", True, "1440"),
        ("PT4H", "4", "hour", False, "240"),
        ("pt15m", "15", "minute", False, "15"),
        ("P2D", "2", "day", False, "2880"),
        ("P1W", "1", "week", False, "10080"),
        ("PT1H30M", "90", "minute", False, "90"),
        ("PT1M30S", "1.5", "minute", False, "1.5"),
    ],
)
def test_duration_parses(written: str, amount: str, unit: str, business: bool, clock_minutes: str) -> None:
    value = parse_duration(written)
    assert value == Duration(Decimal(amount), unit, business=business)
    assert value.minutes == Decimal(clock_minutes)


def test_business_days_count_the_calendar_day_given() -> None:
    two_days = parse_duration("2 business days")
    assert two_days.business_minutes(Decimal(600)) == 1200  # 08:00-18:00 days
    assert parse_duration("1 business week").business_minutes(Decimal(480)) == 2400
    assert parse_duration("3 business hours").business_minutes(Decimal(600)) == 180


@pytest.mark.parametrize(
    ("written", "shown", "short"),
    [
        ("15m", "15 minutes", "15m"),
        ("1h", "1 hour", "1h"),
        ("1.0 hours", "1 hour", "1h"),
        ("2 business days", "2 business days", "2 business days"),
        ("1 business day", "1 business day", "1 business day"),
        ("36 months", "36 months", "36 months"),
        ("PT4H", "4 hours", "4h"),
    ],
)
def test_duration_prints_back(written: str, shown: str, short: str) -> None:
    value = parse_duration(written)
    assert str(value) == shown
    assert value.short() == short


def test_business_and_clock_durations_are_not_comparable() -> None:
    assert not parse_duration("4 business hours").comparable(parse_duration("4h"))
    assert parse_duration("4h").comparable(parse_duration("1 day"))
    assert parse_duration("2 business hours").comparable(parse_duration("1 business day"))


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("15", "expected a duration"),
        (15, "bare number has no unit"),
        (1.5, "bare number has no unit"),
        ("15 fortnights", "unknown unit 'fortnights'"),
        ("15x", "unknown unit 'x'"),
        ("0m", "longer than zero"),
        ("0 business days", "longer than zero"),
        ("PT0H", "longer than zero"),
        ("P0D", "longer than zero"),
        ("2 business months", "'business' goes with minutes, hours, days or weeks"),
        ("2 business seconds", "'business' goes with"),
        ("-5m", "expected a duration"),
        ("P", "expected a duration"),
        ("PT", "expected a duration"),
        ("PT", "expected a duration"),
        ("P1M2D", "calendar time and days or hours a fixed length"),
        ("P1.5M", "calendar time and days or hours a fixed length"),
        ("1.5 months", "months and years are counted whole"),
        ("P0M", "longer than zero"),
        ("soon", "expected a duration"),
        (True, "expected a duration"),
        (None, "expected a duration"),
    ],
)
def test_duration_rejects(written: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_duration(written)


# ------------------------------------------------------------------ money


@pytest.mark.parametrize(
    ("written", "amount", "currency"),
    [
        ("12000 EUR", "12000", "EUR"),
        ("12,000 EUR", "12000", "EUR"),
        ("EUR 1,500.00", "1500.00", "EUR"),
        ("GBP 1,234,567.89", "1234567.89", "GBP"),
        ("0.10 USD", "0.10", "USD"),
        ({"amount": 12000, "currency": "EUR"}, "12000", "EUR"),
        ({"amount": "1,500.50", "currency": "CHF"}, "1500.50", "CHF"),
        ("38500 XCG", "38500", "XCG"),  # the Caribbean guilder, in ISO 4217 since 2025
        ({"amount": 1500.5, "currency": "EUR"}, "1500.5", "EUR"),
    ],
)
def test_money_parses_exactly(written: object, amount: str, currency: str) -> None:
    value = parse_money(written)
    assert value == Money(Decimal(amount), currency)
    assert isinstance(value.amount, Decimal)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("12000 EUR", "EUR 12,000"),
        ("EUR 1,500.50", "EUR 1,500.50"),
        ("0.1 GBP", "GBP 0.10"),
        ("999.999 USD", "USD 1,000"),
    ],
)
def test_money_prints_back(written: str, shown: str) -> None:
    assert str(parse_money(written)) == shown


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (12000, "has no currency: write it as, e.g., 12000 EUR"),
        (1500.5, "has no currency"),
        ("12000", "expected an amount with an ISO 4217 currency"),
        ("12000 euros", "expected an amount"),
        ("€12000", "expected an amount"),
        ("-5 EUR", "may not be negative"),
        ({"amount": 5}, "mapping with amount and currency"),
        ({"amount": 5, "currency": "EUR", "vat": True}, "mapping with amount and currency"),
        (True, "expected an amount"),
        ("1.500,00 EUR", "expected an amount"),
        ("38500 XYZ", "'XYZ' is not an ISO 4217 currency code"),
        ("EUR0 1", "expected an amount"),
        ("100 XXX", "'XXX' is not an ISO 4217 currency code"),  # the code for "no currency"
        ("250 gbp", "'gbp' is written in capitals in ISO 4217: did you mean 'GBP'[?]"),
        ({"amount": 5, "currency": "chf"}, "did you mean 'CHF'[?]"),
        ("100 EUE", "not an ISO 4217 currency code; did you mean 'EUR'[?]"),
    ],
)
def test_money_rejects(written: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_money(written)


@pytest.mark.parametrize("written", ["1,50 EUR", "EUR 12,34", "12,34,5 EUR", "1,5000 GBP"])
def test_money_refuses_a_comma_that_does_not_group_thousands(written: str) -> None:
    # '1,50 EUR' used to be read as 150 EUR
    with pytest.raises(ValueError, match="comma only separates thousands"):
        parse_money(written)


def test_every_currency_code_is_three_capitals_and_the_common_ones_are_there() -> None:
    codes = currency_codes()
    assert all(len(code) == 3 and code.isalpha() and code.isupper() for code in codes)
    assert {"EUR", "GBP", "USD", "JPY", "CHF", "INR"} <= set(codes)
    assert len(codes) > 150  # ISO 4217 lists about 180 codes


def test_a_refused_currency_says_what_is_expected() -> None:
    with pytest.raises(ValueRefused) as refused:
        parse_money("12000 eur")
    assert refused.value.expected == "an ISO 4217 currency code in capitals, such as EUR, GBP or USD"
