"""`slaforge offers` end to end: drafts, comparison matrix and internal sheet, read back from the files."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from offer_helpers import SAMPLE, line_of, two_tiers, write
from pypdf import PdfReader
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.document import Table, plain
from slaforge.layers.offer import read_offer
from slaforge.library.clauses import load_library
from slaforge.offers.build import OfferOptions, check_offer
from slaforge.offers.documents import INTERNAL, comparison_matrix
from slaforge.spec.models import Spec

ID = "NWN-SLA-WAN-015"
TIERS = ("bronze", "silver", "gold")
DRAFTS = [f"{ID}-{t}-v1.0" for t in TIERS]
MATRIX = f"{ID}-comparison-v1.0"
SHEET = f"{ID}-negotiation-INTERNAL-v1.0"


def run(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("offers")
    result = run("offers", SAMPLE, "-f", "docx,html", "-o", folder)
    assert result.exit_code == 0, result.output
    return folder


def html_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page[page.index("<body") :])).split())


def html_rows(path: Path) -> list[list[str]]:
    page = path.read_text(encoding="utf-8")
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.DOTALL):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


# ------------------------------------------------------------------ what a term is, computed here independently


def term_values(spec: Spec, titles: dict[str, str], clause_ids: set[str]) -> dict[str, object]:
    """Each term the matrix may show, keyed by its row label, read straight from the spec."""
    service = spec.services[0]
    hours = spec.service_hours
    credits = spec.service_credits
    assert credits is not None
    values: dict[str, object] = {
        "Availability target per calendar month": service.availability.target,
        "Downtime allowed per calendar month": service.availability.target,
        "Service hours": hours[service.hours].model_dump_json(),
        "Support hours": hours[service.support_hours or service.hours].model_dump_json(),
        "Hours in which business-time targets count": hours[spec.responsiveness.hours].model_dump_json(),
        "Service reports": spec.reporting.frequency,
        "Report due after the period ends": spec.reporting.due,
        "Service credit (% of the fee) by availability achieved": sorted(repr(b) for b in credits.bands),
        "Credit cap per measurement window": credits.caps.per_window,
        "Credit cap per calendar month": credits.caps.per_month,
        "Credit cap per contract year": credits.caps.per_year,
        "Credit cap per contract year (amount)": credits.caps.per_year_amount,
        "Time to claim a credit after the period ends": credits.claim.deadline,
        "Smallest credit paid": credits.minimum_payable,
        "Price": service.fee,
    }
    for level in spec.responsiveness.severities:
        name = f"{level.id} ({level.name})"
        values[f"{name}: response"] = level.response
        values[f"{name}: resolution"] = level.resolution
        if level.update is not None:
            values[f"{name}: progress update interval"] = level.update
        values[f"{name}: tickets that must meet the targets"] = level.attainment or 100
    for clause_id in clause_ids:
        values[f"Clause wording: {titles[clause_id]}"] = spec.positions.get(clause_id, "standard")
    return values


def expected_rows(specs: list[Spec]) -> set[str]:
    titles = {cid: c.meta.title for cid, c in load_library([]).clauses.items()}
    clause_ids = {cid for spec in specs for cid in spec.positions}
    per_tier = [term_values(spec, titles, clause_ids) for spec in specs]
    labels = set().union(*per_tier)
    missing = object()
    return {label for label in labels if len({repr(values.get(label, missing)) for values in per_tier}) > 1}


def matrix_labels(rows: list[list[str]], tiers: int) -> set[str]:
    """First-column labels of the term rows (group heading rows have empty tier cells)."""
    assert rows[0][0] == "Term" and len(rows[0]) == tiers + 1
    return {row[0] for row in rows[1:] if any(cell for cell in row[1:])}


# ------------------------------------------------------------------ the files


def test_writes_a_draft_per_tier_the_matrix_and_the_sheet(out: Path) -> None:
    stems = [*DRAFTS, MATRIX, SHEET]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{s}.{f}" for s in stems for f in ("docx", "html"))


def test_each_draft_is_a_whole_agreement_marked_draft_with_its_validity(out: Path) -> None:
    for tier, target in zip(TIERS, ("99.9%", "99.95%", "99.99%"), strict=True):
        path = out / f"{ID}-{tier}-v1.0.docx"
        text = docx_text(path)
        assert "DRAFT" in text and "Offer valid until 28 May 2027" in text
        assert f"{tier.capitalize()} tier offer" in text
        assert target in text
        assert "Signed for and on behalf of" in html_text(out / f"{ID}-{tier}-v1.0.html")
        footer = docx.Document(str(path)).sections[0].footer.paragraphs[0].text
        assert "Offer valid until 28 May 2027" in footer
    assert "99.99%" not in docx_text(out / f"{ID}-bronze-v1.0.docx")


def test_the_matrix_shows_exactly_the_terms_that_differ(out: Path) -> None:
    specs = [t.spec for t in read_offer(SAMPLE).tiers]
    expected = expected_rows(specs)
    assert {"Availability target per calendar month", "Support hours", "Price"} <= expected
    assert "Service hours" not in expected and "Credit cap per contract year" not in expected
    assert matrix_labels(html_rows(out / f"{MATRIX}.html"), 3) == expected
    table = docx.Document(str(out / f"{MATRIX}.docx")).tables[0]
    docx_rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert matrix_labels(docx_rows, 3) == expected


def test_the_matrix_highlights_what_each_step_up_buys(out: Path) -> None:
    rows = {row[0]: row for row in html_rows(out / f"{MATRIX}.html")}
    assert rows["Availability target per calendar month"][1:] == ["99.9%", "99.95%", "99.99%"]
    assert rows["Downtime allowed per calendar month"][3].startswith("4 minutes 19.2 seconds in a 30-day month")
    page = (out / f"{MATRIX}.html").read_text(encoding="utf-8")
    assert "<strong>99.99%</strong>" in page and "<strong>99.9%</strong>" not in page
    text = html_text(out / f"{MATRIX}.html")
    assert "Silver over Bronze, for GBP 9,000 more per calendar month:" in text
    assert "Gold over Silver, for GBP 13,500 more per calendar month:" in text
    assert "P1 (Critical): response: 10 minutes instead of 15 minutes" in text


def test_a_matrix_of_two_tiers_shows_only_what_differs(tmp_path: Path) -> None:
    high = {"responsiveness": {"severities": [{"id": "P2", "resolution": "10h"}]}}
    checked = check_offer(write(tmp_path, two_tiers({}, high)), OfferOptions())
    matrix = comparison_matrix(checked.offer, checked.columns, 0)
    (table,) = [b for b in matrix.clause("offer.at-a-glance").blocks if isinstance(b, Table)]
    rows = [[plain(cell) for cell in row] for row in table.rows]
    assert matrix_labels([["Term", "Low", "High"], *rows], 2) == {"P2 (High): resolution", "Price"}


def test_the_sheet_is_marked_internal_on_every_page_and_places_each_tier(out: Path) -> None:
    path = out / f"{SHEET}.docx"
    document = docx.Document(str(path))
    assert INTERNAL in document.paragraphs[0].text  # the title
    assert INTERNAL in document.sections[0].header.paragraphs[0].text
    page = (out / f"{SHEET}.html").read_text(encoding="utf-8")
    running = re.search(r'<div class="running-header".*?</div>', page, re.DOTALL)
    assert running and INTERNAL in html.unescape(running.group(0))
    rows = {row[0].split(" services[")[0]: row for row in html_rows(out / f"{SHEET}.html")}
    row = rows["Availability target per calendar month"]
    assert row[1:4] == ["99.9%", "99.95%", "99.99%"]
    assert row[4:] == ["99.9% — at preferred", "99.95% — at fallback", "99.99% — at the limit"]
    assert "No draft crosses a walk-away limit." in html_text(out / f"{SHEET}.html")


def test_position_fallback_and_the_limit_override_through_the_cli(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("target: 99.99%}", "target: 99.995%}")
    path = write(tmp_path, text)
    result = run("offers", path, "-f", "html", "-o", tmp_path / "refused")
    assert result.exit_code == 1
    assert f"{path}:{line_of(text, 'target: 99.995%')}:" in result.output
    assert "beyond the walk-away limit 99.99%" in result.output
    assert not (tmp_path / "refused").exists()
    result = run("offers", path, "-f", "html", "-o", tmp_path / "out", "--allow-beyond-limit", "--position", "fallback")
    assert result.exit_code == 0, result.output
    assert "beyond a walk-away limit (allowed): gold: services[wan].availability.target = 99.995%" in result.output
    sheet = html_text(tmp_path / "out" / f"{SHEET}.html")
    assert "BEYOND THE LIMIT" in sheet and "--allow-beyond-limit" in sheet
    assert "The drafts use the fallback value" in sheet


def test_usage_errors(tmp_path: Path) -> None:
    assert run("offers", SAMPLE, "--position", "sideways", "-o", tmp_path).exit_code == 2
    assert run("offers", SAMPLE, "-f", "rtf", "-o", tmp_path).exit_code == 2
    result = run("offers", Path(__file__).parent.parent / "samples" / "managed-network.yaml", "-o", tmp_path)
    assert result.exit_code == 1 and "an offer file is a mapping with 'offer', 'base' and 'tiers'" in result.output


def test_pdf_and_docx_by_default(tmp_path: Path) -> None:
    result = run("offers", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx"] * 5 + [".pdf"] * 5
    reader = PdfReader(tmp_path / f"{SHEET}.pdf")
    assert len(reader.pages) >= 3
    for page in reader.pages[1:]:  # the cover has no running header, but says so in its title
        assert f"{INTERNAL} \u00b7 {ID} \u00b7 version 1.0" in page.extract_text()
    assert INTERNAL in reader.pages[0].extract_text()
    gold = PdfReader(tmp_path / f"{ID}-gold-v1.0.pdf")
    assert "99.99%" in " ".join(page.extract_text() for page in gold.pages)
