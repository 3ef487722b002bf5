"""Downtime budgets, exact: what an availability target allows in a measurement window.

Decimal throughout, so that 99.9% of a 31-day month is 44 min 38.4 s, not 44 min 38.400000001 s.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from slaforge.arithmetic.calendars import seconds_within
from slaforge.arithmetic.periods import period_for
from slaforge.library.texts import label
from slaforge.spec.models import Commitment, Service, Spec, Window
from slaforge.text import format_decimal

SECONDS_PER_DAY = 86_400

# the lengths (in days) a measurement window can have, shortest and longest
WINDOW_DAYS: dict[Window, tuple[int, ...]] = {
    Window.calendar_month: (30, 31),
    Window.fixed_30_days: (30,),
    Window.calendar_quarter: (90, 92),
    Window.fiscal_quarter: (90, 92),
    Window.rolling_year: (365, 366),
}


def allowed_downtime_seconds(target: Decimal, window_seconds: Decimal | int) -> Decimal:
    """Seconds of downtime a target allows in a window of the given length."""
    return (Decimal(100) - target) * Decimal(window_seconds) / Decimal(100)


MICROSECOND = Decimal("0.000001")


def format_seconds(seconds: Decimal) -> str:
    """``Decimal('2678.4')`` -> ``'44 minutes 38.4 seconds'``, ``Decimal('27.84')`` -> ``'27.84 seconds'``: exact
    (a budget is a percentage of whole seconds, so its decimals end), to the microsecond at most."""
    if seconds.as_tuple().exponent < -6:  # type: ignore[operator]
        seconds = seconds.quantize(MICROSECOND, rounding=ROUND_HALF_UP)
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
        texts.append(f"{format_seconds(seconds)} in a {days}-day {unit_word(window)}")
    if len(texts) == 1:
        return texts[0]
    return f"{texts[0]} ({texts[1]})"


def window_name(window: Window) -> str:
    """How an agreement names a window: "calendar month" (the theme's labels)."""
    return label(f"windows.{window.value}")


def unit_word(window: Window) -> str:
    """A window's unit, as in "in a 30-day month" (the theme's labels)."""
    return label(f"window_units.{window.value}")


def allowed_downtime(spec: Spec, service: Service, commitment: Commitment) -> str:
    """The downtime a commitment's target allows, as the agreement should quote it."""
    availability = commitment
    if availability.target >= 100:
        return "no downtime at all"
    calendar = spec.service_hours.get(service.hours)
    if not availability.service_hours_only or calendar is None or calendar.always:
        return allowed_downtime_text(availability.target, availability.window)
    # counted within service hours only: quote a concrete window, the first one the agreement covers
    start = spec.agreement.effective
    if availability.window in (Window.calendar_month, Window.calendar_quarter):
        start = start.replace(day=1)
    period = period_for(availability.window, start)
    counted = seconds_within(calendar, period.dates())
    seconds = allowed_downtime_seconds(availability.target, counted)
    hours = (Decimal(counted) / 3600).quantize(Decimal("0.01")).normalize()
    return f"{format_seconds(seconds)} in {period.label}, which has {hours:f} hours of {calendar.name}"
