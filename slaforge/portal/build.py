"""``slaforge portal PORTFOLIO --data DATA -o SITE``: the static customer portal, built incrementally.

1. Build the portfolio's documents into the work folder (the portfolio build, with its cache: a
   document whose inputs did not change is not rendered again).
2. Read the measured data (:mod:`slaforge.portal.measured`) and render the report of every window
   of every measured document, each cached by a hash of everything that feeds its bytes.
3. Compose the pages and the JSON twins (:mod:`slaforge.portal.views`, the theme's ``portal/``
   templates), and lay the site out::

       SITE/index.html, portal.json, documents/...      the provider's overview (provider only)
       SITE/customers/<customer>/index.html             one customer's portal, self-contained:
                                 portal.json            its figures as JSON
                                 agreements/, reports/  its documents and monthly reports
                                 assets/portal.css

   A customer's folder links only inside itself, so it can be published to that customer alone.
4. Write every changed file at once (nothing when anything failed), leave unchanged files as they
   are, and remove the files an earlier run wrote that the site no longer has.

The work folder (default: ``.<SITE name>-work`` beside SITE) holds the cache; it is never published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from slaforge import __version__
from slaforge.arithmetic.measurements import Outage, Ticket
from slaforge.compose.resolve import source_date_epoch
from slaforge.errors import InputError, InvalidArgument
from slaforge.inputs.files import file_digest, read_text
from slaforge.inputs.limits import MANIFEST_BYTES
from slaforge.layers.inherit import Portfolio, PortfolioDocument, read_portfolio
from slaforge.library.texts import texts_for
from slaforge.portal.measured import Measured, measured_documents, period_text
from slaforge.portal.pages import Pages
from slaforge.portal.views import (
    Party,
    agreement_row,
    customer_json,
    customers_of,
    documents_of,
    exposure,
    measured_view,
    promises,
    shared,
)
from slaforge.portfolio.build import PortfolioOptions, build_portfolio, folder_of, theme_digest
from slaforge.reports.build import file_stem
from slaforge.reports.report import report_document
from slaforge.text import long_date
from slaforge.writers import own_file, remove_own_file, render_formats, write_all

MANIFEST = "site.json"


@dataclass(frozen=True)
class PortalOptions:
    data_dir: Path
    out_dir: Path = Path("site")
    work_dir: Path | None = None
    formats: tuple[str, ...] = ("pdf", "docx", "html")
    theme_dir: Path | None = None
    jobs: int = 1
    strict: bool = False
    pdf_engine: str = "weasyprint"

    @property
    def work(self) -> Path:
        return self.work_dir or self.out_dir.parent / f".{self.out_dir.resolve().name}-work"


@dataclass
class PortalResult:
    site: Path
    written: list[Path] = field(default_factory=list)  # files whose bytes changed
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)
    documents_rendered: list[str] = field(default_factory=list)
    reports_rendered: list[str] = field(default_factory=list)
    customers: list[str] = field(default_factory=list)


def build_portal(portfolio_path: Path, options: PortalOptions) -> PortalResult:
    work = options.work
    if work.resolve() == options.out_dir.resolve() or work.resolve().is_relative_to(options.out_dir.resolve()):
        raise InvalidArgument(
            f"the work folder {work} must be outside the site {options.out_dir}: it is never published"
        )
    documents_out = work / "documents"
    portfolio = read_portfolio(portfolio_path, strict=options.strict)
    measured = measured_documents(portfolio, options.data_dir)  # bad data fails before anything is rendered
    built = build_portfolio(
        portfolio_path,
        PortfolioOptions(
            formats=options.formats,
            out_dir=documents_out,
            theme_dir=options.theme_dir,
            strict=options.strict,
            pdf_engine=options.pdf_engine,
            jobs=options.jobs,
        ),
    )
    result = PortalResult(site=options.out_dir, documents_rendered=list(built.rendered))
    reports = _reports(measured, options, work / "reports", result)
    files = _site(portfolio, measured, reports, documents_out, options)
    result.customers = [c.id for c in customers_of(portfolio)]
    _write(files, options.out_dir, work, result)
    return result


# ------------------------------------------------------------------ the monthly reports


def _report_key(m: Measured, index: int, options: PortalOptions, theme: str) -> str:
    """A hash of what feeds a window's report: the spec, the rows measured up to the window's end (later rows
    cannot change it), the window, the formats, the theme and slaforge's version."""
    end = m.windows[index].as_of
    rows = [_row(o) for o in m.data.outages if o.start < end] + [_row(t) for t in m.data.tickets if t.reported < end]
    digest = hashlib.sha256()
    for part in (
        __version__,
        m.document.spec.model_dump_json(),
        m.windows[index].current.period.label,
        ",".join(options.formats),
        options.pdf_engine,
        str(source_date_epoch()),
        theme,
        ",".join(sorted(m.data.kinds)),
        ",".join(f.name for f in m.data.files),  # the report names its data files
        *sorted(rows),
    ):
        digest.update(f"{len(part)}:{part}".encode())
    return digest.hexdigest()


def _row(row: Outage | Ticket) -> str:
    """A measured row as text, named by its file's name and line (not by where the data folder is)."""
    return repr(replace(row, file=Path(row.file).name))


def _reports(
    measured: dict[str, Measured], options: PortalOptions, cache: Path, result: PortalResult
) -> dict[tuple[str, int], dict[str, bytes]]:
    """Every window's report per format: from the cache when its key is unchanged, else rendered."""
    theme = theme_digest(options.theme_dir)
    texts = texts_for(options.theme_dir)
    out: dict[tuple[str, int], dict[str, bytes]] = {}
    for document_id, m in measured.items():
        for index, achieved in enumerate(m.windows):
            key = _report_key(m, index, options, theme)
            folder = cache / document_id / key[:32]
            cached = {fmt: folder / f"report.{fmt}" for fmt in options.formats}
            if all(p.is_file() for p in cached.values()):
                out[(document_id, index)] = {fmt: p.read_bytes() for fmt, p in cached.items()}
                continue
            _, document = report_document(m.document.spec, m.data, period_text(achieved.current.period), texts)
            rendered = render_formats(document, options.formats, options.theme_dir, pdf_engine=options.pdf_engine)
            write_all({cached[fmt]: data for fmt, data in rendered.items()})
            out[(document_id, index)] = rendered
            result.reports_rendered.append(f"{document_id} {achieved.current.period.label}")
    return out


def report_name(m: Measured, index: int, fmt: str) -> str:
    return f"{file_stem(m.windows[index])}.{fmt}"


# ------------------------------------------------------------------ the site's files


def document_name(document: PortfolioDocument, fmt: str) -> str:
    agreement = document.spec.agreement
    return f"{agreement.id}-v{agreement.version}.{fmt}"


def _site(
    portfolio: Portfolio,
    measured: dict[str, Measured],
    reports: dict[tuple[str, int], dict[str, bytes]],
    documents_out: Path,
    options: PortalOptions,
) -> dict[Path, bytes]:
    site = options.out_dir
    pages = Pages.load(options.theme_dir)
    texts = texts_for(options.theme_dir)
    files: dict[Path, bytes] = {}

    def built(document: PortfolioDocument, fmt: str) -> bytes:
        return (documents_out / folder_of(document) / document_name(document, fmt)).read_bytes()

    provider = portfolio.file.provider
    manager = next((c for c in provider.contacts if c.role == "service-level-manager"), None)
    by_customer: dict[str, list[Measured]] = {}
    summaries = []
    for customer in customers_of(portfolio):
        folder = site / "customers" / customer.id
        own = documents_of(portfolio, customer.id)
        for document in own:
            if not shared(document):
                for fmt in options.formats:
                    files[folder / "agreements" / document_name(document, fmt)] = built(document, fmt)
        mine = [m for m in measured.values() if m.document.id in {d.id for d in own}]
        by_customer[customer.id] = mine
        for m in mine:
            for index in range(len(m.windows)):
                for fmt, data in reports[(m.document.id, index)].items():
                    files[folder / "reports" / report_name(m, index, fmt)] = data

        def agreement_href(document: PortfolioDocument, fmt: str) -> str | None:
            return None if shared(document) else f"agreements/{document_name(document, fmt)}"

        def report_href(m: Measured, index: int, fmt: str) -> str:
            return f"reports/{report_name(m, index, fmt)}"

        agreements = [agreement_row(d, options.formats, agreement_href) for d in own]
        views = [measured_view(m, texts, options.formats, report_href) for m in mine]
        context = {
            "customer": customer,
            "provider": {"name": provider.name, "short_name": provider.short_name or provider.name},
            "manager": {"name": manager.name, "email": manager.email, "phone": manager.phone} if manager else None,
            "agreements": agreements,
            "promises": [promises(d) for d in own if d.kind.value != "corporate"],
            "measured": views,
            "as_of": _as_of(mine),
        }
        files[folder / "index.html"] = pages.render("portal/customer.html.j2", context)
        files[folder / "portal.json"] = _json(customer_json(mine, agreements, customer))
        files[folder / "assets" / "portal.css"] = pages.stylesheet()
        summaries.append(_summary(customer, agreements, views))

    for document in portfolio.documents.values():
        for fmt in options.formats:
            files[site / "documents" / folder_of(document) / document_name(document, fmt)] = built(document, fmt)

    def provider_href(document: PortfolioDocument, fmt: str) -> str:
        return f"documents/{folder_of(document).as_posix()}/{document_name(document, fmt)}"

    overview = {
        "title": portfolio.file.portfolio.title,
        "provider": {"name": provider.name, "short_name": provider.short_name or provider.name},
        "customers": summaries,
        "exposure": exposure({c.name: by_customer[c.id] for c in customers_of(portfolio)}),
        "documents": [agreement_row(d, options.formats, provider_href) for d in portfolio.documents.values()],
        "as_of": _as_of(list(measured.values())),
    }
    files[site / "index.html"] = pages.render("portal/overview.html.j2", overview)
    files[site / "portal.json"] = _json(_provider_json(overview))
    files[site / "assets" / "portal.css"] = pages.stylesheet()
    return files


def _as_of(measured: list[Measured]) -> str | None:
    """The last day of the latest window measured."""
    latest = [m.latest.current.period.end for m in measured]
    return long_date(max(latest) - dt.timedelta(days=1)) if latest else None


def _summary(customer: Party, agreements: list[dict[str, Any]], views: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": customer.id,
        "name": customer.name,
        "href": f"customers/{customer.id}/index.html",
        "agreements": len(agreements),
        "missed": sum(len(v["missed"]) for v in views),
        "owed": [v["total_owed"] for v in views if v["total_owed"]],
    }


def _provider_json(overview: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": 1,
        "customers": [
            {k: c[k] for k in ("id", "name", "href", "agreements", "missed", "owed")} for c in overview["customers"]
        ],
        "exposure": overview["exposure"],
    }


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


# ------------------------------------------------------------------ writing


def _write(files: dict[Path, bytes], site: Path, work: Path, result: PortalResult) -> None:
    """Write the files whose bytes changed (all at once), then remove what an earlier run wrote and the site
    no longer has; the list of what was written (each file's SHA-256) lives in the work folder, never in
    the site.  A file is removed only when it is still what the portal wrote there, inside the site and
    reached through no symbolic link: a tampered list never removes a file of the user's or one elsewhere."""
    manifest = work / MANIFEST
    try:
        earlier = json.loads(read_text(manifest, limit=MANIFEST_BYTES, what="site manifest")).get("files", {})
    except (InputError, ValueError, AttributeError, RecursionError):
        earlier = {}
    changed = {}
    written: dict[str, str] = {}
    for target, data in files.items():
        sha = hashlib.sha256(data).hexdigest()
        written[target.relative_to(site).as_posix()] = sha
        if own_file(site, target.relative_to(site).as_posix()) is not None and file_digest(target) == sha:
            result.unchanged += 1
        else:
            changed[target] = data
    names = dict(sorted(written.items()))
    result.written = write_all({**changed, manifest: _json({"files": names})})[: len(changed)]
    for name, sha in earlier.items() if isinstance(earlier, dict) else ():
        if isinstance(name, str) and isinstance(sha, str) and name not in names and remove_own_file(site, name, sha):
            result.removed.append(site / name)
