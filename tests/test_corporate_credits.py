"""Corporate service credits are visible in the corporate SLA: it says which credit terms it sets and
where they take effect, in every format; a change that only lower documents state is reported as
"unchanged by the change" for the corporate SLA, never as a re-render.

Which credit terms the corporate SLA sets is read from the sample's own corporate file.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from portfolio_helpers import SAMPLE, copy_sample, edit, invoke, read
from shared import Printed, pdf_text

# each kind of credit term the corporate file can set, and how the corporate SLA names it
NAMES = {
    "bands": "the service credits for availability",
    "per_event": "the service credits for each event in which a target is missed",
    "caps": "the limits on the service credits payable",
    "minimum_payable": "the minimum amount of service credits payable",
    "claim": "how and by when service credits are claimed",
    "sole_remedy": "whether service credits are the sole financial remedy",
    "chronic_failure": "the right to terminate for repeated failures to meet a service level",
}


def corporate_stem() -> str:
    agreement = read(SAMPLE / "corporate.yaml")["agreement"]  # type: ignore[index]
    return f"corporate/{agreement['id']}-v{agreement['version']}"


def plain(text: str) -> str:
    return " ".join(text.split())


def test_the_corporate_sla_names_its_credit_terms_and_where_they_take_effect(
    portfolio_build: tuple[Path, Printed],
) -> None:
    out, _ = portfolio_build
    credits = read(SAMPLE / "corporate.yaml")["service_credits"]  # type: ignore[index]
    named = [NAMES[key] for key in NAMES if credits.get(key)]  # type: ignore[union-attr]
    assert len(named) == len(NAMES)  # the sample sets every kind
    stem = f"{out / corporate_stem()}"
    html_text = plain(re.sub(r"<[^>]+>", " ", Path(f"{stem}.html").read_text(encoding="utf-8")))
    document = docx.Document(f"{stem}.docx")
    docx_text = plain(" ".join(p.text for p in document.paragraphs))
    pdf = pdf_text(Path(f"{stem}.pdf"))
    for text in (html_text, docx_text, pdf):
        assert "Where service credits are set out" in text
        start = text.rindex("Where service credits are set out")
        clause = text[start : start + 1500]
        positions = [clause.index(name) for name in named]
        assert positions == sorted(positions), clause  # every term, in the order they are listed
        assert "take effect through the customer-level agreement of each Customer" in clause
        assert "No service credit is payable under this Agreement alone" in clause


def test_a_credit_value_only_lower_documents_state_leaves_the_corporate_sla_unchanged(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    assert invoke("build", path, "-o", out, "-f", "html").exit_code == 0  # type: ignore[attr-defined]
    before = (out / f"{corporate_stem()}.html").read_bytes()
    edit(path.parent / "corporate.yaml", "    per_window: 30%", "    per_window: 25%")
    result = invoke("build", path, "-o", out, "-f", "html")
    last = result.stdout.strip().splitlines()[-1]  # type: ignore[attr-defined]
    rendered = re.search(r"rendered \(([^)]*)\)", last)
    unchanged = re.search(r"unchanged by the change \(([^)]*)\)", last)
    assert rendered and "corporate" not in rendered[1].split(", "), last
    assert unchanged and "corporate" in unchanged[1].split(", "), last
    assert (out / f"{corporate_stem()}.html").read_bytes() == before
    assert "document corporate" not in result.output  # type: ignore[attr-defined]  # no "keeps version"
    # removing a kind of term changes what the corporate SLA says
    edit(path.parent / "corporate.yaml", "  minimum_payable: 100 GBP\n", "")
    result = invoke("build", path, "-o", out, "-f", "html")
    last = result.stdout.strip().splitlines()[-1]  # type: ignore[attr-defined]
    assert "corporate" in re.search(r"rendered \(([^)]*)\)", last)[1].split(", ")  # type: ignore[index]
    page = plain(re.sub(r"<[^>]+>", " ", (out / f"{corporate_stem()}.html").read_text(encoding="utf-8")))
    assert NAMES["minimum_payable"] not in page and NAMES["caps"] in page
