"""The service level report: an :class:`~slaforge.arithmetic.achievement.Achievement` as a Document.

The words are the theme's texts (``text/report/``: an outline and a text per clause); the
modules of :mod:`slaforge.reports.sections` give them the figures they print: availability per
commitment (downtime used and allowed, excluded time and why, the outages counted, the trend
across the windows of the data); support responsiveness per severity and the tickets outside
target; the service credits owed after caps.  This module adds the report's particulars and how
it was measured.

Percentages are shown rounded down (99.8999% never reads as 99.9%); every decision (met, band,
credit) is taken on the exact value (:mod:`slaforge.reports.figures`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from slaforge.arithmetic.achievement import Achievement, achievement
from slaforge.arithmetic.availability import service_calendar
from slaforge.arithmetic.measurements import Measurements
from slaforge.compose.meta import spec_meta
from slaforge.compose.resolve import source_date_epoch
from slaforge.compose.texts import compose_texts, particulars
from slaforge.document import Document
from slaforge.library.texts import Texts, builtin_texts
from slaforge.reports.sections.availability import availability_context, trend_chart
from slaforge.reports.sections.credits import credits_context
from slaforge.reports.sections.support import support_context
from slaforge.spec.models import Spec
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
    spec, period = result.spec, result.current.period
    zone = ZoneInfo(service_calendar(spec, spec.services[0]).timezone)
    return {
        "period": {"label": period.label, "first_day": long_date(period.start), "last_day": _last_day(period)},
        "window": result.window.value,
        "agreement": {"id": spec.agreement.id, "title": spec.agreement.title},
        "provider": spec.provider.short_name or spec.provider.name,
        "customer": spec.customers[0].short_name or spec.customers[0].name,
        **availability_context(result, zone),
        **support_context(result, zone),
        **credits_context(result),
        "timezone": zone.key,
        "measured_by": spec.monitoring.measured_by,
        "tools": [t[0].lower() + t[1:] for t in spec.monitoring.tools],
        "as_of": long_date(result.as_of.date()),
        "data": {"files": list(files), "kinds": sorted(kinds)},
    }


def _last_day(period: Any) -> str:
    return long_date(period.end - dt.timedelta(days=1))
