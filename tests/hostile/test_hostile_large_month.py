"""A month of 20,000 outages (large, but valid data) reports in full: the library's own texts render within
limits scaled to the input limits, not within a user body's 1,000,000 characters (docs/limits.md), while a
user's theme text that prints the same table still keeps to the strict limit and is refused at its line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from docx import Document
from hostile_cli import ROOT, SAMPLES, assert_refused, files_in, slaforge

SPEC = SAMPLES / "measurements" / "agreement.yaml"
OUTAGES = 20_000
START = dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
SPACING = 120  # seconds between two outages: 20,000 of them fill 28 days of March


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("month")
    with (folder / "outages.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("service,start,end,cause,exclusion,reference\n")
        for i in range(OUTAGES):
            at = START + dt.timedelta(seconds=SPACING * i)
            end = at + dt.timedelta(seconds=10)
            service = "einvoicing" if i % 2 else "archive"
            out.write(f"{service},{at:%Y-%m-%dT%H:%M:%SZ},{end:%Y-%m-%dT%H:%M:%SZ},Fault {i},,OUT-{i}\n")
    (folder / "tickets.csv").write_text("id,service,severity,reported,responded,resolved\n", encoding="utf-8")
    return folder


def test_a_month_of_20000_outages_reports_every_one_in_docx(month: Path, tmp_path: Path) -> None:
    run = slaforge("report", SPEC, "--data", month, "--period", "2027-03", "-f", "docx", "-o", "out", cwd=tmp_path)
    assert run.code == 0, run.text[-3000:]
    (written,) = files_in(tmp_path / "out")
    references = [
        cell.text
        for table in Document(str(written)).tables
        for row in table.rows[1:]
        for cell in row.cells[1:2]
        if cell.text.startswith("OUT-")
    ]
    assert sorted(references) == sorted(f"OUT-{i}" for i in range(OUTAGES))


def test_the_json_form_lists_the_same_outages(month: Path, tmp_path: Path) -> None:
    run = slaforge("report", SPEC, "--data", month, "--period", "2027-03", "--json", cwd=tmp_path)
    assert run.code == 0, run.text[-3000:]
    assert len(json.dumps(json.loads(run.out))) > 1_000_000  # as large as the text the strict limit refused
    assert run.out.count('"OUT-') == OUTAGES


def test_a_users_theme_text_keeps_the_strict_limit(month: Path, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "text" / "report").mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "default" / "text" / "report" / "outages.md", theme / "text" / "report")
    run = slaforge(
        "report", SPEC, "--data", month, "--period", "2027-03", "-f", "docx", "-o", "out", "--theme-dir", theme,
        cwd=tmp_path,
    )  # fmt: skip
    assert_refused(run, f"{theme / 'text' / 'report' / 'outages.md'}:7:", out=tmp_path / "out")
    assert "more than 1,000,000 characters" in run.err
