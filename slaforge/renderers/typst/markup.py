"""The document tree as a Typst source file: one call of the theme's functions per node.

``main.typ`` imports the theme's ``agreement.typ`` and calls its functions
(``section``, ``clause``, ``para``, ``run``, ``data-table`` ...) with the tree's
values as literals made by :mod:`.escape`: the structure is this module's, the
look and every word the theme prints are the theme's, and the text is the
tree's, never parsed as markup.  Numbers and list labels are passed as the
tree has them (numbering is decided once, in compose).

Cross-references and defined terms become internal links: a clause or section
heading carries its anchor as a label, a definition its ``d-`` label.  A label
is written once (a redline shows a moved clause twice: the label stays with
the clause where it is now), and a link is written only to a label that
exists, so a reference to a clause that is not in this document stays text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from slaforge.document import (
    Block,
    BulletList,
    Chart,
    Clause,
    DefinitionList,
    Document,
    DocumentMeta,
    Inline,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    Section,
    SignatureBlock,
    Table,
    anchor,
    list_label,
    merge_runs,
)
from slaforge.errors import RenderError
from slaforge.renderers.typst.escape import (
    Code,
    array,
    boolean,
    call,
    dictionary,
    number,
    optional,
    string,
)

THEME_FILE = "agreement.typ"
SHORT_TABLE = 8  # rows: a table this short moves whole to the next page rather than split


@dataclass(frozen=True)
class Source:
    """``main.typ`` and the files it names that the stage must provide."""

    text: str
    charts: tuple[Chart, ...]
    logo: str | None  # the path main.typ gives the logo, inside the stage


def chart_path(index: int) -> str:
    return f"/charts/chart-{index + 1}.svg"


def logo_path(suffix: str) -> str:
    return f"/assets/logo{suffix.lower()}"


def write(document: Document, logo_suffix: str | None = None, brand: str | None = None) -> Source:
    return _Writer(document, logo_path(logo_suffix) if logo_suffix else None, brand).source()


def definition_label(term: str) -> str:
    """``Service Level`` -> ``d-service-level``: the label of a term's definition (beside ``c-`` headings)."""
    return "d" + anchor(term.casefold()).removeprefix("c")


@dataclass
class _Writer:
    document: Document
    logo: str | None
    brand: str | None
    charts: list[Chart] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)  # the anchors some heading carries as its label
    settled: set[str] = field(default_factory=set)  # anchors of clauses where they are now (not moved away)
    terms: set[str] = field(default_factory=set)  # labels of the definitions in this document
    placed: set[str] = field(default_factory=set)  # heading labels written so far
    definitions: set[str] = field(default_factory=set)  # definition labels written so far
    barred: bool = False  # inside a block that has a change bar already (a moved clause, a changed item)

    def source(self) -> Source:
        self.labels = set(_heading_labels(self.document))
        self.settled = {anchor(c.id) for c in self.document.clauses() if c.moved_to is None}
        self.terms = _defined_terms(self.document)
        lines = [
            "// Written by slaforge from the document tree: every text is a string literal.",
            f'#import "{THEME_FILE}": *',
            f"#let meta = {self.meta(self.document.meta)}",
            "#show: agreement.with(meta)",
            "#cover(meta)",
            "#contents()",
        ]
        lines += ["#" + self.section(section) for section in self.document.sections]
        return Source("\n".join(lines) + "\n", tuple(self.charts), self.logo)

    # ------------------------------------------------------------ meta, sections, clauses

    def meta(self, meta: DocumentMeta) -> Code:
        frame = meta.frame
        parties = array(
            dictionary(
                {
                    "role": string(p.role),
                    "described": string(frame.role(p)),
                    "name": string(p.name),
                    "address": optional(p.address),
                }
            )
            for p in meta.parties
        )
        before, middle, after = frame.page_parts()
        words = {  # every word the theme prints around the text, from the tree
            "draft": string(frame.draft),
            "draft-note": string(frame.draft_note),
            "between": string(frame.between),
            "joiner": string(frame.joiner),
            "particulars": array(
                array((string(label), string(value))) for label, value in frame.cover_particulars(meta)
            ),
            "contents": string(frame.contents),
            "page": array((string(before), string(middle), string(after))),
            "signed-for": string(frame.signed_for),
            "signature-lines": array(string(line) for line in frame.signature_lines),
        }
        fields = {
            "title": string(meta.title),
            "subtitle": optional(meta.subtitle),
            "agreement-id": string(meta.agreement_id),
            "version": string(meta.version),
            "status": string(meta.status),
            "draft": boolean(meta.is_draft),
            "effective-date": string(meta.effective_date),
            "level": string(meta.level),
            "classification": optional(meta.classification),
            "marking": optional(meta.marking),
            "running-header": string(meta.running_header),
            "parties": parties,
            "author": string(meta.author),
            "subject": string(meta.subject),
            "keywords": array(string(k) for k in meta.keywords),
            "brand": optional(self.brand),
            "logo": optional(self.logo),
            "words": dictionary(words),
        }
        return dictionary(fields)

    def section(self, section: Section) -> Code:
        signing = any(isinstance(b, SignatureBlock) for c in section.clauses for b in c.blocks)
        clauses = [self.clause(clause) for clause in section.clauses]
        label = self.place(anchor(section.id), movable=False)
        named = {
            "id": string(label) if label else None,
            "number": string(section.number),
            "title": string(section.title),
            "change": _change(section.change),
            "signing": boolean(signing) if signing else None,
        }
        return _multiline("section", clauses, named)

    def clause(self, clause: Clause) -> Code:
        label = self.place(anchor(clause.id), movable=clause.moved_to is not None)
        named = {
            "id": string(label) if label else None,
            "number": string(clause.number),
            "title": string(clause.title),
            "change": _change(clause.change),
            "moved_from": string(clause.moved_from) if clause.moved_from else None,
            "moved_to": string(clause.moved_to) if clause.moved_to else None,
            "moved_note": optional(self.document.meta.frame.moved(clause)),
            "old_title": string(clause.old_title) if clause.old_title else None,
        }
        self.barred = bool(clause.moved_from or clause.moved_to or clause.change)
        blocks = [self.block(b) for b in clause.blocks]
        self.barred = False
        return _multiline("clause", blocks, named, indent="    ")

    def place(self, name: str, *, movable: bool) -> str | None:
        """The label for a heading, once per document; the old place of a moved clause gets none."""
        if name in self.placed or (movable and name in self.settled):
            return None
        self.placed.add(name)
        return name

    # ------------------------------------------------------------ blocks

    def block(self, block: Block) -> Code:
        if isinstance(block, Paragraph):
            return call(
                "para",
                *self.runs(block.runs),
                number=string(block.number) if block.number else None,
                change=_change(block.change),
                changed=self.changed(block.change, block.runs),
            )
        if isinstance(block, NumberedList):
            return self.list_items("lettered", block.items, 0)
        if isinstance(block, BulletList):
            return self.list_items("bullets", block.items, 0)
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, DefinitionList):
            return call("definitions", *(self.definition(d.term, d.runs, d.change) for d in block.items))
        if isinstance(block, SignatureBlock):
            signatories = (
                call(
                    "signatory",
                    party=string(s.party),
                    capacity=optional(s.capacity or None),
                    name=optional(s.name),
                    title=optional(s.title),
                )
                for s in block.signatories
            )
            return call("signatures", *signatories)
        if isinstance(block, Chart):
            self.charts.append(block)
            return call(
                "chart",
                path=string(chart_path(len(self.charts) - 1)),
                description=string(block.description),
                caption=string(block.caption),
            )
        raise RenderError(f"the Typst renderer cannot draw a {type(block).__name__} block")

    def list_items(self, kind: str, items: tuple[ListItem, ...], depth: int) -> Code:
        lettered = kind == "lettered"
        drawn = []
        for index, item in enumerate(items):
            changed = self.changed(item.change, item.runs)
            outer, self.barred = self.barred, self.barred or changed is not None
            children = self.list_items(kind, item.children, depth + 1) if item.children else None
            self.barred = outer
            drawn.append(
                call(
                    "item",
                    *self.runs(item.runs),
                    label=string(list_label(index, depth)) if lettered else None,
                    change=_change(item.change),
                    changed=changed,
                    children=children,
                )
            )
        return call(kind, *drawn, depth=str(depth) if depth else None)

    def table(self, table: Table) -> Code:
        columns = len(table.header) or max((len(row) for row in table.rows), default=0)
        widths = table.widths
        usable = widths is not None and len(widths) == columns and all(w > 0 for w in widths)
        rows = []
        for index, row in enumerate(table.rows):
            change = table.row_changes[index] if index < len(table.row_changes) else None
            cells = array(self.inline(cell) for cell in row)
            rows.append(dictionary({"cells": cells, "change": _change(change) or "none"}))
        return call(
            "data-table",
            kind=string(table.kind),
            caption=string(table.caption) if table.caption else None,
            widths=array(number(w) for w in widths) if usable and widths else None,
            short=boolean(True) if len(table.rows) <= SHORT_TABLE else None,
            change=_change(table.change),
            changed=self.changed(
                table.change, tuple(r for c in table.rows for cell in c for r in cell), table.row_changes
            ),
            header=array(self.inline(cell) for cell in table.header) if table.header else None,
            rows=array(rows),
        )

    def definition(self, term: str, runs: Inline, change: str | None) -> Code:
        label = definition_label(term)
        written = label not in self.definitions
        self.definitions.add(label)
        return call(
            "definition",
            *self.runs(runs),
            term=string(term),
            id=string(label) if written else None,
            change=_change(change),
            changed=self.changed(change, runs),
        )

    def changed(self, change: str | None, runs: Inline, more: tuple[str | None, ...] = ()) -> Code | None:
        """``true`` for a block that carries a change (its own, a run's or a row's) and has no bar around it."""
        marked = change or any(run.change for run in runs) or any(more)
        return boolean(True) if marked and not self.barred else None

    # ------------------------------------------------------------ inline

    def inline(self, runs: Inline) -> Code:
        """A table cell: its runs joined into one content value."""
        drawn = self.runs(runs)
        if not drawn:
            return "[]"
        return drawn[0] if len(drawn) == 1 else f"({' + '.join(drawn)})"

    def runs(self, runs: Inline) -> list[Code]:
        return [self.run(run) for run in merge_runs(runs) if run.text]

    def run(self, run: Run) -> Code:
        xref = anchor(run.xref) if run.xref and anchor(run.xref) in self.labels else None
        term = definition_label(run.term) if run.term and definition_label(run.term) in self.terms else None
        return call(
            "run",
            string(run.text),
            bold=boolean(True) if run.bold else None,
            italic=boolean(True) if run.italic else None,
            xref=string(xref) if xref else None,
            term=string(term) if term and not xref else None,
            change=_change(run.change),
        )


def _heading_labels(document: Document) -> Iterator[str]:
    """The anchors that a heading will carry as its label (a moved clause's old place only if alone)."""
    settled = set()
    for section in document.sections:
        settled.add(anchor(section.id))
        settled.update(anchor(c.id) for c in section.clauses if c.moved_to is None)
    yield from settled
    yield from (anchor(c.id) for c in document.clauses() if c.moved_to is not None and anchor(c.id) not in settled)


def _defined_terms(document: Document) -> set[str]:
    return {
        definition_label(item.term)
        for clause in document.clauses()
        for block in clause.blocks
        if isinstance(block, DefinitionList)
        for item in block.items
    }


def _change(change: str | None) -> Code | None:
    return string(change) if change else None


def _multiline(function: str, children: list[Code], named: dict[str, Code | None], indent: str = "  ") -> Code:
    """``function(key: value,\n  child,\n  child,\n)``: one child per line, for a readable main.typ."""
    head = call(function, **named)[:-1]  # without its closing parenthesis
    if not children:
        return head + ")"
    comma = "" if head.endswith("(") else ","
    body = "".join(f"\n{indent}{child}," for child in children)
    return f"{head}{comma}{body}\n{indent[:-2]})"
