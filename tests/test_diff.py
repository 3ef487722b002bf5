"""`slaforge diff`: the change list is complete and exact, and nothing that is not a change shows up."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from typer.testing import CliRunner

from slaforge.build import BuildOptions, document_for
from slaforge.cli import app
from slaforge.diff.comparison import Comparison, compare
from slaforge.diff.versions import read_version
from slaforge.document import Document
from slaforge.library.clauses import load_library
from slaforge.spec import load_spec
from tests.diff_corpus import (
    BASE,
    NEW_CLAUSE,
    ROOT,
    VALUE_MUTATIONS,
    Truth,
    builtin,
    clause_texts,
    dump,
    front,
    read,
    reword,
    write_clause,
    yaml,
)

V1 = ROOT / "samples" / "versions" / "v1.yaml"
V2 = ROOT / "samples" / "versions" / "v2.yaml"


def invoke(*args: str | Path) -> object:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def diff(old: Path | str, new: Path | str) -> Comparison:
    return compare(read_version(str(old), BuildOptions()), read_version(str(new), BuildOptions()))


def reported(comparison: Comparison) -> tuple[set[str], set[tuple[str, str]]]:
    return {v.path for v in comparison.values}, {(c.kind, c.clause) for c in comparison.clause_changes}


@cache
def base_document() -> Document:
    return document_for(load_spec(BASE), BuildOptions())[1]


# ------------------------------------------------------------------ noise probes


def test_a_spec_against_itself_has_no_changes() -> None:
    comparison = diff(BASE, BASE)
    assert comparison.changes == ()
    assert comparison.counts()["total"] == 0


def test_one_clause_inserted_near_the_top_is_one_insertion_and_nothing_else(tmp_path: Path) -> None:
    own = tmp_path / "own"
    write_clause(own, "parties.added-1", NEW_CLAUSE.format(category="parties", n=1, order=15))
    spec = tmp_path / "new.yaml"
    spec.write_text(BASE.read_text(encoding="utf-8") + "\nclause_dirs: [own]\n", encoding="utf-8")
    comparison = diff(BASE, spec)
    assert reported(comparison) == (set(), {("added", "parties.added-1")})
    new = comparison.new.document
    # every clause after it in its section, and every later reference to them, got a new number
    assert new.clause("parties.added-1").number == "1.2"
    assert base_document().clause("parties.purpose").number == "1.2"
    assert new.clause("parties.purpose").number == "1.3"


def _reversed(node: object, keep_order: bool = False) -> object:
    """The same YAML data with every mapping's keys in reverse order, in another style.

    Only field names are reordered: the entries of a named collection (the calendars under
    ``service_hours``) keep their order, which the agreement follows when it lists them.
    """
    if isinstance(node, dict):
        out = CommentedMap()
        for key in list(node) if keep_order else reversed(list(node)):
            out[key] = _reversed(node[key], keep_order=key == "service_hours")
        if len(out) <= 3 and all(not isinstance(v, dict | list) for v in out.values()):
            out.fa.set_flow_style()
        else:
            out.fa.set_block_style()
        return out
    if isinstance(node, list):
        seq = CommentedSeq(_reversed(item) for item in node)
        seq.fa.set_block_style()
        return seq
    return node


def test_reordered_and_reformatted_yaml_has_no_changes(tmp_path: Path) -> None:
    data = _reversed(read())
    writer = yaml()
    writer.indent(mapping=4, sequence=6, offset=4)
    spec = tmp_path / "reordered.yaml"
    with spec.open("w", encoding="utf-8") as handle:
        handle.write("# the same agreement, keys reversed and re-indented\n")
        writer.dump(data, handle)
    text = spec.read_text(encoding="utf-8")
    assert text != BASE.read_text(encoding="utf-8")
    assert text.index("policies:") < text.index("agreement:")  # the keys really moved
    assert diff(BASE, spec).changes == ()


# ------------------------------------------------------------------ a seeded corpus of mutations


CLAUSE_KINDS = ("reword", "remove", "move-order", "move-section", "move-reword", "add", "position")


def _mutate_clauses(rng: random.Random, data: object, own: Path) -> set[tuple[str, str]]:
    """Apply 1-4 clause mutations; return the structural changes they must produce."""
    library = load_library()
    document = base_document()
    sections = {s.id: [c.id for c in s.clauses] for s in document.sections}
    section_of = {cid: sid for sid, ids in sections.items() for cid in ids}
    referenced = {
        run.xref
        for clause in document.clauses()
        for block in clause.blocks
        for runs in _all_inlines(block)
        for run in runs
        if run.xref
    }
    used: set[str] = set()
    moved_sections: set[str] = set()
    expected: set[tuple[str, str]] = set()
    positions: dict[str, str] = {}

    def free(cid: str) -> bool:
        return cid not in used and (ROOT / "clauses" / cid.split(".")[0] / f"{cid.split('.')[1]}.md").exists()

    for kind in rng.sample(CLAUSE_KINDS, rng.randint(1, 4)):
        if kind == "reword":
            cid = rng.choice([c for c in section_of if free(c) and section_of[c] != "definitions"])
            write_clause(own, cid, reword(builtin(cid), rng))
        elif kind == "remove":
            options = [
                c
                for c in section_of
                if free(c)
                and c not in referenced
                and not library.clauses[c].meta.defines
                and len(sections[section_of[c]]) > 2
                and section_of[c] not in ("signatures", "definitions")
            ]
            cid = rng.choice(options)
            write_clause(own, cid, front(builtin(cid), "when", '"false"'))
            expected.add(("removed", cid))
        elif kind in ("move-order", "move-section", "move-reword"):
            candidates = [s for s, ids in sections.items() if len(ids) >= 4 and s not in moved_sections]
            sid = rng.choice(candidates)
            cid = sections[sid][0]
            if not free(cid):
                continue
            text = builtin(cid)
            if kind == "move-section":
                target = rng.choice([s for s in candidates if s != sid])
                text = front(front(text, "category", target), "order", "999")
                moved_sections.add(target)
            else:
                last = max(library.clauses[c].meta.order for c in sections[sid])
                text = front(text, "order", str(last + 1))
                if kind == "move-reword":
                    text = reword(text, rng)
            moved_sections.add(sid)
            write_clause(own, cid, text)
            expected.add(("moved", cid))
        elif kind == "add":
            sid = rng.choice([s for s in sections if s not in ("signatures", "definitions")])
            cid = f"{sid}.added-{len(used)}"
            order = rng.choice([5, 15, 35, 999])
            write_clause(own, cid, NEW_CLAUSE.format(category=sid, n=len(used), order=order))
            expected.add(("added", cid))
        elif kind == "position":
            options = [c for c in section_of if free(c) and len(library.clauses[c].wordings) > 1 and c not in positions]
            cid = rng.choice(options)
            positions[cid] = rng.choice([p for p in library.clauses[cid].wordings if p != "standard"])
            expected.add(("position", cid))
        used.add(cid)
    if positions:
        data["positions"] = positions  # type: ignore[index]
    return expected


def _all_inlines(block: object) -> list[tuple]:
    from slaforge.diff.words import inlines

    return list(inlines(block))  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(14))
def test_seeded_mutations_are_reported_exactly(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    data = read()
    truth = Truth()
    for mutation in rng.sample(VALUE_MUTATIONS, rng.randint(0 if seed % 3 else 1, 4)):
        truth.values |= mutation(data, rng)
    own = tmp_path / "own"
    own.mkdir()
    truth.clauses = _mutate_clauses(rng, data, own) if seed % 5 != 4 else set()
    data["clause_dirs"] = ["own"]  # type: ignore[index]
    spec = tmp_path / "new.yaml"
    spec.write_text(dump(data), encoding="utf-8")

    comparison = diff(BASE, spec)
    # wording: computed here from the two documents' plain text, independently of the diff
    old_texts, new_texts = clause_texts(comparison.old.document), clause_texts(comparison.new.document)
    switched = {cid for kind, cid in truth.clauses if kind == "position"}
    reworded = {("reworded", c) for c in old_texts if c in new_texts and old_texts[c] != new_texts[c]}
    expected_clauses = truth.clauses | {(k, c) for k, c in reworded if c not in switched}

    values, clauses = reported(comparison)
    assert values == truth.values, f"seed {seed}"
    assert clauses == expected_clauses, f"seed {seed}"
    # every value change names the field it changed in its own terms
    assert all(v.kind in ("changed", "added", "removed") for v in comparison.values)


# ------------------------------------------------------------------ values, units and directions


def test_sample_versions_list_the_negotiated_changes_with_units_and_directions() -> None:
    comparison = diff(V1, V2)
    values = {v.path: (v.kind, v.old, v.new, v.direction) for v in comparison.values}
    assert values == {
        "agreement.version": ("changed", "2.1", "2.2", "neutral"),
        "agreement.history[2.2]": ("added", None, "version 2.2 of 2027-03-08 by Daniel Okafor", "neutral"),
        "services[wan].availability.target": ("changed", "99.9%", "99.95%", "better"),
        "services[wan].availability.exclusions": ("added", None, "third-party", "worse"),
        "responsiveness.severities[P1].resolution": ("changed", "4h", "2h", "better"),
        "service_credits.bands[0]": ("added", None, "at least 99.9% but below 99.95%: 5%", "better"),
        "service_credits.bands[1].credit": ("changed", "10%", "15%", "better"),
    }
    clauses = {(c.kind, c.clause) for c in comparison.clause_changes}
    assert ("position", "penalties.claims") in clauses
    assert {k for k, _ in clauses} == {"reworded", "position"}  # nothing added, removed or moved
    claims = next(c for c in comparison.clause_changes if c.clause == "penalties.claims")
    assert (claims.old_position, claims.new_position) == ("standard", "customer-favourable")
    # each value is linked to the clause whose words show it
    assert comparison.places["services[wan].availability.target"] == "reliability.availability-target"
    assert comparison.places["responsiveness.severities[P1].resolution"] == "responsiveness.targets"
    assert comparison.places["service_credits.bands[1].credit"] == "penalties.service-credits"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("responsiveness", "severities", 2, "attainment"), "80%", "worse"),
        (("responsiveness", "severities", 0, "response"), "10m", "better"),
        (("responsiveness", "severities", 0, "response"), "20m", "worse"),
        (("service_credits", "caps", "per_year"), "20%", "better"),
        (("service_credits", "minimum_payable"), "50 GBP", "better"),
        (("service_credits", "sole_remedy"), False, "better"),
        (("service_credits", "claim", "deadline"), "14 days", "worse"),
        (("agreement", "title"), "Managed WAN Agreement", "neutral"),
    ],
)
def test_direction_for_the_customer(tmp_path: Path, path: tuple, value: object, expected: str) -> None:
    data = read()
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    spec = tmp_path / "new.yaml"
    spec.write_text(dump(data), encoding="utf-8")
    (change,) = diff(BASE, spec).values
    assert change.direction == expected


def test_a_value_spelt_another_way_is_no_change(tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8")
    respelt = text.replace("target: 99.95%", "target: 99.950").replace("retention: 400 days", "retention: 400d")
    assert respelt != text
    spec = tmp_path / "new.yaml"
    spec.write_text(respelt, encoding="utf-8")
    assert diff(BASE, spec).values == ()


# ------------------------------------------------------------------ the command line and its formats


def test_text_and_markdown_output() -> None:
    result = invoke("diff", V1, V2)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out = result.output  # type: ignore[attr-defined]
    assert "services[wan].availability.target" in out and "99.9% -> 99.95%  [better]" in out
    assert "responsiveness.severities[P1].resolution  4h -> 2h  [better]" in out
    assert "penalties.claims" in out and "position standard -> customer-favourable" in out
    assert "[-4-] {+2+} hours" in out
    md = invoke("diff", V1, V2, "--format", "md").output  # type: ignore[attr-defined]
    assert "| 99.9% | 99.95% | better |" in md
    assert "~~4~~ **2** hours" in md


def test_an_output_with_a_trailing_slash_is_a_folder_even_before_it_exists(tmp_path: Path) -> None:
    folder = tmp_path / "review"
    result = invoke("diff", V1, V2, "--format", "md", "-o", f"{folder}/")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert [p.name for p in folder.iterdir()] == ["NWN-SLA-WAN-014-v2.1-to-v2.2-changes.md"]
    named = tmp_path / "named.md"
    assert invoke("diff", V1, V2, "--format", "md", "-o", named).exit_code == 0  # type: ignore[attr-defined]
    assert named.is_file() and named.read_bytes() == next(folder.iterdir()).read_bytes()


def test_json_has_one_entry_per_change(tmp_path: Path) -> None:
    target = tmp_path / "changes.json"
    result = invoke("diff", V1, V2, "--format", "json", "-o", target)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    report = json.loads(target.read_text(encoding="utf-8"))
    comparison = diff(V1, V2)
    assert report["schema"] == "slaforge-diff/1"
    assert report["old"] == {"source": str(V1), "agreement": "NWN-SLA-WAN-014", "version": "2.1"}
    assert report["new"]["version"] == "2.2"
    assert len(report["changes"]) == len(comparison.changes) == report["summary"]["total"]
    values = [c for c in report["changes"] if c["type"] == "value"]
    clauses = [c for c in report["changes"] if c["type"] == "clause"]
    assert len(values) == report["summary"]["values"] and len(clauses) == report["summary"]["clauses"]
    target_change = next(c for c in values if c["path"] == "services[wan].availability.target")
    assert target_change == {
        "type": "value",
        "change": "changed",
        "path": "services[wan].availability.target",
        "label": "services \u203a Managed WAN \u203a availability \u203a target",
        "field": "services.availability.target",
        "old": "99.9%",
        "new": "99.95%",
        "direction": "better",
        "clause": "reliability.availability-target",
        "note": "downtime allowed: 43 minutes 12 seconds in 30 days -> 21 minutes 36 seconds in 30 days",
    }
    assert {c["change"] for c in clauses} <= {"added", "removed", "moved", "reworded", "position"}
    assert all(set(c["words"]) == {"inserted", "deleted"} for c in clauses)


def test_missing_file_and_bad_format_are_clear_errors(tmp_path: Path) -> None:
    result = invoke("diff", V1, tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "no such file" in result.output  # type: ignore[attr-defined]
    result = invoke("diff", V1, V2, "--format", "rtf")
    assert result.exit_code == 2
    assert "unknown --format 'rtf'" in result.output  # type: ignore[attr-defined]


def test_an_invalid_version_names_its_file_line_and_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(V2.read_text(encoding="utf-8").replace("target: 99.95%", "target: lots"), encoding="utf-8")
    result = invoke("diff", V1, bad)
    assert result.exit_code == 1
    assert f"{bad}:" in result.output and "services[0].availability.target" in result.output  # type: ignore[attr-defined]


# ------------------------------------------------------------------ git revisions


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "slm@example.com")
    _git(repo, "config", "user.name", "Service Level Manager")
    spec = repo / "specs" / "wan.yaml"
    spec.write_bytes(V1.read_bytes())
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "version 2.1")
    _git(repo, "tag", "v2.1")
    spec.write_bytes(V2.read_bytes())
    _git(repo, "commit", "-qam", "version 2.2")

    monkeypatch.chdir(repo / "specs")
    by_file = diff(V1, V2).counts()
    result = invoke("diff", "v2.1:wan.yaml", "HEAD:wan.yaml", "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    report = json.loads(result.output)  # type: ignore[attr-defined]
    assert report["summary"] == by_file
    assert report["old"]["source"] == "v2.1:wan.yaml" and report["old"]["version"] == "2.1"
    # a revision against the working tree, with the path given from elsewhere
    monkeypatch.chdir(tmp_path)
    result = invoke("diff", "HEAD~1:repo/specs/wan.yaml", "repo/specs/wan.yaml")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "99.9% -> 99.95%" in result.output  # type: ignore[attr-defined]

    result = invoke("diff", "no-such-tag:repo/specs/wan.yaml", "repo/specs/wan.yaml")
    assert result.exit_code == 1
    assert "no-such-tag:repo/specs/wan.yaml: 'no-such-tag' names no commit" in result.output  # type: ignore[attr-defined]

    # a version that does not validate names the revision, not a temporary file
    spec.write_text(V2.read_text(encoding="utf-8").replace("target: 99.95%", "target: lots"), encoding="utf-8")
    _git(repo, "commit", "-qam", "broken")
    result = invoke("diff", "HEAD:repo/specs/wan.yaml", "HEAD~1:repo/specs/wan.yaml")
    assert result.exit_code == 1
    assert "HEAD:repo/specs/wan.yaml:" in result.output  # type: ignore[attr-defined]
    assert "/tmp" not in result.output.split("HEAD:repo")[0]  # type: ignore[attr-defined]


def test_two_invalid_versions_report_every_problem_of_both_at_once(tmp_path: Path) -> None:
    text = V1.read_text(encoding="utf-8")
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(text.replace("target: 99.9%", "targt: 99.9%", 1), encoding="utf-8")
    new.write_text(text.replace("hours: always", "hours: allways", 1), encoding="utf-8")
    result = invoke("diff", old, new)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert f"{old}:" in output and "unknown key 'targt'" in output
    assert f"{new}:" in output and "no service_hours calendar called 'allways'" in output
    assert output.rstrip().endswith("problems found; nothing was written")
