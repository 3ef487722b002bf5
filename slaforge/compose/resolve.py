"""Spec -> Agreement: everything a clause needs, resolved and computed, no I/O.

The Agreement keeps the validated spec and adds the computed values a reader
of the contract needs (downtime budgets, worked credit examples, what a
business-time target means on the clock).  :meth:`Agreement.context` is the
read-only view that clause bodies see: mappings and lists that know their own
dotted path, so a clause that prints a value the spec lacks can be told
exactly which one.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slaforge.arithmetic.business_time import business_note
from slaforge.arithmetic.credits import describe_band, worked_example
from slaforge.compose.context_calendars import add_calendar_values, add_site_values
from slaforge.compose.context_commitments import add_commitments
from slaforge.compose.views import path_view
from slaforge.errors import InvalidArgument
from slaforge.inputs.limits import LAST_YEAR
from slaforge.spec.loader import LoadedSpec
from slaforge.spec.models import Spec
from slaforge.spec.source import SourceMap
from slaforge.text import cut


@dataclass(frozen=True)
class Agreement:
    spec: Spec
    source: SourceMap | None = None
    base: Path = Path(".")
    timestamp: int = 315532800

    @property
    def level(self) -> str:
        return self.spec.level.value

    @property
    def form(self) -> str:
        """The form of the agreement, which chooses the clauses of the library it takes (their ``forms``).

        Every agreement of format 1 is ``bilateral``: a bespoke agreement between named parties.
        """
        return "bilateral"

    def context(self) -> dict[str, Any]:
        spec = self.spec
        view: dict[str, Any] = {}
        for name in type(spec).model_fields:
            view[name] = path_view(getattr(spec, name), name)
        view["customer"] = view["customers"][0]
        view["level"] = spec.level.value
        view["structure"] = spec.structure
        _add_computed(view, spec)
        return view


def resolve(loaded: LoadedSpec) -> Agreement:
    return Agreement(
        spec=loaded.spec, source=loaded.source, base=loaded.path.parent, timestamp=build_timestamp(loaded.spec)
    )


def source_date_epoch() -> int | None:
    """The SOURCE_DATE_EPOCH of reproducible builds, when it is set to a number of seconds."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if not env or not env.strip().isdigit():
        return None
    if len(env.strip()) > 12 or int(env) >= LATEST_EPOCH:
        raise InvalidArgument(
            f"SOURCE_DATE_EPOCH={cut(env.strip(), 40)} is not a time a document can carry: "
            f"give seconds since 1970 before the year {LAST_YEAR}"
        )
    return int(env)


LATEST_EPOCH = int(dt.datetime(LAST_YEAR, 1, 1, tzinfo=dt.UTC).timestamp())


def build_timestamp(spec: Spec) -> int:
    """SOURCE_DATE_EPOCH when set, else midnight UTC of the latest date the spec itself names."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    dates = [spec.agreement.effective, *(h.date for h in spec.agreement.history)]
    latest = max(dates)
    return int(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC).timestamp())


def _add_computed(view: dict[str, Any], spec: Spec) -> None:
    calendars = view["service_hours"]
    add_calendar_values(calendars, spec)
    add_site_values(view, spec)
    for service, svc in zip(spec.services, view["services"], strict=True):
        svc["calendar"] = calendars.get(service.hours)
        svc["support_calendar"] = calendars.get(service.support_hours or service.hours)
    add_commitments(view, spec)
    view["business_calendar"] = calendars.get(spec.support_hours_key)
    if spec.responsiveness is not None:
        _add_responsiveness(view, spec)
    credits = view["service_credits"]
    if credits is not None and spec.service_credits is not None:
        first = spec.services[0]
        example = worked_example(spec.service_credits, first.fee, first.fee_window)
        credits["worked_example"] = path_view(example.__dict__, "service_credits.worked_example") if example else None
        for band, band_view in zip(spec.service_credits.bands, credits["bands"], strict=True):
            band_view["range"] = describe_band(band)


def _add_responsiveness(view: dict[str, Any], spec: Spec) -> None:
    """What each business-time support target means on the clock."""
    assert spec.responsiveness is not None
    responsiveness, calendars = view["responsiveness"], view["service_hours"]
    calendar = spec.service_hours.get(spec.responsiveness.hours)
    responsiveness["calendar"] = calendars.get(spec.responsiveness.hours)
    for level, sev in zip(spec.responsiveness.severities, responsiveness["severities"], strict=True):
        for target in ("response", "update", "resolution"):
            duration = getattr(level, target)
            note = None
            if duration is not None and calendar is not None:
                note = business_note(duration, calendar, spec.agreement.effective)
            sev[f"{target}_note"] = note
