"""What the portal's pages show, as plain values for the theme's ``portal/*.html.j2`` templates.

A customer's view holds only what that customer may see: the agreements it is a party to (a document
shared with other customers is listed without its file, see :func:`agreements_of`), the service
levels they promise, and the achieved levels, breaches and credits of its own measured documents.
The provider's view adds every customer's credit exposure this quarter and the services nearest
their downtime budget.  Every figure is the report's own (:func:`~slaforge.reports.report.report_context`
for the printed figures, :func:`~slaforge.reports.facts.window_facts` for the JSON), so the portal and
``slaforge report`` cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from markupsafe import Markup

from slaforge.arithmetic.achievement import Achievement
from slaforge.arithmetic.availability import CommitmentAvailability
from slaforge.arithmetic.downtime import allowed_downtime, window_name
from slaforge.compose.context_commitments import commitment_name
from slaforge.compose.texts import particulars
from slaforge.layers.inherit import Portfolio, PortfolioDocument
from slaforge.library.texts import Texts
from slaforge.portal.measured import Measured
from slaforge.renderers import chart
from slaforge.reports.facts import claim_last_day, window_facts
from slaforge.reports.figures import money_total
from slaforge.reports.report import OUTLINE, report_context, trend_chart
from slaforge.spec.objectives import iter_commitments
from slaforge.spec.portfolio_file import Kind
from slaforge.spec.units import Money
from slaforge.text import long_date

# (document, format) -> the file's name inside the page's folder, or None when it is not published
Href = Callable[[PortfolioDocument, str], str | None]
# (measured document, window index, format) -> the report file's name inside the page's folder
ReportHref = Callable[[Measured, int, str], str]


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    short_name: str


def customers_of(portfolio: Portfolio) -> list[Party]:
    return [Party(c.id, c.name, c.short_name or c.name) for c in portfolio.file.customers]


def documents_of(portfolio: Portfolio, customer: str) -> list[PortfolioDocument]:
    """The agreements in force for a customer: the corporate SLA it is a party to, its customer and service SLAs."""
    return [
        d
        for d in portfolio.documents.values()
        if d.kind in (Kind.corporate, Kind.customer, Kind.service) and customer in [c.id for c in d.spec.customers]
    ]


def shared(document: PortfolioDocument) -> bool:
    """A document that names more than one customer: no customer's page offers its file."""
    return len(document.spec.customers) > 1


def agreement_row(document: PortfolioDocument, formats: tuple[str, ...], href: Href) -> dict[str, Any]:
    agreement = document.spec.agreement
    files = [(fmt, href(document, fmt)) for fmt in formats]
    return {
        "id": agreement.id,
        "title": agreement.title,
        "version": agreement.version,
        "status": agreement.status.value,
        "effective": long_date(agreement.effective),
        "effective_iso": agreement.effective.isoformat(),
        "kind": document.kind.value,
        "kind_name": document.kind_name,
        "shared": shared(document),
        "downloads": [{"format": fmt, "href": path} for fmt, path in files if path],
    }


def promises(document: PortfolioDocument) -> dict[str, Any]:
    """The service levels a document promises, as figures the template puts in plain words."""
    spec = document.spec
    services = []
    for placed in iter_commitments(spec):
        service, availability = placed.service, placed.commitment
        hours = spec.service_hours.get(service.hours)
        services.append(
            {
                "name": commitment_name(placed),
                "target": f"{availability.target.normalize():f}%",
                "window": window_name(availability.window),
                "allowed": allowed_downtime(spec, service, availability),
                "hours_only": availability.service_hours_only,
                "hours": hours.name if hours else None,
            }
        )
    severities = [
        {
            "id": level.id,
            "name": level.name,
            "response": str(level.response),
            "resolution": str(level.resolution) if level.resolution is not None else None,
            "attainment": f"{level.attainment.normalize():f}%" if level.attainment is not None else None,
        }
        for level in spec.severities
    ]
    agreement = document.spec.agreement
    return {"agreement": agreement.id, "title": agreement.title, "services": services, "severities": severities}


# ------------------------------------------------------------------ achieved service levels


def _share(used: Decimal, allowed: Decimal) -> Decimal:
    """Downtime used as a share of the budget, in percent, rounded down to a whole percent."""
    if allowed <= 0:
        return Decimal(100) if used > 0 else Decimal(0)
    return (used * 100 / allowed).quantize(Decimal(1), rounding=ROUND_DOWN)


def window_rows(
    measured: Measured, contexts: list[dict[str, Any]], formats: tuple[str, ...], href: ReportHref
) -> list[dict[str, Any]]:
    """A row per window, per service: the report's figures for that window."""
    rows = []
    for index, (result, context) in enumerate(zip(measured.windows, contexts, strict=True)):
        now = result.current
        last = claim_last_day(result.spec, now.period)
        reports = [{"format": fmt, "href": href(measured, index, fmt)} for fmt in formats]
        for service, availability in zip(context["services"], now.commitments, strict=True):
            used = _share(Decimal(availability.downtime_seconds), availability.allowed_seconds)
            rows.append(
                {
                    **service,
                    "window": now.period.label,
                    "budget_share": int(used),
                    "budget_bar": int(min(used, Decimal(100))),
                    "owed_amount": _owed(result, availability),
                    "claim_by": long_date(last) if last else None,
                    "reports": reports,
                }
            )
    return rows


def _owed(result: Achievement, availability: CommitmentAvailability) -> str | None:
    for credit in result.current.credits:
        if credit.commitment is availability.commitment and credit.result and credit.result.payable.amount > 0:
            return str(credit.result.payable)
    return None


def measured_view(measured: Measured, texts: Texts, formats: tuple[str, ...], href: ReportHref) -> dict[str, Any]:
    latest = measured.latest
    brand = latest.spec.agreement.branding.colour  # the report's chart colours
    contexts = [report_context(result) for result in measured.windows]  # the report's figures, once per window
    context = contexts[-1]
    words = particulars(texts, OUTLINE, context, ("chart_caption", "chart_description"))
    drawn = chart.svg(trend_chart(latest, words), brand)
    spec = latest.spec
    rows = window_rows(measured, contexts, formats, href)
    credits: list[dict[str, Any]] = []
    late: list[dict[str, Any]] = []
    severities: list[dict[str, Any]] = []
    for result, window in zip(measured.windows, contexts, strict=True):
        label = result.current.period.label
        last = claim_last_day(spec, result.current.period)
        for owed in window["credits"].get("owed", []) if window["credits"]["scheme"] else []:
            credits.append({**owed, "window": label, "claim_by": long_date(last) if last else None})
        late.extend({**ticket, "window": label} for ticket in window["late"])
        severities.append({"window": label, "severities": [_bars(s) for s in window["severities"] if s["tickets"]]})
    scheme = spec.service_credits
    return {
        "document": measured.document.id,
        "agreement": {"id": spec.agreement.id, "title": spec.agreement.title, "version": spec.agreement.version},
        "chart": Markup(drawn),  # built from escaped texts by renderers.chart
        "chart_caption": words["chart_caption"],
        "chart_description": words["chart_description"],
        "windows": rows,
        "missed": [r for r in rows if not r["met"]],
        "late": late,
        "severities": severities,
        "credits": credits,
        "total_owed": _total(measured),
        "claim": (
            {
                "method": scheme.claim.method,
                "evidence": list(scheme.claim.evidence),
                "settlement": scheme.claim.settlement,
                "deadline": str(scheme.claim.deadline),
            }
            if scheme
            else None
        ),
        "chronic": context["chronic"],
        "timezone": context["timezone"],
    }


def _bars(severity: dict[str, Any]) -> dict[str, Any]:
    """A severity's attainment with the widths of its bars (whole percent, rounded down)."""

    def width(share: str | None) -> int:
        return int(Decimal(share.rstrip("%")).quantize(Decimal(1), rounding=ROUND_DOWN)) if share else 0

    return {
        **severity,
        "response_bar": width(severity["response"]["share"]),
        "resolution_bar": width(severity["resolution"]["share"]),
    }


def _total(measured: Measured) -> str | None:
    owed = [
        c.result.payable
        for result in measured.windows
        for c in result.current.credits
        if c.result and c.result.payable.amount > 0
    ]
    total = money_total(owed)
    return str(total) if total else None


def customer_json(measured: list[Measured], agreements: list[dict[str, Any]], customer: Party) -> dict[str, Any]:
    """The machine-readable twin of a customer's page: the agreements and every window's report figures."""
    return {
        "format": 1,
        "customer": {"id": customer.id, "name": customer.name},
        "agreements": [
            {k: a[k] for k in ("id", "title", "version", "status", "effective_iso", "kind", "downloads")}
            for a in agreements
        ],
        "measured": [
            {"document": m.document.id, "windows": [window_facts(result) for result in m.windows]} for m in measured
        ],
    }


# ------------------------------------------------------------------ the provider's views


def quarter_of(result: Achievement) -> tuple[int, int]:
    start = result.current.period.start
    return start.year, (start.month - 1) // 3 + 1


def exposure(customers: dict[str, list[Measured]]) -> dict[str, Any]:
    """Every customer's credits owed in the quarter of the latest window measured, and the services nearest their
    downtime budget in their latest window (budget used, highest first)."""
    latest = [m.latest for ms in customers.values() for m in ms]
    quarter = max((quarter_of(r) for r in latest), default=None)
    rows = []
    nearest = []
    for customer, measured in customers.items():
        owed: list[Money] = []
        for m in measured:
            for result in m.windows:
                if quarter_of(result) != quarter:
                    continue
                owed.extend(c.result.payable for c in result.current.credits if c.result and c.result.payable.amount)
            for availability in m.latest.current.commitments:
                used = _share(Decimal(availability.downtime_seconds), availability.allowed_seconds)
                nearest.append(
                    {
                        "customer": customer,
                        "agreement": m.document.spec.agreement.id,
                        "service": commitment_name(availability.placed),
                        "window": m.latest.current.period.label,
                        "budget_share": int(used),
                        "budget_bar": int(min(used, Decimal(100))),
                        "met": availability.met,
                    }
                )
        total = money_total(owed)
        rows.append(
            {
                "customer": customer,
                "owed": str(total) if total else None,
                "windows": sum(len(m.windows) for m in measured),
            }
        )
    nearest.sort(key=lambda r: (-r["budget_share"], r["customer"], r["service"]))
    return {
        "quarter": {"year": quarter[0], "number": quarter[1]} if quarter else None,
        "customers": rows,
        "nearest": nearest,
    }
