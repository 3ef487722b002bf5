"""SLA arithmetic, exact: downtime budgets, credit lookup, business-time deadlines.

Pure functions over spec values; Decimal throughout so that 99.9% of a 31-day
month is 44 min 38.4 s, not 44 min 38.400000001 s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from slaforge.spec.models import WEEKDAYS, CreditBand, ServiceCredits, ServiceHours, SeverityLevel, Window
from slaforge.spec.units import Duration, Money, Pct, format_decimal

SECONDS_PER_DAY = 86_400

# the lengths (in days) a measurement window can have, shortest and longest
WINDOW_DAYS: dict[Window, tuple[int, ...]] = {
    Window.calendar_month: (30, 31),
    Window.fixed_30_days: (30,),
    Window.calendar_quarter: (90, 92),
    Window.fiscal_quarter: (90, 92),
    Window.rolling_year: (365, 366),
}
WINDOW_NAMES: dict[Window, str] = {
    Window.calendar_month: "calendar month",
    Window.fixed_30_days: "period of 30 days",
    Window.calendar_quarter: "calendar quarter",
    Window.fiscal_quarter: "fiscal quarter",
    Window.rolling_year: "rolling twelve-month period",
}


def allowed_downtime_seconds(target: Decimal, window_seconds: Decimal | int) -> Decimal:
    """Seconds of downtime a target allows in a window of the given length."""
    return (Decimal(100) - target) * Decimal(window_seconds) / Decimal(100)


def format_seconds(seconds: Decimal) -> str:
    """``Decimal('2678.4')`` -> ``'44 minutes 38.4 seconds'``."""
    seconds = seconds.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if seconds == 0:
        return "no downtime"
    whole = int(seconds)
    fraction = seconds - whole
    days, rest = divmod(whole, SECONDS_PER_DAY)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    secs_value = Decimal(secs) + fraction
    parts = []
    for amount, unit in ((days, "day"), (hours, "hour"), (minutes, "minute")):
        if amount:
            parts.append(f"{amount} {unit}{'s' if amount != 1 else ''}")
    if secs_value:
        parts.append(f"{format_decimal(secs_value)} second{'s' if secs_value != 1 else ''}")
    return " ".join(parts)


def allowed_downtime_text(target: Decimal, window: Window) -> str:
    """E.g. '21 minutes 36 seconds in a 30-day month (22 minutes 19.2 seconds in a 31-day month)'."""
    texts = []
    for days in WINDOW_DAYS[window]:
        seconds = allowed_downtime_seconds(target, days * SECONDS_PER_DAY)
        texts.append(f"{format_seconds(seconds)} in a {days}-day {_unit_word(window)}")
    if len(texts) == 1:
        return texts[0]
    return f"{texts[0]} ({texts[1]})"


def _unit_word(window: Window) -> str:
    return {
        Window.calendar_month: "month",
        Window.fixed_30_days: "period",
        Window.calendar_quarter: "quarter",
        Window.fiscal_quarter: "quarter",
        Window.rolling_year: "year",
    }[window]


# ------------------------------------------------------------------ service credits


def band_for(bands: list[CreditBand], availability: Decimal) -> CreditBand | None:
    return next((band for band in bands if band.contains(availability)), None)


def describe_band(band: CreditBand) -> str:
    """'at least 99.5% but below 99.9%' / 'below 99%'."""
    upper = f"{'at most' if band.upper_inclusive else 'below'} {Pct(band.upper)}"
    if band.at_least is None and band.above is None:
        return upper
    lower = f"{'at least' if band.lower_inclusive else 'above'} {Pct(band.lower)}"
    return f"{lower} but {upper}"


@dataclass(frozen=True)
class WorkedExample:
    availability: Pct
    band: str
    credit: Pct
    fee: Money
    amount: Money
    downtime: str
    capped: bool


def worked_example(credits: ServiceCredits, fee: Money | None, window: Window) -> WorkedExample | None:
    """A credit calculation from the spec's own table, for the text of the agreement."""
    fee = credits.fee or fee
    if not credits.bands or fee is None:
        return None
    ordered = sorted(credits.bands, key=lambda b: b.lower, reverse=True)
    band = ordered[1] if len(ordered) > 1 else ordered[0]
    low = band.lower
    availability = ((low + band.upper) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if not band.contains(availability):
        availability = band.lower if band.lower_inclusive else band.upper
    credit = band.credit
    cap = credits.caps.per_window or credits.caps.per_month
    capped = cap is not None and credit > cap
    if capped and cap is not None:
        credit = cap
    amount = Money((fee.amount * credit / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), fee.currency)
    days = WINDOW_DAYS[window][0]
    downtime = f"{format_seconds(allowed_downtime_seconds(availability, days * SECONDS_PER_DAY))} in a {days}-day {_unit_word(window)}"  # noqa: E501
    return WorkedExample(Pct(availability), describe_band(band), Pct(credit), fee, amount, downtime, capped)


# ------------------------------------------------------------------ business time


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
    change too (as :func:`slaforge.periods.service_seconds` counts them).
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
