"""Months and years are calendar lengths, written in words or ISO 8601 alike.

``P1M`` and ``1 month`` are one value, as are ``P1Y``, ``12 months`` and ``1 year``.  A month from
31 January ends at the end of February, not 30 days later, and a month is never "the same" as 30 days:
compared through the calendar, a month is 28 to 31 days long, so against 30 days the answer is
"incomparable".  Checked where durations are used: the parser and the schema, a claim deadline in the
report, the term in validate's holiday check, the comparison of two versions (diff), of two tiers and of
an offer's negotiation envelope.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.diff.values import same
from slaforge.spec import load_spec
from slaforge.spec.calendars import compare_durations
from slaforge.spec.lengths import add_months, after, compare_lengths, month_span_days
from slaforge.spec.units import parse_duration
from slaforge.terms.comparable import TermValue, spec_terms
from slaforge.terms.ordering import compare

ROOT = Path(__file__).resolve().parent.parent
MEASURED = ROOT / "samples" / "measurements"
MINIMAL = (ROOT / "tests" / "specs" / "minimal.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("iso", "words"),
    [("P1M", "1 month"), ("P3M", "3 months"), ("P1Y", "1 year"), ("P1Y6M", "18 months"), ("p2y", "2 years")],
)
def test_iso_8601_and_words_are_one_value(iso: str, words: str) -> None:
    a, b = parse_duration(iso), parse_duration(words)
    assert a.calendar and b.calendar
    assert a.months == b.months
    assert same(a, b)
    assert compare_lengths(a, b) == 0


def test_a_year_is_twelve_months_and_not_365_days() -> None:
    assert same(parse_duration("1 year"), parse_duration("12 months"))
    assert not same(parse_duration("1 year"), parse_duration("365 days"))
    assert compare_lengths(parse_duration("1 year"), parse_duration("365 days")) is None  # 365 or 366 days
    assert compare_lengths(parse_duration("1 year"), parse_duration("367 days")) == -1


def days_of_months_counted_by_hand(months: int) -> tuple[int, int]:
    """Every start day from 2000 to 2003 (a leap year and three others), months added by hand."""
    lengths = set()
    day = dt.date(2000, 1, 1)
    while day.year < 2004:
        year, month = day.year + (day.month - 1 + months) // 12, (day.month - 1 + months) % 12 + 1
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        lengths.add((dt.date(year, month, min(day.day, last)) - day).days)
        day += dt.timedelta(days=1)
    return min(lengths), max(lengths)


@pytest.mark.parametrize("months", [1, 2, 3, 6, 12, 24])
def test_a_span_of_months_is_as_long_as_the_calendar_makes_it(months: int) -> None:
    assert month_span_days(months) == days_of_months_counted_by_hand(months)


@pytest.mark.parametrize(
    ("start", "duration", "end"),
    [
        (dt.date(2027, 1, 31), "P1M", dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), "1 month", dt.date(2028, 2, 29)),
        (dt.date(2027, 1, 31), "30 days", dt.date(2027, 3, 2)),
        (dt.date(2027, 3, 31), "P1M", dt.date(2027, 4, 30)),
        (dt.date(2027, 8, 31), "6 months", dt.date(2028, 2, 29)),
        (dt.date(2028, 2, 29), "P1Y", dt.date(2029, 2, 28)),
        (dt.date(2027, 11, 15), "P3M", dt.date(2028, 2, 15)),
    ],
)
def test_months_are_added_on_the_calendar(start: dt.date, duration: str, end: dt.date) -> None:
    assert after(start, parse_duration(duration)) == end


def test_a_month_keeps_the_time_of_day() -> None:
    assert add_months(dt.datetime(2027, 1, 31, 17, 30), 1) == dt.datetime(2027, 2, 28, 17, 30)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1 month", "30 days", None),  # shorter in February, longer in March: never silently equal
        ("1 month", "31 days", None),
        ("1 month", "4 weeks", None),  # a February of a common year is exactly 4 weeks
        ("1 month", "27 days", 1),
        ("1 month", "32 days", -1),
        ("P3M", "90 days", None),
        ("P3M", "93 days", -1),
        ("P1M", "1 month", 0),
        ("2 months", "P1M", 1),
        ("1 month", "2 business days", None),  # business time against the calendar: it depends on the hours
    ],
)
def test_months_against_fixed_lengths(a: str, b: str, expected: int | None) -> None:
    assert compare_lengths(parse_duration(a), parse_duration(b)) == expected
    assert compare_durations(parse_duration(a), parse_duration(b), None) == expected


def claim_deadline_term(tmp_path: Path, deadline: str) -> TermValue:
    path = tmp_path / f"{deadline.replace(' ', '-')}.yaml"
    path.write_text(MINIMAL.replace("deadline: 30 days", f"deadline: {deadline}"), encoding="utf-8")
    terms = spec_terms(load_spec(path).spec)
    return next(term for term in terms if term.key == "service_credits.claim.deadline")


def test_two_tiers_with_a_month_and_30_days_are_incomparable_not_the_same(tmp_path: Path) -> None:
    month, iso, days = (claim_deadline_term(tmp_path, d) for d in ("1 month", "P1M", "30 days"))
    verdict = compare(days, month)
    assert verdict.outcome == "incomparable"
    assert "28 to 31 days" in verdict.why
    assert month.same != days.same
    assert compare(iso, month).outcome == "same" and iso.same == month.same
    assert compare(month, claim_deadline_term(tmp_path, "2 months")).outcome == "better"  # a longer claim window


def report_claim(tmp_path: Path, deadline: str, period: str) -> dict[str, str]:
    folder = tmp_path / deadline.replace(" ", "-")
    shutil.copytree(MEASURED, folder)
    spec = folder / "agreement.yaml"
    text = spec.read_text(encoding="utf-8")
    assert text.count("deadline: 30 days") == 1
    spec.write_text(text.replace("deadline: 30 days", f"deadline: {deadline}"), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(spec), "--data", str(folder), "--period", period, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["credits"]["claim"]


@pytest.mark.parametrize(
    ("deadline", "period", "last_day"),
    [
        ("P1M", "2027-01", "2027-02-28"),  # within a month after 31 January: by the end of February
        ("1 month", "2027-01", "2027-02-28"),
        ("30 days", "2027-01", "2027-03-02"),  # 30 days from the start of 1 February
        ("P1M", "2027-03", "2027-04-30"),
        ("P2M", "2027-03", "2027-05-31"),
    ],
)
def test_a_claim_deadline_in_months_ends_by_the_calendar(
    tmp_path: Path, deadline: str, period: str, last_day: str
) -> None:
    assert report_claim(tmp_path, deadline, period)["last_day"] == last_day


def test_diff_reports_a_month_changed_to_30_days_and_not_p1m_to_one_month(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(MINIMAL.replace("deadline: 30 days", "deadline: 1 month"), encoding="utf-8")
    same_value = tmp_path / "iso.yaml"
    same_value.write_text(MINIMAL.replace("deadline: 30 days", "deadline: P1M"), encoding="utf-8")
    days = tmp_path / "days.yaml"
    days.write_text(MINIMAL, encoding="utf-8")
    unchanged = CliRunner().invoke(app, ["diff", str(old), str(same_value), "--format", "json"])
    changed = CliRunner().invoke(app, ["diff", str(old), str(days), "--format", "json"])
    assert unchanged.exit_code == 0 and changed.exit_code == 0, unchanged.output + changed.output
    assert "claim.deadline" not in unchanged.stdout
    assert "claim.deadline" in changed.stdout
