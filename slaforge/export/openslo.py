"""The agreement's objectives as OpenSLO v1 documents, so monitoring measures what the contract promises.

One ``Service`` per service of the agreement and one for its support desk;
one ``SLO`` per availability target and one per response and per resolution
attainment target of each severity level.  Each SLO carries:

- ``timeWindow``: the agreement's measurement window (a calendar month is
  ``1M`` with ``isRolling: false`` and a calendar starting at the effective
  date in the service's time zone; a fixed 30 days is ``30d`` rolling);
- ``budgetingMethod``: ``Timeslices`` of one minute for an error-rate downtime
  definition (a minute is good when its error rate stays under the threshold),
  ``Occurrences`` otherwise (good minutes, good requests, tickets in time);
- ``objectives[].target``: the target as a fraction (99.95% -> 0.9995);
- an inline ``indicator`` whose ratio metric says in words what counts as good
  and as total; each ``metricSource`` names the data source
  ``<agreement id>-monitoring`` (``metricSourceRef``), which the monitoring team
  defines as an OpenSLO ``DataSource`` for its tool and binds to real queries:
  the contract knows what is measured, not which query measures it.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from slaforge.arithmetic.periods import first_window_start, period_for
from slaforge.spec.models import DowntimeKind, Service, SeverityLevel, Spec, Window
from slaforge.spec.units import format_percent

API_VERSION = "openslo/v1"


def name(*parts: str) -> str:
    """An RFC 1123 label: lowercase letters, digits and '-', at most 63 characters."""
    text = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")
    return text[:63].rstrip("-") or "slo"


def fraction(percent: Decimal) -> float:
    return float(Decimal(percent) / 100)


def time_window(spec: Spec, window: Window, timezone: str, fiscal_start: str | None) -> dict[str, Any]:
    # the first measurement window the agreement covers, as the service level report counts them
    start = period_for(window, first_window_start(spec, window, fiscal_start)).start
    duration = {
        Window.calendar_month: "1M",
        Window.fixed_30_days: "30d",
        Window.calendar_quarter: "1Q",
        Window.fiscal_quarter: "1Q",
        Window.rolling_year: "1Y",
    }[window]
    if window in (Window.fixed_30_days, Window.rolling_year):
        return {"duration": duration, "isRolling": True}
    return {
        "duration": duration,
        "isRolling": False,
        "calendar": {"startTime": f"{start.isoformat()} 00:00:00", "timeZone": timezone},
    }


def metric(source: str, what: str) -> dict[str, Any]:
    return {"metricSource": {"metricSourceRef": source, "spec": {"description": what}}}


def service_document(service_name: str, display: str, description: str) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": "Service",
        "metadata": {"name": service_name, "displayName": display},
        "spec": {"description": description},
    }


def availability_slo(spec: Spec, service: Service, source: str) -> dict[str, Any]:
    availability = service.availability
    calendar = spec.service_hours[service.hours]
    downtime = availability.downtime
    objective: dict[str, Any] = {
        "displayName": f"{format_percent(availability.target)} availability",
        "target": fraction(availability.target),
    }
    if downtime.kind == DowntimeKind.error_rate and downtime.error_rate_threshold is not None:
        method = "Timeslices"
        objective["timeSliceTarget"] = fraction(Decimal(100) - downtime.error_rate_threshold)
        objective["timeSliceWindow"] = "1m"
        good, total = "successful requests", "all requests"
    elif downtime.kind == DowntimeKind.failed_requests:
        method = "Occurrences"
        good, total = "successful requests", "all requests"
    else:
        method = "Occurrences"
        good = "minutes with service" + (
            f" (outages shorter than {downtime.minimum_period} count as service)" if downtime.minimum_period else ""
        )
        total = "minutes measured" + (f" within {calendar.name}" if availability.service_hours_only else "")
    excluded = ", ".join(e.value for e in availability.exclusions)
    return {
        "apiVersion": API_VERSION,
        "kind": "SLO",
        "metadata": {"name": name(service.id, "availability"), "displayName": f"{service.name} availability"},
        "spec": {
            "description": f"Availability of the {service.name} as {spec.agreement.id} defines it "
            f"({downtime.kind.value} downtime); excluded: {excluded or 'nothing'}.",
            "service": name(service.id),
            "indicator": {
                "metadata": {"name": name(service.id, "availability", "sli")},
                "spec": {
                    "ratioMetric": {"counter": True, "good": metric(source, good), "total": metric(source, total)}
                },
            },
            "timeWindow": [time_window(spec, availability.window, calendar.timezone, availability.fiscal_year_start)],
            "budgetingMethod": method,
            "objectives": [objective],
        },
    }


def attainment_slo(
    spec: Spec, level: SeverityLevel, what: str, support: str, source: str, window: dict[str, Any]
) -> dict[str, Any]:
    duration = level.response if what == "response" else level.resolution
    target = level.attainment if level.attainment is not None else Decimal(100)
    calendar = spec.service_hours[spec.responsiveness.hours]
    counted = f" counted within {calendar.name}" if duration.business else ""
    verb = "responded to" if what == "response" else "resolved"
    return {
        "apiVersion": API_VERSION,
        "kind": "SLO",
        "metadata": {
            "name": name(support, level.id, what),
            "displayName": f"{level.id} {level.name} {what} within {duration}",
        },
        "spec": {
            "description": f"Share of {level.id} tickets {verb} within {duration}{counted}.",
            "service": support,
            "indicator": {
                "metadata": {"name": name(support, level.id, what, "sli")},
                "spec": {
                    "ratioMetric": {
                        "counter": True,
                        "good": metric(source, f"{level.id} tickets {verb} within {duration}{counted}"),
                        "total": metric(source, f"{level.id} tickets"),
                    }
                },
            },
            "timeWindow": [window],
            "budgetingMethod": "Occurrences",
            "objectives": [
                {"displayName": f"{format_percent(target)} of {level.id} tickets", "target": fraction(target)}
            ],
        },
    }


def openslo_documents(spec: Spec) -> list[dict[str, Any]]:
    source = name(spec.agreement.id, "monitoring")
    documents: list[dict[str, Any]] = []
    for service in spec.services:
        documents.append(service_document(name(service.id), service.name, service.description))
        documents.append(availability_slo(spec, service, source))
    support = name(spec.agreement.id, "support")
    documents.append(
        service_document(
            support, f"Support under {spec.agreement.id}", f"Incident handling under {spec.agreement.title}"
        )
    )
    first = spec.services[0]
    window = time_window(
        spec,
        first.availability.window,
        spec.service_hours[spec.responsiveness.hours].timezone,
        first.availability.fiscal_year_start,
    )
    for level in spec.responsiveness.severities:
        for what in ("response", "resolution"):
            documents.append(attainment_slo(spec, level, what, support, source, window))
    return documents


def openslo_yaml(spec: Spec) -> str:
    """Every document, as one YAML stream (documents separated by ``---``)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.width = 4096  # one line per value: no folding, no trailing spaces
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
    buffer = io.StringIO()
    yaml.dump_all(openslo_documents(spec), buffer)
    return buffer.getvalue()
