"""A comparison as a redline: the new Document with the changes marked, after a summary of them.

The body is the new document.  Inside a reworded clause the words that went
are struck through where they stood and the words that came are marked as
inserted; a clause that was removed stays, struck through, where it stood; a
clause that moved is struck through where it was and inserted where it is now
(so accepting every change gives the new text and rejecting every change gives
the old).  Numbers are the new document's: a renumbered clause is not a change.

The summary section comes first: the counts, a legend, the changed terms and
the changed clauses, each linked by cross-reference to its clause.  Its words
are the theme's texts (``text/redline/``); :func:`summary_context` gives them
their values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace
from typing import Any

from slaforge.compose.texts import compose_texts
from slaforge.diff.comparison import Comparison
from slaforge.diff.words import mark_all
from slaforge.document import MOVED_SUFFIX, Change, Clause, Document, Section
from slaforge.library.texts import Texts, builtin_texts


def redline(
    comparison: Comparison,
    texts: Texts | None = None,
    author: str | None = None,
    *,
    summary: bool = True,
    internal: bool = False,
) -> Document:
    """The new version with every change marked, after the summary (from the theme's ``text/redline/``).

    The changes are ``author``'s (by default the new version's document owner), made on the date the
    new version's history gives it (else on the build's timestamp).  Without ``summary`` it is the
    tracked body alone, as the DOCX carries it: the new agreement's cover, contents and text with the
    changes tracked (the cover's from the old version's), so that accepting every change gives
    exactly the new agreement and rejecting every change exactly the old one; the summary is then
    a document of its own (:func:`redline_summary`).  ``internal`` adds what the changes mean for
    the Customer, an assessment for the provider's own eyes only.
    """
    new_meta = comparison.new.document.meta
    agreement = comparison.new.agreement.spec.agreement
    dated = next((entry.date for entry in reversed(agreement.history) if entry.version == agreement.version), None)
    revision = {
        "revised_by": author or agreement.owner.name,
        "revised_at": None if dated is None else _midnight_utc(dated),
        "keywords": (*new_meta.keywords, "redline"),
    }
    if not summary:
        meta = replace(new_meta, compared_with=comparison.old.document.meta, **revision)
        return Document(meta=meta, sections=tuple(body_sections(comparison)))
    notes = redline_summary(comparison, texts, internal=internal)
    meta = replace(notes.meta, **revision)
    return Document(meta=meta, sections=(*notes.sections, *body_sections(comparison)))


def redline_summary(comparison: Comparison, texts: Texts | None = None, *, internal: bool = False) -> Document:
    """The summary of changes alone, under the new version's cover named as a redline."""
    summary = compose_texts(texts or builtin_texts(), "redline/outline", summary_context(comparison, internal))
    new_meta = comparison.new.document.meta
    meta = replace(
        new_meta,
        subtitle=summary.particulars["subtitle"],
        marking=summary.particulars["marking"],
        keywords=(*new_meta.keywords, "redline", "summary"),
    )
    return Document(meta=meta, sections=tuple(summary.sections))


def _midnight_utc(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


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


def summary_context(comparison: Comparison, internal: bool = False) -> dict[str, Any]:
    """What the summary's texts (``text/redline/`` of the theme) read; ``internal``: whether they may
    say what a change means for the Customer (never in what goes to the other side)."""
    old, new = comparison.old, comparison.new
    numbers = {cid: placed.clause.number for cid, placed in comparison.clauses.new.items()}

    def side(version: Any) -> dict[str, Any]:
        meta = version.document.meta
        return {"version": meta.version, "title": meta.title, "agreement_id": meta.agreement_id, "label": version.label}

    values = []
    for value in comparison.values:
        place = comparison.places.get(value.path)
        values.append(
            {
                "label": value.label,
                "old": value.old,
                "new": value.new,
                "direction": value.direction,
                "clause": place if place in numbers else None,
                "number": numbers.get(place or ""),
            }
        )
    changes = [
        {
            **asdict(change),
            "number": change.new_number or change.old_number or "",
            "excerpt": [_piece(text, mark) for text, mark in change.excerpt if text],
        }
        for change in comparison.clause_changes
    ]
    return {
        "old": side(old),
        "new": side(new),
        "counts": comparison.counts(),
        "values": values,
        "changes": changes,
        "internal": internal,
    }


def _piece(text: str, mark: Change) -> dict[str, Any]:
    """A stretch of an excerpt as the text prints it: its words, and whether a space comes before or after."""
    core = " ".join(text.split())
    if not core:
        return {"core": "", "lead": True, "trail": False, "mark": mark}
    return {"core": core, "lead": text[:1].isspace(), "trail": text[-1:].isspace(), "mark": mark}
