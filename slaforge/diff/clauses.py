"""Clause changes between two composed Documents, matching clauses by id.

- **added** / **removed**: the id is only in the new / old document;
- **moved**: the clause changed section, or changed its order relative to the clauses around it
  (the common clauses are aligned as sequences; those outside the alignment moved).  A clause
  that merely got a new number because another was inserted or removed above it did not move;
- **position**: the spec chose another wording of the clause (standard -> customer-favourable);
- **reworded**: the title or the words differ (cross-references compare by target, not number).

Word-level marks of every reworded clause are kept for the redline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Literal

from slaforge.diff.words import WordCount, block_key, compare_blocks, compare_inline, count_words, inline_key
from slaforge.document import (
    Block,
    BulletList,
    Change,
    Clause,
    DefinitionList,
    Document,
    NumberedList,
    Paragraph,
    Run,
    Table,
)

ClauseKind = Literal["added", "removed", "moved", "reworded", "position"]


@dataclass(frozen=True)
class ClauseChange:
    kind: ClauseKind
    clause: str  # clause id
    title: str
    old_number: str | None = None
    new_number: str | None = None
    old_section: str | None = None
    new_section: str | None = None
    old_position: str | None = None
    new_position: str | None = None
    inserted_words: int = 0
    deleted_words: int = 0
    # the first changed words with a little context: (text, None | "ins" | "del") pieces
    excerpt: tuple[tuple[str, Change], ...] = ()


@dataclass(frozen=True)
class Placed:
    section: str
    section_title: str
    index: int  # place in the whole document, 0-based
    clause: Clause


@dataclass
class ClauseComparison:
    changes: list[ClauseChange] = field(default_factory=list)
    # clause id -> the new blocks with the old words struck in place
    marked: dict[str, tuple[Block, ...]] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)
    old: dict[str, Placed] = field(default_factory=dict)
    new: dict[str, Placed] = field(default_factory=dict)


def placed(document: Document) -> dict[str, Placed]:
    out: dict[str, Placed] = {}
    index = 0
    for section in document.sections:
        for clause in section.clauses:
            out.setdefault(clause.id, Placed(section.id, section.title, index, clause))
            index += 1
    return out


def compare_clauses(old: Document, new: Document) -> ClauseComparison:
    result = ClauseComparison(old=placed(old), new=placed(new))
    before, after = result.old, result.new
    common_old = [cid for cid in before if cid in after]
    common_new = [cid for cid in after if cid in before]
    matcher = SequenceMatcher(None, common_old, common_new, autojunk=False)
    in_order = {common_new[j] for block in matcher.get_matching_blocks() for j in range(block.b, block.b + block.size)}
    result.moved = {cid for cid in common_new if cid not in in_order or before[cid].section != after[cid].section}

    for cid, item in after.items():
        clause = item.clause
        if cid not in before:
            words = sum(count_words(b) for b in clause.blocks) + len(inline_key((Run(clause.title),)))
            result.changes.append(
                ClauseChange(
                    "added",
                    cid,
                    clause.title,
                    new_number=clause.number,
                    new_section=item.section,
                    new_position=clause.position,
                    inserted_words=words,
                )
            )
            continue
        was = before[cid].clause
        if cid in result.moved:
            result.changes.append(
                ClauseChange(
                    "moved",
                    cid,
                    clause.title,
                    old_number=was.number,
                    new_number=clause.number,
                    old_section=before[cid].section,
                    new_section=item.section,
                )
            )
        switched = was.position != clause.position
        if not (switched or _differs(was, clause)):
            continue
        count = WordCount()
        title = compare_inline((Run(was.title),), (Run(clause.title),), count)
        blocks = compare_blocks(was.blocks, clause.blocks, count)
        result.marked[cid] = blocks
        result.changes.append(
            ClauseChange(
                "position" if switched else "reworded",
                cid,
                clause.title,
                old_number=was.number,
                new_number=clause.number,
                old_section=before[cid].section,
                new_section=item.section,
                old_position=was.position,
                new_position=clause.position,
                inserted_words=count.inserted,
                deleted_words=count.deleted,
                excerpt=excerpt(title, blocks),
            )
        )
    for cid, item in before.items():
        if cid not in after:
            clause = item.clause
            result.changes.append(
                ClauseChange(
                    "removed",
                    cid,
                    clause.title,
                    old_number=clause.number,
                    old_section=item.section,
                    old_position=clause.position,
                    deleted_words=sum(count_words(b) for b in clause.blocks),
                )
            )
    result.changes.sort(key=lambda c: _order(c, result))
    return result


def _differs(old: Clause, new: Clause) -> bool:
    return old.title != new.title or [block_key(b) for b in old.blocks] != [block_key(b) for b in new.blocks]


def _order(change: ClauseChange, result: ClauseComparison) -> tuple[float, int]:
    """Changes in the order a reader meets them in the redline: removed clauses where they stood."""
    kinds = ("removed", "added", "moved", "position", "reworded")
    if change.clause in result.new:
        return result.new[change.clause].index, kinds.index(change.kind)
    old_index = result.old[change.clause].index
    anchors = [p for p in result.old.values() if p.index < old_index and p.clause.id in result.new]
    if not anchors:
        return -0.5, 0
    anchor = max(anchors, key=lambda p: p.index)
    return result.new[anchor.clause.id].index + 0.5, 0


def excerpt(title: tuple[Run, ...], blocks: tuple[Block, ...], context: int = 6) -> tuple[tuple[str, Change], ...]:
    """The first changed stretch of a clause with a few words either side."""
    runs: list[Run] = list(title) if any(r.change for r in title) else []
    if not runs:
        for block in blocks:
            block_runs = list(_runs(block))
            if any(r.change for r in block_runs):
                runs = block_runs
                break
    if not runs:
        return ()
    pieces: list[tuple[str, Change]] = []
    for run in runs:
        if pieces and pieces[-1][1] == run.change:
            pieces[-1] = (pieces[-1][0] + run.text, run.change)
        else:
            pieces.append((run.text, run.change))
    first = next(i for i, p in enumerate(pieces) if p[1])
    last = first
    while last + 1 < len(pieces) and (pieces[last + 1][1] or len(pieces[last + 1][0].split()) <= 2):
        last += 1
    while last > first and not pieces[last][1]:
        last -= 1
    before = re.findall(r"\S+\s*", pieces[first - 1][0]) if first else []
    after = re.findall(r"\s*\S+", pieces[last + 1][0]) if last + 1 < len(pieces) else []
    out: list[tuple[str, Change]] = []
    if before:
        out.append((("\u2026 " if len(before) > context else "") + "".join(before[-context:]), None))
    out.extend((_shorten(text, LONGEST), change) for text, change in pieces[first : last + 1])
    if after:
        out.append(("".join(after[:context]) + (" \u2026" if len(after) > context else ""), None))
    return tuple(out)


LONGEST = 24  # words of one changed stretch an excerpt shows


def _shorten(text: str, words: int) -> str:
    parts = re.findall(r"\S+\s*", text)
    if len(parts) <= words:
        return text
    return "".join(parts[:words]).rstrip() + " \u2026 "


def _runs(block: Block) -> list[Run]:
    """The runs of a block's first changed inline (a table row as its cells joined by a bar)."""
    match block:
        case Paragraph():
            return [replace_change(r, block.change) for r in block.runs]
        case NumberedList() | BulletList():
            out: list[Run] = []
            for item in block.items:
                if any(r.change for r in item.runs) or item.change:
                    return [replace_change(r, item.change) for r in item.runs]
                out.extend(item.runs)
            return []
        case Table():
            for index, row in enumerate(block.rows):
                change = block.row_changes[index] if index < len(block.row_changes) else None
                cells = [replace_change(r, change) for cell in row for r in (*cell, Run(" | "))][:-1]
                if any(r.change for r in cells):
                    return cells
            return []
        case DefinitionList():
            for item in block.items:
                if item.change or any(r.change for r in item.runs):
                    return [replace_change(Run(f"{item.term}: "), item.change)] + [
                        replace_change(r, item.change) for r in item.runs
                    ]
            return []
    return []


def replace_change(run: Run, change: Change) -> Run:
    return replace(run, change=change) if change else run
