"""Which of two values of one comparable term is better for the customer.

For two values of a term (:mod:`slaforge.terms.comparable`) of two agreements, a lower and a
higher one (adjacent tiers of an offer, or a document and the one above it in a portfolio),
:func:`compare` says whether the higher one's value is better, the same, worse or not comparable:

- availability, attainment, downtime multiple: higher is better (availability
  targets compare only when measured over the same window);
- response, update and resolution targets, report due: shorter is better
  (time to claim a credit: longer).  Two business-time targets compare in
  business minutes (a business day being the calendar's prime day); two clock
  targets in minutes; a clock target no longer than a business-time target is
  better, and a business-time target at least as long as a clock target is
  worse (B business minutes always take at least B clock minutes: "2 business
  days" is never faster than "4h").  Any other mix cannot be ordered without
  knowing when tickets arrive, and is a warning, not an error;
- service, support and business-time hours: more prime minutes per week is better;
- service credits: at every availability level (every band bound of either
  tier and every point between them) the higher tier credits at least as much;
- credit caps: higher is better, no cap best; per-event credits: larger is
  better; smallest credit paid: lower is better;
- reporting: more reports a year is better;
- clause wordings: provider-favourable < standard < customer-favourable;
- price: lower is better for the customer (an offer's tiers must nevertheless
  cost more as they rise: :mod:`slaforge.offers.ordering`).

Which way is better for a number or a duration is read from
:mod:`slaforge.terms.direction`, the one table every comparison shares.

A term the lower one has and the higher one drops (a progress-update target,
a per-event credit, ...) is worse (:data:`DROPPING_IS_WORSE`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from slaforge.arithmetic.business_time import business_minutes
from slaforge.arithmetic.credits import band_for
from slaforge.spec.calendars import compare_durations, counts_in_business_time
from slaforge.spec.models import CreditBand
from slaforge.spec.units import Duration, Money, Pct
from slaforge.terms.comparable import POSITION_RANK, TermValue
from slaforge.terms.direction import Better
from slaforge.text import format_decimal

Outcome = Literal["better", "same", "worse", "incomparable"]
DROPPING_IS_WORSE = {"duration", "event-credit", "number"}


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    why: str = ""  # for worse / incomparable: what exactly is wrong


def _order(higher: Any, lower: Any, bigger_is_better: bool = True) -> Verdict:
    if higher == lower:
        return Verdict("same")
    good = higher > lower if bigger_is_better else higher < lower
    return Verdict("better" if good else "worse")


def compare(lower: TermValue, higher: TermValue) -> Verdict:
    """How ``higher``'s value stands against ``lower``'s, for the customer."""
    kind = higher.kind
    if kind == "info":
        return Verdict("same" if higher.same == lower.same else "better")
    if kind == "availability":
        (h, h_window, h_hours), (l_, l_window, l_hours) = higher.value, lower.value
        if (h_window, h_hours) != (l_window, l_hours):
            return Verdict("incomparable", "the targets are measured over different windows")
        return _order(h, l_)
    if kind in ("hours", "frequency"):
        return _order(higher.value, lower.value)
    if kind == "number":
        return _order(higher.value, lower.value, bigger_is_better=higher.better is Better.higher)
    if kind == "duration":
        if higher.better is Better.higher:  # e.g. time to claim a credit: longer is better for the customer
            return _durations(lower.value, higher.value)
        return _durations(higher.value, lower.value)
    if kind == "credits":
        return _credits(higher.value, lower.value)
    if kind == "cap":
        return _caps(higher.value, lower.value)
    if kind == "event-credit":
        return _amounts(higher.value, lower.value)
    if kind == "position":
        if higher.value not in POSITION_RANK or lower.value not in POSITION_RANK:
            if higher.value == lower.value:
                return Verdict("same")
            return Verdict("incomparable", "slaforge cannot rank these wordings")
        return _order(POSITION_RANK[higher.value], POSITION_RANK[lower.value])
    if kind == "price":
        if higher.value is None or lower.value is None:
            return Verdict("incomparable", "one of them has no price")
        if higher.value.currency != lower.value.currency:
            return Verdict("incomparable", "the prices are in different currencies")
        return _order(higher.value.amount, lower.value.amount, bigger_is_better=False)
    raise ValueError(f"unknown term kind {kind!r}")


def _durations(higher: tuple[Duration, Any], lower: tuple[Duration, Any]) -> Verdict:
    (h, h_calendar), (l_, l_calendar) = higher, lower
    order = compare_durations(h, l_, h_calendar, l_calendar)
    if order is None and (h.calendar or l_.calendar):
        why = f"{h} and {l_}: which is longer depends on the months it spans (a month is 28 to 31 days)"
        return Verdict("incomparable", why)
    if order is None:
        why = f"{h} and {l_} count in different clocks, so which is faster depends on when a ticket arrives"
        return Verdict("incomparable", why)
    if order < 0:
        return Verdict("better")
    if order == 0:
        return Verdict("same")
    h_business = counts_in_business_time(h, h_calendar)
    if h_business and not counts_in_business_time(l_, l_calendar):
        why = f"{h} counts only within {h_calendar.name}, so it never falls due sooner than {l_}"
        return Verdict("worse", why)
    if h_business and h_calendar != l_calendar:
        h_min, l_min = business_minutes(h, h_calendar), business_minutes(l_, l_calendar)
        why = (
            f"in business minutes: {format_decimal(h_min)} of {h_calendar.name} "
            f"against {format_decimal(l_min)} of {l_calendar.name}"
        )
        return Verdict("worse", why)
    return Verdict("worse")


def credit_at(bands: tuple[CreditBand, ...], availability: Decimal) -> Decimal:
    band = band_for(list(bands), availability)
    return band.credit if band else Decimal(0)


def credit_points(*band_sets: tuple[CreditBand, ...]) -> list[Decimal]:
    """Every availability level at which some band set can change: each bound, and a point between bounds."""
    bounds = sorted({Decimal(0), Decimal(100), *(b for bands in band_sets for x in bands for b in (x.lower, x.upper))})
    points = list(bounds)
    points.extend((a + b) / 2 for a, b in itertools.pairwise(bounds))
    return sorted(points)


def _credits(higher: tuple[CreditBand, ...], lower: tuple[CreditBand, ...]) -> Verdict:
    better = False
    for point in credit_points(higher, lower):
        h, l_ = credit_at(higher, point), credit_at(lower, point)
        if h < l_:
            return Verdict("worse", f"at {Pct(point)} availability it credits {Pct(h)} against {Pct(l_)}")
        better = better or h > l_
    return Verdict("better" if better else "same")


def _caps(higher: Pct | Money | None, lower: Pct | Money | None) -> Verdict:
    if higher is None or lower is None:
        return Verdict("same" if higher is lower else ("better" if higher is None else "worse"))
    return _amounts(higher, lower)


def _amounts(higher: Pct | Money, lower: Pct | Money) -> Verdict:
    if isinstance(higher, Money) and isinstance(lower, Money):
        if higher.currency != lower.currency:
            return Verdict("incomparable", "the amounts are in different currencies")
        return _order(higher.amount, lower.amount)
    if isinstance(higher, Money) or isinstance(lower, Money):
        return Verdict("incomparable", "one is an amount of money, the other a percentage")
    return _order(higher, lower)
