"""``index.html`` of a built portfolio: every document, its level, version, the documents above it and
its earlier issued versions (in ``issued/``).

The page is the theme's ``portfolio/index.html.j2`` (its words and its small stylesheet), rendered in
the theme's sandboxed environment. Every value handed to it is plain text, escaped here as the page
always escaped it (:func:`html.escape`: ``&quot;`` for a double quote) and marked safe, so that the
template's autoescape leaves it as it is.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from slaforge.layers.inherit import Portfolio, PortfolioDocument
from slaforge.portfolio.issued import Archive
from slaforge.renderers.theme import Theme
from slaforge.spec.portfolio_file import Kind

TEMPLATE = "portfolio/index.html.j2"
ORDER = (Kind.corporate, Kind.customer, Kind.service, Kind.ola, Kind.underpinning)


def _ref(document: PortfolioDocument) -> dict[str, str]:
    agreement = document.spec.agreement
    return {"kind_name": document.kind_name, "agreement_id": agreement.id, "version": agreement.version}


def _row(
    portfolio: Portfolio, document: PortfolioDocument, folder: Path, options: Any, archive: Archive
) -> dict[str, Any]:
    agreement = document.spec.agreement
    stem = f"{agreement.id}-v{agreement.version}"
    supporting = document.kind in (Kind.ola, Kind.underpinning)
    related = portfolio.supported(document) if supporting else portfolio.above(document)
    customers = [c.id for c in document.spec.customers]
    tiers = {s.service: s.tier for s in portfolio.file.subscriptions if s.tier and customers == [s.customer]}
    return {
        **_ref(document),
        "title": agreement.title,
        "status": agreement.status.value,
        "parties": [c.name for c in document.spec.customers],
        "services": [{"name": s.name, "tier": tiers.get(s.id)} for s in document.spec.services],
        "supporting": supporting,
        "related": [_ref(d) for d in related],
        "files": [{"path": (folder / f"{stem}.{fmt}").as_posix(), "format": fmt} for fmt in options.formats],
        "issued": [
            {"version": version, "files": [{"path": n, "format": Path(n).suffix.lstrip(".")} for n in names]}
            for version, names in archive.issued_of(document.id)
        ],
    }


def _escaped(value: Any) -> Any:
    """Every string in ``value`` (dictionaries, lists and tuples looked into) escaped and marked safe."""
    if isinstance(value, str):
        return Markup(escape(value))
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(item) for item in value]
    return value


def index_html(portfolio: Portfolio, folders: dict[str, Path], options: Any, archive: Archive) -> bytes:
    sections = []
    for kind in ORDER:
        documents = [d for d in portfolio.documents.values() if d.kind == kind]
        if documents:
            sections.append((kind.value, [_row(portfolio, d, folders[d.id], options, archive) for d in documents]))
    page = Theme.load(options.theme_dir).render(
        TEMPLATE,
        _escaped(
            {
                "title": portfolio.file.portfolio.title,
                "provider": portfolio.file.provider.name,
                "standalone": options.standalone,
                "documents": list(portfolio.documents),
                "sections": sections,
            }
        ),
    )
    return page.encode("utf-8")
