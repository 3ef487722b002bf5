"""Service credits owed for a window, from what was achieved: :func:`slaforge.arithmetic.credits.compute_credit`
with per-event counts from the tickets and the earlier windows' availability as history for the
chronic-failure rule.

Per-event credits belong to a service, not to one of its commitments: they are counted once, with
the service's first commitment.  Where the agreement pays a service's credit for a window under one
commitment only (``service_credits.several_commitments``), :func:`one_per_service` keeps the largest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from slaforge.arithmetic.attainment import TicketOutcome
from slaforge.arithmetic.availability import CommitmentAvailability
from slaforge.arithmetic.credits import CreditResult, band_for, compute_credit
from slaforge.spec.models import Commitment, CreditTable, Service, SeveralCommitments, Spec, Window
from slaforge.spec.objectives import credit_table
from slaforge.spec.units import Money


@dataclass(frozen=True)
class CommitmentCredit:
    service: Service
    commitment: Commitment
    result: CreditResult | None
    reason: str | None = None  # why there is no result
    unpriced_percent: Decimal | None = None  # the band's credit, when it is due but no fee prices it
    claimed_under: Commitment | None = None  # not paid: the service's credit is given under this commitment
    before_annual_cap: Money | None = None  # what was payable before the cap per contract year reduced it


def one_per_service(
    rule: SeveralCommitments | None, credits: tuple[CommitmentCredit, ...]
) -> tuple[CommitmentCredit, ...]:
    """The credits of one window under the agreement's rule for several commitments: with a rule that pays one
    credit per service, only the largest payable credit of each service is paid (the first of equal ones), the
    others are kept with their figures, nothing payable, and the commitment the credit is given under."""
    if rule is None or rule == SeveralCommitments.add_up:
        return credits
    largest: dict[str, CommitmentCredit] = {}
    for credit in credits:
        if credit.result is None or credit.result.payable.amount <= 0:
            continue
        best = largest.get(credit.service.id)
        if best is None or (best.result is not None and credit.result.payable.amount > best.result.payable.amount):
            largest[credit.service.id] = credit
    kept = []
    for credit in credits:
        best = largest.get(credit.service.id)
        if best is None or best is credit or credit.result is None or credit.result.payable.amount <= 0:
            kept.append(credit)
            continue
        nothing = Money(Decimal(0).quantize(Decimal("0.01")), credit.result.payable.currency)
        kept.append(replace(credit, result=replace(credit.result, payable=nothing), claimed_under=best.commitment))
    return tuple(kept)


def _event_counts(spec: Spec, service: Service, outcomes: list[TicketOutcome]) -> list[tuple[str, str | None, int]]:
    credits = spec.service_credits
    assert credits is not None
    counts: dict[tuple[str, str], int] = {}
    for item in outcomes:
        if item.ticket.service != service.id:
            continue
        for event, verdict in (
            ("missed-response", item.responded_in_time),
            ("missed-resolution", item.resolved_in_time),
        ):
            if verdict is False:
                key = (event, item.ticket.severity)
                counts[key] = counts.get(key, 0) + 1
    return [
        (event, severity, count)
        for (event, severity), count in sorted(counts.items())
        if any(r.event == event and (not r.severities or severity in r.severities) for r in credits.per_event)
    ]


def credits_for(
    spec: Spec,
    availability: CommitmentAvailability,
    outcomes: list[TicketOutcome],
    history: list[Decimal],
) -> CommitmentCredit:
    service, commitment = availability.service, availability.commitment
    credits = spec.service_credits
    if credits is None:
        return CommitmentCredit(service, commitment, None, "the agreement provides no service credits")
    fee: Money | None = service.fee or credits.fee
    table, _ = credit_table(spec, availability.placed)
    if fee is None:
        return CommitmentCredit(
            service, commitment, None, "the agreement sets no fee for this service", _band_percent(table, availability)
        )
    first = commitment is service.all_commitments[0]
    events = _event_counts(spec, service, outcomes) if first else []
    result = compute_credit(
        credits,
        table,
        availability.target,
        availability.achieved,
        fee,
        Decimal(availability.measured_seconds),
        events,
        history,
    )
    return CommitmentCredit(service, commitment, result)


def _band_percent(table: CreditTable | None, availability: CommitmentAvailability) -> Decimal | None:
    """The percentage of the fee the commitment's band gives for what it achieved (None when it earns none)."""
    if table is None:
        return None
    met = availability.achieved >= availability.target
    band = band_for(table.bands, availability.achieved) if not met or table.credit_at_target else None
    return band.credit if band is not None else None


WINDOWS_A_YEAR = {
    Window.calendar_month: 12,
    Window.calendar_quarter: 4,
    Window.fiscal_quarter: 4,
    Window.rolling_year: 1,
    Window.fixed_30_days: Decimal(365) / 30,
}


def contract_year(effective: dt.date, day: dt.date) -> int:
    """0 for the first Contract Year (from the effective date), 1 for the next, ..."""
    return day.year - effective.year - ((day.month, day.day) < (effective.month, effective.day))


def annual_caps(
    spec: Spec, start: dt.date, credits: tuple[CommitmentCredit, ...], given: dict[tuple[int, str | None], Decimal]
) -> tuple[CommitmentCredit, ...]:
    """The window's credits within the caps per Contract Year, counting what earlier windows of the same Contract
    Year gave (``given``, kept by the caller across windows: per service, and for all services under None): the
    percentage cap of each service's fees for the year and the amount cap for all services together."""
    scheme = spec.service_credits
    if scheme is None or (scheme.caps.per_year is None and scheme.caps.per_year_amount is None):
        return credits
    year = contract_year(spec.agreement.effective, start)
    kept = []
    for credit in credits:
        result = credit.result
        if result is None or result.payable.amount <= 0:
            kept.append(credit)
            continue
        room = []
        if scheme.caps.per_year is not None:
            yearly = result.fee.amount * WINDOWS_A_YEAR[credit.commitment.window]
            room.append(yearly * scheme.caps.per_year / 100 - given.get((year, credit.service.id), Decimal(0)))
        if scheme.caps.per_year_amount is not None:
            room.append(scheme.caps.per_year_amount.amount - given.get((year, None), Decimal(0)))
        allowed = max(min(room), Decimal(0))
        paid = min(result.payable.amount, allowed)
        for key in ((year, credit.service.id), (year, None)):
            given[key] = given.get(key, Decimal(0)) + paid
        if paid == result.payable.amount:
            kept.append(credit)
            continue
        reduced = Money(paid.quantize(Decimal("0.01")), result.payable.currency)
        kept.append(replace(credit, result=replace(result, payable=reduced), before_annual_cap=result.payable))
    return tuple(kept)
