"""What a lower-level document says about the documents above it, and what it leaves to them.

A customer or service SLA names the documents it sits under (their id and
version) in the clause ``parties.subordination``.  It does not repeat their
text: a clause that the level and conditions of the library pick for the
document is left out when a document above includes the same clause and every
spec value the clause reads (its declared ``params``; of a service, the fields
its wording names) is the same there, for the customers and services this
document covers.  The subordination clause lists what was left out and where
it is set out, and a cross-reference to a left-out clause reads "clause 5.2 of
the Corporate SLA NW-CORP-SLA v2.1".  Clauses that name the parties, the
agreement itself or its scope (the categories in :data:`ALWAYS_KEPT`, and
clauses that read nothing else) always stay.  ``--standalone`` leaves nothing
out.

An OLA or underpinning contract is a customer-based agreement with its one
(internal) customer; it says which SLAs it supports instead of the structure
clause, which speaks of an SLA with customers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slaforge.compose.assembly import Composition, selected
from slaforge.compose.environment import shared_environment, template_context
from slaforge.compose.lint import Sample
from slaforge.compose.numbering import number_clauses
from slaforge.compose.resolve import Agreement, build_timestamp
from slaforge.compose.views import path_view
from slaforge.layers.inherit import Portfolio, PortfolioDocument
from slaforge.layers.levels import LevelReport
from slaforge.library.clauses import ClauseSource, Library
from slaforge.spec.models import Service
from slaforge.spec.portfolio_file import Kind

CONTEXT_PARAMS = {"agreement", "level", "structure", "provider", "customers", "customer", "portfolio"}
ALWAYS_KEPT = {"parties", "definitions", "service-description", "term", "document-control", "signatures"}
SUPPORT_REPLACES = frozenset({"parties.structure"})
_ATTRIBUTE = re.compile(r"\.([a-z_]+)")
_QUOTED = re.compile(r"[\"']([a-z_.]+)[\"']")
# values the Agreement computes for each service, and the fields they come from
COMPUTED_SERVICE_FIELDS = {
    "calendar": {"hours"},
    "support_calendar": {"hours", "support_hours"},
    "window_name": {"availability", "commitments"},
    "allowed_downtime": {"availability", "commitments", "hours"},
    "title": {"name"},  # a commitment's title is its service's name (with its own)
    "commitments": {"availability", "commitments"},
}
# what a clause reading the context's ``commitments`` (every service's commitments) reads of each service
COMMITMENT_FIELDS = {"availability", "commitments"}


@dataclass(frozen=True)
class PortfolioAgreement(Agreement):
    """An agreement of a portfolio: clauses also read ``portfolio`` (its place among the documents)."""

    portfolio: dict[str, Any] = field(default_factory=dict)

    def context(self) -> dict[str, Any]:
        view = super().context()
        view["portfolio"] = path_view(self.portfolio, "portfolio")
        return view


@dataclass(frozen=True)
class Plan:
    """How one document is composed: its agreement (with the portfolio context) and the clauses left out."""

    document_id: str
    agreement: PortfolioAgreement
    omit: frozenset[str]
    clauses: tuple[str, ...]  # ids of the clauses the document includes
    numbers: dict[str, str]  # clause and section ids -> their numbers in this document
    external: dict[str, str]  # left-out clause or section id -> "clause 5.2 of the Corporate SLA ..."


def describe(document: PortfolioDocument) -> dict[str, Any]:
    agreement = document.spec.agreement
    return {
        "id": document.id,
        "kind": document.kind.value,
        "kind_name": document.kind_name,
        "agreement_id": agreement.id,
        "version": agreement.version,
        "title": agreement.title,
    }


def plan_documents(
    portfolio: Portfolio, report: LevelReport, library_for: Any, standalone: bool = False
) -> dict[str, Plan]:
    """A plan per document, upper documents first (a lower one compares itself with them)."""
    plans: dict[str, Plan] = {}
    order = sorted(portfolio.documents.values(), key=lambda d: (len(d.above), d.index))
    for document in order:
        library: Library = library_for(document)
        titles = {c.id: c.meta.title for c in library.ordered()}
        base = _agreement(portfolio, document, report, {}, standalone, titles, plans)
        chosen = _selected(library, base)
        omitted: dict[str, str] = {}
        if document.kind in (Kind.ola, Kind.underpinning):
            omit = set(SUPPORT_REPLACES)
        elif standalone or not document.above:
            omit = set()
        else:
            omitted = _inherited(portfolio, document, chosen, plans)
            omit = set(omitted)
        agreement = _agreement(portfolio, document, report, omitted, standalone, titles, plans)
        kept = tuple(c.id for c in chosen if c.id not in omit)
        numbers = number_clauses(library, kept)
        external: dict[str, str] = {}
        for clause_id, upper_id in omitted.items():
            upper = plans[upper_id]
            name = f"{portfolio.documents[upper_id].kind_name} {_reference(portfolio.documents[upper_id])}"
            external[clause_id] = f"clause {upper.numbers[clause_id]} of the {name}"
            category = library.clauses[clause_id].meta.category
            if category not in numbers and category in upper.numbers:
                external.setdefault(category, f"section {upper.numbers[category]} of the {name}")
        plans[document.id] = Plan(document.id, agreement, frozenset(omit), kept, numbers, external)
    return {d: plans[d] for d in portfolio.documents}


def _selected(library: Library, agreement: Agreement) -> list[ClauseSource]:
    env = shared_environment()
    return selected(library, agreement, env, template_context(agreement, env), Composition())


def _inherited(
    portfolio: Portfolio, document: PortfolioDocument, chosen: list[ClauseSource], plans: dict[str, Plan]
) -> dict[str, str]:
    """Clause id -> the id of the document above that sets the clause out with the same values."""
    out: dict[str, str] = {}
    for clause in chosen:
        if clause.meta.category in ALWAYS_KEPT:
            continue
        reads = [p for p in clause.meta.params if p not in CONTEXT_PARAMS]
        if not reads:
            continue
        for upper_id in reversed(document.above):
            plan = plans.get(upper_id)
            if plan is None or clause.id not in plan.clauses:
                continue
            if all(_same(document, portfolio.documents[upper_id], name, clause) for name in reads):
                out[clause.id] = upper_id
            break
    return out


def service_fields(clause: ClauseSource) -> set[str]:
    """The fields of a service that a clause reads (attribute names in its wordings and condition)."""
    texts = [w.text for w in clause.wordings.values()] + [clause.meta.when or ""]
    names: set[str] = set()
    for text in texts:
        names |= set(_ATTRIBUTE.findall(text))
        for quoted in _QUOTED.findall(text):
            names |= set(quoted.split("."))
    fields = {n for n in names if n in Service.model_fields}
    for computed, needs in COMPUTED_SERVICE_FIELDS.items():
        if computed in names:
            fields |= needs
    return fields


def _same(lower: PortfolioDocument, upper: PortfolioDocument, name: str, clause: ClauseSource) -> bool:
    """Whether ``upper`` says the same as ``lower`` about spec key ``name``, for what ``lower`` covers."""
    mine, theirs = getattr(lower.spec, name, None), getattr(upper.spec, name, None)
    if name in ("services", "commitments"):
        fields = service_fields(clause) | (COMMITMENT_FIELDS if name == "commitments" else set())
        by_id = {s.id: s for s in upper.spec.services}
        return all(
            s.id in by_id and all(getattr(by_id[s.id], f) == getattr(s, f) for f in fields) for s in lower.spec.services
        )
    if name == "service_hours":
        return all(theirs.get(k) == v for k, v in mine.items())  # type: ignore[union-attr]
    return mine == theirs


def _reference(document: PortfolioDocument) -> str:
    return f"{document.spec.agreement.id} v{document.spec.agreement.version}"


def _agreement(
    portfolio: Portfolio,
    document: PortfolioDocument,
    report: LevelReport,
    omitted: dict[str, str],
    standalone: bool,
    titles: dict[str, str],
    plans: dict[str, Plan],
) -> PortfolioAgreement:
    return PortfolioAgreement(
        spec=document.spec,
        source=document.source,
        base=document.loaded.path.parent,
        timestamp=build_timestamp(document.spec),
        portfolio=portfolio_context(
            portfolio, document, report, omitted, standalone, titles, {u: p.numbers for u, p in plans.items()}
        ),
    )


def portfolio_context(
    portfolio: Portfolio,
    document: PortfolioDocument,
    report: LevelReport,
    omitted: dict[str, str],
    standalone: bool,
    titles: dict[str, str],
    upper_numbers: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """What ``parties.subordination`` reads: the documents above or supported, what is left to them."""
    names = titles
    upper_numbers = upper_numbers or {}
    inherited = []
    for upper_id in document.above:
        numbers = upper_numbers.get(upper_id, {})
        left = [
            f"{names.get(c, c)} (clause {numbers[c]})" if c in numbers else names.get(c, c)
            for c, where in omitted.items()
            if where == upper_id
        ]
        if left:
            inherited.append({**describe(portfolio.documents[upper_id]), "titles": left})
    exceptions = [
        {
            "label": e.label,
            "value": e.value,
            "upper_value": e.upper_value,
            "upper": describe(portfolio.documents[e.upper]),
            "reason": " ".join(e.reason.split()),
        }
        for e in report.agreed.get(document.id, [])
    ]
    supports: list[dict[str, Any]] = []
    withheld = 0
    if document.kind in (Kind.ola, Kind.underpinning):
        for sla in portfolio.supported(document):
            if names_customer(document, sla):
                supports.append(describe(sla))
            else:
                withheld += 1
    services = {s.id: s for s in portfolio.file.services}
    supported_names = []
    for service_id in document.entry.supports:
        provided = next(
            (s.name for d in portfolio.documents.values() for s in d.spec.services if s.id == service_id), service_id
        )
        if service_id in services:
            supported_names.append(provided)
    return {
        "id": portfolio.file.portfolio.id,
        "title": portfolio.file.portfolio.title,
        "organisation": portfolio.file.provider.name,
        "document": describe(document),
        "above": [describe(portfolio.documents[i]) for i in document.above],
        "standalone": standalone,
        "inherited": inherited,
        "exceptions": exceptions,
        "supports": supports,
        "withheld": withheld,  # supported SLAs with a customer the document does not name
        "supported_services": supported_names,
    }


def names_customer(document: PortfolioDocument, sla: PortfolioDocument) -> bool:
    """Whether an OLA or underpinning contract may name ``sla``: an SLA of one customer only where the
    author asks (``names_customers``), for the document goes to an internal team or a supplier."""
    customer = sla.entry.customer if sla.kind in (Kind.customer, Kind.service) else None
    if customer is None:
        return True
    asked = document.entry.names_customers
    return asked is True or (isinstance(asked, list) and customer in asked)


def clause_samples(path: Path, library: Library, document: str | None = None) -> list[Sample]:
    """Every document of the portfolio at ``path`` (or only ``document``), as ``slaforge clauses check``
    renders clauses against it."""
    from slaforge.layers.documents import portfolio_document
    from slaforge.layers.inherit import read_portfolio
    from slaforge.layers.levels import check_levels

    portfolio = read_portfolio(path) if document is None else portfolio_document(path, document, checked=False)[0]
    plans = plan_documents(portfolio, check_levels(portfolio), lambda _document: library)
    return [
        Sample(f"{path.name}#{plan.document_id}", plan.agreement, plan.omit, plan.external)
        for plan in plans.values()
        if document in (None, plan.document_id)
    ]
