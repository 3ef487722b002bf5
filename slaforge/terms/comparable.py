"""The comparable terms of one agreement: what a customer weighs when choosing a tier.

:func:`spec_terms` lists, for one validated Spec, every term the comparison
matrix can show and the tier-ordering rules can check: availability (and the
downtime it allows), service and support hours, response / update /
resolution per severity and their attainment, reporting, service credits and
their caps, clause wordings and price.  Each :class:`TermValue` carries a
stable key (the offer path syntax, e.g. ``responsiveness.severities[P1].response``),
a label, its display text, where the spec sets it (to locate errors), a
``kind`` that says how two values compare, and ``same``: a normalised value,
equal exactly when the term does not differ.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slaforge.arithmetic.business_time import business_minutes, calendar_summary
from slaforge.arithmetic.credits import describe_band
from slaforge.arithmetic.downtime import allowed_downtime, window_name
from slaforge.spec.calendars import ServiceHours
from slaforge.spec.models import CreditBand, Spec
from slaforge.spec.objectives import iter_commitments
from slaforge.spec.paths import field_of
from slaforge.spec.source import Loc
from slaforge.spec.units import Duration, Money, Pct
from slaforge.terms.direction import Better, better
from slaforge.text import format_decimal

# how often each reporting frequency delivers a report, per year
REPORTS_PER_YEAR = {"weekly": 52, "monthly": 12, "quarterly": 4}
# clause wordings the built-in library uses, worst for the customer first
POSITION_RANK = {"provider-favourable": 0, "standard": 1, "customer-favourable": 2}
GROUPS = (
    "Availability",
    "Service hours",
    "Responsiveness",
    "Reporting",
    "Service credits",
    "Contract wording",
    "Price",
)


@dataclass(frozen=True)
class TermValue:
    key: str  # responsiveness.severities[P1].response
    label: str  # P1 (Critical): response
    group: str  # one of GROUPS
    loc: Loc  # where the spec sets it
    text: str  # as the matrix shows it
    kind: str  # how values compare: see slaforge.terms.ordering.compare
    value: Any
    same: Hashable  # equal exactly when two tiers agree on the term

    @property
    def better(self) -> Better:
        """Which way is better for the customer (:mod:`slaforge.terms.direction`); a total price as a fee."""
        return better("services.fee" if self.key == "price" else field_of(self.key))


def spec_terms(spec: Spec, titles: Mapping[str, str] | None = None) -> list[TermValue]:
    """Every comparable term of ``spec``, in the order the matrix shows them."""
    terms: list[TermValue] = []
    terms.extend(_availability(spec))
    terms.extend(_hours(spec))
    terms.extend(_responsiveness(spec))
    terms.extend(_reporting(spec))
    terms.extend(_credits(spec))
    terms.extend(_wording(spec, titles or {}))
    terms.extend(_price(spec))
    return terms


def _prefix(spec: Spec, name: str) -> str:
    return f"{name}: " if len(spec.services) > 1 else ""


def _availability(spec: Spec) -> list[TermValue]:
    out = []
    for placed in iter_commitments(spec):
        service, a = placed.service, placed.commitment
        key = placed.key
        pre = _prefix(spec, service.name)
        if not placed.only:
            pre = f"{service.name}, {a.name or a.id}: "
        window = window_name(a.window)
        same = (a.target.normalize(), a.window.value, a.service_hours_only)
        target_text = f"{a.target}" + (" (within service hours)" if a.service_hours_only else "")
        out.append(
            TermValue(
                f"{key}.target",
                f"{pre}Availability target per {window}",
                "Availability",
                (*placed.loc, "target"),
                target_text,
                "availability",
                same,
                same,
            )
        )
        text = allowed_downtime(spec, service, a)
        out.append(
            TermValue(
                f"{key}.downtime",
                f"{pre}Downtime allowed per {window}",
                "Availability",
                (*placed.loc, "target"),
                text[0].upper() + text[1:],
                "info",
                same,
                same,
            )
        )
    return out


def hours_text(calendar: ServiceHours) -> str:
    return f"{calendar.name}: {calendar_summary(calendar)}"


def _calendar_term(spec: Spec, key: str, label: str, loc: Loc, calendar_id: str) -> TermValue:
    calendar = spec.service_hours[calendar_id]
    same = calendar.model_dump_json()
    return TermValue(
        key, label, "Service hours", loc, hours_text(calendar), "hours", calendar.prime_minutes_per_week, same
    )


def _hours(spec: Spec) -> list[TermValue]:
    out = []
    for i, service in enumerate(spec.services):
        pre = _prefix(spec, service.name)
        key = f"services[{service.id}]"
        out.append(_calendar_term(spec, f"{key}.hours", f"{pre}Service hours", ("services", i, "hours"), service.hours))
        support = service.support_hours or service.hours
        loc = ("services", i, "support_hours" if service.support_hours else "hours")
        out.append(_calendar_term(spec, f"{key}.support_hours", f"{pre}Support hours", loc, support))
    if spec.responsiveness is not None:
        out.append(
            _calendar_term(
                spec,
                "responsiveness.hours",
                "Hours in which business-time targets count",
                ("responsiveness", "hours"),
                spec.responsiveness.hours,
            )
        )
    return out


def duration_same(duration: Duration, calendar: ServiceHours) -> Hashable:
    """Equal for two durations exactly when they are the same length: P1M and 1 month, never 1 month and 30d."""
    if duration.calendar:
        return ("calendar", duration.months)
    minutes = business_minutes(duration, calendar) if duration.business else duration.minutes
    return duration.business and not calendar.always, minutes.normalize()


def _responsiveness(spec: Spec) -> list[TermValue]:
    calendar = spec.service_hours[spec.support_hours_key]
    out = []
    for j, level in enumerate(spec.severities):
        key = f"responsiveness.severities[{level.id}]"
        name = f"{level.id} ({level.name})"
        for target in ("response", "update", "resolution"):
            duration: Duration | None = getattr(level, target)
            if duration is None:
                continue
            label = f"{name}: {'progress update interval' if target == 'update' else target}"
            value = (duration, calendar)
            out.append(
                TermValue(
                    f"{key}.{target}",
                    label,
                    "Responsiveness",
                    ("responsiveness", "severities", j, target),
                    str(duration),
                    "duration",
                    value,
                    duration_same(duration, calendar),
                )
            )
        share = level.attainment if level.attainment is not None else Decimal(100)
        out.append(
            TermValue(
                f"{key}.attainment",
                f"{name}: tickets that must meet the targets",
                "Responsiveness",
                ("responsiveness", "severities", j, "attainment"),
                "every ticket" if share == 100 else f"{Pct(share)} of tickets",
                "number",
                share,
                share.normalize(),
            )
        )
    return out


def _reporting(spec: Spec) -> list[TermValue]:
    reporting = spec.reporting
    calendar = spec.service_hours[spec.support_hours_key]
    return [
        TermValue(
            "reporting.frequency",
            "Service reports",
            "Reporting",
            ("reporting", "frequency"),
            reporting.frequency,
            "frequency",
            REPORTS_PER_YEAR[reporting.frequency],
            reporting.frequency,
        ),
        TermValue(
            "reporting.due",
            "Report due after the period ends",
            "Reporting",
            ("reporting", "due"),
            str(reporting.due),
            "duration",
            (reporting.due, calendar),
            duration_same(reporting.due, calendar),
        ),
    ]


def bands_text(bands: tuple[CreditBand, ...]) -> str:
    if not bands:
        return "none"
    ordered = sorted(bands, key=lambda b: (b.upper, b.lower), reverse=True)
    return "; ".join(f"{describe_band(b)}: {b.credit}" for b in ordered)


def _band_key(band: CreditBand) -> tuple[Any, ...]:
    return (band.lower.normalize(), band.lower_inclusive, band.upper.normalize(), band.upper_inclusive, band.credit)


def _credits(spec: Spec) -> list[TermValue]:
    sc = spec.service_credits
    calendar = spec.service_hours[spec.support_hours_key]
    bands = tuple(sc.bands) if sc else ()
    out = [
        TermValue(
            "service_credits.bands",
            "Service credit (% of the fee) by availability achieved",
            "Service credits",
            ("service_credits", "bands") if sc else ("service_credits",),
            bands_text(bands),
            "credits",
            bands,
            tuple(sorted(_band_key(b) for b in bands)),
        )
    ]
    if sc is None:
        return out
    if sc.downtime_multiple is not None:
        multiple = sc.downtime_multiple
        out.append(
            TermValue(
                "service_credits.downtime_multiple",
                "Credit as a multiple of the fee for the downtime",
                "Service credits",
                ("service_credits", "downtime_multiple"),
                f"{format_decimal(multiple)} times",
                "number",
                multiple,
                multiple.normalize(),
            )
        )
    for k, event in enumerate(sc.per_event):
        severities = ", ".join(event.severities) if event.severities else "every severity"
        what = event.event.replace("-", " ")
        amount: Money | Pct = event.credit if event.credit is not None else event.credit_percent  # type: ignore[assignment]
        text = str(amount) if isinstance(amount, Money) else f"{amount} of the fee"
        sel = f"{event.event}:{','.join(event.severities) or '*'}"
        out.append(
            TermValue(
                f"service_credits.per_event[{sel}]",
                f"Credit per {what} ({severities})",
                "Service credits",
                ("service_credits", "per_event", k),
                text,
                "event-credit",
                amount,
                (type(amount).__name__, str(amount)),
            )
        )
    caps = sc.caps
    for name, label in (
        ("per_window", "Credit cap per measurement window"),
        ("per_month", "Credit cap per calendar month"),
        ("per_year", "Credit cap per contract year"),
        ("per_year_amount", "Credit cap per contract year (amount)"),
    ):
        cap = getattr(caps, name)
        text = "no cap" if cap is None else (str(cap) if isinstance(cap, Money) else f"{cap} of the fee")
        out.append(
            TermValue(
                f"service_credits.caps.{name}",
                label,
                "Service credits",
                ("service_credits", "caps", name),
                text,
                "cap",
                cap,
                str(cap),
            )
        )
    deadline = sc.claim.deadline
    out.append(
        TermValue(
            "service_credits.claim.deadline",
            "Time to claim a credit after the period ends",
            "Service credits",
            ("service_credits", "claim", "deadline"),
            str(deadline),
            "duration",
            (deadline, calendar),
            duration_same(deadline, calendar),
        )
    )
    minimum = sc.minimum_payable
    out.append(
        TermValue(
            "service_credits.minimum_payable",
            "Smallest credit paid",
            "Service credits",
            ("service_credits", "minimum_payable"),
            str(minimum) if minimum else "any amount",
            "number",
            minimum.amount if minimum else Decimal(0),
            str(minimum),
        )
    )
    return out


def _wording(spec: Spec, titles: Mapping[str, str]) -> list[TermValue]:
    out = []
    for clause_id, position in spec.positions.items():
        title = titles.get(clause_id, clause_id)
        out.append(
            TermValue(
                f"positions[{clause_id}]",
                f"Clause wording: {title}",
                "Contract wording",
                ("positions", clause_id),
                position,
                "position",
                position,
                position,
            )
        )
    return out


def _price(spec: Spec) -> list[TermValue]:
    out = []
    fees = []
    for i, service in enumerate(spec.services):
        window = window_name(service.fee_window)
        fee = service.fee
        fees.append(fee)
        out.append(
            TermValue(
                f"services[{service.id}].fee",
                f"{_prefix(spec, service.name)}Price",
                "Price",
                ("services", i, "fee"),
                f"{fee} per {window}" if fee else "not priced",
                "info" if len(spec.services) > 1 else "price",
                fee,
                str(fee),
            )
        )
    if len(spec.services) > 1:
        currencies = {fee.currency for fee in fees if fee}
        total = None
        if all(fees) and len(currencies) == 1:
            total = Money(sum((fee.amount for fee in fees if fee), Decimal(0)), currencies.pop())
        out.append(
            TermValue(
                "price",
                "Total price per measurement window",
                "Price",
                ("services",),
                str(total) if total else "not comparable",
                "price",
                total,
                str(total),
            )
        )
    return out


def default_positions(terms_by_tier: list[list[TermValue]]) -> list[list[TermValue]]:
    """A clause one tier positions and another leaves alone is at 'standard' in the latter."""
    keys: dict[str, TermValue] = {}
    for terms in terms_by_tier:
        for term in terms:
            if term.kind == "position":
                keys.setdefault(term.key, term)
    out = []
    for terms in terms_by_tier:
        have = {t.key for t in terms}
        extra = [
            TermValue(t.key, t.label, t.group, t.loc, "standard", "position", "standard", "standard")
            for key, t in keys.items()
            if key not in have
        ]
        out.append(_in_group_order([*terms, *extra]))
    return out


def _in_group_order(terms: list[TermValue]) -> list[TermValue]:
    return sorted(terms, key=lambda t: GROUPS.index(t.group))
