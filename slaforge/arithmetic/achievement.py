"""What the measured data says was achieved, window by window: availability of every commitment
(:mod:`slaforge.arithmetic.availability`), support attainment (:mod:`slaforge.arithmetic.attainment`)
and the credits owed (:mod:`slaforge.arithmetic.credits_owed`), for every window from the
agreement's first to the reported one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from slaforge.arithmetic.attainment import SeverityAttainment, attainment_in, tickets_by_window
from slaforge.arithmetic.availability import CommitmentAvailability, availability_in, outage_spans, service_calendar
from slaforge.arithmetic.credits_owed import CommitmentCredit, annual_caps, credits_for, one_per_service
from slaforge.arithmetic.measurements import Measurements
from slaforge.arithmetic.periods import Period, first_window_start, parse_period, period_for
from slaforge.errors import DataError, InvalidArgument, SpecError
from slaforge.spec.models import Spec, Window
from slaforge.spec.objectives import iter_commitments


@dataclass(frozen=True)
class WindowAchievement:
    period: Period
    commitments: tuple[CommitmentAvailability, ...]  # every commitment, in the spec's order
    severities: tuple[SeverityAttainment, ...]
    credits: tuple[CommitmentCredit, ...]  # one per commitment, in the same order

    def availability(self, service_id: str, commitment_id: str | None = None) -> CommitmentAvailability:
        """What a commitment achieved (the service's only one when ``commitment_id`` is None)."""
        mine = [a for a in self.commitments if a.service.id == service_id]
        if commitment_id is None and len(mine) == 1:
            return mine[0]
        return next(a for a in mine if a.commitment.id == commitment_id)


@dataclass(frozen=True)
class Achievement:
    spec: Spec
    window: Window
    windows: tuple[WindowAchievement, ...]  # oldest first; the last is the reported one
    as_of: dt.datetime

    @property
    def current(self) -> WindowAchievement:
        return self.windows[-1]


def common_window(spec: Spec) -> Window:
    windows = {p.commitment.window for p in iter_commitments(spec)}
    if len(windows) > 1:
        raise SpecError(
            "a report covers one measurement window, but the services are measured over "
            + ", ".join(sorted(w.value for w in windows))
        )
    return windows.pop()


def windows_in(
    spec: Spec, window: Window, data: Measurements, zone: ZoneInfo, wanted: Period | None = None
) -> list[Period]:
    """Every window from the agreement's first up to the last one that holds any measured data, or up to the
    ``wanted`` one when it lies later: a window without outages or tickets is reported as one in which nothing
    went wrong, not refused."""
    instants = list(data.instants())
    if not instants and wanted is None:
        raise DataError("the measured data holds no outages and no tickets, so there is nothing to report")
    dates = [i.astimezone(zone).date() for i in instants] + ([wanted.start] if wanted is not None else [])
    first, last = min(dates), max(dates)
    period = period_for(window, first_window_start(spec, window))
    periods = []
    for _ in range(1000):
        if period.end > first:
            periods.append(period)
        if period.end > last:
            return periods
        period = period_for(window, period.end)
    raise DataError("the measured data spans more than 1000 measurement windows")


def period_end(period: Period, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(period.end, dt.time()).replace(tzinfo=zone)


def achievement(spec: Spec, data: Measurements, period_text: str | None = None) -> Achievement:
    """Every window of the data up to the reported one (``period_text``, default the latest with data)."""
    window = common_window(spec)
    zone = ZoneInfo(service_calendar(spec, spec.services[0]).timezone)
    wanted = None
    if period_text is not None:
        try:
            wanted = parse_period(period_text)
        except ValueError as error:
            raise InvalidArgument(f"--period {error}") from None
    periods = windows_in(spec, window, data, zone, wanted)
    if wanted is not None:
        index = next((i for i, p in enumerate(periods) if (p.start, p.end) == (wanted.start, wanted.end)), None)
        if index is None:
            span = f"{periods[0].label} to {periods[-1].label}"
            raise InvalidArgument(
                f"--period {period_text}: not a {window.value} measurement window of the data, which covers {span}"
            )
        periods = periods[: index + 1]
    as_of = period_end(periods[-1], zone)
    commitments = list(iter_commitments(spec))
    results: list[WindowAchievement] = []
    history: dict[tuple[str, str], list[Decimal]] = {(p.service.id, p.commitment.id): [] for p in commitments}
    given: dict[tuple[int, str | None], Decimal] = {}  # credits given so far in each Contract Year
    spans = outage_spans(data)  # each outage and ticket placed once, not once per window
    reported = tickets_by_window(spec, data.tickets, periods)
    for index, period in enumerate(periods):
        availability = tuple(availability_in(spec, p, period, data, spans) for p in commitments)
        outcomes, severities = attainment_in(spec, reported.get(index, ()), period, as_of)
        credits = tuple(credits_for(spec, a, outcomes, history[(a.service.id, a.commitment.id)]) for a in availability)
        if spec.service_credits is not None:
            credits = one_per_service(spec.service_credits.several_commitments, credits)
            credits = annual_caps(spec, period.start, credits, given)
        for a in availability:
            history[(a.service.id, a.commitment.id)].append(a.achieved)
        results.append(WindowAchievement(period, availability, severities, credits))
    return Achievement(spec, window, tuple(results), as_of)
