"""`slaforge clauses list|show|check` and a user's own clause folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from slaforge.build import BuildOptions, document_for
from slaforge.cli import app
from slaforge.document import Paragraph, plain
from slaforge.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "managed-network.yaml"
CORE_AREAS = [
    "service-description",
    "responsiveness",
    "reliability",
    "problem-reporting",
    "monitoring",
    "restrictions",
    "penalties",
]


def invoke(*args: str | Path) -> object:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def builtin_check() -> Result:
    """``slaforge clauses check`` of the built-in library, run once for the tests that read it."""
    return invoke("clauses", "check")  # type: ignore[return-value]


def test_builtin_library_passes_its_own_check(builtin_check: Result) -> None:
    result = builtin_check
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    count = int(result.output.split(" clauses checked")[0].split()[-1])  # type: ignore[attr-defined]
    assert count >= 40
    assert " 0 error(s)" in result.output  # type: ignore[attr-defined]


def test_list_covers_every_category_and_json_matches_files() -> None:
    result = invoke("clauses", "list", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)  # type: ignore[attr-defined]
    on_disk = sorted(p for p in (ROOT / "clauses").rglob("*.md") if p.name != "README.md")
    assert sorted(Path(r["path"]) for r in rows) == on_disk
    categories = {r["category"] for r in rows}
    assert set(CORE_AREAS) <= categories
    for extra in ("parties", "definitions", "responsibilities", "escalation", "reporting", "change", "disputes",
                  "term", "policies", "signatures", "document-control"):  # fmt: skip
        assert extra in categories
    positions = {p for r in rows for p in r["positions"]}
    assert {"standard", "customer-favourable", "provider-favourable"} <= positions


def test_list_one_category_and_unknown_category() -> None:
    result = invoke("clauses", "list", "--category", "penalties")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()  # type: ignore[attr-defined]
    assert lines and all(line.startswith("penalties.") for line in lines)
    assert invoke("clauses", "list", "--category", "nonsense").exit_code == 1  # type: ignore[attr-defined]


def test_show_prints_a_position_and_suggests_ids() -> None:
    result = invoke("clauses", "show", "penalties.sole-remedy", "--position", "customer-favourable")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    body = (ROOT / "clauses" / "penalties" / "sole-remedy.md").read_text(encoding="utf-8")
    wording = body.split(":: position customer-favourable", 1)[1].strip()
    assert wording.splitlines()[0] in result.output  # type: ignore[attr-defined]
    missing = invoke("clauses", "show", "penalties.sole-remedie")
    assert missing.exit_code == 1  # type: ignore[attr-defined]
    assert "did you mean penalties.sole-remedy" in missing.output  # type: ignore[attr-defined]
    bad_position = invoke("clauses", "show", "penalties.sole-remedy", "--position", "nonsense")
    assert bad_position.exit_code == 1 and "has no position 'nonsense'" in bad_position.output  # type: ignore[attr-defined]


def test_every_sample_document_has_the_seven_core_areas() -> None:
    for spec in sorted((ROOT / "samples").glob("*.yaml")):
        _, document = document_for(load_spec(spec), BuildOptions())
        sections = {s.id for s in document.sections}
        assert set(CORE_AREAS) - {"penalties"} <= sections, spec.name
        assert "penalties" in sections, spec.name  # service credits, or the explicit no-credits wording


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


OWN_SOLE_REMEDY = """\
---
id: penalties.sole-remedy
title: Service credits as sole remedy
category: penalties
order: 40
levels: [service, customer]
when: service_credits and service_credits.sole_remedy
params: [service_credits]
---
Our own wording: the [[Service Credit|Service Credits]] are the only money the Customer gets for missed targets.
"""


def test_a_user_clause_replaces_the_builtin_one(tmp_path: Path) -> None:
    own = tmp_path / "own"
    write(own / "penalties" / "sole-remedy.md", OWN_SOLE_REMEDY)
    _, document = document_for(load_spec(SAMPLE), BuildOptions(clause_dirs=(own,)))
    clause = document.clause("penalties.sole-remedy")
    text = " ".join(plain(b.runs) for b in clause.blocks if isinstance(b, Paragraph))
    assert text == "Our own wording: the Service Credits are the only money the Customer gets for missed targets."
    # and through the CLI, into the HTML
    out = tmp_path / "out"
    result = invoke("build", SAMPLE, "-f", "html", "-o", out, "--clauses", own)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    html = (out / "NWN-SLA-WAN-014-v2.1.html").read_text(encoding="utf-8")
    assert "Our own wording" in html
    assert invoke("clauses", "list", "--clauses", own).output.count("(own)") == 1  # type: ignore[attr-defined]


def test_check_reports_undeclared_parameters_with_clause_and_line(tmp_path: Path) -> None:
    clause = write(
        tmp_path / "own" / "penalties" / "extra.md",
        "---\nid: penalties.extra\ntitle: Extra\ncategory: penalties\norder: 90\nparams: [provider, customers]\n"
        "---\nThe [[Provider]] shall keep records.\n\nThey are kept by {{ agreement.owner.name }}.\n",
    )
    result = invoke("clauses", "check", tmp_path / "own")
    assert result.exit_code == 1
    output = result.output  # type: ignore[attr-defined]
    assert f"{clause}:10: error: params: clause penalties.extra: the body reads 'agreement'" in output
    assert "clause penalties.extra: 'params' declares 'customers' but the body never reads it" in output
    assert "clause penalties.extra: 'params' declares 'provider' but the body never reads it" in output


def test_check_reports_dangling_cross_references_and_undefined_terms(tmp_path: Path) -> None:
    clause = write(
        tmp_path / "own" / "penalties" / "extra.md",
        "---\nid: penalties.extra\ntitle: Extra\ncategory: penalties\norder: 90\n---\nFirst.\n\n"
        "As set out in [[#penalties.nowhere]], the [[Grace Period]] applies.\n",
    )
    result = invoke("clauses", "check", tmp_path / "own")
    assert result.exit_code == 1
    output = result.output  # type: ignore[attr-defined]
    assert f"{clause}:9:15: error: clause penalties.extra: cross-reference to 'penalties.nowhere'" in output
    assert f"{clause}:9:" in output and "uses the term 'Grace Period', which no clause defines" in output


def test_check_reports_a_clause_that_fails_to_render(tmp_path: Path) -> None:
    clause = write(
        tmp_path / "own" / "reliability" / "fiscal.md",
        "---\nid: reliability.fiscal\ntitle: Fiscal\ncategory: reliability\norder: 90\nparams: [services]\n"
        "---\nThe year starts on {{ services[0].availability.fiscal_year_start }}.\n",
    )
    result = invoke("clauses", "check", tmp_path / "own")
    assert result.exit_code == 1
    assert f"{clause}:8: error: clause reliability.fiscal: services[0].availability.fiscal_year_start is not set" in (
        result.output  # type: ignore[attr-defined]
    )


def test_bad_front_matter_is_located(tmp_path: Path) -> None:
    clause = write(
        tmp_path / "own" / "penalties" / "broken.md",
        "---\nid: penalties.broken\ntitle: Broken\ncategory: penalties\nlevls: [service]\n---\nText.\n",
    )
    result = invoke("clauses", "check", tmp_path / "own")
    assert result.exit_code == 1
    assert f"{clause}:5: error: levls: front matter: Extra inputs are not permitted" in result.output  # type: ignore[attr-defined]


PORTFOLIO_ONLY = """\
---
id: parties.portfolio-note
title: Portfolio note
category: parties
order: 36
levels: [corporate, customer, service]
when: portfolio and portfolio.above
params: [portfolio]
---
This Agreement sits under {{ portfolio.above | length }} agreement(s)\
{%- if portfolio.above | length > 1 %} and {{ portfolio.missing_field }}{% endif %}.
"""


def test_clauses_check_renders_against_the_documents_of_a_sample_portfolio(tmp_path: Path) -> None:
    own = write(tmp_path / "own" / "parties" / "portfolio-note.md", PORTFOLIO_ONLY).parent.parent
    spec_only = invoke("clauses", "check", own, "--sample", SAMPLE)
    assert spec_only.exit_code == 0, spec_only.output  # type: ignore[attr-defined]
    assert "parties.portfolio-note is not used by any sample" in spec_only.output  # type: ignore[attr-defined]
    portfolio = ROOT / "samples" / "portfolio" / "portfolio.yaml"
    with_portfolio = invoke("clauses", "check", own, "--sample", SAMPLE, "--sample", portfolio)
    output = with_portfolio.output  # type: ignore[attr-defined]
    assert with_portfolio.exit_code == 1, output  # type: ignore[attr-defined]
    assert "not used by any sample" not in output
    # a service SLA sits under the corporate and its customer's SLA: only there is the missing value read
    assert "portfolio.missing_field" in output and "(rendering against portfolio.yaml#contoso-wan)" in output


def test_the_built_in_library_renders_against_every_sample_and_portfolio_without_warnings(
    builtin_check: Result,
) -> None:
    result = builtin_check
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "0 error(s), 0 warning(s)" in result.output  # type: ignore[attr-defined]


def test_check_reads_the_document_texts_of_a_theme(tmp_path: Path) -> None:
    text = tmp_path / "theme" / "text" / "redline"
    text.mkdir(parents=True)
    (text / "outline.yaml").write_text(
        "subtitle: x\nmarking: y\nsections:\n  - {id: redline-summary, title: T, numbered: false, "
        "clauses: [comparison, absent]}\n",
        encoding="utf-8",
    )
    (text / "comparison.md").write_text(
        "---\nid: redline-summary.overview\ntitle: Comparison\nparams: [old, unused]\n---\n"
        "Version {{ old.version }} against {{ new.version }}.\n",
        encoding="utf-8",
    )
    result = invoke("clauses", "check", "--theme-dir", tmp_path / "theme")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert "text redline/comparison: the body reads 'new' but 'params' does not declare it" in output
    assert "text redline/comparison: 'params' declares 'unused' but the body never reads it" in output
    assert "names the text 'redline/absent', which does not exist" in output
    assert f"{text / 'comparison.md'}:" in output


def test_a_theme_folder_overrides_the_labels_and_the_texts(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "text" / "redline").mkdir(parents=True)
    (theme / "labels.yaml").write_text("frame:\n  between: by and between\n", encoding="utf-8")
    (theme / "text" / "redline" / "comparison.md").write_text(
        "---\nid: redline-summary.overview\ntitle: What changed\nparams: [old, new]\n---\n"
        "Version {{ new.version }} replaces version {{ old.version }}.\n",
        encoding="utf-8",
    )
    versions = ROOT / "samples" / "versions"
    out = tmp_path / "out.html"
    args = ("diff", versions / "v1.yaml", versions / "v2.yaml", "--format", "html", "-o", out, "--theme-dir", theme)
    assert invoke(*args).exit_code == 0  # type: ignore[attr-defined]
    page = out.read_text(encoding="utf-8")
    assert ">by and between<" in page and ">between<" not in page
    assert "Version 2.2 replaces version 2.1." in page and "What changed" in page
    assert "Changed terms" in page  # the texts the theme does not replace stay the built-in ones
