"""SLA arithmetic, checked against values computed independently here."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from slaforge.arithmetic import business_time, calendars, credits, downtime
from slaforge.cli import app
from slaforge.spec.calendars import ServiceHours
from slaforge.spec.models import CreditBand, Window

TARGETS = ["99", "99.5", "99.9", "99.95", "99.99", "99.999"]
DAYS = [28, 29, 30, 31, 90, 91, 92, 365, 366]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("days", DAYS)
def test_allowed_downtime_is_exact(target: str, days: int) -> None:
    # independent arithmetic with Fractions: (1 - target/100) * days * 86400 seconds
    expected = (1 - Fraction(target) / 100) * days * 86400
    got = downtime.allowed_downtime_seconds(Decimal(target), days * 86400)
    assert Fraction(got) == expected


def test_the_design_notes_figures() -> None:
    assert (
        downtime.format_seconds(downtime.allowed_downtime_seconds(Decimal("99.9"), 30 * 86400))
        == "43 minutes 12 seconds"
    )
    assert (
        downtime.format_seconds(downtime.allowed_downtime_seconds(Decimal("99.9"), 31 * 86400))
        == "44 minutes 38.4 seconds"
    )
    assert downtime.allowed_downtime_text(Decimal("99.9"), Window.calendar_month) == (
        "43 minutes 12 seconds in a 30-day month (44 minutes 38.4 seconds in a 31-day month)"
    )
    # 99% of a 366-day year: 3.66 days = 3 days 15 hours 50 minutes 24 seconds
    assert downtime.format_seconds(downtime.allowed_downtime_seconds(Decimal(99), 366 * 86400)) == (
        "3 days 15 hours 50 minutes 24 seconds"
    )


def band(**kw: str) -> CreditBand:
    return CreditBand.model_validate(kw)


@pytest.mark.parametrize(
    ("bounds", "inside", "outside"),
    [
        ({"at_least": "99.5", "below": "99.9"}, ["99.5", "99.89999"], ["99.9", "99.49999"]),
        ({"above": "99.5", "at_most": "99.9"}, ["99.50001", "99.9"], ["99.5", "99.90001"]),
        ({"below": "99"}, ["0", "98.999"], ["99"]),
    ],
)
def test_band_bounds_inclusive_and_exclusive(bounds: dict[str, str], inside: list[str], outside: list[str]) -> None:
    b = band(**bounds, credit="10%")
    assert all(b.contains(Decimal(v)) for v in inside)
    assert not any(b.contains(Decimal(v)) for v in outside)


def test_band_lookup_and_description() -> None:
    bands = [band(at_least="99.5", below="99.9", credit="5"), band(below="99.5", credit="10")]
    assert credits.band_for(bands, Decimal("99.5")) is bands[0]
    assert credits.band_for(bands, Decimal("99.4999")) is bands[1]
    assert credits.band_for(bands, Decimal("99.9")) is None
    assert credits.describe_band(bands[0]) == "at least 99.5% but below 99.9%"
    assert credits.describe_band(bands[1]) == "below 99.5%"


LONDON_OFFICE = ServiceHours.model_validate(
    {
        "name": "Business Hours",
        "timezone": "Europe/London",
        "prime": [{"days": ["mon-fri"], "from": "08:00", "to": "18:00"}],
        "holidays": [{"date": "2027-03-26", "name": "Good Friday"}, {"date": "2027-03-29", "name": "Easter Monday"}],
    }
)
LONDON = ZoneInfo("Europe/London")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        ("2027-03-05T16:45", 120, "2027-03-08T08:45"),  # 75 min on Friday, 45 on Monday
        ("2027-03-06T11:00", 60, "2027-03-08T09:00"),  # reported on a Saturday: counting starts Monday 08:00
        ("2027-03-04T07:00", 30, "2027-03-04T08:30"),  # before opening
        # Thursday before Easter: Good Friday and Easter Monday skipped, and the clocks change on 28 March 2027
        ("2027-03-25T17:00", 120, "2027-03-30T09:00"),
        ("2027-03-19T17:30", 60, "2027-03-22T08:30"),  # a Friday to a Monday
    ],
)
def test_business_time_deadlines(start: str, minutes: int, due: str) -> None:
    assert calendars.add_business_time(at(start), Decimal(minutes), LONDON_OFFICE) == at(due)


def test_business_note_gives_a_clock_example() -> None:
    from slaforge.spec.units import parse_duration

    note = business_time.business_note(parse_duration("2 business hours"), LONDON_OFFICE, dt.date(2027, 3, 1))
    assert note == (
        "2 business hours means 2 hours counted only within Business Hours; for example, for a report made at "
        "17:00 on a Friday it falls due at 09:00 on Monday"
    )
    assert business_time.business_note(parse_duration("4h"), LONDON_OFFICE, dt.date(2027, 3, 1)) is None


# ------------------------------------------------------------------ the calc commands, end to end

ROOT = Path(__file__).resolve().parent.parent
SAAS = ROOT / "samples" / "saas-platform.yaml"


def calc_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["calc", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output, parse_float=Fraction)


# every period length the issue names, with the calendar facts that make it that long
PERIOD_DAYS = [
    ("2027-02", 28),  # February of a common year
    ("2028-02", 29),  # February of a leap year
    ("2027-04", 30),
    ("2027-03", 31),
    ("2027-Q1", 90),  # 31 + 28 + 31
    ("2028-Q1", 91),  # 31 + 29 + 31
    ("2027-Q2", 91),  # 30 + 31 + 30
    ("2027-Q3", 92),  # 31 + 31 + 30
    ("2027", 365),
    ("2028", 366),
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(("period", "days"), PERIOD_DAYS)
def test_calc_downtime_json_for_a_concrete_period(target: str, period: str, days: int) -> None:
    answer = calc_json("downtime", target, "--period", period)
    assert answer["days"] == days
    expected = (100 - Fraction(target)) / 100 * days * 86400
    assert Fraction(answer["allowed_seconds"]) == expected
    assert Fraction(answer["allowed_minutes"]) == expected / 60


def test_calc_downtime_text_shows_minutes_and_hms() -> None:
    result = CliRunner().invoke(app, ["calc", "downtime", "99.9%", "--period", "2027-03"])
    assert result.exit_code == 0, result.output
    assert "allowed downtime: 44.64 minutes (44 minutes 38.4 seconds)" in result.output


def spoken(seconds: Fraction) -> str:
    """Seconds as the text says them, worked out here: whole hours and minutes, then the exact seconds."""
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    secs = f"{Decimal(rest.numerator) / Decimal(rest.denominator):f}".rstrip("0").rstrip(".")
    parts = [f"{hours} hour{'s' * (hours != 1)}"] * bool(hours) + [f"{minutes} minute{'s' * (minutes != 1)}"] * bool(
        minutes
    )
    return " ".join(parts + [f"{secs} second{'s' * (rest != 1)}"] * bool(rest))


@pytest.mark.parametrize("target", ["99.99", "99.995", "99.999"])
@pytest.mark.parametrize(("period", "days"), [("2027-02", 28), ("2027-03", 31), ("2027-Q1", 90)])
def test_durations_in_words_are_exact_not_rounded_to_a_tenth(target: str, period: str, days: int) -> None:
    result = CliRunner().invoke(app, ["calc", "downtime", f"{target}%", "--period", period])
    assert result.exit_code == 0, result.output
    seconds = (100 - Fraction(target)) / 100 * days * 86400  # 99.99% of 28 days leaves 241.92 s
    assert f"({spoken(seconds)})" in result.output


def test_the_agreement_states_a_budget_to_the_hundredth_of_a_second(tmp_path: Path) -> None:
    spec = (Path(__file__).parent / "specs" / "minimal.yaml").read_text(encoding="utf-8")
    assert spec.count("      target: 99.9%\n") == 1
    path = tmp_path / "spec.yaml"
    path.write_text(spec.replace("      target: 99.9%\n", "      target: 99.99%\n"), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(path), "-f", "html", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    (page,) = (tmp_path / "out").glob("*.html")
    text = " ".join(page.read_text(encoding="utf-8").split())
    month = Fraction(1, 10000) * 31 * 86400  # 267.84 s
    assert spoken(month) == "4 minutes 27.84 seconds" and f"{spoken(month)} in a 31-day month" in text


@pytest.mark.parametrize(
    ("period", "window", "days"),
    [
        ("2021-Q1", "calendar-quarter", 31 + 28 + 31),  # not the calendar month that --window defaults to
        ("2021-02", "calendar-month", 28),
        ("2024", "rolling-year", 366),  # the twelve months ending in December
        ("2021-01-05..2021-02-03", None, 30),  # a stretch of days is no window of its own
    ],
)
def test_calc_downtime_names_the_window_its_period_is(period: str, window: str | None, days: int) -> None:
    answer = calc_json("downtime", "99.9%", "--period", period)
    assert (answer["window"], answer["days"]) == (window, days)
    assert Fraction(answer["allowed_seconds"]) == Fraction(days * 86400, 1000)
    result = CliRunner().invoke(app, ["calc", "downtime", "99.9%", "--period", period])
    first = result.output.splitlines()[0]
    assert first == (f"target 99.9% over a {window} window" if window else "target 99.9% over the period")


def test_calc_downtime_refuses_a_window_its_period_is_not() -> None:
    result = CliRunner().invoke(app, ["calc", "downtime", "99.9%", "--window", "month", "--period", "2021-Q1"])
    assert result.exit_code == 1
    assert "--period 2021-Q1 is Q1 2021, which is not a calendar-month window" in result.output
    assert calc_json("downtime", "99.9%", "--window", "quarter", "--period", "2021-Q1")["days"] == 90


def test_calc_credit_says_which_window_it_used_without_a_period() -> None:
    effective = dt.date.fromisoformat(
        next(line.split(":", 1)[1].strip() for line in SAAS.read_text().splitlines() if "effective:" in line)
    )
    month = f"{effective:%B %Y}"  # the sample's windows are calendar months, counted from the effective date
    result = CliRunner().invoke(app, ["calc", "credit", str(SAAS), "--uptime", "99.2"])
    assert result.exit_code == 0, result.output
    assert f"  {month}: the agreement's first calendar-month window (no --period was given)" in result.output
    answer = calc_json("credit", str(SAAS), "--uptime", "99.2")
    assert (answer["period"], answer["period_given"], answer["window"]) == (month, False, "calendar-month")
    given = CliRunner().invoke(app, ["calc", "credit", str(SAAS), "--uptime", "99.2", "--period", "2027-03"])
    assert "no --period was given" not in given.output and "March 2027" in given.output


def test_calc_downtime_within_service_hours_minus_maintenance(tmp_path: Path) -> None:
    # Mon-Fri 08:00-19:00 Berlin in March 2027: 23 weekdays, minus the 8 March holiday, Good Friday and
    # Easter Monday = 20 days of 11 hours; the spec's Saturday maintenance window is outside those hours.
    spec = tmp_path / "hours.yaml"
    spec.write_text(SAAS.read_text(encoding="utf-8").replace("hours: always", "hours: office"), encoding="utf-8")
    answer = calc_json("downtime", "99.5", "--period", "2027-03", "--hours", f"{spec}#einvoicing")
    assert answer["service_seconds"] == 20 * 11 * 3600
    assert answer["maintenance_seconds"] == 0
    assert Fraction(answer["allowed_seconds"]) == Fraction(5, 1000) * 20 * 11 * 3600


# the sample's bands: [99.5, 99.9) 5%; (99.0, 99.5) 10%; (95, 99] 20%; [0, 95] 35%; fee EUR 9,200
@pytest.mark.parametrize(
    ("uptime", "percent", "bounds"),
    [
        ("99.9", 0, None),  # the target itself is met
        ("99.89999", 5, "lower bound 99.5% inclusive, upper bound 99.9% exclusive"),
        ("99.5", 5, "lower bound 99.5% inclusive, upper bound 99.9% exclusive"),
        ("99.49999", 10, "lower bound 99% exclusive, upper bound 99.5% exclusive"),
        ("99.00001", 10, "lower bound 99% exclusive, upper bound 99.5% exclusive"),
        ("99.0", 20, "lower bound 95% exclusive, upper bound 99% inclusive"),
        ("95.00001", 20, "lower bound 95% exclusive, upper bound 99% inclusive"),
        ("95", 35, "lower bound none (0%), upper bound 95% inclusive"),
    ],
)
def test_calc_credit_at_each_band_bound(uptime: str, percent: int, bounds: str | None) -> None:
    answer = calc_json("credit", str(SAAS), "--uptime", uptime, "--period", "2027-03")
    assert answer["band_bounds"] == bounds
    assert answer["band_credit_percent"] == percent
    assert answer["credit_percent"] == percent
    assert answer["credit_amount_value"] == 9200 * percent / 100
    assert answer["met"] is (percent == 0)


def test_calc_credit_cap_then_minimum() -> None:
    # gross = 5% of 9200 (460) + 30 missed P1 responses at EUR 150 (4500) = 4960, capped at 40% = 3680
    answer = calc_json("credit", str(SAAS), "--uptime", "99.6", "--event", "missed-response:P1=30")
    assert answer["gross_credit"] == "EUR 4,960"
    assert answer["after_cap"] == "EUR 3,680"
    assert answer["credit_amount"] == "EUR 3,680"
    assert answer["credit_amount_value"] == 3680
    assert answer["credit_percent"] == 40
    # fee EUR 100: 35% (35) + one missed P1 (150) = 185, capped at 40 -- then below the EUR 50 minimum: nothing.
    # Applying the minimum before the cap would wrongly pay 40.
    answer = calc_json("credit", str(SAAS), "--uptime", "90", "--fee", "100 EUR", "--event", "missed-response:P1=1")
    assert answer["gross_credit"] == "EUR 185"
    assert answer["after_cap"] == "EUR 40"
    assert answer["credit_amount_value"] == 0
    assert answer["credit_percent"] == 0
    assert any("minimum" in note for note in answer["notes"])


def test_calc_credit_chronic_failure_over_recent_periods() -> None:
    reached = calc_json("credit", str(SAAS), "--uptime", "99.2", "--history", "99.95,99.7")
    assert reached["chronic_failure"] == {"failed": 2, "needed": 2, "out_of": 3, "reached": True}
    not_yet = calc_json("credit", str(SAAS), "--uptime", "99.2", "--history", "99.7,99.95,99.95")
    assert not_yet["chronic_failure"]["reached"] is False


def test_a_band_set_with_a_gap_is_reported(tmp_path: Path) -> None:
    spec = tmp_path / "gap.yaml"
    text = SAAS.read_text(encoding="utf-8")
    assert "    - {above: 99.0%, below: 99.5%, credit: 10%}\n" in text
    spec.write_text(text.replace("    - {above: 99.0%, below: 99.5%, credit: 10%}\n", ""), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(spec), "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.output)["specs"][0]["problems"]
    gap = [p for p in problems if p["code"] == "credit-gap"]
    assert len(gap) == 1
    assert gap[0]["given"] == "99% .. 99.5%"
    assert gap[0]["line"] is not None


# Support Hours of the sample: Mon-Fri 08:00-19:00 Europe/Berlin; 8 March, Good Friday (26 March) and Easter
# Monday (29 March) 2027 are holidays; clocks go forward on Sunday 28 March 2027.  P3: response 4 business
# hours, resolution 5 business days (5 x 11 h); P1: response 30 minutes and resolution 4 hours, clock time.
@pytest.mark.parametrize(
    ("severity", "reported", "response", "resolution"),
    [
        # across a weekend: 2 h on Friday, 2 h on Monday (resolution: 2 + 4 x 11 + 9 h)
        ("P3", "2027-03-12T17:00", "2027-03-15T10:00:00+01:00", "2027-03-19T17:00:00+01:00"),
        # across a holiday (8 March): Friday 2 h, Monday skipped, Tuesday 2 h
        ("P3", "2027-03-05T17:00", "2027-03-09T10:00:00+01:00", "2027-03-15T17:00:00+01:00"),
        # across Easter and the change to summer time: 1 h on Thursday, then Tuesday 30 March in CEST
        ("P3", "2027-03-25T18:00", "2027-03-30T11:00:00+02:00", "2027-04-05T18:00:00+02:00"),
        # filed outside service hours, at night and as UTC: counting starts at 08:00 the next working day
        ("P3", "2027-03-10T21:30", "2027-03-11T12:00:00+01:00", "2027-03-17T19:00:00+01:00"),
        ("P3", "2027-03-13T09:00Z", "2027-03-15T12:00:00+01:00", "2027-03-19T19:00:00+01:00"),
        # clock time across the night the clocks change: 01:50 CET + 30 min is 03:20 CEST
        ("P1", "2027-03-28T01:50", "2027-03-28T03:20:00+02:00", "2027-03-28T06:50:00+02:00"),
    ],
)
def test_calc_deadline(severity: str, reported: str, response: str, resolution: str) -> None:
    answer = calc_json("deadline", str(SAAS), "--severity", severity, "--reported", reported)
    assert answer["targets"]["response"]["due"] == response
    assert answer["targets"]["resolution"]["due"] == resolution


def test_calc_errors_are_messages_not_tracebacks() -> None:
    result = CliRunner().invoke(app, ["calc", "downtime", "101", "--period", "2027-02"])
    assert result.exit_code == 1  # a value out of range: the command line parses
    assert "outside 0..100%" in result.output
    result = CliRunner().invoke(app, ["calc", "deadline", str(SAAS), "--severity", "P9", "--reported", "2027-03-01"])
    assert result.exit_code == 1  # names a severity the spec does not have
    assert "no severity 'P9'" in result.output


ALWAYS_BERLIN = ServiceHours.model_validate({"name": "24x7", "timezone": "Europe/Berlin", "always": True})
NIGHT_DESK = ServiceHours.model_validate(
    {
        "name": "Night desk",
        "timezone": "Europe/Berlin",
        "prime": [{"days": ["mon-sun"], "from": "00:00", "to": "08:00"}],
    }
)


@pytest.mark.parametrize("calendar", [ALWAYS_BERLIN, NIGHT_DESK], ids=["24x7", "night-desk"])
@pytest.mark.parametrize(
    ("start", "due"),
    [
        # 28 March 2027: 02:00 CET jumps to 03:00 CEST. 01:00 CET is 00:00 UTC; four real hours later is
        # 04:00 UTC = 06:00 CEST (counting the wall clock would give 05:00, three hours)
        ("2027-03-28T01:00:00+01:00", "2027-03-28T06:00:00+02:00"),
        # 31 October 2027: 03:00 CEST falls back to 02:00 CET. 01:00 CEST is 23:00 UTC; plus four hours is
        # 03:00 UTC = 04:00 CET (the wall clock would give 05:00, five hours)
        ("2027-10-31T01:00:00+02:00", "2027-10-31T04:00:00+01:00"),
    ],
)
def test_service_time_is_real_time_on_the_nights_the_clocks_change(
    calendar: ServiceHours, start: str, due: str
) -> None:
    got = calendars.add_business_time(dt.datetime.fromisoformat(start), Decimal(240), calendar)
    assert got.isoformat() == due
    elapsed = got - dt.datetime.fromisoformat(start)  # aware datetimes in different offsets: real difference
    assert elapsed == dt.timedelta(hours=4)


def test_a_fee_in_another_currency_than_the_agreement_is_refused() -> None:
    result = CliRunner().invoke(app, ["calc", "credit", str(SAAS), "--uptime", "99.2", "--fee", "12000 GBP"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    assert "--fee '12000 GBP': the agreement's amounts are in EUR" in result.output
