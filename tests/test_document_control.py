"""Document control in portfolio builds: no document changes under the version it was issued with,
and a rebuild that changed nothing in a document is never reported as a new rendering of it.

Which documents a change reaches is worked out from the sample's own files (which documents set
their own credits, which sit under the corporate SLA); what they say is read back from the HTML.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from portfolio_helpers import SAMPLE, copy_sample, edit, invoke, line_of, read

PORTFOLIO = SAMPLE / "portfolio.yaml"


def documents() -> list[dict]:
    return read(PORTFOLIO)["documents"]  # type: ignore[index,return-value]


def own(document: dict) -> dict:
    return read(SAMPLE / str(document["spec"]))  # type: ignore[return-value]


def build(path: Path, out: Path, *extra: object) -> tuple[int, str, dict[str, list[str]]]:
    """(exit code, output, {"rendered"|"up to date"|"unchanged by the change": ids}) of one build."""
    result = invoke("build", path, "-o", out, "-f", "html", *extra)
    groups: dict[str, list[str]] = {}
    lines = result.stdout.strip().splitlines()  # type: ignore[attr-defined]
    summary = lines[-1] if lines else ""
    for count, what, ids in re.findall(r"(\d+) (?:document\(s\) )?(rendered|up to date|unchanged by the change)"
                                       r"(?: \(([^)]*)\))?", summary):  # fmt: skip
        groups[what] = ids.split(", ") if ids else []
        assert len(groups[what]) == int(count)
    return result.exit_code, result.output, groups  # type: ignore[attr-defined]


def digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".slaforge-cache" not in p.parts
    }


def kept(output: str) -> dict[str, str]:
    """document id -> the warning's location, for every "changed but keeps version" warning."""
    found = {}
    for where, document, _agreement, version, again in re.findall(
        r"^(\S+): (?:warning|error): agreement\.version: document (\S+): (\S+) v(\S+) changed but keeps version (\S+):",
        output,
        re.MULTILINE,
    ):
        assert version == again
        found[document] = where
    return found


def cites(page: Path, version: str) -> bool:
    """The page names the corporate SLA at ``version``: "NW-CORP-SLA v2.1" in a sentence, or in a table row."""
    text = " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split())
    return re.search(rf"NW-CORP-SLA v?{re.escape(version)}\b", text) is not None


def version_line(path: Path, document: dict) -> str:
    spec = path.parent / str(document["spec"])
    return f"{document['spec']}:{line_of(spec, 'version:')}:"


def test_a_corporate_term_that_changes_lower_documents_is_reported_for_each_of_them(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    code, _, groups = build(path, out)
    assert code == 0 and len(groups["rendered"]) == len(documents())
    before = digests(out)
    corporate = read(path.parent / "corporate.yaml")["service_credits"]["claim"]["deadline"]  # type: ignore[index]
    assert corporate == "30 days"
    edit(path.parent / "corporate.yaml", "    deadline: 30 days", "    deadline: 45 days")
    code, output, groups = build(path, out)
    assert code == 0, output
    # credit clauses are written at customer and service level: each customer SLA shows the claim
    # deadline, and a service SLA only when it sets credits of its own (else it leaves them to its customer SLA)
    showing = [
        str(d["id"])
        for d in documents()
        if d["kind"] == "customer" or (d["kind"] == "service" and "service_credits" in own(d))
    ]
    assert groups["rendered"] == showing
    assert set(kept(output)) == set(showing)
    for document in documents():
        if str(document["id"]) in showing:
            assert version_line(path, document) in kept(output)[str(document["id"])]
    # what the others say is unchanged: reported as such, and their files are the same bytes
    slas = [str(d["id"]) for d in documents() if d["kind"] in ("corporate", "customer", "service")]
    assert groups["unchanged by the change"] == [d for d in slas if d not in showing]
    after = digests(out)
    for name, digest in before.items():
        page = (out / name).read_text(encoding="utf-8")
        changed = digest != after[name]
        assert changed == ("45 days" in page), name
    assert sum(1 for name in before if before[name] != after[name]) == len(showing)


def test_a_new_corporate_version_must_be_followed_by_every_document_that_cites_it(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    build(path, out)
    pages = {str(d["id"]): next(out.rglob(f"{own(d)['agreement']['id']}-v*.html")) for d in documents()}
    # the documents that name the corporate SLA's version: every SLA below it and the OLA and contract
    # that list the SLAs they support
    below = [d for d, page in pages.items() if d != "corporate" and cites(page, "2.1")]
    assert {str(d["id"]) for d in documents() if d["kind"] in ("customer", "service")} <= set(below)
    corporate = path.parent / "corporate.yaml"
    edit(corporate, 'version: "2.1"\n  status', 'version: "2.2"\n  status')
    edit(
        corporate,
        "missed P1 responses.\n",
        'missed P1 responses.\n    - {version: "2.2", date: 2027-05-02, author: Priya Raman, summary: Reissued.}\n',
    )
    code, output, groups = build(path, out)
    assert code == 0, output
    assert set(kept(output)) == set(below)
    assert "corporate" in groups["rendered"] and "corporate" not in kept(output)
    for document in below:
        assert cites(pages[document], "2.2") and not cites(pages[document], "2.1")


def test_with_strict_a_kept_version_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    build(path, out)
    before = digests(out)
    edit(path.parent / "corporate.yaml", "    deadline: 30 days", "    deadline: 45 days")
    # one document is given its new version: it alone is not reported
    contoso = path.parent / "customers" / "contoso.yaml"
    edit(contoso, 'version: "1.3"\n  history:\n', 'version: "1.4"\n  history:\n')
    edit(
        contoso,
        "distribution centres.\n",
        'distribution centres.\n    - {version: "1.4", date: 2027-05-02, author: Priya Raman, summary: 45 days.}\n',
    )
    code, output, _ = build(path, out, "--strict")
    assert code == 1, output
    assert "contoso" not in kept(output) and kept(output)
    assert "nothing was written" in output
    assert digests(out) == before
    assert not list(out.rglob("NW-CUS-CONTOSO-v1.4.html"))
