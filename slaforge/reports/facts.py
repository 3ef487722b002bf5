"""The report's figures for machines: one measurement window as plain JSON values.

``slaforge report --json`` prints it and the customer portal publishes it beside every page, so a
customer's own tooling reads the same figures the report prints.  Every value is exact: percentages
and amounts are decimal strings (never floats), durations are seconds, moments ISO 8601 with their
offset, dates ISO dates.  The shape is documented in docs/portal.md ("The JSON files").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from slaforge.arithmetic.achievement import Achievement, WindowAchievement
from slaforge.arithmetic.attainment import SeverityAttainment, TicketOutcome
from slaforge.arithmetic.availability import CommitmentAvailability
from slaforge.arithmetic.business_time import calendar_after
from slaforge.arithmetic.credits import ChronicStatus
from slaforge.arithmetic.credits_owed import CommitmentCredit
from slaforge.arithmetic.periods import Period
from slaforge.reports.figures import money_total
from slaforge.spec.models import Spec
from slaforge.spec.units import Money

FORMAT = 1  # raised when a field changes meaning or disappears; new fields do not raise it


def claim_due(spec: Spec, period: Period) -> dt.datetime | None:
    """When a credit claim for ``period`` must have arrived, by the agreement's claim rule; None without credits."""
    credits = spec.service_credits
    if credits is None:
        return None
    calendar = spec.service_hours[spec.support_hours_key]
    end = dt.datetime.combine(period.end, dt.time()).replace(tzinfo=ZoneInfo(calendar.timezone))
    return calendar_after(end, credits.claim.deadline, calendar)


def claim_last_day(spec: Spec, period: Period) -> dt.date | None:
    """The last day on which a claim for ``period`` may arrive: the day before the deadline when it falls at
    midnight ("within 30 days after 31 May" ends at the start of 1 July, so 30 June is the last day)."""
    due = claim_due(spec, period)
    if due is None:
        return None
    return (due - dt.timedelta(microseconds=1)).date()


def window_facts(result: Achievement) -> dict[str, Any]:
    """The reported window of ``result`` (its last) as JSON values."""
    spec, now = result.spec, result.current
    return {
        "format": FORMAT,
        "agreement": {
            "id": spec.agreement.id,
            "version": spec.agreement.version,
            "title": spec.agreement.title,
        },
        "window": result.window.value,
        "period": _period(now.period),
        "as_of": result.as_of.isoformat(),
        "services": [_service(a) for a in now.commitments],
        "severities": [_severity(s) for s in now.severities],
        "credits": _credits(result, now),
    }


def _period(period: Period) -> dict[str, str]:
    return {"label": period.label, "first_day": period.start.isoformat(), "last_day": _last(period).isoformat()}


def _last(period: Period) -> dt.date:
    return period.end - dt.timedelta(days=1)


def _decimal(value: Decimal) -> str:
    """Exact, without an exponent: Decimal('1E+2') -> '100'."""
    return format(value.normalize(), "f")


def _money(value: Money | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {"amount": _decimal(value.amount.quantize(Decimal("0.01"))), "currency": value.currency}


def _service(a: CommitmentAvailability) -> dict[str, Any]:
    """One commitment's figures; ``commitment`` only for a service that makes several."""
    named = {} if a.placed.only else {"commitment": a.commitment.id, "commitment_name": a.commitment.name}
    return {
        "id": a.service.id,
        **named,
        "name": a.service.name,
        "target": _decimal(a.target),
        "achieved": _decimal(a.achieved),
        "met": a.met,
        "service_hours_only": a.commitment.service_hours_only,
        "window_seconds": a.window_seconds,
        "excluded_seconds": a.excluded_seconds,
        "measured_seconds": a.measured_seconds,
        "downtime_seconds": a.downtime_seconds,
        "allowed_downtime_seconds": _decimal(a.allowed_seconds),
        "outages": [
            {
                "reference": share.outage.reference,
                "start": share.outage.start.isoformat(),
                "end": share.outage.end.isoformat(),
                "seconds": share.seconds,
                "cause": share.outage.cause,
            }
            for share in a.downtime
        ],
        "excluded": [
            {
                "reference": share.outage.reference,
                "start": share.outage.start.isoformat(),
                "end": share.outage.end.isoformat(),
                "seconds": share.seconds,
                "exclusion": str(share.outage.exclusion),
            }
            for share in a.excluded
        ],
    }


def _severity(s: SeverityAttainment) -> dict[str, Any]:
    def measure(what: str) -> dict[str, Any] | None:
        if not s.sets(what):
            return None  # the severity sets no such target
        counted = s.counted(what)
        share = s.share(what)
        return {
            "counted": len(counted),
            "within_target": sum(counted),
            "still_open": len(s.outcomes) - len(counted),
            "share": _decimal(share) if share is not None else None,
            "met": s.met(what),
        }

    late = [
        {
            "ticket": o.ticket.id,
            "service": o.ticket.service,
            "reported": o.ticket.reported.isoformat(),
            "missed": [
                what
                for what, ok in (("response", o.responded_in_time), ("resolution", o.resolved_in_time))
                if ok is False
            ],
        }
        for o in s.outcomes
        if o.responded_in_time is False or o.resolved_in_time is False
    ]
    return {
        "id": s.level.id,
        "name": s.level.name,
        "tickets": len(s.outcomes),
        "required_share": _decimal(s.target),
        "response": measure("response"),
        "resolution": measure("resolution"),
        "late": late,
    }


def _in_time(o: TicketOutcome) -> tuple[tuple[str, bool | None], ...]:
    return (("response", o.responded_in_time), ("resolution", o.resolved_in_time))


def _chronic(status: ChronicStatus | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {"reached": status.reached, "failed": status.failed, "out_of": status.out_of}


def _of(credit: CommitmentCredit) -> dict[str, str]:
    """The commitment a credit is for, when its service makes several."""
    return {"commitment": credit.commitment.id} if len(credit.service.all_commitments) > 1 else {}


def _credits(result: Achievement, now: WindowAchievement) -> dict[str, Any] | None:
    spec = result.spec
    scheme = spec.service_credits
    if scheme is None:
        return None
    due, last = claim_due(spec, now.period), claim_last_day(spec, now.period)
    services = []
    for credit in now.credits:
        outcome = credit.result
        if outcome is None:
            services.append({"service": credit.service.id, **_of(credit), "owed": None, "reason": credit.reason})
            continue
        services.append(
            {
                "service": credit.service.id,
                **_of(credit),
                "band": outcome.band,
                "band_percent": _decimal(outcome.band_percent),
                "band_amount": _money(outcome.band_amount),
                "events": [
                    {"event": e.event, "severity": e.severity, "count": e.count, "amount": _money(e.amount)}
                    for e in outcome.events
                ],
                "gross": _money(outcome.gross),
                "cap": _money(outcome.cap),
                "owed": _money(outcome.payable),
                **({"claimed_under": credit.claimed_under.id} if credit.claimed_under else {}),
                **({"before_annual_cap": _money(credit.before_annual_cap)} if credit.before_annual_cap else {}),
                "chronic_failure": (
                    {
                        "reached": outcome.chronic.reached,
                        "failed": outcome.chronic.failed,
                        "out_of": outcome.chronic.out_of,
                    }
                    if outcome.chronic
                    else None
                ),
            }
        )
    owed = [c.result.payable for c in now.credits if c.result and c.result.payable.amount > 0]
    return {
        "services": services,
        "total_owed": _money(money_total(owed)),
        "claim": {
            "due": due.isoformat() if due else None,
            "last_day": last.isoformat() if last else None,
            "method": scheme.claim.method,
            "evidence": list(scheme.claim.evidence),
        },
    }
