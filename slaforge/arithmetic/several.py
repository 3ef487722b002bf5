"""``calc credit --other COMMITMENT=PERCENT``: the credit of one commitment beside what the service's other
commitments achieved in the same window, under the agreement's rule for several commitments
(``service_credits.several_commitments``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from slaforge.arithmetic.credits import CreditResult, compute_credit
from slaforge.errors import InvalidArgument
from slaforge.spec.models import Commitment, Service, SeveralCommitments, Spec
from slaforge.spec.objectives import credit_table, placed
from slaforge.spec.units import Money, parse_percent

RULE_WORDS = {
    SeveralCommitments.one_commitment: "the same downtime is credited under one commitment only, not both",
    SeveralCommitments.one_per_window: "only one credit is given for a service in a window",
    SeveralCommitments.customer_chooses: "the customer chooses one service level for its claim",
}


def parse_others(texts: list[str], service: Service, named: Commitment) -> list[tuple[Commitment, Decimal]]:
    """``instance-level=99.2`` -> (that commitment of the service, 99.2); each commitment once, not the named."""
    others: list[tuple[Commitment, Decimal]] = []
    for text in texts:
        key, sep, value = text.partition("=")
        found = next((c for c in service.all_commitments if c.id == key.strip()), None)
        if not sep or found is None or found is named or any(c is found for c, _ in others):
            choices = ", ".join(c.id for c in service.all_commitments if c is not named) or "none"
            raise InvalidArgument(
                f"--other {text!r}: expected COMMITMENT=PERCENT naming another commitment of service "
                f"{service.id!r}, each once ({choices})"
            )
        try:
            others.append((found, parse_percent(value)))
        except ValueError as exc:
            raise InvalidArgument(f"--other {text!r}: {exc}") from None
    return others


def other_credits(
    spec: Spec, service: Service, others: list[tuple[Commitment, Decimal]], fee: Money, window_seconds: Decimal
) -> list[tuple[Commitment, CreditResult]]:
    """Each other commitment's credit for the window, from its own table, without per-event credits."""
    credits = spec.service_credits
    assert credits is not None
    results = []
    for commitment, achieved in others:
        table, _ = credit_table(spec, placed(spec, service.id, commitment.id))
        results.append((commitment, compute_credit(credits, table, commitment.target, achieved, fee, window_seconds)))
    return results


def under_rule(
    spec: Spec, named: Commitment, result: CreditResult, others: list[tuple[Commitment, CreditResult]]
) -> dict[str, Any]:
    """The answer's part on the rule: each other commitment's credit, and whether the named one is paid."""
    credits = spec.service_credits
    assert credits is not None
    rule = credits.several_commitments
    one = rule is not None and rule != SeveralCommitments.add_up
    larger = [(c, r) for c, r in others if r.payable.amount > result.payable.amount]
    best = max(larger, key=lambda pair: pair[1].payable.amount)[0] if one and larger else None
    notes = []
    if one and rule is not None:
        if best is not None:
            notes.append(f"not paid: {RULE_WORDS[rule]}; the service's credit is given under {best.id}")
        elif not others:
            notes.append(
                f"{RULE_WORDS[rule]}: give the other commitments' availability with --other to see under which "
                "the credit is given"
            )
    return {
        "several_commitments": rule.value if rule is not None else None,
        "others": [
            {
                "commitment": c.id,
                "availability": str(r.availability),
                "target": str(r.target),
                "credit_amount": str(r.payable),
            }
            for c, r in others
        ],
        "claimed_under": best.id if best is not None else None,
        "paid": best is None,
        "rule_notes": notes,
    }
