"""Business time: deadlines counted in a calendar's business spans, and what a business-time target means.

Pure functions over spec values, in the calendar's own time zone and in real elapsed time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from slaforge.arithmetic.calendars import add_business_time, business_spans_on
from slaforge.spec.calendars import ServiceHours
from slaforge.spec.lengths import add_months, after
from slaforge.spec.models import SeverityLevel
from slaforge.spec.units import Duration
from slaforge.text import format_decimal


def business_minutes(duration: Duration, calendar: ServiceHours) -> Decimal:
    return duration.business_minutes(calendar.business_day_minutes)


def due_after(start: dt.datetime, duration: Duration, calendar: ServiceHours) -> dt.datetime:
    """When ``duration`` after ``start`` ends: in business time within the calendar, on the clock, or (months
    and years) on the calendar, to the same time of day in the calendar's time zone."""
    zone = ZoneInfo(calendar.timezone)
    if duration.business:
        return add_business_time(start, business_minutes(duration, calendar), calendar)
    if duration.calendar:
        local = after(start.astimezone(zone).replace(tzinfo=None), duration)
        return local.replace(tzinfo=zone)
    return after(start.astimezone(zone), duration)


def calendar_after(start: dt.datetime, duration: Duration, calendar: ServiceHours) -> dt.datetime:
    """``duration`` after ``start`` as a calendar counts it: days, weeks, months and years on the wall clock of
    the calendar's zone (30 days after a midnight is a midnight, also across a change of summer time; 2 months
    after 1 March is 1 May), business time within the calendar, hours and less in elapsed time."""
    if duration.business or duration.unit not in _CALENDAR_UNITS:
        return due_after(start, duration, calendar)
    zone = ZoneInfo(calendar.timezone)
    local = start.astimezone(zone).replace(tzinfo=None)
    whole = int(duration.amount)
    if duration.amount != whole:  # a fraction of a day or month has no wall-clock meaning: elapsed time
        return due_after(start, duration, calendar)
    if duration.unit in ("day", "week"):
        moved = local + dt.timedelta(days=whole * (7 if duration.unit == "week" else 1))
    else:
        moved = add_months(local, whole * (12 if duration.unit == "year" else 1))
    return moved.replace(tzinfo=zone)


_CALENDAR_UNITS = ("day", "week", "month", "year")


def due_times(level: SeverityLevel, calendar: ServiceHours, reported: dt.datetime) -> dict[str, dt.datetime]:
    """When the response, the first update (counted from the response deadline) and the resolution are due;
    only the targets the severity sets."""
    due = {"response": due_after(reported, level.response, calendar)}
    if level.update is not None:
        due["update"] = due_after(due["response"], level.update, calendar)
    if level.resolution is not None:
        due["resolution"] = due_after(reported, level.resolution, calendar)
    return {target: due[target] for target in ("response", "update", "resolution") if target in due}


def business_note(duration: Duration, calendar: ServiceHours, reference: dt.date) -> str | None:
    """What a business-time target means on the clock, with an example from a Friday afternoon."""
    if not duration.business or calendar.always:
        return None
    minutes = business_minutes(duration, calendar)
    hours = minutes / 60
    friday = reference + dt.timedelta(days=(4 - reference.weekday()) % 7)
    for _ in range(60):
        spans = business_spans_on(calendar, friday)
        if spans:
            break
        friday += dt.timedelta(days=7)
    else:
        return None
    end_of_day = spans[-1][1]
    start_minute = max(spans[-1][0], end_of_day - 60)
    start = dt.datetime.combine(friday, dt.time(start_minute // 60, start_minute % 60))
    due = add_business_time(start, minutes, calendar)
    days_later = (due.date() - friday).days
    when = "the same day" if days_later == 0 else f"{due:%A}" + (" of the following week" if days_later > 6 else "")
    span_text = f"{format_decimal(hours)} hour{'s' if hours != 1 else ''}"
    return (
        f"{duration} means {span_text} counted only within {calendar.name}; for example, for a report "
        f"made at {start:%H:%M} on a Friday it falls due at {due:%H:%M} on {when}"
    )


def calendar_summary(calendar: ServiceHours) -> str:
    if calendar.always:
        return "24 hours a day, 7 days a week, including public holidays"
    windows = "; ".join(w.describe() for w in calendar.business_windows())
    text = f"{windows} ({calendar.timezone} time)"
    if calendar.holiday_calendar:
        text += f", excluding {calendar.holiday_calendar}"
    elif calendar.holidays:
        text += ", excluding the holidays listed in this Agreement"
    return text
