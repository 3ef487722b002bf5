"""Calendars: spans, holidays, seasons, sites; every figure stated here, never taken from the code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from slaforge.arithmetic import calendars
from slaforge.spec.calendars import ServiceHours

LONDON = ZoneInfo("Europe/London")

FORMAT_1 = ServiceHours.model_validate(
    {
        "name": "Business Hours",
        "timezone": "Europe/London",
        "prime": [{"days": "mon-fri", "from": "08:00", "to": "18:00"}],
        "non_prime": [{"days": ["sat"], "from": "09:00", "to": "13:00"}],
        "holidays": [{"date": "2027-03-26", "name": "Good Friday"}],
    }
)


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_format_1_is_two_spans() -> None:
    spans = FORMAT_1.weekly_spans
    assert [(s.id, s.is_business) for s in spans] == [("prime", True), ("non-prime", False)]
    assert calendars.spans_on(FORMAT_1, dt.date(2027, 3, 6)) == [("non-prime", 540, 780)]  # a Saturday
    assert calendars.spans_on(FORMAT_1, dt.date(2027, 3, 5)) == [("prime", 480, 1080)]
    assert calendars.spans_on(FORMAT_1, dt.date(2027, 3, 26)) == []  # the holiday
    assert calendars.business_spans_on(FORMAT_1, dt.date(2027, 3, 6)) == []


@pytest.mark.parametrize(
    ("instant", "span"),
    [
        ("2027-03-05T07:59", None),
        ("2027-03-05T08:00", "prime"),
        ("2027-03-05T17:59", "prime"),
        ("2027-03-05T18:00", None),
        ("2027-03-06T10:00", "non-prime"),
        ("2027-03-26T10:00", None),  # Good Friday
    ],
)
def test_span_at(instant: str, span: str | None) -> None:
    assert calendars.span_at(FORMAT_1, local(instant)) == span


def test_next_span_start() -> None:
    assert calendars.next_span_start(FORMAT_1, local("2027-03-05T18:30")) == (local("2027-03-06T09:00"), "non-prime")
    # Thursday evening before Good Friday: Saturday's non-prime hours open next
    assert calendars.next_span_start(FORMAT_1, local("2027-03-25T19:00")) == (local("2027-03-27T09:00"), "non-prime")


def test_seconds_within_counts_real_time_across_the_clock_change() -> None:
    march = [dt.date(2027, 3, 1) + dt.timedelta(days=i) for i in range(31)]
    # 23 weekdays in March 2027 less Good Friday: 22 x 10 h of prime; 4 Saturdays x 4 h of non-prime
    assert calendars.seconds_within(FORMAT_1, march, "business") == Decimal(22 * 10 * 3600)
    assert calendars.seconds_within(FORMAT_1, march, ["non-prime"]) == Decimal(4 * 4 * 3600)
    assert calendars.seconds_within(FORMAT_1, march, "all") == Decimal((22 * 10 + 4 * 4) * 3600)
    always = ServiceHours.model_validate({"name": "24x7", "timezone": "Europe/London", "always": True})
    # 28 March 2027 has 23 hours in London
    assert calendars.seconds_within(always, march, "all") == Decimal((31 * 24 - 1) * 3600)
