"""Every command on a portfolio document (`PORTFOLIO --document ID`), `resolve`, and `diff` of portfolios.

Expected values are read from the sample portfolio's own files (the fragment that sets a value, the
customer file that sets a fee), never from slaforge's output.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from portfolio_helpers import SAMPLE, copy_sample, edit, invoke, line_of, read
from ruamel.yaml import YAML

PORTFOLIO = SAMPLE / "portfolio.yaml"
CONTOSO_WAN = SAMPLE / "customers" / "contoso-wan.yaml"
WAN = SAMPLE / "services" / "wan.yaml"


def own(path: Path) -> dict:
    return read(path)  # type: ignore[return-value]


def document_ids() -> list[str]:
    return [str(d["id"]) for d in own(PORTFOLIO)["documents"]]


def agreement_of(document: str) -> dict:
    entry = next(d for d in own(PORTFOLIO)["documents"] if d["id"] == document)
    return own(SAMPLE / str(entry["spec"]))["agreement"]


def display(path: Path) -> str:
    """How messages name a sample file: relative to the working folder."""
    import os

    return os.path.relpath(path)


# ------------------------------------------------------------------ the document to work on


@pytest.mark.parametrize(
    "args",
    [
        ("resolve", PORTFOLIO),
        ("export", "openslo", PORTFOLIO),
        ("calc", "credit", PORTFOLIO, "--uptime", "99.8"),
        ("calc", "deadline", PORTFOLIO, "--severity", "P1", "--reported", "2027-03-05T16:45"),
        ("report", PORTFOLIO, "--data", SAMPLE),
        ("explain", PORTFOLIO, "services"),
    ],
)
def test_a_portfolio_without_document_names_its_documents(args: tuple) -> None:
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert "--document" in result.output
    for document in document_ids():
        assert document in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("resolve", PORTFOLIO, "--document", "contoso-web"),
        ("export", "openslo", PORTFOLIO, "--document", "contoso-web"),
        ("calc", "credit", PORTFOLIO, "--uptime", "99.8", "--document", "contoso-web"),
    ],
)
def test_an_unknown_document_is_refused_with_the_ids_there_are(args: tuple) -> None:
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert "'contoso-web'" in result.output
    assert "contoso-wan" in result.output


def test_document_on_a_single_spec_is_refused() -> None:
    spec = SAMPLE.parent / "managed-network.yaml"
    for args in (("resolve", spec), ("export", "openslo", spec), ("calc", "credit", spec, "--uptime", "99")):
        result = invoke(*args, "--document", "corporate")
        assert result.exit_code == 1, result.output
        assert "not a portfolio" in result.output


# ------------------------------------------------------------------ resolve


def test_resolve_prints_the_merged_spec_with_where_each_value_was_set() -> None:
    result = invoke("resolve", PORTFOLIO, "--document", "contoso-wan")
    assert result.exit_code == 0, result.output
    text = result.stdout
    data = YAML(typ="safe", pure=True).load(text)
    wan_target = own(WAN)["availability"]["target"]
    contoso_target = own(CONTOSO_WAN)["services"][0]["availability"]["target"]
    assert wan_target != contoso_target
    assert data["services"][0]["availability"]["target"] == contoso_target
    assert data["agreement"]["id"] == own(CONTOSO_WAN)["agreement"]["id"]
    # the bands are the service SLA's own, the claim rules the corporate SLA's
    assert data["service_credits"]["bands"] == own(CONTOSO_WAN)["service_credits"]["bands"]
    corporate = own(SAMPLE / "corporate.yaml")
    assert data["service_credits"]["claim"]["deadline"] == corporate["service_credits"]["claim"]["deadline"]
    # the comment on the target names the service SLA's line and the catalogue value it overrode
    line = next(row for row in text.splitlines() if row.strip().startswith(f"target: {contoso_target}"))
    set_at = f"{display(CONTOSO_WAN)}:{line_of(CONTOSO_WAN, 'target:')}:"
    overrode = f"overrode {wan_target} at {display(WAN)}:{line_of(WAN, 'target:')}:"
    assert set_at in line and "(service)" in line, line
    assert overrode in line and "(corporate)" in line, line
    deadline = next(row for row in text.splitlines() if row.strip().startswith("deadline:"))
    corporate_file = SAMPLE / "corporate.yaml"
    assert f"{display(corporate_file)}:{line_of(corporate_file, 'deadline:', after='claim:')}:" in deadline


def test_resolve_json_is_the_same_spec_with_origins() -> None:
    as_yaml = YAML(typ="safe", pure=True).load(invoke("resolve", PORTFOLIO, "--document", "contoso-wan").stdout)
    result = invoke("resolve", PORTFOLIO, "--document", "contoso-wan", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert json.loads(json.dumps(as_yaml, default=str)) == answer["spec"]
    origin = answer["origins"]["services[0].availability.target"]
    assert origin["file"] == display(CONTOSO_WAN)
    assert origin["line"] == line_of(CONTOSO_WAN, "target:")
    assert origin["level"] == "service"
    assert origin["overrode"][0]["value"] == own(WAN)["availability"]["target"]


def test_the_resolved_spec_validates_as_a_spec_of_its_own(tmp_path: Path) -> None:
    target = tmp_path / "contoso-wan.yaml"
    result = invoke("resolve", PORTFOLIO, "--document", "contoso-wan", "-o", target)
    assert result.exit_code == 0, result.output
    checked = invoke("validate", target)
    assert checked.exit_code == 0, checked.output


# ------------------------------------------------------------------ the other commands


def test_export_openslo_of_a_portfolio_document_has_its_own_target() -> None:
    result = invoke("export", "openslo", PORTFOLIO, "--document", "contoso-wan")
    assert result.exit_code == 0, result.output
    documents = list(YAML(typ="safe", pure=True).load_all(result.stdout))
    slo = next(d for d in documents if d["kind"] == "SLO" and d["metadata"]["name"] == "wan-availability")
    expected = Decimal(own(CONTOSO_WAN)["services"][0]["availability"]["target"].rstrip("%")) / 100
    assert Decimal(str(slo["spec"]["objectives"][0]["target"])) == expected
    assert own(CONTOSO_WAN)["agreement"]["id"].lower() in result.stdout


def test_calc_credit_on_a_portfolio_document_uses_its_bands_and_its_customer_fee() -> None:
    result = invoke("calc", "credit", PORTFOLIO, "--document", "contoso-wan", "--uptime", "99.8", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    band = next(
        b
        for b in own(CONTOSO_WAN)["service_credits"]["bands"]
        if Decimal(b.get("at_least", "0%").rstrip("%")) <= Decimal("99.8") < Decimal(b["below"].rstrip("%"))
    )
    fee = next(s for s in own(SAMPLE / "customers" / "contoso.yaml")["services"] if s["id"] == "wan")["fee"]
    amount = Decimal(fee.split()[0]) * Decimal(band["credit"].rstrip("%")) / 100
    assert Decimal(str(answer["credit_amount_value"])) == amount, answer
    assert answer["band_credit_percent"] == int(band["credit"].rstrip("%"))


def test_calc_deadline_on_a_portfolio_document() -> None:
    result = invoke(
        "calc", "deadline", PORTFOLIO, "--document", "contoso-wan", "--severity", "P1",
        "--reported", "2027-03-05T16:45", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    # the last layer that sets the P1 response: corporate, then the customer SLA, then the service SLA
    response = None
    for layer in ("corporate.yaml", "customers/contoso.yaml", "customers/contoso-wan.yaml"):
        for severity in own(SAMPLE / layer).get("responsiveness", {}).get("severities", []):
            if severity["id"] == "P1" and "response" in severity:
                response = severity["response"]
    assert response == "10m"  # clock time: 16:45 + 10 minutes
    assert answer["targets"]["response"]["due"].startswith("2027-03-05T16:55")


def test_calc_downtime_counts_a_portfolio_document_hours() -> None:
    result = invoke(
        "calc", "downtime", "99.95%", "--hours", f"{PORTFOLIO}#wan", "--document", "contoso-wan",
        "--period", "2027-03", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    # Sunday 01:00-05:00 maintenance in March 2027: four Sundays, the clocks go forward on the 28th at 01:00
    assert answer["service"] == "wan"
    assert answer["maintenance_seconds"] == 15 * 3600
    no_hours = invoke("calc", "downtime", "99.95%", "--document", "contoso-wan")
    assert no_hours.exit_code == 2, no_hours.output


def test_report_on_a_portfolio_document(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "outages.csv").write_text(
        "service,start,end,cause,exclusion,reference\n"
        "wan,2027-04-07T10:00:00Z,2027-04-07T11:12:00Z,Core router line card failure,,NW-INC-1\n",
        encoding="utf-8",
    )
    (data / "tickets.csv").write_text(
        "id,service,severity,reported,responded,resolved\n"
        "NW-1,wan,P1,2027-04-07T11:00:00+01:00,2027-04-07T11:06:00+01:00,2027-04-07T12:12:00+01:00\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = invoke(
        "report", PORTFOLIO, "--document", "contoso-wan", "--data", data, "--period", "2027-04", "-f", "html", "-o", out
    )
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    assert page.name.startswith(own(CONTOSO_WAN)["agreement"]["id"])
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
    achieved = (Decimal(30 * 24 * 60) - 72) / (30 * 24 * 60) * 100  # 72 minutes down in April's 30 days
    assert f"{achieved:.3f}%" in text
    assert own(CONTOSO_WAN)["services"][0]["availability"]["target"] in text


def test_clauses_check_against_one_portfolio_document() -> None:
    result = invoke("clauses", "check", "--sample", PORTFOLIO, "--document", "contoso-wan")
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output
    missing = invoke("clauses", "check", "--document", "contoso-wan")
    assert missing.exit_code == 2, missing.output
    unknown = invoke("clauses", "check", "--sample", PORTFOLIO, "--document", "contoso-web")
    assert unknown.exit_code == 1 and "contoso-web" in unknown.output


def test_explain_still_shows_the_chain() -> None:
    result = invoke("explain", PORTFOLIO, "services.wan.availability.target", "--document", "contoso-wan")
    assert result.exit_code == 0, result.output
    assert f"{display(CONTOSO_WAN)}:{line_of(CONTOSO_WAN, 'target:')}" in result.output


# ------------------------------------------------------------------ diff of two portfolios


def changed_copy(tmp_path: Path) -> tuple[Path, Path]:
    old = copy_sample(tmp_path / "old")
    new = copy_sample(tmp_path / "new")
    edit(new.parent / "customers" / "contoso-wan.yaml", "target: 99.95%", "target: 99.96%")
    return old, new


def test_diff_of_two_portfolios_compares_the_documents_pair_by_pair(tmp_path: Path) -> None:
    old, new = changed_copy(tmp_path)
    text = new.read_text(encoding="utf-8")
    # fabrikam-desk leaves the new portfolio
    new.write_text(re.sub(r"  - \{id: fabrikam-desk,[^\n]*\n", "", text), encoding="utf-8")
    result = invoke("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["summary"] == {"changed": 1, "added": 0, "removed": 1, "unchanged": len(document_ids()) - 2}
    assert [r["document"] for r in answer["removed"]] == ["fabrikam-desk"]
    assert answer["removed"][0]["agreement"] == agreement_of("fabrikam-desk")["id"]
    changed = [d for d in answer["documents"] if d["changes"]]
    assert [d["document"] for d in changed] == ["contoso-wan"]
    (value,) = [c for c in changed[0]["changes"] if c["type"] == "value"]
    assert (value["path"], value["old"], value["new"], value["direction"]) == (
        "services[wan].availability.target",
        "99.95%",
        "99.96%",
        "better",
    )
    text_result = invoke("diff", old, new)
    assert text_result.exit_code == 0
    assert "1 document changed, 0 added, 1 removed" in text_result.stdout
    assert "99.95% -> 99.96%" in text_result.stdout


def test_diff_of_one_portfolio_document_is_the_diff_of_two_specs(tmp_path: Path) -> None:
    old, new = changed_copy(tmp_path)
    result = invoke("diff", old, new, "--document", "contoso-wan", "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["schema"] == "slaforge-diff/1"
    assert answer["new"]["agreement"] == own(CONTOSO_WAN)["agreement"]["id"]
    same = invoke("diff", old, new, "--document", "contoso", "--format", "json")
    assert json.loads(same.stdout)["changes"] == []


def test_portfolio_redlines_go_one_per_changed_document_into_a_folder(tmp_path: Path) -> None:
    old, new = changed_copy(tmp_path)
    out = tmp_path / "redlines"
    result = invoke("diff", old, new, "--format", "html", "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    version = own(CONTOSO_WAN)["agreement"]["version"]
    expected = f"{own(CONTOSO_WAN)['agreement']['id']}-v{version}-to-v{version}-redline.html"
    assert [p.name for p in out.iterdir()] == [expected]
    page = (out / expected).read_text(encoding="utf-8")
    assert "99.96%" in page and "99.95%" in page
    one_file = invoke("diff", old, new, "--format", "html", "-o", tmp_path / "one.html")
    assert one_file.exit_code == 2, one_file.output


def test_a_portfolio_and_a_spec_are_not_compared(tmp_path: Path) -> None:
    result = invoke("diff", PORTFOLIO, SAMPLE.parent / "managed-network.yaml")
    assert result.exit_code == 1, result.output
    assert "like with like" in result.output


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_of_a_portfolio_against_a_git_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    portfolio = copy_sample(repo)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "slm@example.com")
    _git(repo, "config", "user.name", "Service Level Manager")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "issued")
    # a change in a fragment file, not in the portfolio file: the revision must read every file as it was
    edit(portfolio.parent / "services" / "wan.yaml", "target: 99.9%", "target: 99.92%")
    monkeypatch.chdir(repo)
    result = invoke("diff", "HEAD:portfolio/portfolio.yaml", "portfolio/portfolio.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    changed = {d["document"]: d for d in answer["documents"] if d["changes"]}
    # the catalogue's WAN target reaches the corporate SLA and the customer SLA; the service SLA sets its own
    assert set(changed) == {"corporate", "contoso"}, sorted(changed)
    for document in changed.values():
        paths = {c["path"]: (c["old"], c["new"]) for c in document["changes"] if c["type"] == "value"}
        assert paths == {"services[wan].availability.target": ("99.9%", "99.92%")}
    broken = invoke("diff", "HEAD~3:portfolio/portfolio.yaml", "portfolio/portfolio.yaml")
    assert broken.exit_code == 1 and "Traceback" not in broken.output
