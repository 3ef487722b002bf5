"""The availability part of the report: each commitment's figures, its budget, its outages and the trend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from slaforge.arithmetic.achievement import Achievement, WindowAchievement
from slaforge.arithmetic.availability import CommitmentAvailability, OutageShare
from slaforge.arithmetic.credits_owed import CommitmentCredit
from slaforge.arithmetic.downtime import SECONDS_PER_DAY
from slaforge.compose.context_commitments import commitment_name as name
from slaforge.document import Chart, ChartSeries
from slaforge.reports.figures import duration_text, moment, percent, share_text, short_duration, target
from slaforge.spec.models import Window
from slaforge.spec.objectives import PlacedCommitment, iter_commitments


def commitment_figures(a: CommitmentAvailability, credit: CommitmentCredit) -> dict[str, Any]:
    return {
        "name": name(a.placed),
        "target": target(a.target),
        "achieved": percent(a.achieved),
        "allowed": short_duration(a.allowed_seconds),
        "used": short_duration(a.downtime_seconds),
        "excluded": short_duration(a.excluded_seconds),
        "met": a.met,
        "owed": str(credit.result.payable) if credit.result else "\u2014",
        "budget": budget(a),
    }


def budget(a: CommitmentAvailability) -> dict[str, Any]:
    """The downtime budget of a commitment in words' figures: the window, what was excluded, used and left."""
    figures: dict[str, Any] = {
        "hours_only": a.commitment.service_hours_only,
        "window": duration_text(a.window_seconds),
        "clocks_changed": a.window_seconds != a.period.days * SECONDS_PER_DAY,
        "excluded": duration_text(a.excluded_seconds) if a.excluded_seconds else None,
        "measured": duration_text(a.measured_seconds),
        "allowed": duration_text(a.allowed_seconds),
        "used_time": duration_text(a.downtime_seconds),
    }
    if a.met:
        used = Decimal(a.downtime_seconds) * 100 / a.allowed_seconds if a.allowed_seconds else Decimal(0)
        figures["used_share"] = share_text(used)
        figures["left"] = duration_text(a.allowed_seconds - a.downtime_seconds)
    else:
        figures["over"] = duration_text(a.downtime_seconds - a.allowed_seconds)
    return figures


def outage(a: CommitmentAvailability, share: OutageShare, zone: ZoneInfo) -> dict[str, Any]:
    item = share.outage
    return {
        "service": name(a.placed),
        "reference": item.reference,
        "start": moment(item.start, zone),
        "end": moment(item.end, zone),
        "time": short_duration(share.seconds),
        "why": str(item.exclusion),
        "cause": item.cause,
    }


def availability_context(result: Achievement, zone: ZoneInfo) -> dict[str, Any]:
    now = result.current
    return {
        "services": [commitment_figures(a, c) for a, c in zip(now.commitments, now.credits, strict=True)],
        "missed": [name(a.placed) for a in now.commitments if not a.met],
        "excluded": [outage(a, share, zone) for a in now.commitments for share in a.excluded],
        "outages": [outage(a, share, zone) for a in now.commitments for share in a.downtime],
        "trend": trend(result),
    }


def trend(result: Achievement) -> dict[str, Any]:
    windows, commitments = result.windows, list(iter_commitments(result.spec))

    def achieved(w: WindowAchievement, p: PlacedCommitment) -> str:
        return percent(w.availability(p.service.id, p.commitment.id).achieved)

    return {
        "first": windows[0].period.label,
        "last": windows[-1].period.label if len(windows) > 1 else None,
        "services": [
            {
                "name": name(p),
                "target": target(p.commitment.target),
                "windows": [{"label": w.period.label, "achieved": achieved(w, p)} for w in windows],
            }
            for p in commitments
        ],
        "windows": [{"label": w.period.label, "achieved": [achieved(w, p) for p in commitments]} for w in windows],
    }


def trend_chart(result: Achievement, words: dict[str, str]) -> Chart:
    """Availability per window against target: data for every renderer to draw, with the texts' caption."""
    windows, commitments = result.windows, list(iter_commitments(result.spec))
    return Chart(
        caption=words["chart_caption"],
        description=words["chart_description"],
        categories=tuple(_short_label(result, w) for w in windows),
        series=tuple(
            ChartSeries(
                name(p),
                tuple(float(w.availability(p.service.id, p.commitment.id).achieved) for w in windows),
                float(p.commitment.target),
            )
            for p in commitments
        ),
    )


def _short_label(result: Achievement, w: WindowAchievement) -> str:
    if result.window == Window.calendar_month:
        return f"{w.period.start:%b %Y}"
    return w.period.label
