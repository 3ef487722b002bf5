"""Tier ordering: a higher tier is never worse for the customer, and costs more.

For each pair of adjacent tiers and each term both have, :func:`slaforge.terms.ordering.compare`
says whether the higher tier's value is better, the same, worse or not comparable; its price
must be higher (:func:`price_rises`), though a lower price is better for the customer.  Violations are
errors that name the term, both tiers and both values, located where the higher tier's value is
written; values that cannot be ordered are warnings.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

from slaforge.errors import Problem
from slaforge.spec.source import SourceMap
from slaforge.terms.comparable import TermValue
from slaforge.terms.ordering import DROPPING_IS_WORSE, Verdict, compare


@dataclass(frozen=True)
class TierTerms:
    """One tier's terms, with the source map that locates them in the offer file."""

    id: str
    name: str
    terms: dict[str, TermValue]
    source: SourceMap  # of the tier's merged data

    def locate(self, term: TermValue, message: str, **kw: Any) -> Problem:
        return replace(self.source.problem(term.loc, message, **kw), path=term.key)


def check_order(tiers: list[TierTerms]) -> list[Problem]:
    """Errors for every term on which a higher tier is worse; warnings where values cannot be ordered."""
    problems: list[Problem] = []
    for low, high in itertools.pairwise(tiers):
        for key, lower in low.terms.items():
            higher = high.terms.get(key)
            if higher is None:
                if lower.kind in DROPPING_IS_WORSE:
                    problems.append(
                        high.locate(
                            lower,
                            f"{lower.label}: tier {high.id} ({high.name}) drops what tier {low.id} ({low.name}) "
                            f"gives: {lower.text}",
                            given="not set",
                            expected=f"at least {lower.text}, as in tier {low.id}",
                            code="tier-order",
                        )
                    )
                continue
            verdict = price_rises(lower, higher) if higher.kind == "price" else compare(lower, higher)
            if verdict.outcome == "worse":
                problems.append(_violation(low, high, lower, higher, verdict))
            elif verdict.outcome == "incomparable":
                problems.append(
                    high.locate(
                        higher,
                        f"{higher.label}: cannot tell whether tier {high.id} ({higher.text}) is at least as good as "
                        f"tier {low.id} ({lower.text}): {verdict.why}",
                        severity="warning",
                        code="tier-order-unknown",
                    )
                )
    return problems


def price_rises(lower: TermValue, higher: TermValue) -> Verdict:
    """A higher tier costs strictly more than the tier below it ("better" when it does)."""
    if higher.value is None or lower.value is None:
        return Verdict("worse", "every tier needs a price")
    if higher.value.currency != lower.value.currency:
        return Verdict("incomparable", "the prices are in different currencies")
    if higher.value.amount > lower.value.amount:
        return Verdict("better")
    return Verdict("worse", "prices must rise with the tiers")


def _violation(low: TierTerms, high: TierTerms, lower: TermValue, higher: TermValue, verdict: Verdict) -> Problem:
    what = "a higher tier must cost more" if higher.kind == "price" else "a higher tier must be at least as good"
    detail = f" ({verdict.why})" if verdict.why and higher.kind != "price" else ""
    return high.locate(
        higher,
        f"{higher.label}: tier {high.id} ({high.name}) gives {higher.text} but the lower tier {low.id} "
        f"({low.name}) gives {lower.text}{detail}; {what} for the customer"
        if higher.kind != "price"
        else f"{higher.label}: tier {high.id} ({high.name}) costs {higher.text} but the lower tier {low.id} "
        f"({low.name}) costs {lower.text}; {what}",
        given=higher.text,
        expected=f"{'more than' if higher.kind == 'price' else 'at least as good as'} {lower.text} (tier {low.id})",
        code="tier-order",
    )
