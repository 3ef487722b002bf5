"""The support part of the report: attainment per severity, tickets outside target, tickets filed out of hours."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slaforge.arithmetic.achievement import Achievement
from slaforge.arithmetic.attainment import SeverityAttainment, TicketOutcome, support_calendar
from slaforge.reports.figures import moment, share_text, target
from slaforge.spec.models import Spec


def support_context(result: Achievement, zone: ZoneInfo) -> dict[str, Any]:
    spec, now = result.spec, result.current
    calendar = spec.service_hours[spec.support_hours_key]
    support = support_calendar(spec, spec.services[0])
    return {
        "support": spec.responsiveness is not None,
        "tickets": sum(len(s.outcomes) for s in now.severities),
        "misses": [
            {"severity": s.level.id, "what": what, "share": share_text(s.share(what)), "target": target(s.target)}
            for s in now.severities
            for what in ("response", "resolution")
            if s.sets(what) and not s.met(what)
        ],
        "severities": [severity(s) for s in now.severities],
        "targets": [
            {
                "name": f"{lv.id} {lv.name}",
                "response": str(lv.response),
                "resolution": str(lv.resolution) if lv.resolution is not None else None,
                "attainment": str(lv.attainment) if lv.attainment is not None else None,
            }
            for lv in spec.severities
        ],
        "calendar": {"name": calendar.name, "timezone": calendar.timezone},
        "late": [late(spec, o, zone) for s in now.severities for o in s.outcomes if is_late(o)],
        "out_of_hours": out_of_hours(result, zone),
        "support_calendar": {"name": support.name, "timezone": support.timezone},
    }


def severity(s: SeverityAttainment) -> dict[str, Any]:
    def share(what: str) -> dict[str, Any] | None:
        if not s.sets(what):
            return None
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
        "met": all(s.met(what) for what in ("response", "resolution") if s.sets(what)),
    }


def is_late(o: TicketOutcome) -> bool:
    return o.responded_in_time is False or o.resolved_in_time is False


def late(spec: Spec, o: TicketOutcome, zone: ZoneInfo) -> dict[str, Any]:
    ticket = o.ticket
    done = {"response": ticket.responded, "resolution": ticket.resolved}
    in_time = {"response": o.responded_in_time, "resolution": o.resolved_in_time}
    return {
        "id": ticket.id,
        "severity": ticket.severity,
        "service": spec.service(ticket.service).name,
        "reported": moment(ticket.reported, zone),
        "response_due": moment(o.due["response"], zone),
        "resolution_due": moment(o.due["resolution"], zone) if "resolution" in o.due else None,
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


def out_of_hours(result: Achievement, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Tickets reported outside service hours, for which the business clock started later."""
    return [
        {
            "id": o.ticket.id,
            "severity": o.ticket.severity,
            "reported": moment(o.ticket.reported, zone),
            "started": moment(o.started, zone),
            "response_due": moment(o.due["response"], zone),
            "resolution_due": moment(o.due["resolution"], zone) if "resolution" in o.due else None,
        }
        for s in result.current.severities
        for o in s.outcomes
        if o.started > o.ticket.reported
        and (s.level.response.business or (s.level.resolution is not None and s.level.resolution.business))
    ]
