"""The computed values clauses read for calendars: summaries, the holidays of the first contract year.

Each calendar of ``service_hours`` gains, next to what the spec says:

- ``id``, ``summary`` (its business hours in one phrase), ``non_prime_summary``, ``business_days``
  (the weekdays of its business spans);
- ``hours_table`` for a calendar written as named ``spans`` or with ``seasons`` (else None):
  ``seasons`` (``[{name, first, last, yearly, last_is_month_end, last_month}]``) and ``rows``
  (``[{name, business, windows, season_windows}]``, each windows a list of phrases, empty when closed);
- ``term_holidays``: the holidays of the first year of the term, for information
  (``[{date, name}]``, named calendar less removals plus additions, as ``calc`` counts them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from slaforge.arithmetic.business_time import calendar_summary
from slaforge.arithmetic.calendars import holidays_between, site_customer
from slaforge.spec.calendars import WEEKDAYS, Season, ServiceHours
from slaforge.spec.models import Spec
from slaforge.text import LongDate


class DayOfYear(dt.date):
    """A day that recurs every year, printed as a contract writes it: 1 December."""

    def __str__(self) -> str:
        return f"{self.day} {self:%B}"


def first_year(spec: Spec) -> tuple[dt.date, dt.date]:
    """The first year of the term: from the effective date to the day before its anniversary."""
    start = spec.agreement.effective
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = dt.date(start.year + 1, 3, 1)
    return start, anniversary - dt.timedelta(days=1)


def add_calendar_values(calendars: dict[str, Any], spec: Spec) -> None:
    first, last = first_year(spec)
    for key, calendar in spec.service_hours.items():
        view = calendars[key]
        view["summary"] = calendar_summary(calendar)
        view["id"] = key
        view["non_prime_summary"] = (
            "; ".join(w.describe() for s in calendar.weekly_spans if not s.is_business for w in s.windows) or None
        )
        view["term_holidays"] = [
            {"date": LongDate(day.year, day.month, day.day), "name": name}
            for day, name in holidays_between(calendar, first, last)
        ]
        view["term_holidays_from"] = LongDate(first.year, first.month, first.day)
        view["business_days"] = [
            d for d in WEEKDAYS if any(d in w.days for s in calendar.weekly_spans if s.is_business for w in s.windows)
        ]
        view["hours_table"] = hours_table(calendar)


def add_site_values(view: dict[str, Any], spec: Spec) -> None:
    """Each site gains ``calendar`` (its own calendar, else its customer's local hours, else None) and
    ``customer_name``; each customer ``calendar`` (its local hours, or None)."""
    calendars = view["service_hours"]
    for customer, customer_view in zip(spec.customers, view["customers"], strict=True):
        customer_view["calendar"] = calendars.get(customer.hours) if customer.hours else None
    for site, site_view in zip(spec.sites, view["sites"], strict=True):
        customer = site_customer(spec, site.id)
        key = site.hours or (customer.hours if customer else None)
        site_view["calendar"] = calendars.get(key) if key else None
        site_view["customer_name"] = customer.name if customer else None


def _season_view(season: Season) -> dict[str, Any]:
    if isinstance(season.start, dt.date) and isinstance(season.until, dt.date):
        last = season.until - dt.timedelta(days=1)
        return {
            "name": season.name,
            "first": LongDate(season.start.year, season.start.month, season.start.day),
            "last": LongDate(last.year, last.month, last.day),
            "yearly": False,
            "last_is_month_end": False,
            "last_month": f"{last:%B}",
        }
    start_month, start_day = (int(x) for x in str(season.start).split("-"))
    until_month, until_day = (int(x) for x in str(season.until).split("-"))
    # a year in which every MM-DD exists; the day before 1 March is the end of February, 28th or 29th
    last = dt.date(2028, until_month, until_day) - dt.timedelta(days=1)
    return {
        "name": season.name,
        "first": DayOfYear(2028, start_month, start_day),
        "last": DayOfYear(last.year, last.month, last.day),
        "yearly": True,
        "last_is_month_end": until_day == 1,
        "last_month": f"{last:%B}",
    }


def hours_table(calendar: ServiceHours) -> dict[str, Any] | None:
    """The hours of each span, and in each season, for a calendar with named spans or seasons."""
    if calendar.always or not (calendar.spans or calendar.seasons):
        return None
    rows = []
    for span in calendar.weekly_spans:
        season_windows = []
        for season in calendar.seasons:
            changed = next((s.windows for s in season.spans if s.id == span.id), span.windows)
            season_windows.append([w.describe() for w in changed])
        rows.append(
            {
                "id": span.id,
                "name": span.name or span.id,
                "business": span.is_business,
                "windows": [w.describe() for w in span.windows],
                "season_windows": season_windows,
            }
        )
    return {"seasons": [_season_view(s) for s in calendar.seasons], "rows": rows}
