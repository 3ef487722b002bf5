"""`slaforge review` and `slaforge bump`: which documents a change affects, and their new versions.

The sample portfolio is committed to a git repository in a temporary folder, changed the way a
service level manager changes it (a corporate term, a service file, a clause file, a party), and
reviewed against the commit.  Which documents each change reaches is worked out from the sample's
own files (who takes which service, which documents set credits of their own), never from slaforge.
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from portfolio_helpers import ROOT, SAMPLE, copy_sample, covering, edit, invoke, read

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def documents() -> list[dict]:
    return read(SAMPLE / "portfolio.yaml")["documents"]  # type: ignore[index,return-value]


def own(document: dict) -> dict:
    return read(SAMPLE / str(document["spec"]))  # type: ignore[return-value]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample portfolio, committed; the working folder is the repository."""
    folder = tmp_path / "repo"
    folder.mkdir()
    copy_sample(folder)
    git(folder, "init", "-q")
    git(folder, "config", "user.email", "slm@example.com")
    git(folder, "config", "user.name", "Service Level Manager")
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "issued")
    monkeypatch.chdir(folder)
    return folder / "portfolio"


def review(*extra: str) -> dict:
    result = invoke("review", "portfolio/portfolio.yaml", "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def to_review(answer: dict) -> list[str]:
    return [i["document"] for i in answer["review"] if i["text_changed"]]


def showing_credits() -> list[str]:
    """The documents that state the claim rules: credit clauses are written at customer and service
    level, and a service SLA states them only when it sets credits of its own."""
    return [
        str(d["id"])
        for d in documents()
        if d["kind"] == "customer" or (d["kind"] == "service" and "service_credits" in own(d))
    ]


def test_a_corporate_term_is_reviewed_where_it_is_stated(repo: Path) -> None:
    edit(repo / "corporate.yaml", "    deadline: 30 days", "    deadline: 45 days")
    answer = review()
    assert to_review(answer) == showing_credits()
    for item in answer["review"]:
        assert any(r.startswith("service_credits.claim.deadline: 30d -> 45d") for r in item["reasons"]), item
        if item["text_changed"]:
            assert not item["bumped"]
            assert any("penalties.claims" in r and "reworded" in r for r in item["reasons"]), item
    # the corporate SLA states no credits: the review says where the new value takes effect
    corporate = next(i for i in answer["review"] if i["document"] == "corporate")
    assert not corporate["text_changed"] and corporate["stated_in"] == showing_credits()
    text = invoke("review", "portfolio/portfolio.yaml").stdout
    assert f"{len(showing_credits())} documents to review" in text
    assert "[ ] contoso: NW-CUS-CONTOSO - still version 1.3" in text


def test_a_service_file_is_reviewed_in_every_document_that_covers_the_service(repo: Path) -> None:
    edit(repo / "services" / "email.yaml", "calendars and shared files", "calendars and shared drives")
    assert to_review(review()) == covering(repo / "portfolio.yaml", "email")


def test_a_clause_file_is_reviewed_in_every_document_that_includes_it(repo: Path) -> None:
    # the portfolio keeps its own wording of the claims clause, committed with it
    own_clauses = repo / "clauses" / "penalties"
    own_clauses.mkdir(parents=True)
    shutil.copy(ROOT / "clauses" / "penalties" / "claims.md", own_clauses / "claims.md")
    edit(repo / "corporate.yaml", "service_hours:\n", "clause_dirs: [clauses]\n\nservice_hours:\n")
    git(repo.parent, "add", ".")
    git(repo.parent, "commit", "-qm", "own claims clause")
    claims = own_clauses / "claims.md"  # the time to answer a claim where the spec sets none, in every variant
    wording = claims.read_text(encoding="utf-8")
    fallback = "{% else %}10 [[Business Day|Business Days]]{% endif %}"
    assert fallback in wording
    claims.write_text(
        wording.replace(fallback, "{% else %}5 [[Business Day|Business Days]]{% endif %}"), encoding="utf-8"
    )
    answer = review()
    assert to_review(answer) == showing_credits()
    for item in answer["review"]:
        assert item["reasons"] == [r for r in item["reasons"] if "penalties.claims" in r]


def test_a_party_is_reviewed_in_the_documents_that_name_it(repo: Path) -> None:
    edit(repo / "portfolio.yaml", "3 Queen Square, Bath BA1 2HJ", "5 Queen Square, Bath BA1 2HJ")
    # the corporate SLA names every customer; Fabrikam's customer SLA and service SLAs name Fabrikam
    naming = [str(d["id"]) for d in documents() if d["kind"] == "corporate" or d.get("customer") == "fabrikam"]
    answer = review()
    assert to_review(answer) == naming
    for item in answer["review"]:
        assert "customers[fabrikam].address" in " ".join(item["reasons"]), item


def test_bump_raises_versions_with_the_change_in_the_history_and_keeps_the_file(repo: Path) -> None:
    # a document in which nothing changed keeps its version
    quiet = invoke("bump", "portfolio/portfolio.yaml", "--document", "contoso")
    assert quiet.exit_code == 1 and "nothing in it changed since HEAD" in quiet.output
    edit(repo / "corporate.yaml", "    deadline: 30 days", "    deadline: 45 days")
    contoso = repo / "customers" / "contoso.yaml"
    before = contoso.read_text(encoding="utf-8")
    result = invoke("bump", "portfolio/portfolio.yaml", "--document", "contoso", "--date", "2027-05-02")
    assert result.exit_code == 0, result.output
    after = contoso.read_text(encoding="utf-8")
    # only the version line changes and one history entry is added: comments and layout are kept
    old_lines, new_lines = before.splitlines(), after.splitlines()
    delta = list(difflib.ndiff(old_lines, new_lines))
    removed = [line[2:] for line in delta if line.startswith("- ")]
    added = [line[2:] for line in delta if line.startswith("+ ")]
    assert removed == ['  version: "1.3"']
    assert added[0] == '  version: "1.4"'
    assert added[1:4] == ['    - version: "1.4"', "      date: 2027-05-02", "      author: Priya Raman"]
    assert added[4].startswith("      summary:") and "service_credits.claim.deadline: 30d -> 45d" in added[4]
    assert len(added) == 5
    assert all(line in new_lines for line in old_lines if line.startswith("#"))
    history = read(contoso)["agreement"]["history"]  # type: ignore[index]
    assert [h["version"] for h in history] == ["1.3", "1.4"]
    # the review now shows the new version, and the documents that cite Contoso's SLA must follow it
    answer = review()
    item = next(i for i in answer["review"] if i["document"] == "contoso")
    assert item["bumped"] and (item["old_version"], item["new_version"]) == ("1.3", "1.4")
    below = [str(d["id"]) for d in documents() if d["kind"] == "service" and d.get("customer") == "contoso"]
    assert set(below) <= set(to_review(answer))
    for document in below:
        cited = next(i for i in answer["review"] if i["document"] == document)
        assert any("NW-CUS-CONTOSO" in r or "parties" in r for r in cited["reasons"]), cited
    # a document gets one new version per change
    again = invoke("bump", "portfolio/portfolio.yaml", "--document", "contoso")
    assert again.exit_code == 1 and "already has a new version" in again.output
    unknown = invoke("bump", "portfolio/portfolio.yaml", "--document", "contoso-web")
    assert unknown.exit_code == 1 and "contoso-wan" in unknown.output
    assert git(repo.parent, "status", "--porcelain").count("\n") == 2  # corporate.yaml and contoso.yaml only


def test_bump_refuses_a_version_that_a_shared_fragment_sets_for_several_documents(repo: Path) -> None:
    # the OLA and the underpinning contract take their version from the file they both extend
    operations = repo / "operations"
    for name, version in (("ola-network.yaml", "1.2"), ("uc-metrolink.yaml", "3.0")):
        edit(operations / name, f'\n  version: "{version}"\n', "\n")
    edit(operations / "base.yaml", "agreement:\n", 'agreement:\n  version: "3.0"\n')
    git(repo.parent, "commit", "-qam", "one version for both")
    edit(operations / "uc-metrolink.yaml", "target: 99.97%", "target: 99.98%")
    before = git(repo.parent, "status", "--porcelain")
    result = invoke("bump", "portfolio/portfolio.yaml", "--document", "uc-metrolink")
    assert result.exit_code == 1, result.output
    assert "its agreement.version is set in" in result.output and "base.yaml" in result.output
    assert "sets the version of ola-network too" in result.output
    assert git(repo.parent, "status", "--porcelain") == before  # nothing written
