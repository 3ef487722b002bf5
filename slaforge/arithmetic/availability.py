"""Availability achieved by each commitment in a window, from the outages measured: pure arithmetic.

Availability of a commitment in a window (its service's time zone)::

    measured  = the window (or only its prime service hours) minus excluded time
    downtime  = time inside the window covered by outages that count, outside excluded time
    achieved  = (measured - downtime) / measured
    allowed   = (100% - target) x measured

Times are whole seconds between aware instants, so a window on the night the
clocks change is as long as it really was (March 2027 in Berlin is 743 hours).
Overlapping outages count once.  An outage flagged with an exclusion is excluded
time for a commitment that allows that exclusion, and downtime for one that does not.
Where downtime is ``contiguous``, only outages that form a period of at least its
``minimum_period`` count (outages less than a minute apart form one period, as the
agreement's text says); shorter interruptions are not downtime.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from slaforge.arithmetic.calendars import intersect, intervals_within, merge
from slaforge.arithmetic.downtime import allowed_downtime_seconds
from slaforge.arithmetic.measurements import Measurements, Outage
from slaforge.arithmetic.periods import Period
from slaforge.arithmetic.spans import Span, epoch, length, local_instant, subtract
from slaforge.spec.calendars import ServiceHours
from slaforge.spec.models import Commitment, DowntimeKind, Service, Spec
from slaforge.spec.objectives import PlacedCommitment


def window_spans(period: Period, calendar: ServiceHours, hours_only: bool) -> list[Span]:
    """The window in real time: the whole period in the calendar's zone, or only its business spans."""
    zone = ZoneInfo(calendar.timezone)
    if not hours_only:
        return [(local_instant(period.start, 0, zone), local_instant(period.end, 0, zone))]
    return merge(intervals_within(calendar, period.dates(), "business"))


def outage_span(outage: Outage) -> Span:
    return epoch(outage.start), epoch(outage.end)


@dataclass(frozen=True)
class OutageShare:
    outage: Outage
    seconds: int  # of this outage inside the window (and outside excluded time, for downtime)


@dataclass(frozen=True)
class CommitmentAvailability:
    placed: PlacedCommitment
    period: Period
    window_seconds: int
    excluded_seconds: int
    downtime_seconds: int
    downtime: tuple[OutageShare, ...]
    excluded: tuple[OutageShare, ...]

    @property
    def service(self) -> Service:
        return self.placed.service

    @property
    def commitment(self) -> Commitment:
        return self.placed.commitment

    @property
    def target(self) -> Decimal:
        return self.commitment.target

    @property
    def measured_seconds(self) -> int:
        return self.window_seconds - self.excluded_seconds

    @property
    def achieved(self) -> Decimal:
        """Percent, exact to 28 significant digits."""
        if self.measured_seconds <= 0:
            return Decimal(100)
        return Decimal(self.measured_seconds - self.downtime_seconds) * 100 / Decimal(self.measured_seconds)

    @property
    def allowed_seconds(self) -> Decimal:
        return allowed_downtime_seconds(self.target, self.measured_seconds)

    @property
    def met(self) -> bool:
        return self.downtime_seconds <= self.allowed_seconds


def service_calendar(spec: Spec, service: Service) -> ServiceHours:
    return spec.service_hours[service.hours]


@dataclass(frozen=True)
class OutageSpans:
    """A service's outages as spans (epoch seconds), sorted by start, to find those of a window at once."""

    starts: list[int]
    spans: list[tuple[int, int, Outage]]
    longest: int

    @classmethod
    def of(cls, outages: Iterable[Outage]) -> OutageSpans:
        spans = sorted(((*outage_span(o), o) for o in outages), key=lambda s: (s[0], s[1]))
        return cls([s[0] for s in spans], spans, max((e - b for b, e, _ in spans), default=0))

    def within(self, start: int, end: int) -> list[tuple[int, int, Outage]]:
        """The outages that overlap ``[start, end)``, in order of start."""
        first = bisect_left(self.starts, start - self.longest)
        last = bisect_left(self.starts, end)
        return [s for s in self.spans[first:last] if s[1] > start]


def outage_spans(data: Measurements) -> dict[str, OutageSpans]:
    """Every service's outages as spans, built once for every window of a report (not once per window)."""
    by_service: dict[str, list[Outage]] = {}
    for outage in data.outages:
        by_service.setdefault(outage.service, []).append(outage)
    return {service: OutageSpans.of(items) for service, items in by_service.items()}


def availability_in(
    spec: Spec,
    placed: PlacedCommitment,
    period: Period,
    data: Measurements,
    spans: dict[str, OutageSpans] | None = None,
) -> CommitmentAvailability:
    """A commitment's availability in one window; only the outages that overlap the window are read
    (``spans``: :func:`outage_spans` of ``data``, made once for all windows)."""
    service, commitment = placed.service, placed.commitment
    window = window_spans(period, service_calendar(spec, service), commitment.service_hours_only)
    outages = (spans if spans is not None else outage_spans(data)).get(service.id, OutageSpans([], [], 0))
    mine = outages.within(window[0][0], window[-1][1]) if window else []

    def excluded(outage: Outage) -> bool:
        return outage.exclusion is not None and outage.exclusion in commitment.exclusions

    excluded_in = intersect(((b, e) for b, e, o in mine if excluded(o)), window)
    counted = _long_enough([(b, e, o) for b, e, o in mine if not excluded(o)], commitment)
    down_in = subtract(intersect(((b, e) for b, e, _ in counted), window), excluded_in)
    downtime = []
    excluded_shares = []
    counts = {id(o) for _, _, o in counted}
    for start, end, outage in mine:
        inside = _clip(start, end, window)
        if excluded(outage):
            if seconds := length(inside):
                excluded_shares.append(OutageShare(outage, seconds))
        elif id(outage) in counts and (seconds := length(subtract(inside, _clip(start, end, excluded_in)))):
            downtime.append(OutageShare(outage, seconds))
    return CommitmentAvailability(
        placed=placed,
        period=period,
        window_seconds=length(window),
        excluded_seconds=length(excluded_in),
        downtime_seconds=length(down_in),
        downtime=tuple(sorted(downtime, key=lambda s: s.outage.start)),
        excluded=tuple(sorted(excluded_shares, key=lambda s: s.outage.start)),
    )


JOINED_GAP = 60  # outages separated by less than a minute of normal operation are one period


def _long_enough(outages: list[tuple[int, int, Outage]], commitment: Commitment) -> list[tuple[int, int, Outage]]:
    """The outages that count as downtime: all of them, or for ``contiguous`` downtime those that form a period
    (outages less than a minute apart joined) of at least the minimum period."""
    minimum = commitment.downtime.minimum_period
    if commitment.downtime.kind != DowntimeKind.contiguous or minimum is None:
        return outages
    shortest = minimum.minutes * 60
    kept: list[tuple[int, int, Outage]] = []
    group: list[tuple[int, int, Outage]] = []
    for item in sorted(outages, key=lambda s: (s[0], s[1])):
        if group and item[0] - max(e for _, e, _ in group) >= JOINED_GAP:
            kept += _if_long(group, shortest)
            group = []
        group.append(item)
    return kept + _if_long(group, shortest)


def _if_long(group: list[tuple[int, int, Outage]], shortest: Decimal) -> list[tuple[int, int, Outage]]:
    if not group:
        return []
    return group if max(e for _, e, _ in group) - group[0][0] >= shortest else []


def _clip(start: int, end: int, spans: list[Span]) -> list[Span]:
    """``[start, end)`` inside the merged ``spans``: only the spans that can overlap it are looked at."""
    first = bisect_right(spans, (start, start)) - 1
    out = []
    for a, b in spans[max(first, 0) :]:
        if a >= end:
            break
        if b > start:
            out.append((max(a, start), min(b, end)))
    return out
