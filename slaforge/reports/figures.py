"""How the report writes its figures.

Percentages are rounded down (a missed target never reads as met); durations come from
:func:`slaforge.arithmetic.downtime.format_seconds`, abbreviated in table cells; times are shown
in the service's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from slaforge.arithmetic.downtime import format_seconds
from slaforge.spec.units import Money
from slaforge.text import format_decimal


def percent(value: Decimal, places: int = 3) -> str:
    """Rounded down, so that a missed target never reads as met: 99.89996 -> '99.899%'."""
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding=ROUND_DOWN)}%"


def target(value: Decimal) -> str:
    """A target as the agreement states it: 99.95 -> '99.95%'."""
    return f"{format_decimal(value)}%"


def share_text(value: Decimal | None) -> str | None:
    """A share of tickets, rounded down to a tenth: 66.66 -> '66.6%'; None when no ticket counts."""
    if value is None:
        return None
    return f"{format_decimal(Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_DOWN))}%"


def duration_text(seconds: Decimal | int) -> str:
    return format_seconds(Decimal(seconds))


SHORT_UNITS = ((" days", " d"), (" day", " d"), (" hours", " h"), (" hour", " h"), (" minutes", " min"))
SHORT_UNITS += ((" minute", " min"), (" seconds", " s"), (" second", " s"))


def short_duration(seconds: Decimal | int) -> str | None:
    """The same figure as :func:`duration_text`, abbreviated for a table cell ('44 min 28.8 s'); None for none."""
    if not seconds:
        return None
    text = duration_text(seconds)
    for long, short in SHORT_UNITS:
        text = text.replace(long, short)
    return text


def moment(when: dt.datetime, zone: ZoneInfo) -> str:
    local = when.astimezone(zone)
    return f"{local.day} {local:%b %H:%M}"


def money_total(amounts: Sequence[Money]) -> Money | None:
    if not amounts or len({a.currency for a in amounts}) != 1:
        return None
    return Money(sum((a.amount for a in amounts), Decimal(0)), amounts[0].currency)
