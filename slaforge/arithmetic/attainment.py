"""Support attainment in a window, from the tickets measured: each ticket's deadlines and whether it met them.

A ticket belongs to the window in which it was reported; its deadlines are the deadline
calculator's (business hours, holidays, time zone of its service's support calendar).  An open
ticket whose deadline passed before the end of the reported window counts as missed; one whose
deadline is still ahead is left out of the shares.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from slaforge.arithmetic.business_time import due_times
from slaforge.arithmetic.calendars import add_business_time, support_calendar
from slaforge.arithmetic.measurements import Ticket
from slaforge.arithmetic.periods import Period
from slaforge.spec.models import SeverityLevel, Spec


@dataclass(frozen=True)
class TicketOutcome:
    ticket: Ticket
    due: dict[str, dt.datetime]  # response, (update,) (resolution): the targets the severity sets
    responded_in_time: bool | None  # None: open, and the deadline is still ahead
    resolved_in_time: bool | None  # None also when the severity sets no resolution target
    started: dt.datetime  # when the business clock started (later than reported when filed out of hours)


@dataclass(frozen=True)
class SeverityAttainment:
    level: SeverityLevel
    outcomes: tuple[TicketOutcome, ...]

    @property
    def target(self) -> Decimal:
        return self.level.attainment if self.level.attainment is not None else Decimal(100)

    def sets(self, what: str) -> bool:
        """True when the severity sets a target for ``what`` (response or resolution)."""
        return getattr(self.level, what) is not None

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
        """True when the share reaches the target; a target the severity does not set is never met."""
        if not self.sets(what):
            return False
        share = self.share(what)
        return share is None or share >= self.target


def in_time(done: dt.datetime | None, due: dt.datetime, as_of: dt.datetime) -> bool | None:
    if done is not None:
        return done <= due
    return False if due <= as_of else None


def outcome(spec: Spec, ticket: Ticket, as_of: dt.datetime) -> TicketOutcome:
    service = spec.service(ticket.service)
    calendar = support_calendar(spec, service, ticket.site)
    level = next(s for s in spec.severities if s.id == ticket.severity)
    due = due_times(level, calendar, ticket.reported)
    started = add_business_time(ticket.reported, Decimal(0), calendar)
    return TicketOutcome(
        ticket=ticket,
        due=due,
        responded_in_time=in_time(ticket.responded, due["response"], as_of),
        resolved_in_time=in_time(ticket.resolved, due["resolution"], as_of) if "resolution" in due else None,
        started=started,
    )


def reported_in(spec: Spec, ticket: Ticket, period: Period) -> bool:
    return period.start <= reported_on(spec, ticket) < period.end


def reported_on(spec: Spec, ticket: Ticket) -> dt.date:
    """The day a ticket was reported, in its support calendar's zone."""
    zone = ZoneInfo(support_calendar(spec, spec.service(ticket.service), ticket.site).timezone)
    return ticket.reported.astimezone(zone).date()


def tickets_by_window(spec: Spec, tickets: Iterable[Ticket], periods: list[Period]) -> dict[int, tuple[Ticket, ...]]:
    """The index of the window each ticket was reported in -> its tickets (one pass, a bisection each)."""
    starts = [p.start for p in periods]
    out: dict[int, list[Ticket]] = {}
    for ticket in tickets:
        day = reported_on(spec, ticket)
        index = bisect_right(starts, day) - 1
        if index >= 0 and day < periods[index].end:
            out.setdefault(index, []).append(ticket)
    return {index: tuple(found) for index, found in out.items()}


def attainment_in(
    spec: Spec, tickets: tuple[Ticket, ...], period: Period, as_of: dt.datetime
) -> tuple[list[TicketOutcome], tuple[SeverityAttainment, ...]]:
    """The outcomes of the tickets reported in ``period``, and the attainment of each severity."""
    reported = [t for t in tickets if reported_in(spec, t, period)]
    outcomes = [outcome(spec, t, as_of) for t in sorted(reported, key=lambda t: (t.reported, t.id))]
    severities = tuple(
        SeverityAttainment(level, tuple(o for o in outcomes if o.ticket.severity == level.id))
        for level in spec.severities
    )
    return outcomes, severities
