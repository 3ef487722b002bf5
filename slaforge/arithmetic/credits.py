"""Service credits: the band an availability falls in, worked examples, and the credit for a measured period.

For a measured period: band, extra credits, cap, minimum, chronic failure.  Order of application,
as the credit clauses state it: the band credit, plus
downtime-multiple and per-event credits, make the gross credit; the cap per
window limits it; a credit below the minimum payable amount is not paid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from slaforge.arithmetic.downtime import (
    SECONDS_PER_DAY,
    WINDOW_DAYS,
    allowed_downtime_seconds,
    format_seconds,
    unit_word,
)
from slaforge.inputs.limits import EVENTS_PER_WINDOW
from slaforge.spec.models import CreditBand, CreditTable, DeclaredGap, ServiceCredits, Window
from slaforge.spec.units import Money, Pct
from slaforge.text import cut, format_decimal

CENT = Decimal("0.01")


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
    downtime = f"{format_seconds(allowed_downtime_seconds(availability, days * SECONDS_PER_DAY))} in a {days}-day {unit_word(window)}"  # noqa: E501
    return WorkedExample(Pct(availability), describe_band(band), Pct(credit), fee, amount, downtime, capped)


def _money(amount: Decimal, currency: str) -> Money:
    return Money(amount.quantize(CENT, rounding=ROUND_HALF_UP), currency)


@dataclass(frozen=True)
class EventCredit:
    event: str
    severity: str | None
    count: int
    each: str
    amount: Money


@dataclass(frozen=True)
class ChronicStatus:
    failed: int  # failed windows in the worst run of M consecutive windows
    needed: int  # N
    out_of: int  # M
    reached: bool


@dataclass(frozen=True)
class CreditResult:
    availability: Pct
    target: Pct
    met: bool
    fee: Money
    band: str | None
    band_bounds: str | None  # e.g. "lower bound 99.5% inclusive, upper bound 99.9% exclusive"
    band_percent: Pct
    band_amount: Money
    downtime_seconds: Decimal
    downtime_amount: Money
    events: tuple[EventCredit, ...]
    gross: Money
    cap: Money | None
    after_cap: Money
    minimum: Money | None
    payable: Money
    notes: tuple[str, ...] = field(default=())
    chronic: ChronicStatus | None = None

    @property
    def credit_percent(self) -> Pct:
        if self.fee.amount == 0:
            return Pct(0)
        return Pct((self.payable.amount * 100 / self.fee.amount).quantize(Decimal("0.0001")).normalize())


def parse_events(texts: list[str]) -> list[tuple[str, str | None, int]]:
    """``missed-response:P1=2`` -> ("missed-response", "P1", 2); severity optional."""
    events = []
    for text in texts:
        name, _, count = text.partition("=")
        event, _, severity = name.partition(":")
        count = count.strip()
        if not (count.isascii() and count.isdigit()):
            raise ValueError(f"{text!r}: expected EVENT[:SEVERITY]=COUNT, e.g. missed-response:P1=2")
        if len(count.lstrip("0")) > len(str(EVENTS_PER_WINDOW)) or int(count) > EVENTS_PER_WINDOW:
            raise ValueError(f"{cut(text, 60)!r}: a count of at most {EVENTS_PER_WINDOW:,} events in a window")
        events.append((event.strip(), severity.strip() or None, int(count)))
    return events


def chronic_status(credits: ServiceCredits, target: Decimal, history: list[Decimal]) -> ChronicStatus | None:
    rule = credits.chronic_failure
    if rule is None or not history:
        return None
    failures = [value < target for value in history]
    worst = max(sum(failures[i : i + rule.out_of]) for i in range(max(1, len(failures) - rule.out_of + 1)))
    return ChronicStatus(worst, rule.failed_periods, rule.out_of, worst >= rule.failed_periods)


def _in_gap(gap: DeclaredGap, availability: Decimal) -> bool:
    above = availability >= gap.lower if gap.lower_inclusive else availability > gap.lower
    below = availability <= gap.upper if gap.upper_inclusive else availability < gap.upper
    return above and below


def compute_credit(
    credits: ServiceCredits,
    table: CreditTable | None,
    target: Decimal,
    availability: Decimal,
    fee: Money,
    window_seconds: Decimal,
    events: list[tuple[str, str | None, int]] | None = None,
    history: list[Decimal] | None = None,
) -> CreditResult:
    currency = fee.currency
    notes: list[str] = []
    met = availability >= target
    bands = table.bands if table is not None else []
    at_target = table is not None and table.credit_at_target
    band = band_for(bands, availability) if not met or at_target else None
    if met and band is not None:
        notes.append(
            f"{Pct(availability)} meets the target of {Pct(target)} and still earns {Pct(band.credit)} "
            "(a credit at the target, as the table gives it)"
        )
    band_percent = band.credit if band else Decimal(0)
    band_amount = fee.amount * band_percent / 100
    downtime_seconds = (Decimal(100) - availability) * window_seconds / 100
    downtime_amount = Decimal(0)
    if credits.downtime_multiple and not met:
        downtime_amount = credits.downtime_multiple * fee.amount * downtime_seconds / window_seconds
    event_credits = []
    for event, severity, count in events or []:
        rule = next(
            (r for r in credits.per_event if r.event == event and (not r.severities or severity in r.severities)),
            None,
        )
        if rule is None:
            notes.append(f"no per-event credit applies to {event}{f' ({severity})' if severity else ''}")
            continue
        if rule.credit is not None:
            if rule.credit.currency != currency:
                raise ValueError(f"per-event credit is in {rule.credit.currency}, the fee in {currency}")
            each, amount = str(rule.credit), rule.credit.amount * count
        else:
            assert rule.credit_percent is not None
            each, amount = f"{rule.credit_percent} of the fee", fee.amount * rule.credit_percent / 100 * count
        event_credits.append(EventCredit(event, severity, count, each, _money(amount, currency)))
    gross = band_amount + downtime_amount + sum((e.amount.amount for e in event_credits), Decimal(0))
    cap_percent = credits.caps.per_window if credits.caps.per_window is not None else credits.caps.per_month
    cap = fee.amount * cap_percent / 100 if cap_percent is not None else None
    after_cap = min(gross, cap) if cap is not None else gross
    if cap is not None and gross > cap:
        notes.append(f"capped at {Pct(cap_percent)} of the fee")
    minimum = credits.minimum_payable
    payable = after_cap
    short = (
        minimum is not None
        and Decimal(0) < after_cap
        and (after_cap <= minimum.amount if credits.minimum_exclusive else after_cap < minimum.amount)
    )
    if short and minimum is not None:
        exact = f"{currency} {format_decimal(after_cap)}"  # unrounded: GBP 0.999, not the GBP 1 it rounds to
        words = "is not greater than the minimum" if credits.minimum_exclusive else "is below the minimum"
        notes.append(f"{exact} {words} payable credit of {minimum}, so nothing is paid")
        payable = Decimal(0)
    bounds = None
    if band is not None:
        lower = (
            "none (0%)"
            if band.at_least is None and band.above is None
            else (f"{Pct(band.lower)} {'inclusive' if band.lower_inclusive else 'exclusive'}")
        )
        bounds = f"lower bound {lower}, upper bound {Pct(band.upper)} " + (
            "inclusive" if band.upper_inclusive else "exclusive"
        )
    if not met and band is None and bands:
        declared = table is not None and any(_in_gap(gap, availability) for gap in table.gaps)
        notes.append(
            f"{Pct(availability)} falls in no credit band and earns no credit (a gap declared in the table)"
            if declared
            else "the availability misses the target but falls in no credit band"
        )
    return CreditResult(
        availability=Pct(availability),
        target=Pct(target),
        met=met,
        fee=fee,
        band=describe_band(band) if band else None,
        band_bounds=bounds,
        band_percent=Pct(band_percent),
        band_amount=_money(band_amount, currency),
        downtime_seconds=downtime_seconds,
        downtime_amount=_money(downtime_amount, currency),
        events=tuple(event_credits),
        gross=_money(gross, currency),
        cap=_money(cap, currency) if cap is not None else None,
        after_cap=_money(after_cap, currency),
        minimum=minimum,
        payable=_money(payable, currency),
        notes=tuple(notes),
        chronic=chronic_status(credits, target, [*(history or []), availability]),
    )
