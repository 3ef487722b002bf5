"""Checks of the service-hours calendars: holidays where their names say, and holidays for the whole term.

- ``holiday-misdated`` (error): a listed holiday whose name is a holiday of the named calendar in
  that year (or, with no named calendar, a movable feast of Western Easter) on another date;
- ``holiday-redundant`` (warning): a listed holiday on a date the named calendar already has;
- ``holiday-removal-unknown`` (error): a removal that matches no holiday of the named calendar in
  the term;
- ``holidays-end-before-term`` (warning): a hand list that ends in a year before the term's last;
- ``holidays-unnamed`` (warning): a hand list with no named calendar behind it;
- ``holiday-calendar-empty`` (warning): the text names a holiday calendar but no holiday is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from slaforge.errors import Problem
from slaforge.spec.calendars import ServiceHours
from slaforge.spec.models import Spec
from slaforge.spec.public_holidays import named_holidays, same_holiday, western_easter_feasts
from slaforge.spec.source import SourceMap
from slaforge.text import long_date


def _warn(source: SourceMap, loc: tuple[str | int, ...], message: str, code: str, **kw: object) -> Problem:
    return source.problem(loc, message, severity="warning", code=code, **kw)  # type: ignore[arg-type]


def term_last_day(spec: Spec) -> dt.date:
    """The last day of the initial term: months and years by the corresponding date, the rest in days."""
    start = spec.agreement.effective
    initial = spec.agreement.term.initial
    amount = int(initial.amount) if initial.amount == int(initial.amount) else None
    if initial.unit in ("month", "year") and amount is not None:
        months = amount * (12 if initial.unit == "year" else 1)
        year, month = divmod(start.month - 1 + months, 12)
        year += start.year
        month += 1
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        end = dt.date(year, month, min(start.day, last))
    else:
        end = start + dt.timedelta(minutes=float(initial.minutes))
    return end - dt.timedelta(days=1)


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
