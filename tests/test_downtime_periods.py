"""A minimum contiguous Downtime Period (``downtime: {kind: contiguous, minimum_period: 10m}``): interruptions
shorter than the minimum are not downtime in ``report``, as the agreement's text says; outages less than a minute
apart form one period.

The spec is the minimal spec (tests/specs/minimal.yaml: the Card Payment Gateway, 99.9% over the calendar month,
24x7 in Europe/London, fee GBP 4,800, 5% below 99.9%), reported for June 2027 (30 days, no maintenance in the data).
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "specs" / "minimal.yaml").read_text(encoding="utf-8")
JUNE = 30 * 86400
HEADER = "service,start,end,cause,exclusion,reference\n"


def spec(folder: Path, kind: str) -> Path:
    assert BASE.count("        kind: no-service-minutes\n") == 1
    text = BASE.replace("        kind: no-service-minutes\n", kind)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


CONTIGUOUS = "        kind: contiguous\n        minimum_period: 10m\n"
PLAIN = "        kind: no-service-minutes\n"


def outages(*spans: tuple[str, str]) -> str:
    """Rows on weekdays of June 2027 (no Sunday maintenance), in UTC."""
    rows = [f"gateway,2027-06-{start},2027-06-{end},Errors,,INC-{i}\n" for i, (start, end) in enumerate(spans, 1)]
    return HEADER + "".join(rows)


def facts(tmp_path: Path, kind: str, data: str) -> dict[str, object]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    csv = tmp_path / "outages.csv"
    csv.write_text(data, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", str(spec(tmp_path / "spec", kind)), "--data", str(csv), "--period", "2027-06", "--json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# five 9-minute streaks on five days: 45 minutes when every minute counts, none when 10 minutes is the minimum
FIVE_STREAKS = outages(*((f"{d:02d}T10:00:00Z", f"{d:02d}T10:09:00Z") for d in (7, 8, 9, 10, 11)))


def test_five_short_streaks_are_downtime_only_without_a_minimum(tmp_path: Path) -> None:
    allowed = Fraction(1, 1000) * JUNE  # 43 min 12 s
    assert allowed < 5 * 9 * 60
    plain = facts(tmp_path / "plain", PLAIN, FIVE_STREAKS)
    (service,) = plain["services"]
    assert service["downtime_seconds"] == 5 * 9 * 60 and service["met"] is False
    assert plain["credits"]["total_owed"] == {"amount": str(4800 * 5 // 100), "currency": "GBP"}
    minimum = facts(tmp_path / "minimum", CONTIGUOUS, FIVE_STREAKS)
    (service,) = minimum["services"]
    assert service["downtime_seconds"] == 0 and service["met"] is True and service["outages"] == []
    assert minimum["credits"]["total_owed"] is None


@pytest.mark.parametrize(
    ("spans", "downtime"),
    [
        ((("07T10:00:00Z", "07T10:10:00Z"),), 600),  # exactly the minimum: a Downtime Period
        ((("07T10:00:00Z", "07T10:09:59Z"),), 0),  # a second short
        ((("07T10:00:00Z", "07T10:05:00Z"), ("07T10:05:59Z", "07T10:10:59Z")), 600),  # 59 s apart: one period
        ((("07T10:00:00Z", "07T10:05:00Z"), ("07T10:06:00Z", "07T10:11:00Z")), 0),  # a minute apart: two
        ((("07T10:00:00Z", "07T10:08:00Z"), ("07T10:04:00Z", "07T10:12:00Z")), 720),  # overlapping: once
    ],
)
def test_the_boundaries_of_a_downtime_period(tmp_path: Path, spans: tuple[tuple[str, str], ...], downtime: int) -> None:
    (service,) = facts(tmp_path, CONTIGUOUS, outages(*spans))["services"]
    assert service["downtime_seconds"] == downtime


def test_the_agreement_states_the_minimum(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(spec(tmp_path, CONTIGUOUS)), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    text = " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split())
    assert "is each period of at least 10 minutes throughout which the Service cannot be used at all" in text
    assert "An interruption that lasts less than 10 minutes is not Downtime" in text
