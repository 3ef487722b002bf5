"""When a credit claim must arrive: a deadline in days or months is counted on the calendar, not in elapsed
seconds.

The agreement is the sample behind the service level report (samples/measurements/agreement.yaml: Europe/Berlin,
claims "within 30 days" after the end of the calendar month), read through ``slaforge report --json`` and the
report's own text.  Summer time in Europe starts on Sunday 28 March 2027 (the last Sunday of March).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "samples" / "measurements"
SPEC = DATA / "agreement.yaml"
BERLIN = ZoneInfo("Europe/Berlin")


def spec_with(folder: Path, deadline: str) -> Path:
    text = SPEC.read_text(encoding="utf-8")
    assert text.count("    deadline: 30 days\n") == 1
    path = folder / "agreement.yaml"
    path.write_text(text.replace("    deadline: 30 days\n", f"    deadline: {deadline}\n"), encoding="utf-8")
    return path


def claim_of(spec: Path, period: str) -> dict[str, str]:
    result = CliRunner().invoke(app, ["report", str(spec), "--data", str(DATA), "--period", period, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["credits"]["claim"]


def last_sunday_of_march(year: int) -> dt.date:
    day = dt.date(year, 3, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def test_thirty_days_across_the_change_to_summer_time_end_at_midnight() -> None:
    # February 2027 ends at the start of 1 March (CET); 30 calendar days later is the start of 31 March, which
    # is summer time (CEST) - 30 x 24 hours would end at 01:00 and make 31 March the last day
    assert dt.date(2027, 3, 1) < last_sunday_of_march(2027) < dt.date(2027, 3, 31)
    claim = claim_of(SPEC, "2027-02")
    due = dt.datetime.fromisoformat(claim["due"])
    expected = dt.datetime(2027, 3, 1, tzinfo=BERLIN) + dt.timedelta(days=30)  # wall-clock arithmetic
    assert (due.year, due.month, due.day, due.hour, due.minute) == (2027, 3, 31, 0, 0)
    assert due == expected and due.utcoffset() == dt.timedelta(hours=2)
    assert claim["last_day"] == "2027-03-30"


def test_a_deadline_without_a_change_of_time_is_unchanged() -> None:
    claim = claim_of(SPEC, "2027-03")  # 1 April + 30 days = 1 May, both summer time
    assert claim["due"] == "2027-05-01T00:00:00+02:00"
    assert claim["last_day"] == "2027-04-30"


def month_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@pytest.mark.parametrize(
    ("deadline", "period", "window_end"),
    [
        ("2 months", "2027-01", dt.date(2027, 2, 1)),  # to 1 April: 59 days, not 60; across the change of time
        ("1 month", "2027-02", dt.date(2027, 3, 1)),  # to 1 April: 31 days
        ("1 month", "2027-01", dt.date(2027, 2, 1)),  # to 1 March: 28 days
    ],
)
def test_a_deadline_in_months_is_calendar_months(
    tmp_path: Path, deadline: str, period: str, window_end: dt.date
) -> None:
    claim = claim_of(spec_with(tmp_path, deadline), period)
    months = int(deadline.split()[0])
    end = month_after(window_end, months)
    assert claim["due"] == dt.datetime.combine(end, dt.time(), BERLIN).isoformat()
    assert claim["last_day"] == (end - dt.timedelta(days=1)).isoformat()
    assert (end - window_end).days != 30 * months  # a month is not 30 days here


def test_the_report_and_the_agreement_name_the_same_last_day(tmp_path: Path) -> None:
    spec = spec_with(tmp_path, "2 months")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["report", str(spec), "--data", str(DATA), "--period", "2027-02", "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    text = " ".join(page.read_text(encoding="utf-8").split())
    last = month_after(dt.date(2027, 3, 1), 2) - dt.timedelta(days=1)  # February's credit: 2 months after 1 March
    assert f"a claim by {last.day} {last:%B %Y}" in text
    built = CliRunner().invoke(app, ["build", str(spec), "-f", "html", "-o", str(tmp_path / "doc")])
    assert built.exit_code == 0, built.output
    (agreement,) = (tmp_path / "doc").glob("*.html")
    assert "no later than 2 months after the end of the" in " ".join(agreement.read_text(encoding="utf-8").split())
