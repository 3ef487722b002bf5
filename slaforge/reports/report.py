"""The service level report: an :class:`~slaforge.arithmetic.achievement.Achievement` as a Document.

The words are the theme's texts (``text/report/``: an outline and a text per clause); this
module gives them the figures they print: a plain-language summary with the key figures;
availability per service (downtime used and allowed, excluded time and why, the outages
counted, the trend across the windows of the data); support responsiveness per severity and the
tickets outside target; every breach; the service credits owed after caps; how it was measured.

Percentages are shown rounded down (99.8999% never reads as 99.9%); every decision (met, band,
credit) is taken on the exact value (:mod:`slaforge.reports.figures`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from slaforge.arithmetic.achievement import (
    Achievement,
    ServiceAvailability,
    SeverityAttainment,
    TicketOutcome,
    WindowAchievement,
    achievement,
    service_calendar,
    support_calendar,
)
from slaforge.arithmetic.downtime import SECONDS_PER_DAY
from slaforge.arithmetic.measurements import Measurements
from slaforge.compose.meta import spec_meta
from slaforge.compose.resolve import source_date_epoch
from slaforge.compose.texts import compose_texts, particulars
from slaforge.document import Chart, ChartSeries, Document
from slaforge.library.texts import Texts, builtin_texts
from slaforge.reports.facts import claim_last_day
from slaforge.reports.figures import duration_text, moment, money_total, percent, share_text, short_duration, target
from slaforge.spec.models import Spec, Window
from slaforge.text import long_date

OUTLINE = "report/outline"


def report_timestamp(result: Achievement) -> int:
    """SOURCE_DATE_EPOCH when set, else the end of the reported window: never the wall clock."""
    epoch = source_date_epoch()
    return epoch if epoch is not None else int(result.as_of.timestamp())


def report_document(
    spec: Spec, data: Measurements, period: str | None = None, texts: Texts | None = None
) -> tuple[Achievement, Document]:
    result = achievement(spec, data, period)
    texts = texts or builtin_texts()
    context = report_context(result, tuple(f.name for f in data.files), data.kinds)
    chart_words = particulars(texts, OUTLINE, context, ("chart_caption", "chart_description"))
    composed = compose_texts(
        texts, OUTLINE, context, {"chart": trend_chart(result, chart_words)}, keys=("title", "subject", "subtitle")
    )
    words = composed.particulars
    meta = spec_meta(
        spec,
        texts,
        title=words["title"],
        status="final",
        subject=words["subject"],
        keywords=("service level report", result.current.period.label, *(s.name for s in spec.services)),
        subtitle=words["subtitle"],
        timestamp=report_timestamp(result),
    )
    return result, Document(meta=meta, sections=composed.sections)


# ------------------------------------------------------------------ the figures the texts print


def report_context(
    result: Achievement, files: tuple[str, ...] = (), kinds: frozenset[str] = frozenset()
) -> dict[str, Any]:
    spec, now = result.spec, result.current
    zone = ZoneInfo(service_calendar(spec, spec.services[0]).timezone)
    period = now.period
    severities = [_severity(s) for s in now.severities]
    late = [_late(spec, o, zone) for s in now.severities for o in s.outcomes if _is_late(o)]
    calendar = spec.service_hours[spec.responsiveness.hours]
    return {
        "period": {"label": period.label, "first_day": long_date(period.start), "last_day": _last_day(period)},
        "window": result.window.value,
        "agreement": {"id": spec.agreement.id, "title": spec.agreement.title},
        "provider": spec.provider.short_name or spec.provider.name,
        "customer": spec.customers[0].short_name or spec.customers[0].name,
        "services": [_service(a, credit) for a, credit in zip(now.services, now.credits, strict=True)],
        "missed": [a.service.name for a in now.services if not a.met],
        "tickets": sum(len(s.outcomes) for s in now.severities),
        "misses": [
            {"severity": s.level.id, "what": what, "share": share_text(s.share(what)), "target": target(s.target)}
            for s in now.severities
            for what in ("response", "resolution")
            if not s.met(what)
        ],
        "credits": _credits(result),
        "chronic": _chronic(result),
        "excluded": [_outage(a, share, zone) for a in now.services for share in a.excluded],
        "outages": [_outage(a, share, zone) for a in now.services for share in a.downtime],
        "trend": _trend(result),
        "severities": severities,
        "targets": [
            {
                "name": f"{lv.id} {lv.name}",
                "response": str(lv.response),
                "resolution": str(lv.resolution),
                "attainment": str(lv.attainment) if lv.attainment is not None else None,
            }
            for lv in spec.responsiveness.severities
        ],
        "calendar": {"name": calendar.name, "timezone": calendar.timezone},
        "late": late,
        "out_of_hours": _out_of_hours(result, zone),
        "support_calendar": _calendar(support_calendar(spec, spec.services[0])),
        "timezone": service_calendar(spec, spec.services[0]).timezone,
        "measured_by": spec.monitoring.measured_by,
        "tools": [t[0].lower() + t[1:] for t in spec.monitoring.tools],
        "as_of": long_date(result.as_of.date()),
        "data": {"files": list(files), "kinds": sorted(kinds)},
    }


def _last_day(period: Any) -> str:
    return long_date(period.end - dt.timedelta(days=1))


def _calendar(calendar: Any) -> dict[str, str]:
    return {"name": calendar.name, "timezone": calendar.timezone}


def _service(a: ServiceAvailability, credit: Any) -> dict[str, Any]:
    return {
        "name": a.service.name,
        "target": target(a.target),
        "achieved": percent(a.achieved),
        "allowed": short_duration(a.allowed_seconds),
        "used": short_duration(a.downtime_seconds),
        "excluded": short_duration(a.excluded_seconds),
        "met": a.met,
        "owed": str(credit.result.payable) if credit.result else "\u2014",
        "budget": _budget(a),
    }


def _budget(a: ServiceAvailability) -> dict[str, Any]:
    """The downtime budget of a service in words' figures: the window, what was excluded, used and left."""
    budget: dict[str, Any] = {
        "hours_only": a.service.availability.service_hours_only,
        "window": duration_text(a.window_seconds),
        "clocks_changed": a.window_seconds != a.period.days * SECONDS_PER_DAY,
        "excluded": duration_text(a.excluded_seconds) if a.excluded_seconds else None,
        "measured": duration_text(a.measured_seconds),
        "allowed": duration_text(a.allowed_seconds),
        "used_time": duration_text(a.downtime_seconds),
    }
    if a.met:
        used = Decimal(a.downtime_seconds) * 100 / a.allowed_seconds if a.allowed_seconds else Decimal(0)
        budget["used_share"] = share_text(used)
        budget["left"] = duration_text(a.allowed_seconds - a.downtime_seconds)
    else:
        budget["over"] = duration_text(a.downtime_seconds - a.allowed_seconds)
    return budget


def _outage(a: ServiceAvailability, share: Any, zone: ZoneInfo) -> dict[str, Any]:
    outage = share.outage
    return {
        "service": a.service.name,
        "reference": outage.reference,
        "start": moment(outage.start, zone),
        "end": moment(outage.end, zone),
        "time": short_duration(share.seconds),
        "why": str(outage.exclusion),
        "cause": outage.cause,
    }


def _severity(s: SeverityAttainment) -> dict[str, Any]:
    def share(what: str) -> dict[str, Any]:
        counted = s.counted(what)
        return {
            "what": what,
            "counted": len(counted),
            "within": sum(counted),
            "open": len(s.outcomes) - len(counted),
            "share": share_text(s.share(what)),
            "met": s.met(what),
        }

    return {
        "name": f"{s.level.id} {s.level.name}",
        "tickets": len(s.outcomes),
        "response": share("response"),
        "resolution": share("resolution"),
        "target": target(s.target),
        "required": target(s.target) if s.level.attainment is not None else None,
        "met": s.met("response") and s.met("resolution"),
    }


def _is_late(o: TicketOutcome) -> bool:
    return o.responded_in_time is False or o.resolved_in_time is False


def _late(spec: Spec, o: TicketOutcome, zone: ZoneInfo) -> dict[str, Any]:
    ticket = o.ticket
    done = {"response": ticket.responded, "resolution": ticket.resolved}
    in_time = {"response": o.responded_in_time, "resolution": o.resolved_in_time}
    return {
        "id": ticket.id,
        "severity": ticket.severity,
        "service": spec.service(ticket.service).name,
        "reported": moment(ticket.reported, zone),
        "response_due": moment(o.due["response"], zone),
        "resolution_due": moment(o.due["resolution"], zone),
        "responded": moment(ticket.responded, zone) if ticket.responded else None,
        "resolved": moment(ticket.resolved, zone) if ticket.resolved else None,
        "response_late": o.responded_in_time is False,
        "resolution_late": o.resolved_in_time is False,
        "misses": [
            {
                "what": what,
                "due": moment(o.due[what], zone),
                "given": moment(done[what], zone) if done[what] else None,  # type: ignore[arg-type]
            }
            for what in ("response", "resolution")
            if in_time[what] is False
        ],
    }


def _out_of_hours(result: Achievement, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Tickets reported outside service hours, for which the business clock started later."""
    return [
        {
            "id": o.ticket.id,
            "severity": o.ticket.severity,
            "reported": moment(o.ticket.reported, zone),
            "started": moment(o.started, zone),
            "response_due": moment(o.due["response"], zone),
            "resolution_due": moment(o.due["resolution"], zone),
        }
        for s in result.current.severities
        for o in s.outcomes
        if o.started > o.ticket.reported and (s.level.response.business or s.level.resolution.business)
    ]


def _credits(result: Achievement) -> dict[str, Any]:
    spec, now = result.spec, result.current
    credits = spec.service_credits
    if credits is None:
        return {"scheme": False}
    owed = [c for c in now.credits if c.result and c.result.payable.amount > 0]
    services = []
    for credit in now.credits:
        outcome = credit.result
        if outcome is None:
            services.append({"service": credit.service.name, "reason": credit.reason or ""})
            continue
        chronic = outcome.chronic
        services.append(
            {
                "service": credit.service.name,
                "band": outcome.band,
                "band_percent": str(outcome.band_percent),
                "band_amount": str(outcome.band_amount),
                "events": [
                    {"count": e.count, "event": e.event, "severity": e.severity, "amount": str(e.amount)}
                    for e in outcome.events
                ],
                "gross": str(outcome.gross),
                "cap": str(outcome.cap) if outcome.cap else None,
                "payable": str(outcome.payable),
                "paid": outcome.payable.amount > 0,
                "notes": list(outcome.notes),
                "chronic": chronic.__dict__ if chronic else None,
            }
        )
    owed_total = money_total([c.result.payable for c in owed if c.result])
    total = money_total([c.result.payable for c in now.credits if c.result])
    return {
        "scheme": True,
        "owed": [{"amount": str(c.result.payable), "service": c.service.name} for c in owed if c.result],
        "total_owed": str(owed_total) if owed_total is not None else None,
        "total": str(total) if total is not None else None,
        "settlement": credits.claim.settlement,
        "claim": _claim(result),
        "services": services,
        "minimum": str(credits.minimum_payable) if credits.minimum_payable else None,
        "annual_cap": credits.caps.per_year is not None or credits.caps.per_year_amount is not None,
        "sole_remedy": credits.sole_remedy,
    }


def _claim(result: Achievement) -> str:
    spec = result.spec
    credits = spec.service_credits
    last = claim_last_day(spec, result.current.period)
    assert credits is not None and last is not None
    return f"a claim by {long_date(last)}, {credits.claim.method}"


def _chronic(result: Achievement) -> list[dict[str, Any]]:
    rule = result.spec.service_credits.chronic_failure if result.spec.service_credits else None
    out = []
    for credit in result.current.credits:
        chronic = credit.result.chronic if credit.result else None
        if chronic and chronic.reached and rule:
            out.append(
                {
                    "service": credit.service.name,
                    "failed": chronic.failed,
                    "out_of": chronic.out_of,
                    "remedy": rule.remedy,
                }
            )
    return out


def _trend(result: Achievement) -> dict[str, Any]:
    windows, services = result.windows, result.spec.services
    return {
        "first": windows[0].period.label,
        "last": windows[-1].period.label if len(windows) > 1 else None,
        "services": [
            {
                "name": s.name,
                "target": target(s.availability.target),
                "windows": [
                    {"label": w.period.label, "achieved": percent(w.availability(s.id).achieved)} for w in windows
                ],
            }
            for s in services
        ],
        "windows": [
            {"label": w.period.label, "achieved": [percent(w.availability(s.id).achieved) for s in services]}
            for w in windows
        ],
    }


def trend_chart(result: Achievement, words: dict[str, str]) -> Chart:
    """Availability per window against target: data for every renderer to draw, with the texts' caption."""
    windows, services = result.windows, result.spec.services
    return Chart(
        caption=words["chart_caption"],
        description=words["chart_description"],
        categories=tuple(_short_label(result, w) for w in windows),
        series=tuple(
            ChartSeries(
                s.name,
                tuple(float(w.availability(s.id).achieved) for w in windows),
                float(s.availability.target),
            )
            for s in services
        ),
    )


def _short_label(result: Achievement, w: WindowAchievement) -> str:
    if result.window == Window.calendar_month:
        return f"{w.period.start:%b %Y}"
    return w.period.label
