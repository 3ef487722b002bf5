"""Every option that takes a date or a period refuses one outside the years slaforge counts in (1900 to 8999,
docs/limits.md) with a one-line error naming the option and what it was given, exit 1: ``calc downtime``,
``calc credit`` and ``report`` (``--period``), ``calc deadline`` (``--reported``), ``bump`` (``--date``).
The years at the edges of the range still compute."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_cli import MINIMAL, SAMPLES, assert_refused, slaforge

MEASURED = SAMPLES / "measurements"
OUTSIDE = ("9999-12", "9999-Q4", "9999", "0001-01", "1899-12", "9000-01", "2027-03-01..9999-12-31")


def period_command(name: str, period: str) -> tuple[str, ...]:
    if name == "calc downtime":
        return ("calc", "downtime", "99.9%", "--period", period)
    if name == "calc credit":
        return ("calc", "credit", str(MINIMAL), "--uptime", "99", "--fee", "100 GBP", "--period", period)
    return ("report", str(MEASURED / "agreement.yaml"), "--data", str(MEASURED), "--period", period, "-o", "out")


@pytest.mark.parametrize("name", ["calc downtime", "calc credit", "report"])
@pytest.mark.parametrize("period", OUTSIDE)
def test_a_period_outside_the_years_is_refused(name: str, period: str, tmp_path: Path) -> None:
    run = slaforge(*period_command(name, period), cwd=tmp_path)
    assert_refused(run, f"--period {period!r}", out=tmp_path / "out")
    year = max((int(part[:4]) for part in period.split("..")), key=lambda y: abs(y - 4000))
    assert f"the year {year} is outside the years 1900 to 8999" in run.err, run.err


@pytest.mark.parametrize(("period", "days"), [("1900-01", 31), ("8999-12", 31), ("8999-Q4", 92), ("8999", 365)])
def test_the_years_at_the_edges_still_compute(period: str, days: int, tmp_path: Path) -> None:
    run = slaforge("calc", "downtime", "99.9%", "--period", period, "--json", cwd=tmp_path)
    assert run.code == 0, run.text
    answer = json.loads(run.out)
    # 0.1% of the period's minutes, computed here from the number of days
    assert float(answer["allowed_minutes"]) == pytest.approx(days * 24 * 60 * 0.001), answer


@pytest.mark.parametrize("reported", ["9999-12-31T23:59", "0001-01-01T00:00", "9000-01-01T00:00"])
def test_calc_deadline_refuses_a_report_time_outside_the_years(reported: str, tmp_path: Path) -> None:
    run = slaforge("calc", "deadline", MINIMAL, "--severity", "P1", "--reported", reported, cwd=tmp_path)
    assert_refused(run, f"--reported {reported!r}")


def test_calc_deadline_at_the_last_year_still_computes(tmp_path: Path) -> None:
    run = slaforge("calc", "deadline", MINIMAL, "--severity", "P1", "--reported", "8999-12-31T23:00", cwd=tmp_path)
    assert run.code == 0, run.text
    assert "8999" in run.out


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_bump_refuses_a_history_date_outside_the_years(date: str, tmp_path: Path) -> None:
    portfolio = SAMPLES / "portfolio" / "portfolio.yaml"
    before = portfolio.read_bytes()
    run = slaforge("bump", portfolio, "--document", "any", "--date", date, cwd=tmp_path)
    assert_refused(run, f"--date {date!r}")
    assert portfolio.read_bytes() == before
