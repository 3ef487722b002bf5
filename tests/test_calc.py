"""SLA arithmetic, checked against values computed independently here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from slaforge import calc
from slaforge.spec.models import CreditBand, ServiceHours, Window

TARGETS = ["99", "99.5", "99.9", "99.95", "99.99", "99.999"]
DAYS = [28, 29, 30, 31, 90, 91, 92, 365, 366]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("days", DAYS)
def test_allowed_downtime_is_exact(target: str, days: int) -> None:
    # independent arithmetic with Fractions: (1 - target/100) * days * 86400 seconds
    expected = (1 - Fraction(target) / 100) * days * 86400
    got = calc.allowed_downtime_seconds(Decimal(target), days * 86400)
    assert Fraction(got) == expected


def test_the_design_notes_figures() -> None:
    assert calc.format_seconds(calc.allowed_downtime_seconds(Decimal("99.9"), 30 * 86400)) == "43 minutes 12 seconds"
    assert calc.format_seconds(calc.allowed_downtime_seconds(Decimal("99.9"), 31 * 86400)) == "44 minutes 38.4 seconds"
    assert calc.allowed_downtime_text(Decimal("99.9"), Window.calendar_month) == (
        "43 minutes 12 seconds in a 30-day month (44 minutes 38.4 seconds in a 31-day month)"
    )
    # 99% of a 366-day year: 3.66 days = 3 days 15 hours 50 minutes 24 seconds
    assert calc.format_seconds(calc.allowed_downtime_seconds(Decimal(99), 366 * 86400)) == (
        "3 days 15 hours 50 minutes 24 seconds"
    )


def band(**kw: str) -> CreditBand:
    return CreditBand.model_validate(kw)


@pytest.mark.parametrize(
    ("bounds", "inside", "outside"),
    [
        ({"at_least": "99.5", "below": "99.9"}, ["99.5", "99.89999"], ["99.9", "99.49999"]),
        ({"above": "99.5", "at_most": "99.9"}, ["99.50001", "99.9"], ["99.5", "99.90001"]),
        ({"below": "99"}, ["0", "98.999"], ["99"]),
    ],
)
def test_band_bounds_inclusive_and_exclusive(bounds: dict[str, str], inside: list[str], outside: list[str]) -> None:
    b = band(**bounds, credit="10%")
    assert all(b.contains(Decimal(v)) for v in inside)
    assert not any(b.contains(Decimal(v)) for v in outside)


def test_band_lookup_and_description() -> None:
    bands = [band(at_least="99.5", below="99.9", credit="5"), band(below="99.5", credit="10")]
    assert calc.band_for(bands, Decimal("99.5")) is bands[0]
    assert calc.band_for(bands, Decimal("99.4999")) is bands[1]
    assert calc.band_for(bands, Decimal("99.9")) is None
    assert calc.describe_band(bands[0]) == "at least 99.5% but below 99.9%"
    assert calc.describe_band(bands[1]) == "below 99.5%"


LONDON_OFFICE = ServiceHours.model_validate(
    {
        "name": "Business Hours",
        "timezone": "Europe/London",
        "prime": [{"days": ["mon-fri"], "from": "08:00", "to": "18:00"}],
        "holidays": [{"date": "2027-04-02", "name": "Good Friday"}, {"date": "2027-04-05", "name": "Easter Monday"}],
    }
)
LONDON = ZoneInfo("Europe/London")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        ("2027-03-05T16:45", 120, "2027-03-08T08:45"),  # 75 min on Friday, 45 on Monday
        ("2027-03-06T11:00", 60, "2027-03-08T09:00"),  # reported on a Saturday: counting starts Monday 08:00
        ("2027-03-04T07:00", 30, "2027-03-04T08:30"),  # before opening
        ("2027-04-01T17:00", 120, "2027-04-06T09:00"),  # Thursday before Easter: Good Friday, Easter Monday skipped
        ("2027-03-26T17:30", 60, "2027-03-29T08:30"),  # across the change to summer time (28 March 2027)
    ],
)
def test_business_time_deadlines(start: str, minutes: int, due: str) -> None:
    assert calc.add_business_time(at(start), Decimal(minutes), LONDON_OFFICE) == at(due)


def test_business_note_gives_a_clock_example() -> None:
    from slaforge.spec.units import parse_duration

    note = calc.business_note(parse_duration("2 business hours"), LONDON_OFFICE, dt.date(2027, 3, 1))
    assert note == (
        "2 business hours means 2 hours counted only within Business Hours; for example, for a report made at "
        "17:00 on a Friday it falls due at 09:00 on Monday"
    )
    assert calc.business_note(parse_duration("4h"), LONDON_OFFICE, dt.date(2027, 3, 1)) is None
