"""Time in a service-hours calendar: which span is open when, how long the spans last, business time.

Every consumer (``calc``, ``report``, the text's computed values, the checks and the offer
comparisons) reads calendars through these functions, never the model's windows:

- :func:`is_holiday` and :func:`spans_on`: the spans open on a local day, as minutes of the day;
- :func:`business_spans_on`: only the business spans (what "4 business hours" counts);
- :func:`seconds_within` and :func:`intervals_within`: the real time of some spans in a period;
- :func:`span_at` and :func:`next_span_start`: the span open at an instant, or the next to open;
- :func:`add_business_time`: the moment a number of business minutes after an instant has elapsed;
- :func:`support_hours_key`: the one rule for which calendar a ticket or event uses (site, customer,
  service, agreement).

Days are the calendar's local days; lengths are real elapsed seconds, so a span on the night the
clocks change is as long as it really was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from slaforge.spec.calendars import WEEKDAYS, ServiceHours, Span, TimeWindow
from slaforge.spec.models import Customer, Service, Spec
from slaforge.spec.public_holidays import named_holidays, same_holiday

DaySpan = tuple[str, int, int]  # (span id, first minute, end minute) of a local day
Minutes = tuple[int, int]  # [first minute, end minute) of a local day
Interval = tuple[int, int]  # [start, end) in seconds since the epoch
Which = Literal["all", "business"] | Sequence[str]  # every span, the business spans, or these span ids

SEARCH_DAYS = 3660  # ten years of days: a calendar with no open span cannot loop for ever


Named = tuple[str, str | None, tuple[str, ...]] | None  # country, subdivision, categories
Removals = tuple[tuple[str | None, dt.date | None], ...]
Additions = tuple[tuple[dt.date, str], ...]


def _holiday_key(calendar: ServiceHours) -> tuple[Named, Removals, Additions]:
    public = calendar.public_holidays
    named = (public.country, public.subdivision, tuple(public.categories)) if public else None
    removals = tuple((r.name, r.date) for r in calendar.removed_holidays)
    return named, removals, tuple((h.date, h.name) for h in calendar.holidays)


@cache
def _holidays(named: Named, removals: Removals, additions: Additions, year: int) -> tuple[tuple[dt.date, str], ...]:
    out: dict[dt.date, str] = {}
    if named is not None:
        for day, name in named_holidays(*named, year):
            if any(day == date or (removed is not None and same_holiday(removed, name)) for removed, date in removals):
                continue
            out[day] = f"{out[day]}; {name}" if day in out else name
    for day, name in additions:
        if day.year == year:
            out[day] = name
    return tuple(sorted(out.items()))


@cache
def _holiday_dates(named: Named, removals: Removals, additions: Additions, year: int) -> frozenset[dt.date]:
    return frozenset(day for day, _ in _holidays(named, removals, additions, year))


def holidays_in(calendar: ServiceHours, year: int) -> tuple[tuple[dt.date, str], ...]:
    """The calendar's holidays in a year, in date order: the named calendar's (with its substitute
    days), less the removals, plus the listed ones (a 24x7 calendar has none)."""
    if calendar.always:
        return ()
    return _holidays(*_holiday_key(calendar), year)


def holidays_between(calendar: ServiceHours, first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """The calendar's holidays from ``first`` to ``last``, both included."""
    days = (entry for year in range(first.year, last.year + 1) for entry in holidays_in(calendar, year))
    return [(day, name) for day, name in days if first <= day <= last]


def is_holiday(calendar: ServiceHours, day: dt.date) -> bool:
    """Whether ``day`` is one of the calendar's holidays (a 24x7 calendar has none)."""
    if calendar.always:
        return False
    return day in _holiday_dates(*_holiday_key(calendar), day.year)


def holiday_list_end(calendar: ServiceHours, day: dt.date) -> dt.date | None:
    """The last listed holiday, when the calendar has only a hand list and ``day`` lies in a later year
    (nothing after the list is a holiday); None otherwise."""
    if calendar.always or calendar.public_holidays is not None or not calendar.holidays:
        return None
    last = max(h.date for h in calendar.holidays)
    return last if day.year > last.year else None


def _windows_on(windows: Iterable[TimeWindow], weekday: str) -> list[Minutes]:
    return sorted(w.minutes_of_day for w in windows if weekday in w.days)


def spans_on(calendar: ServiceHours, day: dt.date) -> list[DaySpan]:
    """The spans open on a local day, in order of their first minute, with the windows of the day's
    season: none on a holiday, or each span's Sunday windows when the calendar keeps holidays as Sundays."""
    holiday = is_holiday(calendar, day)
    if holiday and calendar.on_holidays == "closed":
        return []
    weekday = "sun" if holiday else WEEKDAYS[day.weekday()]
    out = [(span.id, a, b) for span in calendar.spans_for(day) for a, b in _windows_on(span.windows, weekday)]
    return sorted(out, key=lambda s: (s[1], s[2], s[0]))


def business_spans_on(calendar: ServiceHours, day: dt.date) -> list[Minutes]:
    """The minutes of the business spans on a local day, in order."""
    business = {s.id for s in calendar.weekly_spans if s.is_business}
    return [(a, b) for span_id, a, b in spans_on(calendar, day) if span_id in business]


def _chosen(calendar: ServiceHours, which: Which) -> set[str]:
    spans: tuple[Span, ...] = calendar.weekly_spans
    if which == "all":
        return {s.id for s in spans}
    if which == "business":
        return {s.id for s in spans if s.is_business}
    return set(which)


def minutes_on(calendar: ServiceHours, day: dt.date, which: Which = "business") -> list[Minutes]:
    """The minutes of the chosen spans on a local day, overlapping windows merged."""
    chosen = _chosen(calendar, which)
    return merge((a, b) for span_id, a, b in spans_on(calendar, day) if span_id in chosen)


def merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Half-open ``[a, b)`` pairs (minutes of a day, or epoch seconds) as the fewest pairs covering the same
    time, in order; empty pairs dropped."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def local_instant(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime:
    """The real moment (UTC) of a minute of a local day; minute 1440 is the next midnight."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    return naive.replace(tzinfo=zone).astimezone(dt.UTC)


def _epoch(day: dt.date, minute: int, zone: ZoneInfo) -> int:
    return int(local_instant(day, minute, zone).timestamp())


def intervals_within(calendar: ServiceHours, days: Iterable[dt.date], which: Which = "business") -> list[Interval]:
    """The chosen spans of the given local days as real intervals (epoch seconds), in order."""
    zone = ZoneInfo(calendar.timezone)
    return [(_epoch(day, a, zone), _epoch(day, b, zone)) for day in days for a, b in minutes_on(calendar, day, which)]


def seconds_within(calendar: ServiceHours, days: Iterable[dt.date], which: Which = "business") -> Decimal:
    """Real seconds of the chosen spans on the given local days (holidays have none)."""
    return Decimal(sum(b - a for a, b in intervals_within(calendar, days, which)))


def maintenance_seconds(
    calendar: ServiceHours | None, windows: list[TimeWindow], days: Iterable[dt.date], which: Which = "business"
) -> Decimal:
    """Real seconds of scheduled maintenance on the given days, only inside the chosen spans when a calendar
    is given (in UTC otherwise)."""
    zone = ZoneInfo(calendar.timezone) if calendar else ZoneInfo("UTC")
    total = 0
    for day in days:
        spans = merge(_windows_on(windows, WEEKDAYS[day.weekday()]))
        if calendar is not None:
            spans = intersect(spans, minutes_on(calendar, day, which))
        total += sum(_epoch(day, b, zone) - _epoch(day, a, zone) for a, b in spans)
    return Decimal(total)


def intersect(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The time two sets of half-open pairs share, merged (one sweep over both: linear once they are sorted)."""
    left, right = merge(a), merge(b)
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(left) and j < len(right):
        lo, hi = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if lo < hi:
            out.append((lo, hi))
        if left[i][1] <= right[j][1]:
            i += 1
        else:
            j += 1
    return out


def _local(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """An aware instant in the calendar's zone; a naive one is read as the calendar's local time."""
    return instant.astimezone(zone) if instant.tzinfo else instant.replace(tzinfo=zone)


def span_at(calendar: ServiceHours, instant: dt.datetime) -> str | None:
    """The id of the span open at ``instant`` (the first in the calendar's order), or None outside every span."""
    zone = ZoneInfo(calendar.timezone)
    now = _local(instant, zone).astimezone(dt.UTC)
    day = _local(instant, zone).date()
    order = [s.id for s in calendar.weekly_spans]
    open_now = [
        span_id
        for span_id, a, b in spans_on(calendar, day)
        if local_instant(day, a, zone) <= now < local_instant(day, b, zone)
    ]
    return min(open_now, key=order.index) if open_now else None


def next_span_start(calendar: ServiceHours, instant: dt.datetime) -> tuple[dt.datetime, str]:
    """The first moment after ``instant`` at which a span opens, and that span's id."""
    zone = ZoneInfo(calendar.timezone)
    now = _local(instant, zone).astimezone(dt.UTC)
    day = _local(instant, zone).date()
    for _ in range(SEARCH_DAYS):
        for span_id, a, _b in spans_on(calendar, day):
            start = local_instant(day, a, zone)
            if start > now:
                return start.astimezone(zone), span_id
        day += dt.timedelta(days=1)
    raise ValueError(f"the calendar {calendar.name!r} has no hours to count in")


def add_business_time(start: dt.datetime, minutes: Decimal, calendar: ServiceHours) -> dt.datetime:
    """The moment ``minutes`` of business time after ``start`` (aware, or naive local time) has elapsed.

    Business spans are read off the calendar's wall clock in its time zone, skipping weekends,
    holidays and the other spans; a start outside them begins counting at the next business minute.
    Time inside a span is counted as it really elapses, so four hours of a 24x7 calendar are four
    hours on the night the clocks change too (as :func:`seconds_within` counts them).
    """
    zone = ZoneInfo(calendar.timezone)
    local = _local(start, zone)
    now = local.astimezone(dt.UTC)
    remaining = Decimal(minutes) * 60  # seconds
    day = local.date()
    for _ in range(SEARCH_DAYS):
        for begin, end in minutes_on(calendar, day, "business"):
            span_end = local_instant(day, end, zone)
            if span_end <= now:
                continue
            since = max(local_instant(day, begin, zone), now)
            available = Decimal(str((span_end - since).total_seconds()))
            if remaining <= available:
                seconds = int(remaining.to_integral_value(rounding=ROUND_HALF_UP))
                return (since + dt.timedelta(seconds=seconds)).astimezone(zone)
            remaining -= available
        day += dt.timedelta(days=1)
    raise ValueError(f"the calendar {calendar.name!r} has no business hours to count in")


# ------------------------------------------------------------------ which calendar applies


def site_customer(spec: Spec, site_id: str) -> Customer | None:
    """The customer a site belongs to: the one it names, or the agreement's only customer."""
    site = next(s for s in spec.sites if s.id == site_id)
    if site.customer is not None:
        return next((c for c in spec.customers if c.id == site.customer), None)
    return spec.customers[0] if len(spec.customers) == 1 else None


def service_customer(spec: Spec, service: Service) -> Customer | None:
    """The only customer of a service (its own list, or the agreement's), None when it has several."""
    ids = service.customers or [c.id for c in spec.customers]
    return next((c for c in spec.customers if c.id == ids[0]), None) if len(ids) == 1 else None


def support_hours_key(spec: Spec, service: Service, site: str | None = None) -> str:
    """The calendar a ticket or event of ``service`` counts in, by the one rule the hours clause states:
    the site's calendar when it names a site (which has one); else its customer's local hours; else the
    service's support hours; else the agreement's support calendar."""
    customer = service_customer(spec, service)
    if site is not None:
        where = next(s for s in spec.sites if s.id == site)
        if where.hours is not None:
            return where.hours
        customer = site_customer(spec, site)
    if customer is not None and customer.hours is not None:
        return customer.hours
    return service.support_hours or spec.support_hours_key


def support_calendar(spec: Spec, service: Service, site: str | None = None) -> ServiceHours:
    """The calendar of :func:`support_hours_key`."""
    return spec.service_hours[support_hours_key(spec, service, site)]
