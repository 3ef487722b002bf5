"""The credits part of the report: what each commitment earns, the caps, the claim and chronic failure."""

from __future__ import annotations

from typing import Any

from slaforge.arithmetic.achievement import Achievement
from slaforge.arithmetic.credits_owed import CommitmentCredit
from slaforge.compose.context_commitments import commitment_name
from slaforge.reports.facts import claim_last_day
from slaforge.reports.figures import money_total
from slaforge.spec.objectives import iter_commitments
from slaforge.spec.units import Pct
from slaforge.text import long_date


def _names(result: Achievement) -> dict[tuple[str, str], str]:
    return {(p.service.id, p.commitment.id): commitment_name(p) for p in iter_commitments(result.spec)}


def credits_context(result: Achievement) -> dict[str, Any]:
    return {"credits": credits(result), "chronic": chronic(result)}


def credits(result: Achievement) -> dict[str, Any]:
    spec, now = result.spec, result.current
    scheme = spec.service_credits
    if scheme is None:
        return {"scheme": False}
    names = _names(result)

    def called(credit: CommitmentCredit) -> str:
        return names[(credit.service.id, credit.commitment.id)]

    owed = [c for c in now.credits if c.result and c.result.payable.amount > 0]
    services = []
    for credit in now.credits:
        outcome = credit.result
        if outcome is None:
            services.append({"service": called(credit), "reason": credit.reason or ""})
            continue
        status = outcome.chronic
        services.append(
            {
                "service": called(credit),
                "band": outcome.band,
                "band_percent": str(outcome.band_percent),
                "band_amount": str(outcome.band_amount),
                "events": [
                    {"count": e.count, "event": e.event, "severity": e.severity, "amount": str(e.amount)}
                    for e in outcome.events
                ],
                "gross": str(outcome.gross),
                "cap": str(outcome.cap) if outcome.cap else None,
                "payable": str(outcome.payable),
                "paid": outcome.payable.amount > 0,
                "claimed_under": names[(credit.service.id, credit.claimed_under.id)] if credit.claimed_under else None,
                "before_annual_cap": str(credit.before_annual_cap) if credit.before_annual_cap else None,
                "notes": list(outcome.notes),
                "chronic": status.__dict__ if status else None,
            }
        )
    owed_total = money_total([c.result.payable for c in owed if c.result])
    total = money_total([c.result.payable for c in now.credits if c.result])
    return {
        "scheme": True,
        "per_event": bool(scheme.per_event),
        "owed": [{"amount": str(c.result.payable), "service": called(c)} for c in owed if c.result],
        "unpriced": [
            {"percent": str(Pct(c.unpriced_percent)), "service": called(c)}
            for c in now.credits
            if c.unpriced_percent is not None
        ],
        "total_owed": str(owed_total) if owed_total is not None else None,
        "total": str(total) if total is not None else None,
        "settlement": scheme.claim.settlement,
        "claim": claim(result),
        "services": services,
        "minimum": str(scheme.minimum_payable) if scheme.minimum_payable else None,
        "minimum_exclusive": scheme.minimum_exclusive,
        "annual_cap": scheme.caps.per_year is not None or scheme.caps.per_year_amount is not None,
        "sole_remedy": scheme.sole_remedy,
        "several_commitments": scheme.several_commitments.value if scheme.several_commitments else None,
    }


def claim(result: Achievement) -> str:
    spec = result.spec
    scheme = spec.service_credits
    last = claim_last_day(spec, result.current.period)
    assert scheme is not None and last is not None
    return f"a claim by {long_date(last)}, {scheme.claim.method}"


def chronic(result: Achievement) -> list[dict[str, Any]]:
    rule = result.spec.service_credits.chronic_failure if result.spec.service_credits else None
    names = _names(result)
    out = []
    for credit in result.current.credits:
        status = credit.result.chronic if credit.result else None
        if status and status.reached and rule:
            out.append(
                {
                    "service": names[(credit.service.id, credit.commitment.id)],
                    "failed": status.failed,
                    "out_of": status.out_of,
                    "remedy": rule.remedy,
                }
            )
    return out
