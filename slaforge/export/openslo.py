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
  ``<agreement id>-monitoring`` (``metricSourceRef``), emitted as the first
  document (a ``DataSource`` of a given type, Prometheus unless told otherwise,
  whose connection details the monitoring team fills in) and bound to real
  queries by that team: the contract knows what is measured, not which query
  measures it.

OpenSLO v1 targets lie in [0, 1): an objective of 100% (every minute, every
ticket) is written as :data:`HIGHEST_TARGET` and says so, in its description and
as a warning located at the spec's field.  Names are RFC 1123 labels, unique
within their kind and stable (:func:`unique_names`).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from slaforge.arithmetic.periods import first_window_start, period_for
from slaforge.errors import Problem
from slaforge.library.texts import label
from slaforge.spec.models import DowntimeKind, SeverityLevel, Spec, Window
from slaforge.spec.objectives import PlacedCommitment, iter_commitments
from slaforge.spec.source import SourceMap
from slaforge.spec.units import format_percent

API_VERSION = "openslo/v1"
KINDS = ("DataSource", "Service", "SLO")  # what the export holds
NAME_LENGTH = 63  # metadata.name: an RFC 1123 label
# the highest target the export writes for an objective of 100%, which OpenSLO cannot state
HIGHEST_TARGET = Decimal("99.99")
DEFAULT_DATA_SOURCE_TYPE = "Prometheus"
K = TypeVar("K")


def name(*parts: str) -> str:
    """An RFC 1123 label: lowercase letters, digits and '-', at most 63 characters.  A longer one keeps
    its first 54 characters and ends in eight hex digits of a hash of the whole: still stable (the same
    parts give the same name) and different for parts that differ only after the cut."""
    text = _label(parts)
    if len(text) <= NAME_LENGTH:
        return text
    return _hashed(text, parts)


def unique_names(wanted: Mapping[K, tuple[str, ...]]) -> dict[K, str]:
    """A name for each key: :func:`name` of its parts, unless two keys would get the same one (ids that
    differ only in case or punctuation, ``WAN.core`` and ``wan-core``): those get a hash of their parts."""
    plain = {key: name(*parts) for key, parts in wanted.items()}
    taken = Counter(plain.values())
    return {key: _hashed(_label(wanted[key]), wanted[key]) if taken[plain[key]] > 1 else plain[key] for key in wanted}


def _label(parts: tuple[str, ...]) -> str:
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-") or "slo"


def _hashed(text: str, parts: tuple[str, ...]) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:8]
    return f"{text[: NAME_LENGTH - 9].rstrip('-')}-{digest}"


def fraction(percent: Decimal) -> float:
    return float(Decimal(percent) / 100)


def objective_target(percent: Decimal) -> tuple[float, bool]:
    """An objective's ``target`` and whether it was capped: OpenSLO v1 targets lie in [0, 1), so a
    100% target (every minute, every ticket) becomes :data:`HIGHEST_TARGET`."""
    if Decimal(percent) >= 100:
        return fraction(HIGHEST_TARGET), True
    return fraction(percent), False


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


@dataclass
class Names:
    """Every document's ``metadata.name``, unique within its kind and stable (see :func:`unique_names`)."""

    source: str
    support: str
    services: dict[str, str]
    slos: dict[tuple[str, str], str]  # (service id, commitment id) or (severity id, "response"|"resolution")

    @classmethod
    def of(cls, spec: Spec) -> Names:
        agreement = spec.agreement.id
        services = unique_names({s.id: (s.id,) for s in spec.services} | {"": (agreement, "support")})
        wanted = {
            (p.service.id, p.commitment.id): (services[p.service.id], p.commitment.id) for p in iter_commitments(spec)
        }
        for level in spec.severities:
            for what in ("response", "resolution"):
                if getattr(level, what) is None:
                    continue
                wanted[(level.id, what)] = (services[""], level.id, what)
        support = services.pop("")
        return cls(name(agreement, "monitoring"), support, services, unique_names(wanted))


@dataclass
class Export:
    """The documents, and what the export had to change to fit OpenSLO (said on standard error)."""

    documents: list[dict[str, Any]]
    warnings: list[Problem] = field(default_factory=list)


def capped(export: Export, source: SourceMap | None, loc: tuple[str | int, ...], objective: str) -> str:
    """The sentence a capped objective's description ends with; the warning is recorded too."""
    words = label("openslo.capped").format(objective=objective, highest=format_percent(HIGHEST_TARGET))
    if source is not None:
        export.warnings.append(source.problem(loc, words, severity="warning", code="openslo-capped"))
    else:
        export.warnings.append(Problem(words, severity="warning", code="openslo-capped"))
    return " " + words


def availability_slo(
    spec: Spec, placed: PlacedCommitment, names: Names, export: Export, source: SourceMap | None
) -> dict[str, Any]:
    service, availability = placed.service, placed.commitment
    display = (
        f"{service.name} availability" if placed.only else f"{service.name} {availability.name or availability.id}"
    )
    calendar = spec.service_hours[service.hours]
    downtime = availability.downtime
    target, was_capped = objective_target(availability.target)
    objective: dict[str, Any] = {
        "displayName": f"{format_percent(availability.target)} availability",
        "target": target,
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
    description = (
        f"Availability of the {service.name} as {spec.agreement.id} defines it "
        f"({downtime.kind.value} downtime); excluded: {excluded or 'nothing'}."
    )
    if was_capped:
        description += capped(export, source, (*placed.loc, "target"), display)
    slo_name = names.slos[(service.id, availability.id)]
    return {
        "apiVersion": API_VERSION,
        "kind": "SLO",
        "metadata": {"name": slo_name, "displayName": display},
        "spec": {
            "description": description,
            "service": names.services[service.id],
            "indicator": {
                "metadata": {"name": name(slo_name, "sli")},
                "spec": {
                    "ratioMetric": {
                        "counter": True,
                        "good": metric(names.source, good),
                        "total": metric(names.source, total),
                    }
                },
            },
            "timeWindow": [time_window(spec, availability.window, calendar.timezone, availability.fiscal_year_start)],
            "budgetingMethod": method,
            "objectives": [objective],
        },
    }


def attainment_slo(
    spec: Spec, index: int, what: str, names: Names, window: dict[str, Any], export: Export, source: SourceMap | None
) -> dict[str, Any]:
    level: SeverityLevel = spec.severities[index]
    duration = level.response if what == "response" else level.resolution
    assert duration is not None  # only the targets the severity sets are exported
    percent = level.attainment if level.attainment is not None else Decimal(100)
    attained, was_capped = objective_target(percent)
    calendar = spec.service_hours[spec.support_hours_key]
    counted = f" counted within {calendar.name}" if duration.business else ""
    verb = "responded to" if what == "response" else "resolved"
    description = f"Share of {level.id} tickets {verb} within {duration}{counted}."
    if was_capped:
        loc: tuple[str | int, ...] = ("responsiveness", "severities", index)
        if level.attainment is not None:
            loc = (*loc, "attainment")
        description += capped(export, source, loc, f"{level.id} {what}")
    slo_name = names.slos[(level.id, what)]
    return {
        "apiVersion": API_VERSION,
        "kind": "SLO",
        "metadata": {
            "name": slo_name,
            "displayName": f"{level.id} {level.name} {what} within {duration}",
        },
        "spec": {
            "description": description,
            "service": names.support,
            "indicator": {
                "metadata": {"name": name(slo_name, "sli")},
                "spec": {
                    "ratioMetric": {
                        "counter": True,
                        "good": metric(names.source, f"{level.id} tickets {verb} within {duration}{counted}"),
                        "total": metric(names.source, f"{level.id} tickets"),
                    }
                },
            },
            "timeWindow": [window],
            "budgetingMethod": "Occurrences",
            "objectives": [{"displayName": f"{format_percent(percent)} of {level.id} tickets", "target": attained}],
        },
    }


def data_source(spec: Spec, names: Names, kind: str) -> dict[str, Any]:
    """The data source every metric source refers to; its connection details are the monitoring team's."""
    return {
        "apiVersion": API_VERSION,
        "kind": "DataSource",
        "metadata": {"name": names.source, "displayName": f"Monitoring under {spec.agreement.id}"},
        "spec": {
            "description": f"Where the measurements {spec.agreement.id} relies on are read from.",
            "type": kind,
            "connectionDetails": {},
        },
    }


def openslo_export(
    spec: Spec, source: SourceMap | None = None, data_source_type: str = DEFAULT_DATA_SOURCE_TYPE
) -> Export:
    """Every document (a DataSource, the Services, the SLOs), and a warning for each capped objective."""
    names = Names.of(spec)
    export = Export([data_source(spec, names, data_source_type)])
    documents = export.documents
    for service in spec.services:
        documents.append(service_document(names.services[service.id], service.name, service.description))
        documents.extend(
            availability_slo(spec, p, names, export, source) for p in iter_commitments(spec) if p.service is service
        )
    if spec.responsiveness is None:
        return export  # no support targets: no support service and no attainment objectives
    documents.append(
        service_document(
            names.support, f"Support under {spec.agreement.id}", f"Incident handling under {spec.agreement.title}"
        )
    )
    first = spec.services[0].all_commitments[0]
    window = time_window(
        spec, first.window, spec.service_hours[spec.support_hours_key].timezone, first.fiscal_year_start
    )
    for index, level in enumerate(spec.severities):
        for what in ("response", "resolution"):
            if getattr(level, what) is None:
                continue  # the severity sets no such target
            documents.append(attainment_slo(spec, index, what, names, window, export, source))
    return export


def openslo_documents(spec: Spec) -> list[dict[str, Any]]:
    return openslo_export(spec).documents


def openslo_yaml(documents: list[dict[str, Any]]) -> str:
    """The documents, as one YAML stream (documents separated by ``---``)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.width = 4096  # one line per value: no folding, no trailing spaces
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
    buffer = io.StringIO()
    yaml.dump_all(documents, buffer)
    return buffer.getvalue()
