"""Durations on the calendar: adding one to a date, and comparing a month with a number of days.

Months and years are calendar lengths.  ``1 month`` (or ``P1M``) from 31 January ends on the last day of
February, as a contract reads it, and a month is 28 to 31 days long depending on where it starts.  So
``1 month`` is the same as ``P1M`` and ``12 months`` the same as ``1 year``, but never the same as
``30 days``: which of the two is longer depends on the month, and :func:`compare_lengths` says so
(None) unless every month decides it alike (``1 month`` is always longer than ``4 weeks`` minus a day,
and always shorter than ``32 days``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from functools import cache
from typing import TypeVar

from slaforge.spec.units import Duration

Moment = TypeVar("Moment", dt.date, dt.datetime)
DST_MINUTES = 60  # a month that crosses a change of clocks is an hour shorter or longer on the clock


def add_months(start: Moment, months: int) -> Moment:
    """``start`` moved by ``months`` calendar months, to the same day of the month or the last day of a
    shorter month (31 January + 1 month = 28 or 29 February); a datetime keeps its time of day."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return start.replace(year=year, month=month + 1, day=day)


def after(start: Moment, duration: Duration) -> Moment:
    """When ``duration`` (a clock duration) after ``start`` ends: months by the calendar, the rest in minutes
    (a datetime with a time zone counts real elapsed minutes)."""
    if duration.calendar:
        return add_months(start, duration.months)
    if isinstance(start, dt.datetime) and start.tzinfo is not None:
        zone = start.tzinfo
        moved = start.astimezone(dt.UTC) + dt.timedelta(minutes=float(duration.minutes))
        return moved.astimezone(zone)
    return start + dt.timedelta(minutes=float(duration.minutes))


@cache
def month_span_days(months: int) -> tuple[int, int]:
    """The fewest and the most days ``months`` calendar months take, over every starting day of the 400-year
    Gregorian cycle (days 1 to 28 of a month all give the span of day 1; only the 29th to the 31st clamp)."""
    spans = set()
    for index in range(4800):
        year, month = divmod(index, 12)
        for day in (1, 29, 30, 31):
            if day <= calendar.monthrange(2000 + year, month + 1)[1]:
                start = dt.date(2000 + year, month + 1, day)
                spans.add((add_months(start, months) - start).days)
    return min(spans), max(spans)


def compare_lengths(a: Duration, b: Duration) -> int | None:
    """Whether clock duration ``a`` is longer (1), as long (0) or shorter (-1) than ``b`` wherever on the
    calendar both start; None when that depends on the start (a month against 30 days) or on the hours
    of business (business time against anything else)."""
    if a.business or b.business:
        if a.business and b.business and not a.calendar and not b.calendar:
            return _sign(a.minutes - b.minutes)
        return None
    if a.calendar and b.calendar:
        return _sign(Decimal(a.months - b.months))
    if not a.calendar and not b.calendar:
        return _sign(a.minutes - b.minutes)
    months, fixed, flip = (a, b, 1) if a.calendar else (b, a, -1)
    low, high = month_span_days(months.months)
    low_minutes, high_minutes = low * 1440 - DST_MINUTES, high * 1440 + DST_MINUTES
    if fixed.minutes < low_minutes:
        return flip
    if fixed.minutes > high_minutes:
        return -flip
    return None


def same_length(a: Duration, b: Duration) -> bool:
    """As long as each other wherever they start: 12 months and 1 year, 4h and 240m; never 1 month and 30 days."""
    if a.business != b.business:
        return False
    if a.calendar or b.calendar:
        return a.calendar and b.calendar and a.months == b.months
    return a.minutes == b.minutes


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)
