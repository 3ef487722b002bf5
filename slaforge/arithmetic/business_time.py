"""Business time: prime service hours, deadlines counted in them, and what a business-time target means.

Pure functions over spec values, in the calendar's own time zone and in real elapsed time.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from slaforge.spec.models import WEEKDAYS, ServiceHours, SeverityLevel
from slaforge.spec.units import Duration
from slaforge.text import format_decimal


def prime_spans(calendar: ServiceHours, day: dt.date) -> list[tuple[int, int]]:
    """Minutes-of-day spans of prime time on ``day`` (none on holidays)."""
    if calendar.always:
        return [(0, 24 * 60)]
    if any(h.date == day for h in calendar.holidays):
        return []
    weekday = WEEKDAYS[day.weekday()]
    spans = sorted(w.minutes_of_day for w in calendar.prime if weekday in w.days)
    return spans


def _instant(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime:
    """The real moment (UTC) of a minute of a local day; minute 1440 is the next midnight."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    return naive.replace(tzinfo=zone).astimezone(dt.UTC)


def add_business_time(start: dt.datetime, minutes: Decimal, calendar: ServiceHours) -> dt.datetime:
    """The moment ``minutes`` of prime time after ``start`` (aware or naive local time) has elapsed.

    Prime spans are read off the calendar's wall clock in its time zone, skipping
    weekends, holidays and non-prime hours; a start outside prime hours begins
    counting at the next prime minute.  Time inside a span is counted as it really
    elapses, so four hours of a 24x7 calendar are four hours on the night the clocks
    change too (as :func:`slaforge.arithmetic.periods.service_seconds` counts them).
    """
    zone = ZoneInfo(calendar.timezone)
    local = start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
    now = local.astimezone(dt.UTC)
    remaining = Decimal(minutes) * 60  # seconds
    day = local.date()
    for _ in range(3660):  # ten years of days: an empty calendar cannot loop for ever
        for begin, end in prime_spans(calendar, day):
            span_end = _instant(day, end, zone)
            if span_end <= now:
                continue
            since = max(_instant(day, begin, zone), now)
            available = Decimal(str((span_end - since).total_seconds()))
            if remaining <= available:
                seconds = int(remaining.to_integral_value(rounding=ROUND_HALF_UP))
                return (since + dt.timedelta(seconds=seconds)).astimezone(zone)
            remaining -= available
        day += dt.timedelta(days=1)
    raise ValueError(f"the calendar {calendar.name!r} has no prime hours to count in")


def business_minutes(duration: Duration, calendar: ServiceHours) -> Decimal:
    return duration.business_minutes(calendar.business_day_minutes)


def due_after(start: dt.datetime, duration: Duration, calendar: ServiceHours) -> dt.datetime:
    """When ``duration`` after ``start`` ends: in business time within the calendar, or on the clock."""
    zone = ZoneInfo(calendar.timezone)
    if duration.business:
        return add_business_time(start, business_minutes(duration, calendar), calendar)
    return (start.astimezone(dt.UTC) + dt.timedelta(minutes=float(duration.minutes))).astimezone(zone)


def due_times(level: SeverityLevel, calendar: ServiceHours, reported: dt.datetime) -> dict[str, dt.datetime]:
    """When the response, the first update (counted from the response deadline) and the resolution are due."""
    due = {"response": due_after(reported, level.response, calendar)}
    if level.update is not None:
        due["update"] = due_after(due["response"], level.update, calendar)
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
        spans = prime_spans(calendar, friday)
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
    windows = "; ".join(w.describe() for w in calendar.prime)
    text = f"{windows} ({calendar.timezone} time)"
    if calendar.holiday_calendar:
        text += f", excluding {calendar.holiday_calendar}"
    elif calendar.holidays:
        text += ", excluding the holidays listed in this Agreement"
    return text
