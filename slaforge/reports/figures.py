"""How the report writes its figures, and the small tree pieces it builds them into.

Percentages are rounded down (a missed target never reads as met); durations
come from :func:`slaforge.format_seconds`, abbreviated in table cells;
times are shown in the service's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from slaforge.arithmetic.downtime import format_seconds
from slaforge.document import Inline, Paragraph, Run, Table
from slaforge.reports.achievement import SeverityAttainment
from slaforge.spec.units import Money
from slaforge.text import format_decimal

EXCLUSION_NAMES = {
    "scheduled-maintenance": "scheduled maintenance",
    "emergency-maintenance": "emergency maintenance",
    "force-majeure": "force majeure",
    "customer-caused": "caused by the Customer",
    "third-party": "caused by a third party",
    "suspended-account": "account suspended",
    "beta-features": "beta feature",
    "over-quota": "use above the agreed quota",
}


# ------------------------------------------------------------------ formatting


def percent(value: Decimal, places: int = 3) -> str:
    """Rounded down, so that a missed target never reads as met: 99.89996 -> '99.899%'."""
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding=ROUND_DOWN)}%"


def share_text(value: Decimal | None) -> str:
    if value is None:
        return "no tickets"
    return f"{format_decimal(value.quantize(Decimal('0.1'), rounding=ROUND_DOWN))}%"


def duration_text(seconds: Decimal | int) -> str:
    return format_seconds(Decimal(seconds))


SHORT_UNITS = ((" days", " d"), (" day", " d"), (" hours", " h"), (" hour", " h"), (" minutes", " min"))
SHORT_UNITS += ((" minute", " min"), (" seconds", " s"), (" second", " s"))


def short_duration(seconds: Decimal | int) -> str:
    """The same figure as :func:`duration_text`, abbreviated for a table cell: '44 min 28.8 s'."""
    text = duration_text(seconds)
    for long, short in SHORT_UNITS:
        text = text.replace(long, short)
    return "none" if text == "no downtime" else text


def required_text(s: SeverityAttainment) -> str:
    return f"{format_decimal(s.target)}%" if s.level.attainment is not None else "each ticket"


def moment(when: dt.datetime, zone: ZoneInfo) -> str:
    local = when.astimezone(zone)
    return f"{local.day} {local:%b %H:%M}"


def money_total(amounts: Sequence[Money]) -> Money | None:
    if not amounts or len({a.currency for a in amounts}) != 1:
        return None
    return Money(sum((a.amount for a in amounts), Decimal(0)), amounts[0].currency)


def inline(*parts: str | Run) -> Inline:
    return tuple(Run(p) if isinstance(p, str) else p for p in parts)


def paragraph(*parts: str | Run) -> Paragraph:
    return Paragraph(inline(*parts))


def text_cell(text: str, bold: bool = False) -> Inline:
    return (Run(text, bold=bold),)


def data_table(header: Sequence[str], rows: Sequence[Sequence[str | Inline]], kind: str, **kw: object) -> Table:
    return Table(
        header=tuple(text_cell(h) for h in header),
        rows=tuple(tuple(text_cell(c) if isinstance(c, str) else c for c in row) for row in rows),
        kind=kind,
        **kw,  # type: ignore[arg-type]
    )


def verdict(met: bool) -> Inline:
    return (Run("Met"),) if met else (Run("Missed", bold=True),)
