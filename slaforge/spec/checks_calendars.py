"""Checks of the service-hours calendars: holidays where their names say, and holidays for the whole term.

- ``holiday-misdated`` (error): a listed holiday whose name is a holiday of the named calendar in
  that year (or, with no named calendar, a movable feast of Western Easter) on another date;
- ``holiday-redundant`` (warning): a listed holiday on a date the named calendar already has;
- ``holiday-removal-unknown`` (error): a removal that matches no holiday of the named calendar in
  the term;
- ``holidays-end-before-term`` (warning): a hand list that ends in a year before the term's last;
- ``holidays-unnamed`` (warning): a hand list with no named calendar behind it;
- ``holiday-calendar-empty`` (warning): the text names a holiday calendar but no holiday is given.

And of their shape (:func:`check_spans`, :func:`check_sites`):

- ``duplicate-id``: two spans of a calendar, or two sites, with one id;
- ``span-overlap`` (error): two spans of a calendar open at the same minute of a day (in or out of a season);
- ``season-unknown-span`` (error): a season changes a span the calendar does not have;
- ``season-overlap`` (error): two seasons of a calendar on the same day of the term;
- ``calendar-no-business-span`` (error): business-time targets would count in a calendar with no business span;
- ``unknown-reference``: a site's customer or calendar, or a customer's calendar, that does not exist;
- ``site-customer-needed`` (error): a site that names no customer in an agreement with several.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from slaforge.errors import Problem
from slaforge.spec.calendars import WEEKDAYS, ServiceHours, TimeWindow
from slaforge.spec.lengths import after
from slaforge.spec.models import Spec
from slaforge.spec.public_holidays import named_holidays, same_holiday, western_easter_feasts
from slaforge.spec.source import SourceMap
from slaforge.text import long_date


def _warn(source: SourceMap, loc: tuple[str | int, ...], message: str, code: str, **kw: object) -> Problem:
    return source.problem(loc, message, severity="warning", code=code, **kw)  # type: ignore[arg-type]


def term_last_day(spec: Spec) -> dt.date:
    """The last day of the initial term: months and years by the calendar, the rest in days."""
    return after(spec.agreement.effective, spec.agreement.term.initial) - dt.timedelta(days=1)


def term_years(spec: Spec) -> range:
    return range(spec.agreement.effective.year, term_last_day(spec).year + 1)


def named(calendar: ServiceHours, year: int) -> tuple[tuple[dt.date, str], ...]:
    public = calendar.public_holidays
    assert public is not None
    return named_holidays(public.country, public.subdivision, tuple(public.categories), year)


def check_holidays(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    years = term_years(spec)
    for key, calendar in spec.service_hours.items():
        loc = ("service_hours", key)
        if calendar.always:
            continue
        if calendar.public_holidays is not None:
            yield from _against_named(calendar, loc, years, source)
        else:
            yield from _hand_list(spec, calendar, loc, years, source)


def _against_named(
    calendar: ServiceHours, loc: tuple[str | int, ...], years: range, source: SourceMap
) -> Iterator[Problem]:
    for i, holiday in enumerate(calendar.holidays):
        year = named(calendar, holiday.date.year)
        dates = [day for day, name in year if same_holiday(name, holiday.name)]
        if dates and holiday.date not in dates:
            where = " and ".join(long_date(d) for d in dates)
            yield source.problem(
                (*loc, "holidays", i, "date"),
                f"{holiday.name} {holiday.date.year} is {where} in the {calendar.holiday_calendar}, "
                f"not {long_date(holiday.date)}",
                given=holiday.date.isoformat(),
                expected=" or ".join(d.isoformat() for d in dates),
                code="holiday-misdated",
            )
        elif holiday.date in {day for day, _ in year}:
            already = next(name for day, name in year if day == holiday.date)
            yield _warn(
                source,
                (*loc, "holidays", i),
                f"{long_date(holiday.date)} is already a holiday of the {calendar.holiday_calendar} ({already}); "
                "the entry adds nothing",
                code="holiday-redundant",
                given=holiday.name,
            )
    for j, removal in enumerate(calendar.removed_holidays):
        every = [entry for year in years for entry in named(calendar, year)]
        if removal.date is not None:
            found = any(day == removal.date for day, _ in every)
            given = removal.date.isoformat()
        else:
            found = any(same_holiday(name, removal.name or "") for _, name in every)
            given = removal.name or ""
        if not found:
            names = sorted({name for _, name in named(calendar, years.start)})
            yield source.problem(
                (*loc, "removed_holidays", j),
                f"no holiday of the {calendar.holiday_calendar} in the term ({years.start} to {years[-1]}) "
                f"is {given}, so there is nothing to remove",
                given=given,
                expected="a holiday of the calendar, e.g. " + ", ".join(names),
                code="holiday-removal-unknown",
            )


def _hand_list(
    spec: Spec, calendar: ServiceHours, loc: tuple[str | int, ...], years: range, source: SourceMap
) -> Iterator[Problem]:
    for i, holiday in enumerate(calendar.holidays):
        feasts = western_easter_feasts(holiday.date.year)
        feast = next((name for name in feasts if same_holiday(name, holiday.name)), None)
        if feast is not None and feasts[feast] != holiday.date:
            yield source.problem(
                (*loc, "holidays", i, "date"),
                f"{holiday.name} {holiday.date.year} is {long_date(feasts[feast])} (by the date of Easter), "
                f"not {long_date(holiday.date)}",
                given=holiday.date.isoformat(),
                expected=feasts[feast].isoformat(),
                code="holiday-misdated",
            )
    if not calendar.holidays:
        if calendar.holiday_calendar:
            yield _warn(
                source,
                (*loc, "holiday_calendar"),
                f"the {calendar.name} exclude the {calendar.holiday_calendar}, but the calendar lists no holiday and "
                "names no public_holidays calendar, so every such day counts as a working day",
                code="holiday-calendar-empty",
                given=calendar.holiday_calendar,
                expected="public_holidays: {country: ..., subdivision: ...}, or the holidays listed",
            )
        return
    last = max(h.date for h in calendar.holidays)
    if last.year < years[-1]:
        yield _warn(
            source,
            (*loc, "holidays"),
            f"the listed holidays end on {long_date(last)} but the term runs to {long_date(term_last_day(spec))}; "
            "after that date no day is a holiday",
            code="holidays-end-before-term",
            given=last.isoformat(),
            expected=f"holidays up to {years[-1]}, or public_holidays: {{country: ..., subdivision: ...}}",
        )
    yield _warn(
        source,
        (*loc, "holidays"),
        f"the holidays of {calendar.name} are a hand list; name the public-holiday calendar they come from "
        "(public_holidays: {country: ..., subdivision: ...}) and list only the days it lacks",
        code="holidays-unnamed",
    )


# ------------------------------------------------------------------ spans, seasons, sites


def _overlaps(spans: list[tuple[str, list[TimeWindow]]]) -> Iterator[tuple[str, str, str, str]]:
    """(span, other span, weekday, the shared time) for each pair of spans open at once on a weekday."""
    for day in WEEKDAYS:
        minutes = [(sid, w.minutes_of_day) for sid, windows in spans for w in windows if day in w.days]
        for i, (a, (a0, a1)) in enumerate(minutes):
            for b, (b0, b1) in minutes[i + 1 :]:
                if a != b and max(a0, b0) < min(a1, b1):
                    lo, hi = max(a0, b0), min(a1, b1)
                    yield a, b, day, f"{lo // 60:02d}:{lo % 60:02d}\u2013{hi // 60:02d}:{hi % 60:02d}"


def check_spans(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    first, last = spec.agreement.effective, term_last_day(spec)
    days = [first + dt.timedelta(days=i) for i in range(min((last - first).days + 1, 366 * 20))]
    for key, calendar in spec.service_hours.items():
        loc: tuple[str | int, ...] = ("service_hours", key)
        ids = [s.id for s in calendar.spans]
        for i, span_id in enumerate(ids):
            if span_id in ids[:i]:
                yield source.problem(
                    (*loc, "spans", i, "id"),
                    f"duplicate span id {span_id!r}",
                    given=span_id,
                    expected="span ids unique in the calendar",
                    code="duplicate-id",
                )
        usual = [(s.id, s.windows) for s in calendar.weekly_spans]
        known = [s.id for s in calendar.weekly_spans]
        for i, season in enumerate(calendar.seasons):
            for j, changed in enumerate(season.spans):
                if changed.id not in known:
                    yield source.problem(
                        (*loc, "seasons", i, "spans", j, "id"),
                        f"the season {season.name!r} changes the span {changed.id!r}, which {calendar.name} lacks",
                        given=changed.id,
                        expected="one of: " + ", ".join(known),
                        code="season-unknown-span",
                    )
        variants: list[tuple[int | None, list[tuple[str, list[TimeWindow]]]]] = [(None, usual)]
        for i, season in enumerate(calendar.seasons):
            replaced = {s.id: s.windows for s in season.spans}
            variants.append((i, [(sid, replaced.get(sid, windows)) for sid, windows in usual]))
        reported: set[tuple[str, str]] = set()
        for i, spans in variants:
            for a, b, day, shared in _overlaps(spans):
                if (a, b) in reported:
                    continue
                reported.add((a, b))
                if i is None:
                    where: tuple[str | int, ...] = (*loc, "spans", ids.index(b) if b in ids else 0)
                    whose = f"the spans {a!r} and {b!r} of {calendar.name}"
                else:
                    where = (*loc, "seasons", i, "spans")
                    whose = f"in the season {calendar.seasons[i].name!r} the spans {a!r} and {b!r}"
                yield source.problem(
                    where,
                    f"{whose} are both open on {day} {shared}",
                    given=b,
                    expected="spans that never share a minute",
                    code="span-overlap",
                )
        for i, season in enumerate(calendar.seasons):
            for j, other in enumerate(calendar.seasons[:i]):
                both = next((d for d in days if season.contains(d) and other.contains(d)), None)
                if both is not None:
                    yield source.problem(
                        (*loc, "seasons", i),
                        f"the seasons {other.name!r} and {season.name!r} of {calendar.name} both include "
                        f"{long_date(both)}",
                        given=season.id,
                        expected=f"a season that does not overlap seasons[{j}]",
                        code="season-overlap",
                    )
    yield from _business_spans(spec, source)


def _support_calendars(spec: Spec) -> dict[str, tuple[str | int, ...]]:
    """The calendars business-time targets can count in, with where each is named."""
    out: dict[str, tuple[str | int, ...]] = {}
    if spec.responsiveness is not None:
        out[spec.responsiveness.hours] = ("responsiveness", "hours")
    for i, service in enumerate(spec.services):
        if service.support_hours:
            out.setdefault(service.support_hours, ("services", i, "support_hours"))
    for i, customer in enumerate(spec.customers):
        if customer.hours:
            out.setdefault(customer.hours, ("customers", i, "hours"))
    for i, site in enumerate(spec.sites):
        if site.hours:
            out.setdefault(site.hours, ("sites", i, "hours"))
    return out


def _business_spans(spec: Spec, source: SourceMap) -> Iterator[Problem]:
    business = [
        f"{level.id} {target}"
        for level in spec.severities
        for target in ("response", "update", "resolution")
        if (duration := getattr(level, target)) is not None and duration.business
    ]
    if not business:
        return
    for key, loc in _support_calendars(spec).items():
        calendar = spec.service_hours.get(key)
        if calendar is not None and not any(s.is_business for s in calendar.weekly_spans):
            yield source.problem(
                loc,
                f"business-time targets ({', '.join(business[:3])}) count in {calendar.name}, which has no "
                "business span",
                given=key,
                expected="a calendar with a span marked 'business: true' (or a span 'prime')",
                code="calendar-no-business-span",
            )


def unknown_reference(
    source: SourceMap, loc: tuple[str | int, ...], value: str, valid: list[str], what: str
) -> Problem:
    """``no <what> called <value>``, expecting one of ``valid`` (code ``unknown-reference``)."""
    return source.problem(
        loc,
        f"no {what} called {value!r}",
        given=value,
        expected="one of: " + ", ".join(valid),
        code="unknown-reference",
    )


def check_sites(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    calendars = sorted(spec.service_hours)
    customers = [c.id for c in spec.customers]

    def unknown(loc: tuple[str | int, ...], value: str, valid: list[str], what: str) -> Problem:
        return unknown_reference(source, loc, value, valid, what)

    ids = [s.id for s in spec.sites]
    for i, site in enumerate(spec.sites):
        if site.id in ids[:i]:
            yield source.problem(
                ("sites", i, "id"),
                f"duplicate id {site.id!r}",
                given=site.id,
                expected="ids unique in the list",
                code="duplicate-id",
            )
        if site.customer is not None and site.customer not in customers:
            yield unknown(("sites", i, "customer"), site.customer, customers, "customer")
        if site.customer is None and len(customers) > 1:
            yield source.problem(
                ("sites", i),
                f"the site {site.name!r} names no customer, and the agreement has several",
                given="no customer",
                expected="customer: one of " + ", ".join(customers),
                code="site-customer-needed",
            )
        if site.hours is not None and site.hours not in calendars:
            yield unknown(("sites", i, "hours"), site.hours, calendars, "service_hours calendar")
    for i, customer in enumerate(spec.customers):
        if customer.hours is not None and customer.hours not in calendars:
            yield unknown(("customers", i, "hours"), customer.hours, calendars, "service_hours calendar")
