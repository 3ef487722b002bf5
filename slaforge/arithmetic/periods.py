"""Measurement periods and the time inside them.

A period is written ``2027-02`` (a month), ``2027-Q1`` (a calendar quarter),
``2027`` (a year) or ``2027-03-01..2027-03-30`` (an explicit span, end
inclusive).  The time of a calendar's spans inside a period is
:func:`slaforge.arithmetic.calendars.seconds_within` over :meth:`Period.dates`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from slaforge.inputs.limits import FIRST_YEAR, LAST_YEAR
from slaforge.spec.models import Spec, Window
from slaforge.text import long_date

_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(?P<y>\d{4})-Q(?P<q>[1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(?P<y>\d{4})$")
_SPAN = re.compile(r"^(?P<a>\d{4}-\d{2}-\d{2})\.\.(?P<b>\d{4}-\d{2}-\d{2})$")
PERIOD_EXPECTED = "a period such as 2027-02 (month), 2027-Q1 (quarter), 2027 (year) or 2027-03-01..2027-03-30"
YEARS = f"the years {FIRST_YEAR} to {LAST_YEAR - 1}"


def year_problem(day: dt.date | dt.datetime) -> str | None:
    """Why ``day`` lies outside the years slaforge counts in (see docs/limits.md), or None."""
    if FIRST_YEAR <= day.year < LAST_YEAR:
        return None
    return f"the year {day.year} is outside {YEARS} (calendar arithmetic around it would leave Python's calendar)"


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day
    end: dt.date  # day after the last day
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]


def parse_period(text: str) -> Period:
    """The period ``text`` names; ValueError saying why when it names none, or one outside :data:`YEARS`."""
    text = text.strip()
    if match := _MONTH.match(text):
        period = month_period(int(match["y"]), int(match["m"]))
    elif match := _QUARTER.match(text):
        period = quarter_period(int(match["y"]), int(match["q"]))
    elif match := _YEAR.match(text):
        year = int(match["y"])
        _check_year(year, text)
        period = Period(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), str(year))
    elif match := _SPAN.match(text):
        start, last = dt.date.fromisoformat(match["a"]), dt.date.fromisoformat(match["b"])
        for day in (start, last):
            _check_year(day.year, text)
        if last < start:
            raise ValueError(f"the period {text!r} ends before it starts")
        period = Period(start, last + dt.timedelta(days=1), f"{start.isoformat()} to {last.isoformat()}")
    else:
        raise ValueError(f"{text!r} is not {PERIOD_EXPECTED}")
    return period


def _check_year(year: int, text: str) -> None:
    if not FIRST_YEAR <= year < LAST_YEAR:
        raise ValueError(f"{text!r}: the year {year} is outside {YEARS}; expected a period within them")


def month_period(year: int, month: int) -> Period:
    _check_year(year, f"{year:04d}-{month:02d}")
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, end, f"{start:%B} {year}")


def quarter_period(year: int, quarter: int) -> Period:
    _check_year(year, f"{year:04d}-Q{quarter}")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return Period(start, end, f"Q{quarter} {year}")


def period_for(window: Window, start: dt.date) -> Period:
    """The measurement window of the given kind that starts on ``start``."""
    if window == Window.calendar_month:
        return month_period(start.year, start.month)
    if window == Window.fixed_30_days:
        return Period(start, start + dt.timedelta(days=30), f"the 30 days from {long_date(start)}")
    if window == Window.calendar_quarter:
        return quarter_period(start.year, (start.month - 1) // 3 + 1)
    if window == Window.fiscal_quarter:
        end_month = start.month + 3
        end = dt.date(start.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, start.day)
        return Period(start, end, f"the fiscal quarter beginning {long_date(start)}")
    return Period(start, dt.date(start.year + 1, start.month, start.day), f"the year beginning {long_date(start)}")


def first_window_start(spec: Spec, window: Window, fiscal_year_start: str | None = None) -> dt.date:
    """The window boundary on or before the effective date: the agreement's windows are counted from it."""
    effective = spec.agreement.effective
    if window == Window.fiscal_quarter:
        fiscal = fiscal_year_start or spec.services[0].all_commitments[0].fiscal_year_start or "01-01"
        month, day = (int(p) for p in fiscal.split("-"))
        start = dt.date(effective.year, month, day)
        return start if start <= effective else start.replace(year=start.year - 1)
    if window in (Window.calendar_month, Window.calendar_quarter):
        return effective.replace(day=1)
    return effective
