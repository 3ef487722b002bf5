"""``slaforge review`` and ``slaforge bump``: the review-and-revise duty of a portfolio.

Whenever a service or a service level objective changes, the agreements that depend on it must be
reviewed and revised.  :func:`review` compares the portfolio with itself at a git revision
(``--since``, the last commit by default), document by document as ``slaforge diff`` does, and
lists each document whose text the change alters: the values that changed (with their paths),
the clauses reworded, added, removed or moved, and whether the document already has a new version.
:func:`bump` gives documents their new version and a history entry whose summary is that change
list, editing the YAML file that sets each document's version in place (ruamel.yaml round trip:
comments, order, quoting and layout are kept).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slaforge.build import BuildOptions
from slaforge.diff.change_list import clause_line, value_line
from slaforge.diff.comparison import Comparison
from slaforge.diff.portfolios import PortfolioComparison, compare_portfolios
from slaforge.errors import InvalidArgument, SpecError
from slaforge.inputs.editing import dump_edited, load_for_editing
from slaforge.writers import write_all


@dataclass(frozen=True)
class Item:
    """One document to review."""

    document: str  # its id in the portfolio
    agreement: str
    old_version: str
    new_version: str
    reasons: tuple[str, ...]  # "services[wan].availability.target: 99.9% -> 99.92% (worse for the customer)"
    text_changed: bool  # a clause reworded, added, removed or moved: what the document says changed
    paths: tuple[str, ...] = ()  # the changed values' paths

    @property
    def bumped(self) -> bool:
        return self.old_version != self.new_version


@dataclass(frozen=True)
class Review:
    portfolio: Path
    since: str
    items: tuple[Item, ...]  # every document whose merged spec or text changed
    added: tuple[str, ...]  # "NW-SVC-X v1.0 (document x)"
    removed: tuple[str, ...]
    unchanged: int

    @property
    def to_review(self) -> tuple[Item, ...]:
        """The documents whose text changed: each needs a review and a new version."""
        return tuple(i for i in self.items if i.text_changed)

    def stated_in(self, item: Item) -> list[str]:
        """For a document whose values changed but not its text: the documents whose text states them."""
        return [i.document for i in self.to_review if set(i.paths) & set(item.paths)]


def compare_since(path: Path, since: str, options: BuildOptions, document: str | None = None) -> PortfolioComparison:
    return compare_portfolios(f"{since}:{path}", str(path), options, document)


def reasons(pair: Comparison) -> tuple[str, ...]:
    out = [f"{v.path}: {value_line(v)} ({v.direction} for the customer)" for v in pair.values]
    for change in pair.clause_changes:
        number = change.new_number or change.old_number
        out.append(f"clause {number} {change.title} ({change.clause}): {clause_line(change)}")
    return tuple(out)


def review(path: Path, since: str = "HEAD", options: BuildOptions | None = None) -> Review:
    comparison = compare_since(path, since, options or BuildOptions())
    items = []
    for pair in comparison.changed:
        old, new = pair.old.document.meta, pair.new.document.meta
        document = pair.new.label.rpartition("#")[2]
        paths = tuple(v.path for v in pair.values)
        items.append(
            Item(document, new.agreement_id, old.version, new.version, reasons(pair), bool(pair.clause_changes), paths)
        )

    def entry(document_id: str, version: Any) -> str:
        meta = version.document.meta
        return f"{meta.agreement_id} v{meta.version} (document {document_id})"

    return Review(
        path,
        since,
        tuple(items),
        tuple(entry(d, v) for d, v in comparison.added),
        tuple(entry(d, v) for d, v in comparison.removed),
        len(comparison.unchanged),
    )


def review_text(result: Review) -> str:
    count = len(result.to_review)
    lines = [
        f"{result.portfolio} since {result.since}: {count} document{'s' if count != 1 else ''} to review, "
        f"{len(result.added)} added, {len(result.removed)} removed, {result.unchanged} unchanged"
    ]
    for item in result.to_review:
        if item.bumped:
            state = f"new version {item.new_version} (was {item.old_version})"
        else:
            hint = f"slaforge bump {result.portfolio} --document {item.document}"
            state = f"still version {item.old_version}: give it a new one ({hint})"
        lines.append(f"[ ] {item.document}: {item.agreement} - {state}")
        lines.extend(f"      {reason}" for reason in item.reasons)
    for title, entries in (("added", result.added), ("removed", result.removed)):
        lines.extend(f"[ ] {title}: {entry}" for entry in entries)
    quiet = [i for i in result.items if not i.text_changed]
    if quiet:
        lines += ["", "Values that change in these documents without changing their text:"]
        for item in quiet:
            where = result.stated_in(item)
            lines.append(f"    {item.document}: {item.agreement} v{item.new_version}")
            lines.extend(f"      {reason}" for reason in item.reasons)
            lines.append(f"      stated in: {', '.join(where)}" if where else "      stated in no document's text")
    return "\n".join(lines) + "\n"


def review_json(result: Review) -> str:
    data = {
        "portfolio": str(result.portfolio),
        "since": result.since,
        "review": [
            {
                "document": i.document,
                "agreement": i.agreement,
                "old_version": i.old_version,
                "new_version": i.new_version,
                "bumped": i.bumped,
                "text_changed": i.text_changed,
                "reasons": list(i.reasons),
                "stated_in": None if i.text_changed else result.stated_in(i),
            }
            for i in result.items
        ],
        "added": list(result.added),
        "removed": list(result.removed),
        "unchanged": result.unchanged,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ bump


@dataclass(frozen=True)
class Bumped:
    document: str
    agreement: str
    old_version: str
    new_version: str
    file: Path
    summary: str


def next_version(version: str) -> str:
    """``1.3`` -> ``1.4``, ``2`` -> ``3``, ``1.2.9`` -> ``1.2.10``."""
    parts = version.split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)


def bump(
    path: Path,
    documents: list[str],
    *,
    since: str = "HEAD",
    author: str | None = None,
    date: dt.date | None = None,
    to: str | None = None,
    summary: str | None = None,
    options: BuildOptions | None = None,
) -> list[Bumped]:
    """Give each of ``documents`` its next version (or ``to``) and a history entry summarising what
    changed since ``since`` (or ``summary``); every file is written at once, or none."""
    from slaforge.layers.inherit import read_portfolio

    if not documents:
        raise InvalidArgument("name the documents to bump with --document ID (repeatable)")
    if to is not None and len(documents) > 1:
        raise InvalidArgument("--to gives one document its version: name one --document")
    portfolio = read_portfolio(path)
    unknown = [d for d in documents if d not in portfolio.documents]
    if unknown:
        raise InvalidArgument(
            f"the portfolio {path} has no document {unknown[0]!r}; it has: {', '.join(portfolio.documents)}"
        )
    comparison = compare_since(path, since, options or BuildOptions())
    pairs = {pair.new.label.rpartition("#")[2]: pair for pair in comparison.pairs}
    edits: dict[Path, Any] = {}
    done: list[Bumped] = []
    for document_id in documents:
        document = portfolio.documents[document_id]
        agreement = document.spec.agreement
        pair = pairs.get(document_id)
        if pair is not None and pair.old.document.meta.version != agreement.version:
            raise InvalidArgument(
                f"document {document_id} already has a new version since {since}: "
                f"{pair.old.document.meta.version} -> {agreement.version}"
            )
        changes = "; ".join(reasons(pair)) if pair is not None and pair.changes else None
        if changes is None:
            raise InvalidArgument(
                f"document {document_id}: nothing in it changed since {since}, so it keeps its version"
            )
        origin = document.source.origin(("agreement", "version"))
        if origin is None or origin.level != document.kind.value:
            raise SpecError(f"document {document_id}: its own files do not set agreement.version")
        file = Path(origin.file)
        sharing = [
            other.id
            for other in portfolio.documents.values()
            if other is not document
            and (theirs := other.source.origin(("agreement", "version"))) is not None
            and Path(theirs.file).resolve() == file.resolve()
        ]
        if sharing:  # raising it there would give them the new version too, with no history of their own
            raise SpecError(
                f"document {document_id}: its agreement.version is set in {origin.file} (line {origin[0]}), "
                f"which sets the version of {', '.join(sharing)} too; give each document its version in a "
                "file of its own, then bump it"
            )
        new_version = to or next_version(agreement.version)
        history = list(agreement.history)
        writer = author or (history[-1].author if history else None)
        if writer is None:
            raise InvalidArgument(f"document {document_id} has no history yet: name the author with --author")
        data = edits.get(file) or load_for_editing(file)
        edits[file] = data
        text = summary or changes
        _set_version(data, new_version, date or dt.date.today(), writer, text, file)
        done.append(Bumped(document_id, agreement.id, agreement.version, new_version, file, text))
    write_all({file: dump_edited(data) for file, data in edits.items()})
    return done


def _set_version(data: Any, version: str, date: dt.date, author: str, summary: str, file: Path) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    agreement = data.get("agreement") if isinstance(data, dict) else None
    if not isinstance(agreement, dict) or "version" not in agreement:
        raise SpecError(f"{file}: no agreement.version to raise")
    agreement["version"] = DoubleQuotedScalarString(version)
    entry = CommentedMap()
    entry["version"] = DoubleQuotedScalarString(version)
    entry["date"] = date
    entry["author"] = author
    entry["summary"] = summary
    history = agreement.get("history")
    if history is None:
        agreement["history"] = CommentedSeq([entry])
        return
    last = history[-1] if history else None
    if isinstance(last, CommentedMap) and last:
        # what follows the old last entry (the blank line before the next key) now follows the new one
        key = list(last)[-1]
        comment = last.ca.items.get(key)
        if comment and len(comment) > 2 and comment[2] is not None:
            entry.ca.items["summary"] = [None, None, comment[2], None]
            comment[2] = None
    history.append(entry)


def bumped_text(done: list[Bumped]) -> str:
    return "".join(
        f"{b.document}: {b.agreement} {b.old_version} -> {b.new_version} ({b.file})\n  history: {b.summary}\n"
        for b in done
    )
