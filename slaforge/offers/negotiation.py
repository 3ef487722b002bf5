"""Negotiation envelopes: preferred, fallback and walk-away limit of each negotiable term.

Envelope values are read with the same models as the spec: each is written
into a tier's data at the envelope's path and validated, so ``30m``,
``99.95%`` or ``45 days`` mean exactly what they mean in a spec, and a value the
field cannot take is an error located at the envelope.  Which way is better
for the customer comes from :mod:`slaforge.terms.direction` (availability,
response times, credits, caps, price, notice periods, calendars by their prime
hours, reporting frequencies, clause wordings, ...), and is given with
``better: higher|lower`` for any other term.  An envelope runs from the preferred value (least generous to
the customer) through the fallback to the limit (most generous); each tier's
draft is placed on it, and a draft more generous than the limit is an error
unless it is allowed (``--allow-beyond-limit``), in which case the internal
sheet lists it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from pydantic import ValidationError

from slaforge.errors import Problem
from slaforge.layers.offer import Envelope, Offer, TierDraft
from slaforge.library.texts import builtin_texts
from slaforge.spec.models import Spec
from slaforge.spec.paths import PathError, locate, value_at
from slaforge.spec.source import Loc
from slaforge.spec.units import Duration, Money, Pct
from slaforge.terms.comparable import POSITION_RANK, REPORTS_PER_YEAR, hours_text
from slaforge.terms.direction import envelope_direction
from slaforge.text import format_decimal

Better = Literal["higher", "lower"]
VALUES = ("preferred", "fallback", "limit")
INFINITY = Decimal("Infinity")
BEYOND = "beyond"


@dataclass(frozen=True)
class Measured:
    """A value placed on a line: ``number`` grows with the quantity (None: not set)."""

    text: str
    number: Decimal | None
    unit: tuple[str, ...]  # values compare only within one unit: ("duration", "business"), ("money", "GBP")


@dataclass(frozen=True)
class Placement:
    tier: str
    tier_name: str
    value: Measured | None  # None: the tier has no such term
    place: str  # "at-preferred", "between-fallback-and-limit", "beyond", ...: a key of the theme's placements labels
    beyond: bool = False

    @property
    def where(self) -> str:
        """Where the draft sits, in the words of the theme's labels: "at preferred", "BEYOND THE LIMIT", ..."""
        return builtin_texts().label(f"placements.{self.place}")


@dataclass(frozen=True)
class EnvelopeReading:
    envelope: Envelope
    better: Better
    preferred: Measured
    fallback: Measured
    limit: Measured
    placements: tuple[Placement, ...]

    @property
    def crossings(self) -> tuple[Placement, ...]:
        return tuple(p for p in self.placements if p.beyond)


def read_envelopes(offer: Offer, allow_beyond_limit: bool = False) -> tuple[list[EnvelopeReading], list[Problem]]:
    """Each envelope typed and with every tier placed on it; errors for bad envelopes and crossed limits."""
    readings: list[EnvelopeReading] = []
    problems: list[Problem] = []
    for envelope in offer.envelopes:
        reading = _read(offer, envelope, problems)
        if reading is None:
            continue
        readings.append(reading)
        if allow_beyond_limit:
            continue
        for placement in reading.crossings:
            draft = next(t for t in offer.tiers if t.tier.id == placement.tier)
            loc = locate(draft.data, envelope.parts)
            value = placement.value.text if placement.value else "?"
            if placement.place == BEYOND:
                message = f"beyond the walk-away limit {reading.limit.text}"
            else:
                message = f"which cannot be compared with the walk-away limit {reading.limit.text}"
            problems.append(
                replace(
                    draft.source.problem(
                        loc,
                        f"tier {draft.tier.id} ({draft.tier.name}) offers {value}, {message} "
                        "(use --allow-beyond-limit to draft it all the same)",
                        given=value,
                        expected=f"no more generous to the customer than {reading.limit.text}",
                        code="beyond-limit",
                    ),
                    path=envelope.path,
                )
            )
    return readings, problems


def _read(offer: Offer, envelope: Envelope, problems: list[Problem]) -> EnvelopeReading | None:
    source = offer.source
    found: list[tuple[TierDraft, Loc]] = []
    reasons: list[str] = []
    for draft in offer.tiers:  # the first tier that has the term types the envelope's values
        try:
            found.append((draft, locate(draft.data, envelope.parts)))
        except PathError as exc:
            reasons.append(str(exc))
    if not found:
        problems.append(source.problem(envelope.loc, f"envelope {envelope.path}: {reasons[0]}", code="bad-path"))
        return None
    first, loc = found[0]
    measured: dict[str, Measured] = {}
    for which in VALUES:
        value, error = _typed(first, loc, getattr(envelope.spec, which))
        if error:
            problems.append(
                source.problem((*envelope.loc, which), f"envelope {envelope.path}: {which}: {error}", code="invalid")
            )
            continue
        try:
            measured[which] = measure(value, loc, first.spec)
        except ValueError as exc:
            problems.append(source.problem((*envelope.loc, which), f"envelope {envelope.path}: {exc}", code="invalid"))
    if len(measured) < len(VALUES):
        return None
    better = envelope.spec.better or envelope_direction(envelope.path)
    if better is None:
        problems.append(
            source.problem(
                envelope.loc,
                f"envelope {envelope.path}: slaforge does not know whether a higher or a lower value is better "
                "for the customer",
                expected="better: higher, or better: lower",
                code="envelope-direction",
            )
        )
        return None
    pref, fall, lim = measured["preferred"], measured["fallback"], measured["limit"]
    units = {m.unit for m in measured.values()}
    if len(units) > 1:
        problems.append(
            source.problem(
                envelope.loc,
                f"envelope {envelope.path}: the values cannot be compared ({pref.text}, {fall.text}, {lim.text})",
                expected="all in the same kind of unit (clock time, business time or calendar months; one currency)",
                code="envelope-units",
            )
        )
        return None
    order = [_goodness(m, better) for m in (pref, fall, lim)]
    if not order[0] <= order[1] <= order[2]:
        problems.append(
            source.problem(
                envelope.loc,
                f"envelope {envelope.path}: preferred {pref.text}, fallback {fall.text} and limit {lim.text} are out "
                f"of order: the preferred value gives the customer least, the limit most "
                f"({'higher' if better == 'higher' else 'lower'} is better for the customer)",
                code="envelope-order",
            )
        )
        return None
    placements = tuple(_place(draft, envelope, better, pref, fall, lim) for draft in offer.tiers)
    return EnvelopeReading(envelope, better, pref, fall, lim, placements)


def _typed(draft: TierDraft, loc: Loc, raw: Any) -> tuple[Any, str | None]:
    """``raw`` as the spec field at ``loc`` reads it, or the reason it cannot."""
    data = copy.deepcopy(draft.data)
    parent = value_at(data, loc[:-1])
    parent[loc[-1]] = raw
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        return None, str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
    return value_at(spec, loc), None


def measure(value: Any, loc: Loc, spec: Spec) -> Measured:
    if value is None:
        if len(loc) >= 2 and loc[-2] == "caps":
            return Measured("no cap", INFINITY, ("number",))
        return Measured("not set", None, ("unset",))
    if loc and loc[-1] in ("hours", "support_hours") and value in spec.service_hours:
        calendar = spec.service_hours[value]
        return Measured(hours_text(calendar), Decimal(calendar.prime_minutes_per_week), ("hours",))
    if loc and loc[0] == "positions":
        if value not in POSITION_RANK:
            raise ValueError(f"cannot rank the wording {value!r}: expected one of {', '.join(POSITION_RANK)}")
        return Measured(value, Decimal(POSITION_RANK[value]), ("rank",))
    if loc and loc[-1] == "frequency" and value in REPORTS_PER_YEAR:
        return Measured(value, Decimal(REPORTS_PER_YEAR[value]), ("frequency",))
    if isinstance(value, Duration) and value.calendar:  # months rank among months, never against days
        return Measured(str(value), Decimal(value.months), ("duration", "calendar months"))
    if isinstance(value, Duration):
        return Measured(str(value), value.minutes, ("duration", "business" if value.business else "clock"))
    if isinstance(value, Money):
        return Measured(str(value), value.amount, ("money", value.currency))
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        text = str(value) if isinstance(value, Pct) else format_decimal(Decimal(value))
        return Measured(text, Decimal(value), ("number",))
    raise ValueError(f"slaforge cannot order values such as {value!r}")


def _goodness(m: Measured, better: Better) -> Decimal:
    assert m.number is not None
    return m.number if better == "higher" else -m.number


def _place(
    draft: TierDraft, envelope: Envelope, better: Better, pref: Measured, fall: Measured, lim: Measured
) -> Placement:
    tier, name = draft.tier.id, draft.tier.name
    try:
        loc = locate(draft.data, envelope.parts)
        value = measure(value_at(draft.spec, loc), loc, draft.spec)
    except (PathError, ValueError):
        return Placement(tier, name, None, "not-in-tier")
    if value.number is None:
        return Placement(tier, name, value, "not-set")
    if value.unit != pref.unit:
        return Placement(tier, name, value, "incomparable", beyond=True)
    g = _goodness(value, better)
    gp, gf, gl = (_goodness(m, better) for m in (pref, fall, lim))
    if g > gl:
        return Placement(tier, name, value, BEYOND, beyond=True)
    for mark, place in ((gl, "at-limit"), (gf, "at-fallback"), (gp, "at-preferred")):
        if g == mark:
            return Placement(tier, name, value, place)
    if g < gp:
        return Placement(tier, name, value, "better-than-preferred")
    return Placement(tier, name, value, "between-preferred-and-fallback" if g < gf else "between-fallback-and-limit")
