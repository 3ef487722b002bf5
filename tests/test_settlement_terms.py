"""Settlement and exit terms as data, not fixed words: the provider's time to answer a claim
(``claim.answer_within``), credits that are never paid in cash (``claim.cash: false``), the deadline for a notice
of chronic failure (``chronic_failure.notice_within``) and whether a refund follows (``chronic_failure.refund``).

Each is read back from the built agreement (HTML and DOCX) of the minimal spec (tests/specs/minimal.yaml), in both
positions of the claims clause.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "specs" / "minimal.yaml").read_text(encoding="utf-8")
CLAIM = "    method: in writing to the Service Level Manager\n"
CHRONIC = "    out_of: 3\n"
NEVER_CASH = (
    "never paid in cash, do not entitle the Customer to any refund or other payment, and lapse when this Agreement ends"
)
PAID_OUT = "Where no further invoice is due, including after this Agreement ends, the Provider shall pay the amount"
REFUND = "the Provider shall refund, within 30 days after termination takes effect, any charges paid in advance"


def build(folder: Path, *edits: tuple[str, str], position: str | None = None) -> tuple[str, str]:
    text = BASE
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    if position:
        text += f"\npositions:\n  penalties.claims: {position}\n"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "spec.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(folder / "spec.yaml"), "-f", "html,docx", "-o", str(folder / "out")])
    assert result.exit_code == 0, result.output
    (page,) = (folder / "out").glob("*.html")
    words = " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split())
    (document,) = (folder / "out").glob("*.docx")
    paragraphs = " ".join(" ".join(p.text for p in docx.Document(str(document)).paragraphs).split())
    return re.sub(r" ([,.;:])", r"\1", words), paragraphs


@pytest.mark.parametrize("position", [None, "customer-favourable"])
def test_the_time_to_answer_a_claim_is_the_agreements(tmp_path: Path, position: str | None) -> None:
    html, office = build(tmp_path / "set", (CLAIM, CLAIM + "    answer_within: 45 days\n"), position=position)
    for text in (html, office):
        assert "within 45 days after receiving it" in text and "within 10 Business Days after receiving it" not in text
    html, _ = build(tmp_path / "unset", position=position)
    assert "within 10 Business Days after receiving it" in html


@pytest.mark.parametrize("position", [None, "customer-favourable"])
def test_credits_that_are_never_cash(tmp_path: Path, position: str | None) -> None:
    html, office = build(tmp_path / "never", (CLAIM, CLAIM + "    cash: false\n"), position=position)
    for text in (html, office):
        assert NEVER_CASH in text and PAID_OUT not in text
    html, _ = build(tmp_path / "cash", position=position)
    assert PAID_OUT in html and NEVER_CASH not in html


def test_the_notice_deadline_and_the_refund_of_a_chronic_failure(tmp_path: Path) -> None:
    edit = (CHRONIC, CHRONIC + "    notice_within: 30 days\n    refund: false\n")
    html, office = build(tmp_path / "set", edit)
    for text in (html, office):
        assert "shall give that notice within 30 days after the end of the Measurement Window" in text
        assert "within 90 days after the end" not in text and REFUND not in text
    html, _ = build(tmp_path / "unset")
    assert "shall give that notice within 90 days after the end of the Measurement Window" in html and REFUND in html
