"""``slaforge offers``: one offer file -> a draft per tier, the comparison matrix, the internal sheet.

The offer is expanded into one checked spec per tier (:mod:`slaforge.layers.offer`),
its envelopes are read and its tiers' order checked (every error at once);
then each tier goes through the same resolve -> compose steps as any
agreement, the two offer documents are built, everything is rendered in
memory, and only then written, each file atomically.

Output names: ``<id>-<tier>-v<version>.<fmt>`` for the drafts,
``<id>-comparison-v<version>.<fmt>`` and ``<id>-negotiation-INTERNAL-v<version>.<fmt>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from slaforge.build import library_for
from slaforge.compose import compose
from slaforge.compose.resolve import resolve
from slaforge.document import Document
from slaforge.errors import Problem, Problems, as_errors
from slaforge.layers.offer import Offer, Position, read_offer
from slaforge.library.clauses import Library
from slaforge.library.texts import texts_for
from slaforge.offers.documents import TierColumn, comparison_matrix, draft_meta, negotiation_sheet
from slaforge.offers.negotiation import EnvelopeReading, read_envelopes
from slaforge.offers.ordering import TierTerms, check_order
from slaforge.terms.comparable import default_positions, spec_terms
from slaforge.writers import DEFAULT_PDF_ENGINE, PDF_UA, render_all, write_all


@dataclass(frozen=True)
class OfferOptions:
    formats: tuple[str, ...] = ("pdf", "docx")
    out_dir: Path = Path("out")
    position: Position = "preferred"
    allow_beyond_limit: bool = False
    theme_dir: Path | None = None
    clause_dirs: tuple[Path, ...] = ()
    pdf_variant: str = PDF_UA
    strict: bool = False
    pdf_engine: str = DEFAULT_PDF_ENGINE


@dataclass
class OfferDocuments:
    """Everything ``slaforge offers`` writes, before rendering: file stem -> Document."""

    offer: Offer
    documents: dict[str, Document]
    readings: list[EnvelopeReading]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def crossings(self) -> list[str]:
        return [
            f"{p.tier}: {r.envelope.path} = {p.value.text if p.value else '?'}"
            for r in self.readings
            for p in r.crossings
        ]


@dataclass
class OfferResult:
    spec: Path
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    crossings: list[str] = field(default_factory=list)


@dataclass
class CheckedOffer:
    """An offer whose tiers all passed every check, with what the documents need."""

    offer: Offer
    columns: list[TierColumn]
    readings: list[EnvelopeReading]
    warnings: list[Problem]
    libraries: dict[tuple[str, ...], Library]

    def library(self, index: int, extra_dirs: tuple[Path, ...] = ()) -> Library:
        loaded = self.offer.tiers[index].loaded
        key = tuple(loaded.spec.clause_dirs)
        if key not in self.libraries:
            self.libraries[key] = library_for(loaded, extra_dirs)
        return self.libraries[key]


def check_offer(path: Path, options: OfferOptions) -> CheckedOffer:
    """Expand an offer and check it: spec checks per tier, envelopes and limits, tier order.

    Raises :class:`SpecError` with every problem found.
    """
    offer = read_offer(path, options.position)
    readings, problems = read_envelopes(offer, options.allow_beyond_limit)
    checked = CheckedOffer(offer, [], readings, [], {})
    titles = {
        cid: c.meta.title
        for i in range(len(offer.tiers))
        for cid, c in checked.library(i, options.clause_dirs).clauses.items()
    }
    terms = default_positions([spec_terms(t.spec, titles) for t in offer.tiers])
    checked.columns = [
        TierColumn(t.tier.id, t.tier.name, t.tier.summary, {term.key: term for term in tier_terms})
        for t, tier_terms in zip(offer.tiers, terms, strict=True)
    ]
    order = check_order(
        [TierTerms(c.id, c.name, c.terms, t.source) for c, t in zip(checked.columns, offer.tiers, strict=True)]
    )
    checked.warnings = [*offer.warnings, *(p for p in order if p.severity == "warning")]
    problems.extend(p for p in order if p.severity == "error")
    if options.strict:
        problems.extend(as_errors(checked.warnings))
    Problems(problems).raise_errors()
    return checked


def offer_documents(path: Path, options: OfferOptions) -> OfferDocuments:
    """Check an offer, compose a draft per tier and build the comparison matrix and the internal sheet."""
    checked = check_offer(path, options)
    offer = checked.offer
    texts = texts_for(options.theme_dir)
    documents: dict[str, Document] = {}
    for index, draft in enumerate(offer.tiers):
        document = compose(resolve(draft.loaded), checked.library(index, options.clause_dirs), texts=texts)
        document = replace(document, meta=draft_meta(document.meta, offer, draft.tier.name, texts))
        documents[document.meta.file_stem] = document
    timestamp = next(iter(documents.values())).meta.timestamp
    version = offer.tiers[0].spec.agreement.version
    documents[f"{offer.base_id}-comparison-v{version}"] = comparison_matrix(offer, checked.columns, timestamp, texts)
    documents[f"{offer.base_id}-negotiation-INTERNAL-v{version}"] = negotiation_sheet(
        offer, checked.columns, checked.readings, checked.warnings, options.allow_beyond_limit, timestamp, texts
    )
    return OfferDocuments(offer, documents, checked.readings, checked.warnings)


def build_offer(path: Path, options: OfferOptions) -> OfferResult:
    built = offer_documents(path, options)
    stems = {options.out_dir / stem: document for stem, document in built.documents.items()}
    files = render_all(stems, options.formats, options.theme_dir, options.pdf_variant, options.pdf_engine)
    return OfferResult(spec=path, outputs=write_all(files), warnings=built.warnings, crossings=built.crossings)
