"""A comparison as text for the terminal, Markdown for an e-mail, or JSON for other tools.

The JSON schema is documented in docs/diff.md: one object whose ``changes``
list holds one entry per change, values first, then clauses in reading order.
"""

from __future__ import annotations

import json
from typing import Any

from slaforge.diff.clauses import ClauseChange
from slaforge.diff.comparison import Comparison
from slaforge.diff.portfolios import PortfolioComparison
from slaforge.diff.values import ValueChange
from slaforge.document import Change

SCHEMA = "slaforge-diff/1"
ARROW = "->"


def heading(comparison: Comparison) -> str:
    old, new = comparison.old, comparison.new
    return (
        f"{new.document.meta.agreement_id}: version {old.document.meta.version} ({old.label}) "
        f"{ARROW} version {new.document.meta.version} ({new.label})"
    )


def tally(comparison: Comparison) -> str:
    c = comparison.counts()
    if not c["total"]:
        return "no changes"
    return (
        f"{c['total']} change{'s' if c['total'] != 1 else ''}: "
        f"{c['values']} value{'s' if c['values'] != 1 else ''} ({c['better']} better, {c['worse']} worse, "
        f"{c['neutral']} neutral for the customer); {c['clauses']} clause change{'s' if c['clauses'] != 1 else ''} "
        f"({c['added']} added, {c['removed']} removed, {c['moved']} moved, {c['reworded']} reworded, "
        f"{c['position']} position switched)"
    )


def excerpt_text(pieces: tuple[tuple[str, Change], ...], style: str = "text") -> str:
    """``[-4-]{+2+} hours`` (wdiff style) for text, ``~~4~~ **2** hours`` for Markdown."""
    out = []
    for text, change in pieces:
        text = " ".join(text.split("\n"))
        if change is None:
            out.append(_md(text) if style == "md" else text)
            continue
        core, lead, trail = text.strip(), text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        if not core:
            out.append(text)
        elif style == "md":
            out.append(f"{lead}~~{_md(core)}~~{trail}" if change == "del" else f"{lead}**{_md(core)}**{trail}")
        else:
            out.append(f"{lead}[-{core}-]{trail}" if change == "del" else f"{lead}{{+{core}+}}{trail}")
    return " ".join("".join(out).split())


def value_line(value: ValueChange) -> str:
    if value.kind == "added":
        body = f"added {value.new}"
    elif value.kind == "removed":
        body = f"removed {value.old}"
    else:
        body = f"{value.old} {ARROW} {value.new}"
    return body


def clause_line(change: ClauseChange) -> str:
    if change.kind == "added":
        return f"added as clause {change.new_number} ({change.inserted_words} words)"
    if change.kind == "removed":
        return f"removed (was clause {change.old_number}, {change.deleted_words} words)"
    if change.kind == "moved":
        sections = f", from section {change.old_section} to {change.new_section}"
        return f"moved from {change.old_number} to {change.new_number}" + (
            sections if change.old_section != change.new_section else ""
        )
    what = "position" if change.kind == "position" else "reworded"
    head = f"{what} {change.old_position} {ARROW} {change.new_position}" if change.kind == "position" else what
    return f"{head} (+{change.inserted_words} / -{change.deleted_words} words)"


def as_text(comparison: Comparison) -> str:
    lines = [heading(comparison), tally(comparison)]
    if comparison.values:
        lines += ["", "Values"]
        width = max(len(v.path) for v in comparison.values)
        for value in comparison.values:
            lines.append(f"  {value.path:<{width}}  {value_line(value)}  [{value.direction}]")
            if value.note:
                lines.append(f"  {'':<{width}}  {value.note}")
    if comparison.clause_changes:
        lines += ["", "Clauses"]
        for change in comparison.clause_changes:
            number = change.new_number or change.old_number
            lines.append(f"  {number:<6} {change.clause}  {change.title}: {clause_line(change)}")
            if change.excerpt:
                lines.append(f"         {excerpt_text(change.excerpt)}")
    return "\n".join(lines) + "\n"


def as_markdown(comparison: Comparison) -> str:
    lines = [f"## {_md(heading(comparison))}", "", _md(tally(comparison))]
    if comparison.values:
        lines += ["", "### Values", "", "| Term | Was | Now | For the customer |", "|---|---|---|---|"]
        for value in comparison.values:
            lines.append(
                f"| {_md(value.label)} ({_code(value.path)}) | {_md(value.old or '—')} | {_md(value.new or '—')} "
                f"| {value.direction} |"
            )
    if comparison.clause_changes:
        lines += ["", "### Clauses", ""]
        for change in comparison.clause_changes:
            number = change.new_number or change.old_number
            line = f"- **{_md(number)} {_md(change.title)}** ({_code(change.clause)}): {_md(clause_line(change))}"
            if change.excerpt:
                line += f"  \n  {excerpt_text(change.excerpt, 'md')}"
            lines.append(line)
    return "\n".join(lines) + "\n"


def as_json(comparison: Comparison) -> str:
    return json.dumps(as_dict(comparison), indent=2, ensure_ascii=False) + "\n"


def as_dict(comparison: Comparison) -> dict[str, Any]:
    def side(version: Any) -> dict[str, Any]:
        meta = version.document.meta
        return {"source": version.label, "agreement": meta.agreement_id, "version": meta.version}

    changes: list[dict[str, Any]] = []
    for value in comparison.values:
        changes.append(
            {
                "type": "value",
                "change": value.kind,
                "path": value.path,
                "label": value.label,
                "field": value.field,
                "old": value.old,
                "new": value.new,
                "direction": value.direction,
                "clause": comparison.places.get(value.path),
                "note": value.note,
            }
        )
    for change in comparison.clause_changes:
        changes.append(
            {
                "type": "clause",
                "change": change.kind,
                "clause": change.clause,
                "title": change.title,
                "old_number": change.old_number,
                "new_number": change.new_number,
                "old_section": change.old_section,
                "new_section": change.new_section,
                "old_position": change.old_position,
                "new_position": change.new_position,
                "words": {"inserted": change.inserted_words, "deleted": change.deleted_words},
                "excerpt": excerpt_text(change.excerpt) if change.excerpt else None,
            }
        )
    return {
        "schema": SCHEMA,
        "old": side(comparison.old),
        "new": side(comparison.new),
        "summary": comparison.counts(),
        "changes": changes,
    }


def _md(text: str) -> str:
    """Text as inline Markdown that shows exactly that text: no emphasis, link, image, table cell, code
    or HTML of its own (``<script>`` and ``<img src=...>`` are shown, not run), and no line break that
    could start a heading or a list."""
    text = " ".join(text.splitlines())
    for char in "\\`*_[]|~!#<>&":  # CommonMark shows any of these backslash-escaped as itself
        text = text.replace(char, "\\" + char)
    return text


def _code(text: str) -> str:
    """A code span of ``text`` whatever backticks it holds (nothing in a code span is Markdown or HTML)."""
    text = " ".join(text.splitlines()).replace("`", "'").replace("|", "\\|")
    return f"`{text}`"


# ------------------------------------------------------------------ portfolios

PORTFOLIO_SCHEMA = "slaforge-portfolio-diff/1"


def _entry(document_id: str, version: Any) -> str:
    meta = version.document.meta
    return f"{meta.agreement_id} v{meta.version} (document {document_id})"


def portfolio_tally(comparison: PortfolioComparison) -> str:
    changed, unchanged = len(comparison.changed), len(comparison.unchanged)
    return (
        f"{changed} document{'s' if changed != 1 else ''} changed, {len(comparison.added)} added, "
        f"{len(comparison.removed)} removed, {unchanged} unchanged"
    )


def portfolio_heading(comparison: PortfolioComparison) -> str:
    return f"portfolio {comparison.old.label} {ARROW} {comparison.new.label}"


def portfolio_text(comparison: PortfolioComparison) -> str:
    lines = [portfolio_heading(comparison), portfolio_tally(comparison)]
    for title, entries in (("Added", comparison.added), ("Removed", comparison.removed)):
        if entries:
            lines += ["", title, *(f"  {_entry(d, v)}" for d, v in entries)]
    if comparison.unchanged:
        lines += ["", "Unchanged", *(f"  {_pair_entry(pair)}" for pair in comparison.unchanged)]
    for pair in comparison.changed:
        lines += ["", as_text(pair).rstrip("\n")]
    return "\n".join(lines) + "\n"


def portfolio_markdown(comparison: PortfolioComparison) -> str:
    lines = [f"# {_md(portfolio_heading(comparison))}", "", _md(portfolio_tally(comparison))]
    for title, entries in (("Added", comparison.added), ("Removed", comparison.removed)):
        if entries:
            lines += ["", f"## {title}", "", *(f"- {_md(_entry(d, v))}" for d, v in entries)]
    if comparison.unchanged:
        lines += ["", "## Unchanged", "", *(f"- {_md(_pair_entry(pair))}" for pair in comparison.unchanged)]
    for pair in comparison.changed:
        lines += ["", as_markdown(pair).rstrip("\n")]
    return "\n".join(lines) + "\n"


def portfolio_json(comparison: PortfolioComparison) -> str:
    def listed(entries: tuple[tuple[str, Any], ...]) -> list[dict[str, Any]]:
        return [
            {"document": d, "agreement": v.document.meta.agreement_id, "version": v.document.meta.version}
            for d, v in entries
        ]

    data = {
        "schema": PORTFOLIO_SCHEMA,
        "old": comparison.old.label,
        "new": comparison.new.label,
        "summary": {
            "changed": len(comparison.changed),
            "added": len(comparison.added),
            "removed": len(comparison.removed),
            "unchanged": len(comparison.unchanged),
        },
        "added": listed(comparison.added),
        "removed": listed(comparison.removed),
        "documents": [{"document": _document_id(pair), **as_dict(pair)} for pair in comparison.pairs],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _document_id(pair: Comparison) -> str:
    return pair.new.label.rpartition("#")[2]


def _pair_entry(pair: Comparison) -> str:
    return _entry(_document_id(pair), pair.new)
