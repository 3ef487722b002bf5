"""``index.html`` of a built portfolio: every document, its level, version and the documents above it.

Plain HTML with its own small stylesheet, every piece of user text escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from slaforge.portfolio.inherit import Portfolio, PortfolioDocument
from slaforge.portfolio.model import Kind

STYLE = """
body { font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1b2733; margin: 2.5rem auto;
       max-width: 76rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; color: #1d4e6e; }
p.lead { margin: 0 0 1.8rem; color: #52606d; }
h2 { font-size: 1.1rem; margin: 2rem 0 .6rem; color: #1d4e6e; border-bottom: 2px solid #1d4e6e; padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid #d9e2ec; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: #52606d; }
td.ref { white-space: nowrap; font-variant-numeric: tabular-nums; }
.files a { margin-right: .5rem; }
.muted { color: #7b8794; }
"""

SECTIONS = (
    (Kind.corporate, "Corporate level"),
    (Kind.customer, "Customer level"),
    (Kind.service, "Service level"),
    (Kind.ola, "Operational level agreements"),
    (Kind.underpinning, "Underpinning contracts"),
)


def _ref(document: PortfolioDocument) -> str:
    agreement = document.spec.agreement
    return f"{escape(document.kind_name)} {escape(agreement.id)} v{escape(agreement.version)}"


def _row(portfolio: Portfolio, document: PortfolioDocument, folder: Path, formats: tuple[str, ...]) -> str:
    agreement = document.spec.agreement
    stem = f"{agreement.id}-v{agreement.version}"
    links = " ".join(
        f'<a href="{escape((folder / f"{stem}.{fmt}").as_posix(), quote=True)}">{fmt.upper()}</a>' for fmt in formats
    )
    if document.kind in (Kind.ola, Kind.underpinning):
        related = portfolio.supported(document)
        relation = "supports " + (", ".join(_ref(d) for d in related) if related else "no agreement")
    else:
        above = portfolio.above(document)
        relation = "under " + ", ".join(_ref(d) for d in above) if above else '<span class="muted">top level</span>'
    parties = " &middot; ".join(escape(c.name) for c in document.spec.customers)
    tiers = {
        s.service: s.tier
        for s in portfolio.file.subscriptions
        if s.tier and [c.id for c in document.spec.customers] == [s.customer]
    }
    services = ", ".join(
        escape(s.name) + (f" ({escape(tiers[s.id])} tier)" if s.id in tiers else "") for s in document.spec.services
    )
    return (
        "<tr>"
        f"<td><strong>{escape(agreement.title)}</strong><br><span class='muted'>{parties}</span></td>"
        f"<td>{escape(document.kind_name)}</td>"
        f"<td class='ref'>{escape(agreement.id)}<br>v{escape(agreement.version)} ({agreement.status.value})</td>"
        f"<td>{services}</td>"
        f"<td>{relation}</td>"
        f"<td class='files'>{links}</td>"
        "</tr>"
    )


def index_html(portfolio: Portfolio, folders: dict[str, Path], options: Any) -> bytes:
    info = portfolio.file.portfolio
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(info.title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(info.title)}</h1>",
        f'<p class="lead">{len(portfolio.documents)} documents provided by {escape(portfolio.file.provider.name)}'
        f"{' (standalone editions)' if options.standalone else ''}.</p>",
    ]
    for kind, heading in SECTIONS:
        documents = [d for d in portfolio.documents.values() if d.kind == kind]
        if not documents:
            continue
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts.append(
            "<table><thead><tr><th>Document</th><th>Level</th><th>Reference</th><th>Services</th>"
            "<th>Place in the structure</th><th>Files</th></tr></thead><tbody>"
        )
        parts.extend(_row(portfolio, d, folders[d.id], options.formats) for d in documents)
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts).encode("utf-8")
