"""The computed values clauses read for calendars: summaries, the holidays of the first contract year.

Each calendar of ``service_hours`` gains, next to what the spec says:

- ``id``, ``summary`` (its business hours in one phrase), ``non_prime_summary``;
- ``term_holidays``: the holidays of the first year of the term, for information
  (``[{date, name}]``, named calendar less removals plus additions, as ``calc`` counts them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from slaforge.arithmetic.business_time import calendar_summary
from slaforge.arithmetic.calendars import holidays_between
from slaforge.spec.models import Spec
from slaforge.text import LongDate


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
