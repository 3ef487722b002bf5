"""Two versions of an agreement -> one change tree: typed value changes and clause changes.

The pipeline runs twice (load, resolve, compose); :func:`compare` then
compares the two specs value by value (:mod:`slaforge.diff.values`) and the
two Documents clause by clause (:mod:`slaforge.diff.clauses`).  The result
renders as text, Markdown or JSON (:mod:`slaforge.diff.change_list`) or as a redline
Document (:mod:`slaforge.diff.redline`).
"""

from __future__ import annotations

from dataclasses import dataclass

from slaforge.diff.clauses import ClauseChange, ClauseComparison, compare_clauses
from slaforge.diff.values import ValueChange, compare_values
from slaforge.diff.versions import Version
from slaforge.diff.words import inlines
from slaforge.document import Clause

Change = ValueChange | ClauseChange


@dataclass(frozen=True)
class Comparison:
    old: Version
    new: Version
    values: tuple[ValueChange, ...]
    clauses: ClauseComparison
    # value path -> id of the clause whose text shows the change (when one does)
    places: dict[str, str]

    @property
    def clause_changes(self) -> tuple[ClauseChange, ...]:
        return tuple(self.clauses.changes)

    @property
    def changes(self) -> tuple[Change, ...]:
        return (*self.values, *self.clauses.changes)

    def counts(self) -> dict[str, int]:
        counts = {"values": len(self.values), "better": 0, "worse": 0, "neutral": 0}
        for value in self.values:
            counts[value.direction] += 1
        for kind in ("added", "removed", "moved", "reworded", "position"):
            counts[kind] = sum(1 for c in self.clauses.changes if c.kind == kind)
        counts["clauses"] = len(self.clauses.changes)
        counts["total"] = counts["values"] + counts["clauses"]
        return counts


def compare(old: Version, new: Version) -> Comparison:
    values = tuple(compare_values(old.agreement.spec, new.agreement.spec))
    clauses = compare_clauses(old.document, new.document)
    return Comparison(old, new, values, clauses, places(values, clauses, old.params, new.params))


# context names that are not spec keys, and the part of the spec each is made from
SPEC_PART = {"commitments": "services"}


def places(
    values: tuple[ValueChange, ...],
    clauses: ClauseComparison,
    old_params: dict[str, tuple[str, ...]],
    new_params: dict[str, tuple[str, ...]],
) -> dict[str, str]:
    """For each value change, the first changed clause that reads the value's part of the spec and
    whose wording gained the new value or lost the old one."""
    texts: dict[str, tuple[str, str]] = {}
    params = {**old_params, **new_params}
    for change in clauses.changes:
        if change.kind in ("reworded", "position"):
            texts[change.clause] = (
                clause_text(clauses.old[change.clause].clause).lower(),
                clause_text(clauses.new[change.clause].clause).lower(),
            )
        elif change.kind == "added":
            texts[change.clause] = ("", clause_text(clauses.new[change.clause].clause).lower())
    out: dict[str, str] = {}
    for value in values:
        best: str | None = None
        top = value.field.split(".")[0]
        for clause_id, (old_text, new_text) in texts.items():
            if top not in {SPEC_PART.get(p, p) for p in params.get(clause_id, (top,))}:
                continue
            gained = any(new_text.count(f.lower()) > old_text.count(f.lower()) for f in value.new_forms)
            lost = any(old_text.count(f.lower()) > new_text.count(f.lower()) for f in value.old_forms)
            if (gained or not value.new_forms) and (lost or not value.old_forms) and (gained or lost):
                best = clause_id
                break
            if best is None and (gained or lost):
                best = clause_id
        if best is not None:
            out[value.path] = best
    return out


def clause_text(clause: Clause) -> str:
    """The words of a clause in one string (for finding values in it)."""
    words = [clause.title]
    for block in clause.blocks:
        words.extend("".join(run.text for run in runs) for runs in inlines(block))
    return " ".join(" ".join(words).split())
