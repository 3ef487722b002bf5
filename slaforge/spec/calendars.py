"""Service-hours calendars: the weekly windows of each span, the time zone and the holidays.

A calendar is a set of named **spans** of the week (``prime``, ``non-prime``, ...), each a list of
time windows; time in a *business* span is what business durations ("4 business hours") count.
Format 1 writes the two spans as ``prime`` and ``non_prime`` (or ``always: true`` for 24x7);
:attr:`ServiceHours.weekly_spans` gives every calendar as its spans, so no consumer reads
``prime`` / ``non_prime`` itself.  The arithmetic over calendars is
:mod:`slaforge.arithmetic.calendars`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator, model_validator

from slaforge.spec.base import Identifier, Model, Text
from slaforge.spec.units import Duration

PRIME = "prime"  # the business span of format 1 (its prime hours)
NON_PRIME = "non-prime"  # the other span of format 1 (its non-prime hours)

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = "(mon|tue|wed|thu|fri|sat|sun)"
_DAY_OR_RANGE = {"type": "string", "pattern": f"^{_DAY}(-{_DAY})?$"}
# what users may write (a day, a range such as mon-fri, or a list of them), not the expanded list
_DAYS_SCHEMA = WithJsonSchema(
    {
        "description": "Weekdays or ranges: [mon-fri, sat] or mon-fri",
        "anyOf": [_DAY_OR_RANGE, {"type": "array", "minItems": 1, "items": _DAY_OR_RANGE}],
    }
)


class TimeWindow(Model):
    """A span of time on some weekdays: ``days: [mon, tue]`` + ``from: '08:00'`` + ``to: '18:00'``."""

    days: Annotated[list[Weekday], _DAYS_SCHEMA] = Field(min_length=1)
    start: str = Field(alias="from", pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM")
    end: str = Field(alias="to", pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$", description="HH:MM (24:00 = midnight)")

    @field_validator("days", mode="before")
    @classmethod
    def _expand_day_range(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            # check each item as written: once a range has expanded, an index no longer matches the file
            days: list[object] = []
            for item in value:
                first, _, last = item.partition("-") if isinstance(item, str) else ("", "", "")
                if isinstance(item, str) and item in WEEKDAYS:
                    days.append(item)
                elif first in WEEKDAYS and last in WEEKDAYS:
                    a, b = WEEKDAYS.index(first), WEEKDAYS.index(last)
                    days.extend(WEEKDAYS[a : b + 1] if a <= b else [*WEEKDAYS[a:], *WEEKDAYS[: b + 1]])
                else:
                    raise ValueError(
                        f"unknown day {item!r}: expected mon, tue, wed, thu, fri, sat, sun or a range such as mon-fri"
                    )
            return days
        return value

    @model_validator(mode="after")
    def _start_before_end(self) -> TimeWindow:
        start, end = self.minutes_of_day
        if start == end:
            raise ValueError(f"the window from {self.start} to {self.end} is empty")
        if start > end:
            raise ValueError(
                f"the window from {self.start} to {self.end} ends before it starts; a window across midnight "
                f"is two windows: from {self.start} to 24:00 and from 00:00 to {self.end} the next day"
            )
        return self

    @property
    def minutes_of_day(self) -> tuple[int, int]:
        def to_min(hhmm: str) -> int:
            h, m = hhmm.split(":")
            return int(h) * 60 + int(m)

        return to_min(self.start), to_min(self.end)

    def describe(self) -> str:
        return f"{format_days(self.days)} {self.start}\u2013{self.end}"


def format_days(days: list[str]) -> str:
    names = {
        "mon": "Monday",
        "tue": "Tuesday",
        "wed": "Wednesday",
        "thu": "Thursday",
        "fri": "Friday",
        "sat": "Saturday",
        "sun": "Sunday",
    }
    ordered = [d for d in WEEKDAYS if d in days]
    if len(ordered) > 2 and WEEKDAYS.index(ordered[-1]) - WEEKDAYS.index(ordered[0]) == len(ordered) - 1:
        return f"{names[ordered[0]]} to {names[ordered[-1]]}"
    return ", ".join(names[d] for d in ordered)


class Span(Model):
    """A named part of the week: its windows, and whether business durations count in it."""

    id: Identifier = Field(description="e.g. prime, non-prime; referenced by per-span targets and 'within'")
    name: str | None = Field(None, description="How the hours table names the span; the id when unset")
    business: bool | None = Field(None, description="Business durations count in it; default: true for 'prime'")
    windows: list[TimeWindow] = Field(default_factory=list, description="Its windows in a week")

    @property
    def is_business(self) -> bool:
        return self.business if self.business is not None else self.id == PRIME


class Holiday(Model):
    date: dt.date = Field(description="The date of the holiday")
    name: Text = Field(description="The holiday's name, e.g. Christmas Day")


class PublicHolidays(Model):
    """A named public-holiday calendar, as the ``holidays`` package keeps it."""

    country: Text = Field(description="ISO 3166 country code, e.g. GB, IE, DE")
    subdivision: str | None = Field(None, description="Subdivision code, e.g. ENG, NIR, SCT, WLS (GB); BE, BY (DE)")
    categories: list[Text] = Field(default_factory=lambda: ["public"], description="The package's categories")

    @model_validator(mode="after")
    def _known(self) -> PublicHolidays:
        from slaforge.spec.public_holidays import categories, countries

        known = countries()
        if self.country not in known:
            close = sorted(c for c in known if len(c) == 2)
            raise ValueError(f"unknown country {self.country!r}: expected an ISO 3166 code, one of {', '.join(close)}")
        subdivisions = known[self.country]
        if self.subdivision is not None and self.subdivision not in subdivisions:
            valid = ", ".join(subdivisions) if subdivisions else "none (the country has no subdivisions)"
            raise ValueError(f"unknown subdivision {self.subdivision!r} of {self.country}: expected one of {valid}")
        valid_categories = categories(self.country)
        for category in self.categories:
            if category not in valid_categories:
                raise ValueError(
                    f"unknown category {category!r} for {self.country}: expected one of {', '.join(valid_categories)}"
                )
        return self


class HolidayRemoval(Model):
    """A holiday of the named calendar that the agreement does not keep: by name (every year) or by date."""

    name: str | None = Field(None, description="The holiday's name, every year, e.g. Battle of the Boyne")
    date: dt.date | None = Field(None, description="Or one date")
    reason: Text = Field(description="Why the agreement does not keep it, printed with the hours")

    @model_validator(mode="after")
    def _one_of(self) -> HolidayRemoval:
        if (self.name is None) == (self.date is None):
            raise ValueError("give the removed holiday's 'name' (every year) or its 'date', not both")
        return self


_MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


def every_year_day(value: str, example: str) -> str:
    """``MM-DD`` that every year has (not 29 February, not 31 April), or ValueError naming ``example``."""
    month, day = value.split("-")
    try:
        dt.date(2001, int(month), int(day))  # a year without 29 February: every year has the day
    except ValueError:
        raise ValueError(f"{value} is not a day that every year has: expected MM-DD, e.g. {example}") from None
    return value


def _month_day_or_date(value: object) -> object:
    """``12-01`` (every year) stays text; ``2027-11-15`` (one date) becomes a date."""
    if isinstance(value, str) and re.match(_MONTH_DAY, value):
        return every_year_day(value, "12-01")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is neither MM-DD (every year) nor a date such as 2027-11-15") from None
    return value


MonthDayOrDate = Annotated[
    str | dt.date,
    BeforeValidator(_month_day_or_date),
    WithJsonSchema(
        {
            "description": "MM-DD (every year) or a date YYYY-MM-DD (once)",
            "anyOf": [{"type": "string", "pattern": _MONTH_DAY}, {"type": "string", "format": "date"}],
        }
    ),
]


class SeasonSpan(Model):
    id: Identifier = Field(description="A span of the calendar")
    windows: list[TimeWindow] = Field(description="Its windows on the days of the season (replacing the usual ones)")


class Season(Model):
    """A date range in which some spans have other windows (a peak season, summer hours)."""

    id: Identifier
    name: Text = Field(description="How the text names the season, e.g. Winter pressures")
    start: MonthDayOrDate = Field(alias="from", description="First day: MM-DD every year, or a date")
    until: MonthDayOrDate = Field(description="The day after the last (exclusive): MM-DD every year, or a date")
    spans: list[SeasonSpan] = Field(min_length=1, description="The spans whose windows differ in the season")

    @model_validator(mode="after")
    def _same_kind(self) -> Season:
        if isinstance(self.start, dt.date) != isinstance(self.until, dt.date):
            raise ValueError("give 'from' and 'until' both as MM-DD (every year) or both as dates")
        if isinstance(self.start, dt.date) and isinstance(self.until, dt.date) and self.until <= self.start:
            raise ValueError(f"the season ends ({self.until}) before it starts ({self.start})")
        if self.start == self.until:
            raise ValueError("the season is empty: 'until' is the day after its last day")
        return self

    def contains(self, day: dt.date) -> bool:
        if isinstance(self.start, dt.date) and isinstance(self.until, dt.date):
            return self.start <= day < self.until
        md = f"{day:%m-%d}"
        start, until = str(self.start), str(self.until)
        return start <= md < until if start < until else (md >= start or md < until)


class ServiceHours(Model):
    """A service-hours calendar: its spans (prime and non-prime, or named ones), seasons, a time zone and
    holidays."""

    name: Text = Field(description="How the agreement names these hours, e.g. 'Business Hours'")
    timezone: Text = Field(description="IANA time zone, e.g. Europe/London")
    always: bool = Field(False, description="24x7: every minute of every day is prime time")
    prime: list[TimeWindow] = Field(default_factory=list, description="Prime (core) service hours")
    non_prime: list[TimeWindow] = Field(default_factory=list, description="Extended, non-prime hours")
    spans: list[Span] = Field(
        default_factory=list, description="Named spans of the week instead of prime/non_prime, e.g. prime, non-prime"
    )
    seasons: list[Season] = Field(default_factory=list, description="Date ranges in which spans have other windows")
    public_holidays: PublicHolidays | None = Field(
        None, description="The named public-holiday calendar, e.g. {country: GB, subdivision: ENG}"
    )
    holiday_calendar: str | None = Field(
        None, description="How the text names the holidays, e.g. 'bank holidays in England and Wales'"
    )
    holidays: list[Holiday] = Field(
        default_factory=list, description="Holidays listed by date (with public_holidays: additions to it)"
    )
    removed_holidays: list[HolidayRemoval] = Field(
        default_factory=list, description="Holidays of the named calendar that the agreement does not keep"
    )
    on_holidays: Literal["closed", "as-sunday"] = Field(
        "closed", description="On a holiday every span is closed, or each span keeps its Sunday windows"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}: expected an IANA name such as Europe/London") from exc
        return value

    @model_validator(mode="after")
    def _has_hours(self) -> ServiceHours:
        if self.spans and (self.always or self.prime or self.non_prime):
            raise ValueError("give either 'spans' or 'prime'/'non_prime' (or 'always'), not both")
        if not self.always and not self.prime and not self.spans:
            raise ValueError("set 'always: true' for 24x7, give at least one 'prime' window, or give 'spans'")
        if self.always and self.seasons:
            raise ValueError("a 24x7 calendar has no seasons")
        if self.public_holidays is not None and not self.holiday_calendar:
            raise ValueError(
                "a named public_holidays calendar needs 'holiday_calendar': how the text names it, "
                "e.g. 'bank holidays in England and Wales'"
            )
        if self.removed_holidays and self.public_holidays is None:
            raise ValueError("'removed_holidays' removes holidays of a named calendar: give 'public_holidays' too")
        return self

    @property
    def weekly_spans(self) -> tuple[Span, ...]:
        """The calendar as its spans: ``prime`` (business) and ``non-prime`` for format 1; one business
        span covering the whole week for ``always``."""
        if self.spans:
            return tuple(self.spans)
        if self.always:
            return (
                Span(id=PRIME, business=True, windows=[TimeWindow(days=list(WEEKDAYS), start="00:00", end="24:00")]),
            )
        spans = [Span(id=PRIME, business=True, windows=self.prime)]
        if self.non_prime:
            spans.append(Span(id=NON_PRIME, business=False, windows=self.non_prime))
        return tuple(spans)

    def business_windows(self) -> list[TimeWindow]:
        """The windows of the business spans (outside any season)."""
        return [w for span in self.weekly_spans if span.is_business for w in span.windows]

    def season_on(self, day: dt.date) -> Season | None:
        return next((season for season in self.seasons if season.contains(day)), None)

    def spans_for(self, day: dt.date) -> tuple[Span, ...]:
        """The spans with the windows they have on ``day`` (a season's replace the usual ones)."""
        season = self.season_on(day)
        if season is None:
            return self.weekly_spans
        changed = {s.id: s.windows for s in season.spans}
        return tuple(
            span.model_copy(update={"windows": changed[span.id]}) if span.id in changed else span
            for span in self.weekly_spans
        )

    @property
    def prime_minutes_per_week(self) -> int:
        """Minutes of the business spans in a week without holidays."""
        return sum((w.minutes_of_day[1] - w.minutes_of_day[0]) * len(set(w.days)) for w in self.business_windows())

    @property
    def business_day_minutes(self) -> Decimal:
        """Length of the longest business day, for 'business day' durations."""
        per_day: dict[str, int] = {}
        for window in self.business_windows():
            for day in set(window.days):
                per_day[day] = per_day.get(day, 0) + window.minutes_of_day[1] - window.minutes_of_day[0]
        return Decimal(max(per_day.values(), default=0))


class Site(Model):
    """A place where the service is used, and the calendar that applies to what happens there."""

    id: Identifier
    name: Text = Field(description="How the text names the site, e.g. Foyle Royal Hospital")
    customer: Identifier | None = Field(None, description="The customer the site belongs to; the only one when unset")
    hours: Identifier | None = Field(
        None, description="The service_hours calendar for tickets and events at the site (its customer's when unset)"
    )


def counts_in_business_time(duration: Duration, calendar: ServiceHours | None) -> bool:
    """Whether ``duration`` counts only some hours of the week (a business duration of a calendar that is
    not open every minute)."""
    return duration.business and not (calendar is not None and calendar.always)


def compare_durations(
    a: Duration, b: Duration, calendar: ServiceHours | None, b_calendar: ServiceHours | None = None
) -> int | None:
    """Whether ``a``, counted from the same moment as ``b``, falls due later (1), at the same time (0) or
    sooner (-1) whenever the moment is; None when that depends on the moment (a month against 30 days).

    Two business durations compare in business minutes (a business day being the calendar's longest
    business day), two clock durations in minutes.  B business minutes always take at least B clock
    minutes, so a business duration is never sooner than a clock duration of at most as many minutes
    ("2 business days" against "4h": later), and a clock duration is never later than a business
    duration of at least as many; any other mix depends on when the clock starts.  In a 24x7 calendar a
    business duration is a clock duration.  ``b`` counts in ``b_calendar`` when it is given (two tiers
    or two levels of a portfolio, each with its own hours).
    """
    b_calendar = b_calendar if b_calendar is not None else calendar
    if a.calendar or b.calendar:  # months and years: through the calendar, never as a number of days
        from slaforge.spec.lengths import compare_lengths

        return compare_lengths(a, b)
    a_business, b_business = counts_in_business_time(a, calendar), counts_in_business_time(b, b_calendar)
    if a.business != b.business and (calendar is None or b_calendar is None):
        return None

    def minutes(d: Duration, cal: ServiceHours | None) -> Decimal:
        return d.business_minutes(cal.business_day_minutes) if d.business and cal else d.minutes

    a_min, b_min = minutes(a, calendar), minutes(b, b_calendar)
    if a_business == b_business:
        return (a_min > b_min) - (a_min < b_min)
    if a_business and a_min >= b_min:
        return 1
    if b_business and a_min <= b_min:
        return -1
    return None
