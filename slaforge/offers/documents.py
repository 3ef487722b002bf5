"""The two documents of a tiered offer, built directly as Document trees.

- :func:`comparison_matrix`: for the customer.  The tiers side by side on
  every term on which they differ (and only those), what each step up buys,
  and how long the offer stands.
- :func:`negotiation_sheet`: for the provider's negotiators only, marked
  "INTERNAL — NOT FOR THE CUSTOMER" in its title, its running header (every
  page) and its classification line.  Per negotiable term the preferred,
  fallback and limit values and where each tier sits; every draft beyond a
  limit; the tier-order warnings; the prices.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from slaforge.compose.meta import SUBTITLES, spec_meta
from slaforge.document import (
    Block,
    BulletList,
    Clause,
    Document,
    DocumentMeta,
    Inline,
    ListItem,
    Paragraph,
    Run,
    Section,
    Table,
)
from slaforge.errors import Problem
from slaforge.offers.negotiation import EnvelopeReading
from slaforge.offers.offer import Offer
from slaforge.spec.models import CreditBand, Spec
from slaforge.spec.units import Money, Pct
from slaforge.terms.comparable import GROUPS, TermValue
from slaforge.terms.ordering import compare
from slaforge.text import and_list, long_date

INTERNAL = "INTERNAL \u2014 NOT FOR THE CUSTOMER"


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


def _cell(text: str, bold: bool = False) -> Inline:
    return (Run(text, bold=bold),)


def _para(*runs: Run | str) -> Paragraph:
    return Paragraph(tuple(Run(r) if isinstance(r, str) else r for r in runs))


def _bullets(items: Sequence[Inline]) -> BulletList:
    return BulletList(tuple(ListItem(runs) for runs in items))


def _meta(offer: Offer, spec: Spec, **changes: object) -> DocumentMeta:
    return spec_meta(
        spec,
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


def validity_line(offer: Offer, classification: str | None) -> str:
    valid = f"Offer valid until {long_date(offer.info.valid_until)}"
    return f"{classification} \u00b7 {valid}" if classification else valid


def draft_meta(meta: DocumentMeta, offer: Offer, tier_name: str) -> DocumentMeta:
    """A tier's draft: its tier and the offer's validity on the cover and on every page."""
    subtitle = f"{tier_name} tier offer \u00b7 {SUBTITLES.get(meta.level, meta.subtitle or '')}"
    return replace(
        meta,
        subtitle=f"{subtitle} \u00b7 offer valid until {long_date(offer.info.valid_until)}",
        classification=validity_line(offer, meta.classification),
        keywords=(*meta.keywords, f"{tier_name} tier"),
    )


# ------------------------------------------------------------------ the comparison matrix


def comparison_matrix(offer: Offer, tiers: Sequence[TierColumn], timestamp: int) -> Document:
    spec = offer.tiers[0].spec
    names = [t.name for t in tiers]
    rows = differing_terms(tiers)
    table_rows: list[tuple[Inline, ...]] = []
    group = None
    for term in rows:
        if term.group != group:
            group = term.group
            table_rows.append((_cell(group, bold=True), *(_cell("") for _ in tiers)))
        cells: list[Inline] = [_cell(term.label)]
        for i, tier in enumerate(tiers):
            value = tier.terms.get(term.key)
            improved = i > 0 and value is not None and _improves(tiers[i - 1].terms.get(term.key), value)
            cells.append(_cell(value.text if value else "\u2014", bold=improved))
        table_rows.append(tuple(cells))
    provider, customers = spec.provider.name, and_list(c.name for c in spec.customers)
    intro = _para(
        f"{provider} offers {customers} {and_list(s.name for s in spec.services)} in {len(tiers)} tiers: "
        f"{and_list(names)}. The table shows every term on which the tiers differ; every other term is the same "
        "in each tier and is set out in the draft agreement for that tier. A value in bold improves on the tier "
        "to its left."
    )
    summaries = [(Run(f"{t.name}: ", bold=True), Run(t.summary)) for t in tiers if t.summary]
    glance: list[Block] = [intro]
    if summaries:
        glance.append(_bullets(summaries))
    if rows:
        header = (_cell("Term"), *(_cell(n) for n in names))
        widths = (2.2, *(1.0 for _ in tiers))
        glance.append(Table(header, tuple(table_rows), caption="The tiers side by side", widths=widths, kind="offer"))
    else:
        glance.append(_para("The tiers do not differ on any term that slaforge compares."))
    clauses = [
        Clause("offer.at-a-glance", "1.1", "The tiers at a glance", tuple(glance)),
        Clause("offer.step-ups", "1.2", "What each step up buys", tuple(_step_ups(tiers))),
        Clause(
            "offer.validity",
            "1.3",
            "Validity of this offer",
            (
                _para(
                    f"This offer is valid until {long_date(offer.info.valid_until)}. The draft agreements that go with "
                    f"it are drafts for discussion, subject to contract: neither party is bound until an agreement "
                    f"for one tier has been signed by both parties. The agreement would take effect on "
                    f"{long_date(spec.agreement.effective)}."
                ),
            ),
        ),
    ]
    meta = _meta(
        offer,
        spec,
        subtitle=f"Comparison of the {and_list(names)} offers",
        classification=validity_line(offer, spec.agreement.classification),
        timestamp=timestamp,
    )
    return Document(meta=meta, sections=(Section("offer", "1", "The offer", tuple(clauses)),))


def _improves(lower: TermValue | None, higher: TermValue) -> bool:
    if lower is None:
        return True
    return higher.kind != "price" and compare(lower, higher).outcome == "better"


def _step_ups(tiers: Sequence[TierColumn]) -> list[Block]:
    blocks: list[Block] = []
    for low, high in itertools.pairwise(tiers):
        gains: list[Inline] = []
        extra = ""
        for key, term in high.terms.items():
            lower = low.terms.get(key)
            if term.kind == "price" and lower is not None:
                extra = _price_step(lower.value, term.value, term.text.partition(" per ")[2] or "measurement window")
                continue
            if term.kind == "info" or not _improves(lower, term):
                continue
            if term.kind == "credits" and lower is not None:
                gains.append(_credit_gain(lower, term))
                continue
            before = f" instead of {lower.text}" if lower else ""
            downtime = key.removesuffix(".target") + ".downtime"
            if key.endswith(".availability.target") and downtime in high.terms and downtime in low.terms:
                before += f"; downtime allowed: {high.terms[downtime].text[0].lower()}{high.terms[downtime].text[1:]}"
            gains.append((Run(f"{term.label}: "), Run(term.text, bold=True), Run(before)))
        head = f"{high.name} over {low.name}" + (f", for {extra}" if extra else "") + ":"
        blocks.append(_para(Run(head, bold=True)))
        blocks.append(_bullets(gains) if gains else _para("The same terms."))
    return blocks


def _credit_gain(lower: TermValue, higher: TermValue) -> Inline:
    """Credits in a sentence: where they start and how high they go."""

    def start(bands: tuple[CreditBand, ...]) -> str:
        top = max(bands, key=lambda b: (b.upper, b.upper_inclusive))
        return f"{'at or below' if top.upper_inclusive else 'below'} {Pct(top.upper)}"

    runs = [Run("Service credits: ")]
    low, high = lower.value, higher.value
    if not low:
        return (*runs, Run(f"credits from {start(high)} availability, up to {max(b.credit for b in high)}", bold=True))
    if start(low) != start(high):
        runs += [Run("credits start ", bold=True), Run(start(high), bold=True), Run(f" instead of {start(low)}; ")]
    top_low, top_high = max(b.credit for b in low), max(b.credit for b in high)
    if top_high != top_low:
        runs += [Run("up to "), Run(str(top_high), bold=True), Run(f" of the fee instead of {top_low}; ")]
    runs.append(Run("at least as much at every level of availability"))
    return tuple(runs)


def _price_step(lower: Money | None, higher: Money | None, period: str) -> str:
    if lower is None or higher is None or lower.currency != higher.currency:
        return ""
    return f"{Money(higher.amount - lower.amount, higher.currency)} more per {period}"


# ------------------------------------------------------------------ the internal negotiation sheet


def negotiation_sheet(
    offer: Offer,
    tiers: Sequence[TierColumn],
    readings: Sequence[EnvelopeReading],
    warnings: Sequence[Problem],
    allow_beyond_limit: bool,
    timestamp: int,
) -> Document:
    spec = offer.tiers[0].spec
    position = offer.position
    about = Clause(
        "sheet.about",
        "1.1",
        "Not for the customer",
        (
            _para(
                Run(INTERNAL + ". ", bold=True),
                f"This sheet is for the negotiators of {spec.provider.name} only. Do not send it, or any part of it, "
                f"to {and_list(c.name for c in spec.customers)}.",
            ),
            _para(
                f"The drafts use the {position} value of each envelope wherever a tier does not set the term "
                f"itself. The offer is valid until {long_date(offer.info.valid_until)}."
            ),
        ),
    )
    envelope_blocks: list[Block] = []
    if readings:
        header = (_cell("Term"), _cell("Preferred"), _cell("Fallback"), _cell("Limit"), *(_cell(t.name) for t in tiers))
        rows = []
        labels = {key: term.label for tier in tiers for key, term in tier.terms.items()}
        for r in readings:
            label = labels.get(r.envelope.path)
            cells: list[Inline] = [
                (
                    *((Run(label, bold=True), Run(" ")) if label else ()),
                    Run(r.envelope.path + " ", italic=True),
                    Run(f"({r.better} is better for the customer)", italic=True),
                ),
                _cell(r.preferred.text),
                _cell(r.fallback.text),
                _cell(r.limit.text),
            ]
            for p in r.placements:
                value = p.value.text if p.value else "\u2014"
                cells.append((Run(value), Run(f" \u2014 {p.where}", bold=p.beyond, italic=not p.beyond)))
            rows.append(tuple(cells))
        widths = (1.9, 1.1, 1.1, 1.1, *(1.2 for _ in tiers))
        envelope_blocks.append(Table(header, tuple(rows), caption="Negotiation envelopes", widths=widths, kind="offer"))
        notes = [
            (Run(f"{labels.get(r.envelope.path, r.envelope.path)}: ", bold=True), Run(r.envelope.spec.note))
            for r in readings
            if r.envelope.spec.note
        ]
        if notes:
            envelope_blocks.append(_bullets(notes))
    else:
        envelope_blocks.append(_para("The offer names no negotiation envelopes."))
    crossings = [(r, p) for r in readings for p in r.crossings]
    if crossings:
        limit_blocks: list[Block] = [
            _para(
                Run("Beyond a walk-away limit: ", bold=True),
                f"{len(crossings)} draft value{'s' if len(crossings) != 1 else ''} cross"
                f"{'es' if len(crossings) == 1 else ''} a limit"
                + (", drafted only because --allow-beyond-limit was given" if allow_beyond_limit else "")
                + ". Get approval before any of them goes to the customer.",
            ),
            Table(
                (_cell("Tier"), _cell("Term"), _cell("Drafted"), _cell("Limit")),
                tuple(
                    (
                        _cell(p.tier_name),
                        _cell(r.envelope.path),
                        _cell(p.value.text if p.value else "?"),
                        _cell(r.limit.text),
                    )
                    for r, p in crossings
                ),
                caption="Drafts beyond a limit",
                kind="offer",
            ),
        ]
    else:
        limit_blocks = [_para("No draft crosses a walk-away limit.")]
    checks: list[Block] = [
        _para(
            "Every tier passes the ordinary spec checks, and on every comparable term each tier is at least as good "
            "for the customer as the tier below it and costs more."
        )
    ]
    if warnings:
        checks.append(_para("Points to look at before the offer goes out:"))
        checks.append(_bullets([_cell(f"{w.path + ': ' if w.path else ''}{w.message}") for w in warnings]))
    clauses = (
        about,
        Clause("sheet.envelopes", "1.2", "Envelopes and where each tier sits", tuple(envelope_blocks)),
        Clause("sheet.limits", "1.3", "Walk-away limits", tuple(limit_blocks)),
        Clause("sheet.checks", "1.4", "Checks", tuple(checks)),
        Clause("sheet.prices", "1.5", "Prices", (_prices(tiers),)),
    )
    sections = (Section("sheet", "1", "Negotiation sheet", clauses),)
    meta = _meta(
        offer,
        spec,
        title=f"Negotiation sheet: {offer.info.title or spec.agreement.title} ({INTERNAL})",
        marking=INTERNAL,
        status="internal",
        subtitle=INTERNAL,
        classification=INTERNAL,
        keywords=("negotiation sheet", "internal", *(t.name for t in tiers)),
        timestamp=timestamp,
    )
    return Document(meta=meta, sections=sections)


def _prices(tiers: Sequence[TierColumn]) -> Block:
    rows = []
    previous: Money | None = None
    for tier in tiers:
        price = next((t for t in tier.terms.values() if t.kind == "price"), None)
        value = price.value if price else None
        step = ""
        if isinstance(value, Money) and isinstance(previous, Money) and value.currency == previous.currency:
            delta = value.amount - previous.amount
            share = (delta / previous.amount * 100).quantize(Decimal("0.1")) if previous.amount else None
            step = f"+{Money(delta, value.currency)}" + (f" (+{share}%)" if share is not None else "")
        rows.append((_cell(tier.name), _cell(price.text if price else "not priced"), _cell(step or "\u2014")))
        previous = value if isinstance(value, Money) else None
    return Table((_cell("Tier"), _cell("Price"), _cell("Step from the tier below")), tuple(rows), kind="offer")
