"""What the measured data says was achieved, window by window: pure arithmetic over spec + measurements.

Availability of a service in a window (the service's own time zone)::

    measured  = the window (or only its prime service hours) minus excluded time
    downtime  = time inside the window covered by outages that count, outside excluded time
    achieved  = (measured - downtime) / measured
    allowed   = (100% - target) x measured

Times are whole seconds between aware instants, so a window on the night the
clocks change is as long as it really was (March 2027 in Berlin is 743 hours).
Overlapping outages count once.  A ticket belongs to the window in which it
was reported; its deadlines are the deadline calculator's (business hours,
holidays, time zone of its service's support calendar).  An open ticket whose
deadline passed before the end of the reported window counts as missed; one
whose deadline is still ahead is left out of the shares.  Credits are
:func:`slaforge.arithmetic.credits.compute_credit` with per-event counts from the tickets
and the earlier windows' availability as history for the chronic-failure rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from slaforge.arithmetic.business_time import due_times
from slaforge.arithmetic.calendars import add_business_time, intersect, intervals_within, merge, support_calendar
from slaforge.arithmetic.credits import CreditResult, compute_credit
from slaforge.arithmetic.downtime import allowed_downtime_seconds
from slaforge.arithmetic.measurements import Measurements, Outage, Ticket
from slaforge.arithmetic.periods import Period, first_window_start, parse_period, period_for
from slaforge.errors import DataError, InvalidArgument, SpecError
from slaforge.spec.calendars import ServiceHours
from slaforge.spec.models import Service, SeverityLevel, Spec, Window
from slaforge.spec.units import Money

Span = tuple[int, int]  # [start, end) in seconds since the epoch


# ------------------------------------------------------------------ spans


def subtract(a: list[Span], b: list[Span]) -> list[Span]:
    out = []
    for a0, a1 in a:
        pieces = [(a0, a1)]
        for b0, b1 in b:
            pieces = [p for x0, x1 in pieces for p in ((x0, min(x1, b0)), (max(x0, b1), x1)) if p[1] > p[0]]
        out.extend(pieces)
    return merge(out)


def length(spans: Iterable[Span]) -> int:
    return sum(end - start for start, end in spans)


def _epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def _local(day: dt.date, minute: int, zone: ZoneInfo) -> int:
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    return _epoch(naive.replace(tzinfo=zone))


def window_spans(period: Period, calendar: ServiceHours, hours_only: bool) -> list[Span]:
    """The window in real time: the whole period in the calendar's zone, or only its business spans."""
    zone = ZoneInfo(calendar.timezone)
    if not hours_only:
        return [(_local(period.start, 0, zone), _local(period.end, 0, zone))]
    return merge(intervals_within(calendar, period.dates(), "business"))


def outage_span(outage: Outage) -> Span:
    return _epoch(outage.start), _epoch(outage.end)


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class OutageShare:
    outage: Outage
    seconds: int  # of this outage inside the window (and outside excluded time, for downtime)


@dataclass(frozen=True)
class ServiceAvailability:
    service: Service
    period: Period
    window_seconds: int
    excluded_seconds: int
    downtime_seconds: int
    downtime: tuple[OutageShare, ...]
    excluded: tuple[OutageShare, ...]

    @property
    def target(self) -> Decimal:
        return self.service.availability.target

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


@dataclass(frozen=True)
class TicketOutcome:
    ticket: Ticket
    due: dict[str, dt.datetime]  # response, (update,) resolution
    responded_in_time: bool | None  # None: open, and the deadline is still ahead
    resolved_in_time: bool | None
    started: dt.datetime  # when the business clock started (later than reported when filed out of hours)


@dataclass(frozen=True)
class SeverityAttainment:
    level: SeverityLevel
    outcomes: tuple[TicketOutcome, ...]

    @property
    def target(self) -> Decimal:
        return self.level.attainment if self.level.attainment is not None else Decimal(100)

    def counted(self, what: str) -> list[bool]:
        values = [o.responded_in_time if what == "response" else o.resolved_in_time for o in self.outcomes]
        return [v for v in values if v is not None]

    def share(self, what: str) -> Decimal | None:
        """Percent of the counted tickets that met the target; None when no ticket counts."""
        counted = self.counted(what)
        if not counted:
            return None
        return Decimal(sum(counted)) * 100 / Decimal(len(counted))

    def met(self, what: str) -> bool:
        share = self.share(what)
        return share is None or share >= self.target


@dataclass(frozen=True)
class ServiceCredit:
    service: Service
    result: CreditResult | None
    reason: str | None = None  # why there is no result


@dataclass(frozen=True)
class WindowAchievement:
    period: Period
    services: tuple[ServiceAvailability, ...]
    severities: tuple[SeverityAttainment, ...]
    credits: tuple[ServiceCredit, ...]

    def availability(self, service_id: str) -> ServiceAvailability:
        return next(a for a in self.services if a.service.id == service_id)


@dataclass(frozen=True)
class Achievement:
    spec: Spec
    window: Window
    windows: tuple[WindowAchievement, ...]  # oldest first; the last is the reported one
    as_of: dt.datetime

    @property
    def current(self) -> WindowAchievement:
        return self.windows[-1]


# ------------------------------------------------------------------ computing


def common_window(spec: Spec) -> Window:
    windows = {s.availability.window for s in spec.services}
    if len(windows) > 1:
        raise SpecError(
            "a report covers one measurement window, but the services are measured over "
            + ", ".join(sorted(w.value for w in windows))
        )
    return windows.pop()


def windows_in(spec: Spec, window: Window, data: Measurements, zone: ZoneInfo) -> list[Period]:
    """Every window from the agreement's first up to the last one that holds any measured data."""
    instants = list(data.instants())
    if not instants:
        raise DataError("the measured data holds no outages and no tickets, so there is nothing to report")
    first = min(instants).astimezone(zone).date()
    last = max(instants).astimezone(zone).date()
    period = period_for(window, first_window_start(spec, window))
    periods = []
    for _ in range(1000):
        if period.end > first:
            periods.append(period)
        if period.end > last:
            return periods
        period = period_for(window, period.end)
    raise DataError("the measured data spans more than 1000 measurement windows")


def service_calendar(spec: Spec, service: Service) -> ServiceHours:
    return spec.service_hours[service.hours]


def availability_in(spec: Spec, service: Service, period: Period, data: Measurements) -> ServiceAvailability:
    window = window_spans(period, service_calendar(spec, service), service.availability.service_hours_only)
    mine = [o for o in data.outages if o.service == service.id]
    excluded_all = merge(outage_span(o) for o in mine if o.exclusion is not None)
    excluded_in = intersect(excluded_all, window)
    down_in = subtract(intersect(merge(outage_span(o) for o in mine if o.exclusion is None), window), excluded_in)
    downtime = []
    excluded = []
    for outage in mine:
        inside = intersect([outage_span(outage)], window)
        if outage.exclusion is not None:
            if seconds := length(inside):
                excluded.append(OutageShare(outage, seconds))
        elif seconds := length(subtract(inside, excluded_in)):
            downtime.append(OutageShare(outage, seconds))
    return ServiceAvailability(
        service=service,
        period=period,
        window_seconds=length(window),
        excluded_seconds=length(excluded_in),
        downtime_seconds=length(down_in),
        downtime=tuple(sorted(downtime, key=lambda s: s.outage.start)),
        excluded=tuple(sorted(excluded, key=lambda s: s.outage.start)),
    )


def in_time(done: dt.datetime | None, due: dt.datetime, as_of: dt.datetime) -> bool | None:
    if done is not None:
        return done <= due
    return False if due <= as_of else None


def outcome(spec: Spec, ticket: Ticket, as_of: dt.datetime) -> TicketOutcome:
    service = spec.service(ticket.service)
    calendar = support_calendar(spec, service, ticket.site)
    level = next(s for s in spec.responsiveness.severities if s.id == ticket.severity)
    due = due_times(level, calendar, ticket.reported)
    started = add_business_time(ticket.reported, Decimal(0), calendar)
    return TicketOutcome(
        ticket=ticket,
        due=due,
        responded_in_time=in_time(ticket.responded, due["response"], as_of),
        resolved_in_time=in_time(ticket.resolved, due["resolution"], as_of),
        started=started,
    )


def reported_in(spec: Spec, ticket: Ticket, period: Period) -> bool:
    zone = ZoneInfo(support_calendar(spec, spec.service(ticket.service), ticket.site).timezone)
    return period.start <= ticket.reported.astimezone(zone).date() < period.end


def credits_for(
    spec: Spec,
    availability: ServiceAvailability,
    outcomes: list[TicketOutcome],
    history: list[Decimal],
) -> ServiceCredit:
    service = availability.service
    credits = spec.service_credits
    if credits is None:
        return ServiceCredit(service, None, "the agreement provides no service credits")
    fee: Money | None = service.fee or credits.fee
    if fee is None:
        return ServiceCredit(service, None, "the agreement sets no fee for this service")
    counts: dict[tuple[str, str], int] = {}
    for item in outcomes:
        if item.ticket.service != service.id:
            continue
        for event, verdict in (
            ("missed-response", item.responded_in_time),
            ("missed-resolution", item.resolved_in_time),
        ):
            if verdict is False:
                key = (event, item.ticket.severity)
                counts[key] = counts.get(key, 0) + 1
    events = [
        (event, severity, count)
        for (event, severity), count in sorted(counts.items())
        if any(r.event == event and (not r.severities or severity in r.severities) for r in credits.per_event)
    ]
    result = compute_credit(
        credits,
        availability.target,
        availability.achieved,
        fee,
        Decimal(availability.measured_seconds),
        events,
        history,
    )
    return ServiceCredit(service, result)


def period_end(period: Period, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(period.end, dt.time()).replace(tzinfo=zone)


def achievement(spec: Spec, data: Measurements, period_text: str | None = None) -> Achievement:
    """Every window of the data up to the reported one (``period_text``, default the latest with data)."""
    window = common_window(spec)
    zone = ZoneInfo(service_calendar(spec, spec.services[0]).timezone)
    periods = windows_in(spec, window, data, zone)
    if period_text is not None:
        try:
            wanted = parse_period(period_text)
        except ValueError as error:
            raise InvalidArgument(str(error)) from None
        index = next((i for i, p in enumerate(periods) if (p.start, p.end) == (wanted.start, wanted.end)), None)
        if index is None:
            span = f"{periods[0].label} to {periods[-1].label}"
            raise InvalidArgument(
                f"--period {period_text}: not a {window.value} measurement window of the data, which covers {span}"
            )
        periods = periods[: index + 1]
    as_of = period_end(periods[-1], zone)
    results: list[WindowAchievement] = []
    history: dict[str, list[Decimal]] = {s.id: [] for s in spec.services}
    for period in periods:
        services = tuple(availability_in(spec, s, period, data) for s in spec.services)
        tickets = [t for t in data.tickets if reported_in(spec, t, period)]
        outcomes = [outcome(spec, t, as_of) for t in sorted(tickets, key=lambda t: (t.reported, t.id))]
        severities = tuple(
            SeverityAttainment(level, tuple(o for o in outcomes if o.ticket.severity == level.id))
            for level in spec.responsiveness.severities
        )
        credits = tuple(credits_for(spec, a, outcomes, history[a.service.id]) for a in services)
        for a in services:
            history[a.service.id].append(a.achieved)
        results.append(WindowAchievement(period, services, severities, credits))
    return Achievement(spec, window, tuple(results), as_of)
