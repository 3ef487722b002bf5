"""Caps per Contract Year applied by ``report`` with a running total over the windows of the data: once the cap
is used up, later windows of the same Contract Year pay nothing, and the next Contract Year starts again.

The spec is the minimal spec (tests/specs/minimal.yaml: effective 1 June 2027, the Card Payment Gateway at GBP
4,800 a month, 99.9%, 25% below 99%, cap 30% a window).  Every month from June 2027 to June 2028 has one 8-hour
outage, so every month earns 25% (GBP 1,200).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "specs" / "minimal.yaml").read_text(encoding="utf-8")
FEE = Decimal(4800)
MONTHS = [dt.date(2027 + (5 + i) // 12, (5 + i) % 12 + 1, 1) for i in range(13)]  # June 2027 .. June 2028
OUTAGES = "service,start,end,cause,exclusion,reference\n" + "".join(
    f"gateway,{m:%Y-%m}-10T10:00:00Z,{m:%Y-%m}-10T18:00:00Z,Fault,,INC-{i}\n" for i, m in enumerate(MONTHS)
)


def month_credit(month: dt.date) -> Decimal:
    nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    achieved = Decimal(100) * (1 - Decimal(8 * 3600) / ((nxt - month).days * 86400))
    assert achieved < 99  # the 25% band, below the window cap of 30%
    return FEE * 25 / 100


def expected(cap: Decimal) -> list[Decimal]:
    """Owed month by month: the running total of the Contract Year (from 1 June) never passes ``cap``."""
    owed, used = [], Decimal(0)
    for month in MONTHS:
        if (month.month, month.day) == (6, 1):
            used = Decimal(0)
        paid = min(month_credit(month), cap - used)
        used += paid
        owed.append(paid)
    return owed


def spec(folder: Path, caps: str) -> Path:
    assert BASE.count("  caps:\n    per_window: 30%\n") == 1
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "spec.yaml"
    path.write_text(BASE.replace("  caps:\n    per_window: 30%\n", f"  caps:\n    per_window: 30%\n{caps}"), "utf-8")
    return path


def owed_by_month(tmp_path: Path, caps: str) -> list[tuple[Decimal, dict[str, str] | None]]:
    path = spec(tmp_path, caps)
    csv = tmp_path / "outages.csv"
    csv.write_text(OUTAGES, encoding="utf-8")
    owed = []
    for month in MONTHS:
        args = ["report", str(path), "--data", str(csv), "--period", f"{month:%Y-%m}", "--json"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        (row,) = json.loads(result.stdout)["credits"]["services"]
        owed.append((Decimal(row["owed"]["amount"]), row.get("before_annual_cap")))
    return owed


@pytest.mark.parametrize(
    ("caps", "cap"),
    [
        ("    per_year: 10%\n", FEE * 12 * 10 / 100),  # GBP 5,760 of the year's GBP 57,600
        ("    per_year_amount: 3000 GBP\n", Decimal(3000)),
    ],
)
def test_the_cap_per_contract_year_is_applied_with_a_running_total(tmp_path: Path, caps: str, cap: Decimal) -> None:
    owed = owed_by_month(tmp_path, caps)
    assert [amount for amount, _ in owed] == expected(cap)
    assert sum(amount for amount, _ in owed[:12]) == cap  # the first Contract Year pays exactly the cap
    assert owed[12][0] == month_credit(MONTHS[12])  # June 2028 starts the second Contract Year
    for (amount, before), month in zip(owed, MONTHS, strict=True):
        reduced = amount < month_credit(month)
        assert (before is not None) == reduced
        if reduced:
            assert before == {"amount": str(month_credit(month)), "currency": "GBP"}


def test_without_a_cap_per_year_every_month_pays(tmp_path: Path) -> None:
    owed = owed_by_month(tmp_path, "")
    assert [amount for amount, _ in owed] == [month_credit(m) for m in MONTHS]


def test_the_report_says_what_the_cap_took(tmp_path: Path) -> None:
    path = spec(tmp_path, "    per_year: 10%\n")
    csv = tmp_path / "outages.csv"
    csv.write_text(OUTAGES, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["report", str(path), "--data", str(csv), "--period", "2027-10", "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    text = " ".join(page.read_text(encoding="utf-8").split())
    left = FEE * 12 * 10 / 100 - 4 * month_credit(MONTHS[0])  # October 2027 is the fifth month
    assert f"GBP 1,200 reduced to GBP {left:,.0f} by the cap per Contract Year" in text
    assert "is not deducted in this report" not in text
