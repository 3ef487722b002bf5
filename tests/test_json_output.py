"""``--json`` on build, offers and explain: what was written, the warnings and the figures, as JSON that a
script reads instead of the words.  Each report is parsed and held against the files on disk and against
what ``validate --json`` and the spec's own text say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "specs" / "minimal.yaml"


def run(*args: object) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def files_in(folder: Path) -> set[str]:
    """The documents in ``folder`` (not the portfolio build's own cache of what it rendered)."""
    return {str(p) for p in folder.rglob("*") if p.is_file() and ".slaforge-cache" not in p.parts}


def test_build_json_lists_every_file_written_and_the_warnings_validate_finds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", MINIMAL, "-f", "html,docx", "-o", out, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    (entry,) = report["results"]
    assert report["ok"] is True and entry["ok"] is True and entry["kind"] == "spec"
    assert entry["source"] == str(MINIMAL)
    assert set(entry["written"]) == files_in(out) and len(entry["written"]) == 2
    validated = json.loads(run("validate", MINIMAL, "--json").stdout)
    assert entry["warnings"] == validated["specs"][0]["problems"]


def test_build_json_of_a_spec_that_fails_gives_its_problems_located_and_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count("deadline: 30 days") == 1
    spec.write_text(text.replace("deadline: 30 days", "deadline: soon"), encoding="utf-8")
    line = next(i for i, row in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1) if "soon" in row)
    result = run("build", spec, "-f", "html", "-o", tmp_path / "out", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)  # the whole of standard output is the JSON report
    (entry,) = report["results"]
    assert report["ok"] is False and entry["ok"] is False
    (problem,) = entry["problems"]
    assert (problem["file"], problem["line"], problem["path"]) == (str(spec), line, "service_credits.claim.deadline")
    assert not (tmp_path / "out").exists()


def test_build_json_of_a_portfolio_says_what_was_rendered_and_what_was_up_to_date(tmp_path: Path) -> None:
    portfolio = tmp_path / "sla" / "portfolio.yaml"
    assert run("init", "--kind", "portfolio", portfolio).exit_code == 0
    out = tmp_path / "out"
    first = json.loads(run("build", portfolio, "-f", "html", "-o", out, "--json").stdout)["results"][0]
    assert first["kind"] == "portfolio" and first["rendered"] == ["corporate", "customer"]
    assert first["up_to_date"] == [] and first["issued"] == [] and first["pruned"] == []
    assert set(first["written"]) == files_in(out)
    again = json.loads(run("build", portfolio, "-f", "html", "-o", out, "--json").stdout)["results"][0]
    assert again["rendered"] == [] and again["up_to_date"] == ["corporate", "customer"]


def test_offers_json_lists_the_drafts_the_matrix_and_the_sheet(tmp_path: Path) -> None:
    offer = tmp_path / "offer.yaml"
    assert run("init", "--kind", "offer", offer).exit_code == 0
    out = tmp_path / "out"
    result = run("offers", offer, "-f", "html", "-o", out, "--json")
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)["results"]
    assert entry["kind"] == "offer" and entry["warnings"] == [] and entry["beyond_limit"] == []
    assert set(entry["written"]) == files_in(out)
    assert sorted(Path(p).name for p in entry["written"]) == [
        "ACME-SLA-001-comparison-v0.1.html",
        "ACME-SLA-001-negotiation-INTERNAL-v0.1.html",
        "ACME-SLA-001-premium-v0.1.html",
        "ACME-SLA-001-standard-v0.1.html",
    ]


def test_offers_json_of_a_broken_offer_gives_its_problems(tmp_path: Path) -> None:
    offer = tmp_path / "offer.yaml"
    assert run("init", "--kind", "offer", offer).exit_code == 0
    offer.write_text(offer.read_text(encoding="utf-8").replace("{target: 99.95%}", "{target: lots}"), "utf-8")
    result = run("offers", offer, "-f", "html", "-o", tmp_path / "out", "--json")
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)["results"]
    assert entry["ok"] is False
    assert [p["path"] for p in entry["problems"]] == ["services[0].availability.target"]


def test_explain_json_gives_the_value_where_it_is_set_and_what_it_overrode(tmp_path: Path) -> None:
    portfolio = tmp_path / "portfolio.yaml"
    assert run("init", "--kind", "portfolio", portfolio).exit_code == 0
    customer = tmp_path / "customers" / "customer.yaml"
    customer.write_text(
        customer.read_text(encoding="utf-8").replace(
            "    fee: 10000 EUR\n", "    fee: 10000 EUR\n    hours: business\n"
        ),
        encoding="utf-8",
    )
    line = next(i for i, row in enumerate(customer.read_text(encoding="utf-8").splitlines(), 1) if "hours:" in row)
    catalogue = tmp_path / "services" / "app.yaml"
    old_line = next(i for i, row in enumerate(catalogue.read_text(encoding="utf-8").splitlines(), 1)
                    if row.startswith("hours:"))  # fmt: skip
    result = run("explain", portfolio, "services.app.hours", "--document", "customer", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["document"] == "Customer SLA EXAMPLE-CUS-001 v0.1 (document customer)"
    (value,) = report["values"]
    assert value["named"] == "services[app].hours" and value["value"] == "business"
    assert value["where"].startswith(f"{customer}:{line}:") and value["level"] == "customer"
    assert [(o["value"], o["where"].rsplit(":", 1)[0]) for o in value["overrode"]] == [
        ("always", f"{catalogue}:{old_line}")
    ]
