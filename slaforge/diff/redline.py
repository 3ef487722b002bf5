"""A comparison as a redline: the new Document with the changes marked, after a summary of them.

The body is the new document.  Inside a reworded clause the words that went
are struck through where they stood and the words that came are marked as
inserted; a clause that was removed stays, struck through, where it stood; a
clause that moved is struck through where it was and inserted where it is now
(so accepting every change gives the new text and rejecting every change gives
the old).  Numbers are the new document's: a renumbered clause is not a change.

The summary section comes first: the counts, a legend, the changed terms and
the changed clauses, each linked by cross-reference to its clause.
"""

from __future__ import annotations

from dataclasses import replace

from slaforge.diff.clauses import ClauseChange, Placed
from slaforge.diff.comparison import Comparison
from slaforge.diff.words import mark_all
from slaforge.document import Clause, Document, Inline, Paragraph, Run, Section, Table

SUMMARY_ID = "redline-summary"
MOVED_SUFFIX = "--was"
DIRECTION_WORDS = {"better": "Better", "worse": "Worse", "neutral": "Neutral"}
KIND_WORDS = {
    "added": "Added",
    "removed": "Deleted",
    "moved": "Moved",
    "reworded": "Reworded",
    "position": "Position switched",
}


def redline(comparison: Comparison) -> Document:
    new_meta = comparison.new.document.meta
    old_meta = comparison.old.document.meta
    meta = replace(
        new_meta,
        subtitle=f"Redline: version {new_meta.version} compared with version {old_meta.version}",
        marking=f"REDLINE AGAINST VERSION {old_meta.version}",
        keywords=(*new_meta.keywords, "redline"),
    )
    return Document(meta=meta, sections=(summary_section(comparison), *body_sections(comparison)))


# ------------------------------------------------------------------ the body


def body_sections(comparison: Comparison) -> list[Section]:
    clauses = comparison.clauses
    old_doc, new_doc = comparison.old.document, comparison.new.document
    stable = {cid for cid in clauses.new if cid in clauses.old and cid not in clauses.moved}
    new_sections = {s.id for s in new_doc.sections}
    old_by_id = {s.id: s for s in old_doc.sections}

    out: list[Section] = []
    pending_old: list[Section] = []  # old sections that are gone, waiting for their place
    old_order = [s.id for s in old_doc.sections]
    gone_after: dict[str | None, list[Section]] = {}
    for index, section_id in enumerate(old_order):
        if section_id in new_sections:
            continue
        before = next((old_order[i] for i in range(index - 1, -1, -1) if old_order[i] in new_sections), None)
        gone_after.setdefault(before, []).append(old_by_id[section_id])
    pending_old.extend(gone_after.get(None, []))
    out.extend(_deleted_section(s, comparison) for s in pending_old)

    for section in new_doc.sections:
        old_section = old_by_id.get(section.id)
        attached: dict[str | None, list[Clause]] = {}
        if old_section is not None:
            anchor: str | None = None
            for clause in old_section.clauses:
                if clause.id in stable:
                    anchor = clause.id
                else:
                    attached.setdefault(anchor, []).append(_old_clause(clause, comparison))
        built = list(attached.get(None, []))
        for clause in section.clauses:
            built.append(_new_clause(clause, comparison))
            built.extend(attached.get(clause.id, []))
        out.append(replace(section, clauses=tuple(built), change=None if old_section is not None else "ins"))
        out.extend(_deleted_section(s, comparison) for s in gone_after.get(section.id, []))
    return out


def _deleted_section(section: Section, comparison: Comparison) -> Section:
    return replace(section, clauses=tuple(_old_clause(c, comparison) for c in section.clauses), change="del")


def _new_clause(clause: Clause, comparison: Comparison) -> Clause:
    clauses = comparison.clauses
    if clause.id not in clauses.old:
        return replace(clause, change="ins")
    if clause.id in clauses.moved:
        return replace(clause, change="ins", moved_from=clauses.old[clause.id].clause.number)
    marked = clauses.marked.get(clause.id)
    if marked is None:
        return clause
    old_title = clauses.old[clause.id].clause.title
    return replace(clause, blocks=marked, old_title=old_title if old_title != clause.title else None)


def _old_clause(clause: Clause, comparison: Comparison) -> Clause:
    clauses = comparison.clauses
    if clause.id in clauses.new:  # it moved: struck here, inserted where it is now
        return replace(
            clause,
            id=clause.id + MOVED_SUFFIX,
            change="del",
            moved_to=clauses.new[clause.id].clause.number,
            blocks=mark_all(clause.blocks, "del"),
        )
    return replace(clause, change="del", blocks=mark_all(clause.blocks, "del"))


# ------------------------------------------------------------------ the summary


def summary_section(comparison: Comparison) -> Section:
    clauses = [overview(comparison)]
    if comparison.values:
        clauses.append(
            Clause(
                id=f"{SUMMARY_ID}.terms",
                number="",
                title="Changed terms",
                blocks=(values_table(comparison),),
            )
        )
    if comparison.clause_changes:
        clauses.append(
            Clause(
                id=f"{SUMMARY_ID}.clauses",
                number="",
                title="Changed clauses",
                blocks=(clauses_table(comparison),),
            )
        )
    return Section(id=SUMMARY_ID, number="", title="Summary of changes", clauses=tuple(clauses))


def overview(comparison: Comparison) -> Clause:
    old, new = comparison.old, comparison.new
    meta = new.document.meta
    counts = comparison.counts()
    compared = (
        f"This redline shows version {meta.version} of {meta.title} ({meta.agreement_id}) with every change "
        f"from version {old.document.meta.version}. It compares {old.label} (old) with {new.label} (new)."
    )
    if counts["total"] == 0:
        tally = "The two versions are the same: there are no changes."
    else:
        tally = (
            f"{_count(counts['total'], 'change')}: {_count(counts['values'], 'changed term')} "
            f"({counts['better']} better, {counts['worse']} worse and {counts['neutral']} neutral for the "
            f"Customer) and {_count(counts['clauses'], 'clause change')} ({counts['added']} added, "
            f"{counts['removed']} deleted, {counts['moved']} moved, {counts['reworded']} reworded, "
            f"{counts['position']} with another position)."
        )
    legend: Inline = (
        Run("Legend: ", bold=True),
        Run("inserted words", change="ins"),
        Run(", "),
        Run("deleted words", change="del"),
        Run(
            ". A clause that moved is struck through where it stood and inserted where it stands now. "
            "Clause numbers are those of the new version; a clause that only has a new number is unchanged."
        ),
    )
    return Clause(
        id=f"{SUMMARY_ID}.overview",
        number="",
        title="Comparison",
        blocks=(Paragraph((Run(compared),)), Paragraph((Run(tally),)), Paragraph(legend)),
    )


def values_table(comparison: Comparison) -> Table:
    rows: list[tuple[Inline, ...]] = []
    numbers = _numbers(comparison)
    for value in comparison.values:
        place = comparison.places.get(value.path)
        where: Inline = (Run(numbers[place], xref=place),) if place in numbers else (Run("\u2014"),)
        rows.append(
            (
                (Run(value.label),),
                (Run(value.old if value.old is not None else "\u2014"),),
                (Run(value.new if value.new is not None else "\u2014"),),
                (Run(DIRECTION_WORDS[value.direction]),),
                where,
            )
        )
    header = tuple((Run(h),) for h in ("Term", "Was", "Now", "For the Customer", "Clause"))
    return Table(header=header, rows=tuple(rows), widths=(4.0, 2.4, 2.4, 1.7, 1.5), kind="changed-terms")


def clauses_table(comparison: Comparison) -> Table:
    rows: list[tuple[Inline, ...]] = []
    for change in comparison.clause_changes:
        number = change.new_number or change.old_number or ""
        rows.append(((Run(number, xref=change.clause),), (Run(change.title),), (Run(_what(change)),), _detail(change)))
    header = tuple((Run(h),) for h in ("Clause", "Title", "Change", "Detail"))
    return Table(header=header, rows=tuple(rows), widths=(1.5, 3.2, 2.2, 5.1), kind="changed-clauses")


def _what(change: ClauseChange) -> str:
    if change.kind == "moved":
        where = f"from {change.old_number}"
        if change.old_section != change.new_section:
            where += f" ({change.old_section} to {change.new_section})"
        return f"Moved {where}"
    if change.kind == "position":
        return f"Position: {change.old_position} to {change.new_position}"
    return KIND_WORDS[change.kind]


def _detail(change: ClauseChange) -> Inline:
    if change.excerpt:
        return tuple(Run(text, change=mark) for text, mark in change.excerpt if text)
    if change.kind == "added":
        return (Run(f"{_count(change.inserted_words, 'word')} inserted"),)
    if change.kind == "removed":
        return (Run(f"{_count(change.deleted_words, 'word')} deleted"),)
    if change.kind == "moved":
        return (Run(f"now clause {change.new_number}; was clause {change.old_number}"),)
    return (Run(""),)


def _numbers(comparison: Comparison) -> dict[str, str]:
    placed: dict[str, Placed] = comparison.clauses.new
    return {cid: p.clause.number for cid, p in placed.items()}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
