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

from slaforge.spec.models import Spec, Window
from slaforge.text import long_date

_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(?P<y>\d{4})-Q(?P<q>[1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(?P<y>\d{4})$")
_SPAN = re.compile(r"^(?P<a>\d{4}-\d{2}-\d{2})\.\.(?P<b>\d{4}-\d{2}-\d{2})$")
PERIOD_EXPECTED = "a period such as 2027-02 (month), 2027-Q1 (quarter), 2027 (year) or 2027-03-01..2027-03-30"


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
    text = text.strip()
    if match := _MONTH.match(text):
        year, month = int(match["y"]), int(match["m"])
        start = dt.date(year, month, 1)
        end = dt.date(year + (month == 12), month % 12 + 1, 1)
        return Period(start, end, f"{start:%B %Y}")
    if match := _QUARTER.match(text):
        year, quarter = int(match["y"]), int(match["q"])
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return Period(start, end, f"Q{quarter} {year}")
    if match := _YEAR.match(text):
        year = int(match["y"])
        return Period(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), str(year))
    if match := _SPAN.match(text):
        start, last = dt.date.fromisoformat(match["a"]), dt.date.fromisoformat(match["b"])
        if last < start:
            raise ValueError(f"the period {text!r} ends before it starts")
        return Period(start, last + dt.timedelta(days=1), f"{start.isoformat()} to {last.isoformat()}")
    raise ValueError(f"{text!r} is not {PERIOD_EXPECTED}")


def period_for(window: Window, start: dt.date) -> Period:
    """The measurement window of the given kind that starts on ``start``."""
    if window == Window.calendar_month:
        return parse_period(f"{start:%Y-%m}")
    if window == Window.fixed_30_days:
        return Period(start, start + dt.timedelta(days=30), f"the 30 days from {long_date(start)}")
    if window == Window.calendar_quarter:
        return parse_period(f"{start.year}-Q{(start.month - 1) // 3 + 1}")
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
