"""The two documents of a tiered offer, composed from the theme's texts (``text/offers/``).

- :func:`comparison_matrix`: for the customer.  The tiers side by side on every term on which
  they differ (and only those), what each step up buys, and how long the offer stands.
- :func:`negotiation_sheet`: for the provider's negotiators only, marked "INTERNAL — NOT FOR
  THE CUSTOMER" in its title, its running header (every page) and its classification line.  Per
  negotiable term the preferred, fallback and limit values and where each tier sits; every
  draft beyond a limit; the tier-order warnings; the prices.

Python decides what the documents show (which terms differ, what each step up improves, where a
draft sits); the words are the texts', which read the values this module gives them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from slaforge.compose.meta import level_name, spec_meta
from slaforge.compose.texts import compose_texts, particulars
from slaforge.document import Document, DocumentMeta
from slaforge.errors import Problem
from slaforge.layers.offer import Offer
from slaforge.library.texts import Texts, builtin_texts
from slaforge.offers.negotiation import EnvelopeReading
from slaforge.spec.models import CreditBand, Spec
from slaforge.spec.units import Money, Pct
from slaforge.terms.comparable import GROUPS, TermValue
from slaforge.terms.ordering import compare
from slaforge.text import and_list, long_date

COMPARISON = "offers/comparison"
NEGOTIATION = "offers/negotiation"
INTERNAL = builtin_texts().outline(NEGOTIATION).particulars["marking"]


@dataclass(frozen=True)
class TierColumn:
    """One tier as the documents see it: its names and its terms by key."""

    id: str
    name: str
    summary: str | None
    terms: dict[str, TermValue]


def differing_terms(tiers: Sequence[TierColumn]) -> list[TermValue]:
    """The terms on which the tiers do not all agree (a term some tier lacks differs), in matrix order."""
    seen: dict[str, TermValue] = {}
    for tier in tiers:
        for key, term in tier.terms.items():
            seen.setdefault(key, term)
    out = []
    for key, term in seen.items():
        values = {tier.terms[key].same if key in tier.terms else None for tier in tiers}
        if len(values) > 1 or any(key not in tier.terms for tier in tiers):
            out.append(term)
    return sorted(out, key=lambda t: GROUPS.index(t.group))


def _meta(offer: Offer, spec: Spec, texts: Texts, **changes: object) -> DocumentMeta:
    return spec_meta(
        spec,
        texts,
        **{
            "title": offer.info.title or spec.agreement.title,
            "agreement_id": offer.base_id,
            "status": "offer",
            "subject": f"Offer of {and_list(s.name for s in spec.services)} to "
            f"{and_list(c.name for c in spec.customers)}",
            "keywords": ("offer", "service level agreement", *(t.tier.name for t in offer.tiers)),
            "subtitle": None,
            "timestamp": 0,
            **changes,
        },
    )


def _offer(offer: Offer) -> dict[str, Any]:
    spec = offer.tiers[0].spec
    return {
        "title": offer.info.title or spec.agreement.title,
        "valid_until": long_date(offer.info.valid_until),
        "effective": long_date(spec.agreement.effective),
    }


def draft_meta(meta: DocumentMeta, offer: Offer, tier_name: str, texts: Texts | None = None) -> DocumentMeta:
    """A tier's draft: its tier and the offer's validity on the cover and on every page."""
    context = {
        "offer": _offer(offer),
        "tier": tier_name,
        "level_name": level_name(meta.level, texts),
        "classification": meta.classification,
    }
    words = particulars(texts or builtin_texts(), COMPARISON, context, ("draft_subtitle", "classification"))
    return replace(
        meta,
        subtitle=words["draft_subtitle"],
        classification=words["classification"],
        keywords=(*meta.keywords, f"{tier_name} tier"),
    )


# ------------------------------------------------------------------ the comparison matrix


def comparison_matrix(
    offer: Offer, tiers: Sequence[TierColumn], timestamp: int, texts: Texts | None = None
) -> Document:
    spec = offer.tiers[0].spec
    rows: list[dict[str, Any]] = []
    group = None
    for term in differing_terms(tiers):
        if term.group != group:
            group = term.group
            rows.append({"group": group})
        cells = []
        for i, tier in enumerate(tiers):
            value = tier.terms.get(term.key)
            improved = i > 0 and value is not None and _improves(tiers[i - 1].terms.get(term.key), value)
            cells.append({"text": value.text if value else "\u2014", "bold": improved})
        rows.append({"group": None, "label": term.label, "cells": cells})
    context = {
        "offer": _offer(offer),
        "classification": spec.agreement.classification,
        "provider": spec.provider.name,
        "customers": [c.name for c in spec.customers],
        "services": [s.name for s in spec.services],
        "tiers": [{"name": t.name, "summary": t.summary} for t in tiers],
        "rows": rows,
        "steps": _step_ups(tiers),
    }
    texts = texts or builtin_texts()
    composed = compose_texts(texts, COMPARISON, context, keys=("subtitle", "classification"))
    meta = _meta(
        offer,
        spec,
        texts,
        subtitle=composed.particulars["subtitle"],
        classification=composed.particulars["classification"],
        timestamp=timestamp,
    )
    return Document(meta=meta, sections=composed.sections)


def _improves(lower: TermValue | None, higher: TermValue) -> bool:
    if lower is None:
        return True
    return higher.kind != "price" and compare(lower, higher).outcome == "better"


def _step_ups(tiers: Sequence[TierColumn]) -> list[dict[str, Any]]:
    steps = []
    for low, high in itertools.pairwise(tiers):
        gains: list[dict[str, Any]] = []
        step: dict[str, Any] = {"lower": low.name, "higher": high.name, "price_step": None, "gains": gains}
        for key, term in high.terms.items():
            lower = low.terms.get(key)
            if term.kind == "price" and lower is not None:
                step["price_step"] = _price_step(lower.value, term.value)
                step["period"] = term.text.partition(" per ")[2] or "measurement window"
                continue
            if term.kind == "info" or not _improves(lower, term):
                continue
            if term.kind == "credits" and lower is not None:
                gains.append(_credit_gain(lower, term))
                continue
            gain = {"credits": False, "label": term.label, "text": term.text, "before": lower.text if lower else None}
            downtime = key.removesuffix(".target") + ".downtime"
            if term.kind == "availability" and downtime in high.terms and downtime in low.terms:
                text = high.terms[downtime].text
                gain["downtime"] = text[0].lower() + text[1:]
            gains.append(gain)
        steps.append(step)
    return steps


def _credit_gain(lower: TermValue, higher: TermValue) -> dict[str, Any]:
    """Credits as the step up improves them: where they start and how high they go."""

    def start(bands: tuple[CreditBand, ...]) -> str:
        top = max(bands, key=lambda b: (b.upper, b.upper_inclusive))
        return f"{'at or below' if top.upper_inclusive else 'below'} {Pct(top.upper)}"

    low, high = lower.value, higher.value
    gain: dict[str, Any] = {"credits": True, "first": not low, "start": start(high), "top": max(b.credit for b in high)}
    if low:
        top_low = max(b.credit for b in low)
        gain.update(
            start_before=start(low),
            start_changed=start(low) != start(high),
            top_before=top_low,
            top_changed=gain["top"] != top_low,
        )
    return gain


def _price_step(lower: Money | None, higher: Money | None) -> str | None:
    if lower is None or higher is None or lower.currency != higher.currency:
        return None
    return str(Money(higher.amount - lower.amount, higher.currency))


# ------------------------------------------------------------------ the internal negotiation sheet


def negotiation_sheet(
    offer: Offer,
    tiers: Sequence[TierColumn],
    readings: Sequence[EnvelopeReading],
    warnings: Sequence[Problem],
    allow_beyond_limit: bool,
    timestamp: int,
    texts: Texts | None = None,
) -> Document:
    spec = offer.tiers[0].spec
    labels = {key: term.label for tier in tiers for key, term in tier.terms.items()}
    envelopes = [
        {
            "path": r.envelope.path,
            "label": labels.get(r.envelope.path),
            "better": str(r.better),
            "preferred": r.preferred.text,
            "fallback": r.fallback.text,
            "limit": r.limit.text,
            "note": r.envelope.spec.note,
            "placements": [
                {"value": p.value.text if p.value else None, "where": p.place, "beyond": p.beyond} for p in r.placements
            ],
        }
        for r in readings
    ]
    crossings = [
        {"tier": p.tier_name, "path": r.envelope.path, "value": p.value.text if p.value else "?", "limit": r.limit.text}
        for r in readings
        for p in r.crossings
    ]
    context = {
        "offer": _offer(offer),
        "provider": spec.provider.name,
        "customers": [c.name for c in spec.customers],
        "position": offer.position,
        "tiers": [{"name": t.name} for t in tiers],
        "envelopes": envelopes,
        "crossings": crossings,
        "allow_beyond_limit": allow_beyond_limit,
        "warnings": [f"{w.path + ': ' if w.path else ''}{w.message}" for w in warnings],
        "prices": _prices(tiers),
    }
    texts = texts or builtin_texts()
    composed = compose_texts(texts, NEGOTIATION, context)
    marking = composed.particulars["marking"]
    meta = _meta(
        offer,
        spec,
        texts,
        title=composed.particulars["title"],
        marking=marking,
        status="internal",
        subtitle=marking,
        classification=marking,
        keywords=("negotiation sheet", "internal", *(t.name for t in tiers)),
        timestamp=timestamp,
    )
    return Document(meta=meta, sections=composed.sections)


def _prices(tiers: Sequence[TierColumn]) -> list[dict[str, Any]]:
    rows = []
    previous: Money | None = None
    for tier in tiers:
        price = next((t for t in tier.terms.values() if t.kind == "price"), None)
        value = price.value if price else None
        row: dict[str, Any] = {"tier": tier.name, "price": price.text if price else None, "step": None}
        if isinstance(value, Money) and isinstance(previous, Money) and value.currency == previous.currency:
            delta = value.amount - previous.amount
            row["step"] = str(Money(delta, value.currency))
            row["share"] = str((delta / previous.amount * 100).quantize(Decimal("0.1"))) if previous.amount else None
        rows.append(row)
        previous = value if isinstance(value, Money) else None
    return rows
