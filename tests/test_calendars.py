"""Calendars: spans and named public holidays; every figure stated here, never taken from the code."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from slaforge.arithmetic import calendars
from slaforge.cli import app
from slaforge.errors import Problem, SpecError
from slaforge.spec import load_spec
from slaforge.spec.calendars import ServiceHours

LONDON = ZoneInfo("Europe/London")

FORMAT_1 = ServiceHours.model_validate(
    {
        "name": "Business Hours",
        "timezone": "Europe/London",
        "prime": [{"days": "mon-fri", "from": "08:00", "to": "18:00"}],
        "non_prime": [{"days": ["sat"], "from": "09:00", "to": "13:00"}],
        "holidays": [{"date": "2027-03-26", "name": "Good Friday"}],
    }
)


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_format_1_is_two_spans() -> None:
    spans = FORMAT_1.weekly_spans
    assert [(s.id, s.is_business) for s in spans] == [("prime", True), ("non-prime", False)]
    assert calendars.spans_on(FORMAT_1, dt.date(2027, 3, 6)) == [("non-prime", 540, 780)]  # a Saturday
    assert calendars.spans_on(FORMAT_1, dt.date(2027, 3, 5)) == [("prime", 480, 1080)]
    assert calendars.spans_on(FORMAT_1, dt.date(2027, 3, 26)) == []  # the holiday
    assert calendars.business_spans_on(FORMAT_1, dt.date(2027, 3, 6)) == []


@pytest.mark.parametrize(
    ("instant", "span"),
    [
        ("2027-03-05T07:59", None),
        ("2027-03-05T08:00", "prime"),
        ("2027-03-05T17:59", "prime"),
        ("2027-03-05T18:00", None),
        ("2027-03-06T10:00", "non-prime"),
        ("2027-03-26T10:00", None),  # Good Friday
    ],
)
def test_span_at(instant: str, span: str | None) -> None:
    assert calendars.span_at(FORMAT_1, local(instant)) == span


def test_next_span_start() -> None:
    assert calendars.next_span_start(FORMAT_1, local("2027-03-05T18:30")) == (local("2027-03-06T09:00"), "non-prime")
    # Thursday evening before Good Friday: Saturday's non-prime hours open next
    assert calendars.next_span_start(FORMAT_1, local("2027-03-25T19:00")) == (local("2027-03-27T09:00"), "non-prime")


def test_seconds_within_counts_real_time_across_the_clock_change() -> None:
    march = [dt.date(2027, 3, 1) + dt.timedelta(days=i) for i in range(31)]
    # 23 weekdays in March 2027 less Good Friday: 22 x 10 h of prime; 4 Saturdays x 4 h of non-prime
    assert calendars.seconds_within(FORMAT_1, march, "business") == Decimal(22 * 10 * 3600)
    assert calendars.seconds_within(FORMAT_1, march, ["non-prime"]) == Decimal(4 * 4 * 3600)
    assert calendars.seconds_within(FORMAT_1, march, "all") == Decimal((22 * 10 + 4 * 4) * 3600)
    always = ServiceHours.model_validate({"name": "24x7", "timezone": "Europe/London", "always": True})
    # 28 March 2027 has 23 hours in London
    assert calendars.seconds_within(always, march, "all") == Decimal((31 * 24 - 1) * 3600)


# ------------------------------------------------------------------ named public holidays


def named_calendar(country: str, subdivision: str | None = None, **extra: object) -> ServiceHours:
    public = {"country": country, **({"subdivision": subdivision} if subdivision else {})}
    return ServiceHours.model_validate(
        {
            "name": "Desk Hours",
            "timezone": "Europe/London",
            "prime": [{"days": "mon-fri", "from": "08:00", "to": "18:00"}],
            "public_holidays": public,
            "holiday_calendar": "the public holidays",
            **extra,
        }
    )


D = dt.date
# the dates of the published calendars, stated here (gov.uk bank holidays, the Irish and Berlin public holidays)
NAMED = [
    ("GB", "ENG", 2027, {D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31),
                         D(2027, 8, 30), D(2027, 12, 25), D(2027, 12, 26), D(2027, 12, 27), D(2027, 12, 28)}),
    ("GB", "ENG", 2028, {D(2028, 1, 1), D(2028, 1, 3), D(2028, 4, 14), D(2028, 4, 17), D(2028, 5, 1),
                         D(2028, 5, 29), D(2028, 8, 28), D(2028, 12, 25), D(2028, 12, 26)}),
    ("GB", "NIR", 2028, {D(2028, 1, 1), D(2028, 1, 3), D(2028, 3, 17), D(2028, 4, 14), D(2028, 4, 17),
                         D(2028, 5, 1), D(2028, 5, 29), D(2028, 7, 12), D(2028, 8, 28), D(2028, 12, 25),
                         D(2028, 12, 26)}),
    ("IE", None, 2027, {D(2027, 1, 1), D(2027, 2, 1), D(2027, 3, 17), D(2027, 3, 29), D(2027, 5, 3),
                        D(2027, 6, 7), D(2027, 8, 2), D(2027, 10, 25), D(2027, 12, 25), D(2027, 12, 26)}),
    ("IE", None, 2028, {D(2028, 1, 1), D(2028, 2, 7), D(2028, 3, 17), D(2028, 4, 17), D(2028, 5, 1),
                        D(2028, 6, 5), D(2028, 8, 7), D(2028, 10, 30), D(2028, 12, 25), D(2028, 12, 26)}),
    ("DE", "BE", 2027, {D(2027, 1, 1), D(2027, 3, 8), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 1),
                        D(2027, 5, 6), D(2027, 5, 17), D(2027, 10, 3), D(2027, 12, 25), D(2027, 12, 26)}),
]  # fmt: skip


@pytest.mark.parametrize(("country", "subdivision", "year", "dates"), NAMED, ids=lambda v: str(v)[:8])
def test_named_calendars_give_the_published_dates(
    country: str, subdivision: str | None, year: int, dates: set[dt.date]
) -> None:
    calendar = named_calendar(country, subdivision)
    assert {day for day, _ in calendars.holidays_in(calendar, year)} == dates
    first = D(year, 1, 1)
    every_day = {first + dt.timedelta(days=i) for i in range(366) if (first + dt.timedelta(days=i)).year == year}
    assert {day for day in every_day if calendars.is_holiday(calendar, day)} == dates


def test_names_are_english_whatever_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("LANGUAGE", "de")
    names = dict(calendars.holidays_in(named_calendar("DE", "BE"), 2031))  # a year no other test asked for
    assert names[D(2031, 12, 26)] == "Second Day of Christmas"
    assert dict(calendars.holidays_in(named_calendar("IE"), 2031))[D(2031, 2, 3)] == "Saint Brigid's Day"


def test_additions_and_removals() -> None:
    calendar = named_calendar(
        "GB",
        "NIR",
        holidays=[{"date": "2027-12-24", "name": "Partnership Christmas Eve closure"}],
        removed_holidays=[{"name": "Battle of the Boyne", "reason": "The desk stays open on 12 July."}],
    )
    assert calendars.is_holiday(calendar, D(2027, 12, 24))
    assert not calendars.is_holiday(calendar, D(2027, 7, 12))
    assert not calendars.is_holiday(calendar, D(2028, 7, 12))  # a removal by name holds every year
    assert calendars.is_holiday(calendar, D(2027, 3, 17))
    by_date = named_calendar("GB", "NIR", removed_holidays=[{"date": "2027-07-12", "reason": "Open this once."}])
    assert not calendars.is_holiday(by_date, D(2027, 7, 12))
    assert calendars.is_holiday(by_date, D(2028, 7, 12))


def test_on_holidays_as_sunday_keeps_the_sunday_windows() -> None:
    windows = {
        "prime": [{"days": "mon-fri", "from": "08:00", "to": "18:00"}],
        "non_prime": [{"days": ["sat", "sun"], "from": "09:00", "to": "17:00"}],
    }
    as_sunday = named_calendar("GB", "NIR", **windows, on_holidays="as-sunday")
    closed = named_calendar("GB", "NIR", **windows)
    good_friday = D(2027, 3, 26)
    assert calendars.spans_on(as_sunday, good_friday) == [("non-prime", 540, 1020)]
    assert calendars.spans_on(closed, good_friday) == []
    assert calendars.business_spans_on(as_sunday, good_friday) == []


def test_unknown_country_and_subdivision_list_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="unknown subdivision 'XX' of GB: expected one of ENG, NIR, SCT, WLS"):
        named_calendar("GB", "XX")
    with pytest.raises(ValueError, match="unknown country 'ZZ'"):
        named_calendar("ZZ")
    with pytest.raises(ValueError, match="needs 'holiday_calendar'"):
        ServiceHours.model_validate(
            {"name": "x", "timezone": "UTC", "prime": [{"days": "mon", "from": "08:00", "to": "09:00"}],
             "public_holidays": {"country": "GB"}}
        )  # fmt: skip


# ------------------------------------------------------------------ holiday checks, through validate and calc

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "tests" / "specs" / "minimal.yaml").read_text(encoding="utf-8")
NAMED_LINES = (
    "    public_holidays: {country: GB, subdivision: ENG}\n    holiday_calendar: bank holidays in England and Wales\n"
)
WAN = ROOT / "samples" / "managed-network.yaml"


def spec_with(tmp_path: Path, holidays: str) -> Path:
    """The minimal spec (term 1 June 2027 to 31 May 2029) with other holiday lines for its office calendar."""
    assert MINIMAL.count(NAMED_LINES) == 1
    path = tmp_path / "spec.yaml"
    path.write_text(MINIMAL.replace(NAMED_LINES, holidays), encoding="utf-8")
    return path


def problems(path: Path) -> tuple[list[Problem], list[Problem]]:
    try:
        loaded = load_spec(path)
    except SpecError as error:
        return [p for p in error.problems if p.severity == "error"], []
    return [], list(loaded.warnings)


def test_the_minimal_term(tmp_path: Path) -> None:
    # the figures below assume this term; fail loudly if the minimal spec changes it
    assert "effective: 2027-06-01" in MINIMAL and "initial: 24 months" in MINIMAL


def test_a_misdated_holiday_against_the_named_calendar(tmp_path: Path) -> None:
    path = spec_with(tmp_path, NAMED_LINES + "    holidays:\n      - {date: 2027-04-02, name: Good Friday}\n")
    (error,), _ = problems(path)
    assert error.code == "holiday-misdated"
    assert error.path == "service_hours.office.holidays[0].date"
    assert error.message == (
        "Good Friday 2027 is 26 March 2027 in the bank holidays in England and Wales, not 2 April 2027"
    )
    assert (error.given, error.expected) == ("2027-04-02", "2027-03-26")


def test_a_misdated_movable_feast_without_a_named_calendar(tmp_path: Path) -> None:
    lines = "    holidays:\n      - {date: 2027-04-05, name: Easter Monday}\n"
    lines += "      - {date: 2029-05-21, name: Whit Monday}\n"
    errors, _ = problems(spec_with(tmp_path, lines))
    # Easter Sunday is 28 March 2027 and 1 April 2029: Easter Monday 29 March 2027, Whit Monday 21 May 2029
    assert [(e.code, e.path, e.expected) for e in errors] == [
        ("holiday-misdated", "service_hours.office.holidays[0].date", "2027-03-29")
    ]


def test_substitute_days_and_other_names_are_the_same_holiday(tmp_path: Path) -> None:
    lines = NAMED_LINES + (
        "    holidays:\n"
        "      - {date: 2027-12-27, name: Christmas Day (substitute day)}\n"  # 'observed' in the named calendar
        "      - {date: 2027-05-03, name: Early May bank holiday}\n"  # 'May Day'
        "      - {date: 2027-12-24, name: Christmas closure}\n"  # another holiday: an addition
    )
    errors, warnings = problems(spec_with(tmp_path, lines))
    assert errors == []
    assert [(w.code, w.path) for w in warnings] == [
        ("holiday-redundant", "service_hours.office.holidays[0]"),
        ("holiday-redundant", "service_hours.office.holidays[1]"),
    ]


def test_a_removal_must_match_a_holiday_in_the_term(tmp_path: Path) -> None:
    lines = (
        NAMED_LINES + "    removed_holidays:\n      - {name: Battle of the Boyne, reason: Not an English holiday.}\n"
    )
    (error,), _ = problems(spec_with(tmp_path, lines))
    assert (error.code, error.path, error.given) == (
        "holiday-removal-unknown",
        "service_hours.office.removed_holidays[0]",
        "Battle of the Boyne",
    )
    ok = NAMED_LINES + "    removed_holidays:\n      - {name: Late Summer Bank Holiday, reason: Open in August.}\n"
    assert problems(spec_with(tmp_path, ok)) == ([], [])


def test_a_hand_list_that_ends_before_the_term(tmp_path: Path) -> None:
    lines = "    holidays:\n      - {date: 2027-08-30, name: Summer bank holiday}\n"
    errors, warnings = problems(spec_with(tmp_path, lines))
    assert errors == []
    assert [w.code for w in warnings] == ["holidays-end-before-term", "holidays-unnamed"]
    assert warnings[0].message == (
        "the listed holidays end on 30 August 2027 but the term runs to 31 May 2029; "
        "after that date no day is a holiday"
    )
    longer = lines + "      - {date: 2029-05-28, name: Spring bank holiday}\n"
    assert [w.code for w in problems(spec_with(tmp_path, longer))[1]] == ["holidays-unnamed"]


def test_a_holiday_calendar_named_but_empty(tmp_path: Path) -> None:
    _, warnings = problems(spec_with(tmp_path, "    holiday_calendar: bank holidays in England and Wales\n"))
    assert [(w.code, w.path) for w in warnings] == [("holiday-calendar-empty", "service_hours.office.holiday_calendar")]


def calc_deadline(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["calc", "deadline", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_calc_deadline_skips_good_friday_2028_of_the_named_calendar() -> None:
    # the sample WAN: Business Hours Mon-Fri 08:00-18:00, bank holidays of England and Wales.
    # P3 response 2 business hours from Thursday 13 April 2028 17:30: 30 min on Thursday; Good Friday
    # (14 April) and Easter Monday (17 April) are holidays; 90 min from Tuesday 08:00.
    answer = calc_deadline(str(WAN), "--severity", "P3", "--reported", "2028-04-13T17:30")
    assert answer["targets"]["response"]["due"] == "2028-04-18T09:30:00+01:00"  # type: ignore[index]
    assert answer["warnings"] == []


def test_calc_deadline_warns_after_a_hand_list_ends(tmp_path: Path) -> None:
    path = spec_with(tmp_path, "    holidays:\n      - {date: 2027-08-30, name: Summer bank holiday}\n")
    # the minimal spec's P3: response 4 business hours, resolution 3 business days (due Wednesday 5 January);
    # Monday 3 January 2028 is a bank holiday the list lacks, so it counts as a working day
    answer = calc_deadline(str(path), "--severity", "P3", "--reported", "2027-12-31T16:00")
    assert answer["targets"]["response"]["due"] == "2028-01-03T10:00:00+00:00"  # type: ignore[index]
    assert answer["warnings"] == [
        "the holidays listed for Business Hours end on 30 August 2027; 5 January 2028 lies after them, so no day "
        "after the list is counted as a holiday"
    ]
