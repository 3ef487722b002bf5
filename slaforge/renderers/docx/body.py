"""The agreement body as WordprocessingML: sections, clauses and their blocks.

A visitor over the Document tree that writes lxml elements straight into
``w:body`` (python-docx's object API is far too slow for a 200-clause
agreement).  Numbers are Word numbering, never text: the heading and clause
styles carry the clause list (:mod:`numbering`), each lettered list is an
instance of it, and a cross-reference is a REF field to the bookmark on the
heading it cites, so that numbers and references follow when a lawyer inserts
or deletes a clause.  Unedited, they read as the tree decided them.

Redlines: a change mark on a clause applies to everything inside it, one on a
paragraph or list item to its runs and its paragraph mark; the outermost mark
wins, so "reject all" removes an inserted clause whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest

from slaforge.document import (
    BulletList,
    Change,
    Chart,
    Clause,
    DefinitionList,
    Frame,
    Inline,
    ListItem,
    NumberedList,
    Paragraph,
    Section,
    Signatory,
    SignatureBlock,
    Table,
    merge_runs,
)
from slaforge.renderers.docx.numbering import ListNumbers
from slaforge.renderers.docx.ooxml import (
    Annotations,
    BookmarkNames,
    Element,
    add_paragraph,
    add_reference,
    add_run,
    bookmark_end,
    content_control,
    safe_text,
    sub,
    w,
)
from slaforge.renderers.docx.styles import (
    DEFINITION_HANG,
    DEFINITION_TERM_LETTER,
    GUTTER,
    LIST_LEVEL,
    TEXT_WIDTH,
    WIDE_TABLE,
    StyleId,
)

TABLE_WIDTH = TEXT_WIDTH - GUTTER  # tables align with the clause text
SIGNATURE_COLUMNS = (2268, 4819)  # label, line
SIGNATURE_LINE_HEIGHT = 680  # room to sign: 1.2 cm
_CITED_NUMBER = re.compile(r"\d+(?:\.\d+)*$")  # the number at the end of a reference: "clause 4.2", "section 12"


def column_widths(relative: tuple[float, ...] | None, columns: int, total: int) -> list[int]:
    """Twips per column: proportional to ``relative`` when it fits, else equal; they sum to ``total``."""
    if columns == 0:
        return []
    shares: list[float] = [1.0] * columns
    if relative and len(relative) == columns and all(v > 0 for v in relative):
        shares = list(relative)
    scale = total / sum(shares)
    widths = [int(share * scale) for share in shares]
    widths[-1] += total - sum(widths)
    return widths


@dataclass
class BodyWriter:
    """Writes sections and clauses into a ``w:body``; headings take bookmark names in outline order."""

    annotations: Annotations
    bookmarks: BookmarkNames
    heading_names: Iterator[str]
    frame: Frame  # the words the renderer adds: the signature block's, the note on a moved clause
    lists: ListNumbers  # a numbering instance for each lettered list
    # draws a chart as a picture (a ``wp:inline`` element) of the given width in twips; needs the package
    picture: Callable[[Chart, int], Element] | None = None
    # adds a Word comment with this text and returns its id (redlines note where a clause moved)
    comment: Callable[[str], str] | None = None
    # redlines: a moved clause's id -> (the bookmark where it stood, its number there)
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)
    # wrap each value printed from the spec in a content control naming its path (RenderOptions.content_controls)
    content_controls: bool = False

    def section(self, body: Element, section: Section, *, page_break: bool = False) -> None:
        # the signed section starts a page, so the words of execution stay with the signature blocks
        signing = any(isinstance(b, SignatureBlock) for c in section.clauses for b in c.blocks)
        self._heading(body, StyleId.HEADING_1, section.number, section.title, section.change, page_break or signing)
        for clause in section.clauses:
            self.clause(body, clause)

    def clause(self, body: Element, clause: Clause) -> None:
        heading = self._heading(
            body, StyleId.HEADING_2, clause.number, clause.title, clause.change, old_title=clause.old_title
        )
        note = self.frame.moved(clause)
        if self.comment is not None and note:
            self._comment(heading, note, clause.change)
        for block in clause.blocks:
            self.block(body, block, clause.change)

    def block(self, body: Element, block: object, change: Change) -> None:
        match block:
            case Paragraph():
                self.paragraph(body, block, change)
            case NumberedList(items=items):
                self.list_items(body, items, numbered=True, depth=0, change=change)
            case BulletList(items=items):
                self.list_items(body, items, numbered=False, depth=0, change=change)
            case Table():
                self.table(body, block, change or block.change)
            case DefinitionList(items=items):
                for item in items:
                    mark = change or item.change
                    p = self._paragraph(body, StyleId.DEFINITION, mark)
                    self._literal(p, item.term, mark, style=StyleId.DEFINITION_TERM)
                    self._literal(p, "\t" if term_fits_column(item.term) else "\n", mark)
                    self.inline(p, item.runs, mark)
            case SignatureBlock(signatories=signatories):
                for signatory in signatories:
                    self.signature(body, signatory, change)
            case Chart():
                self.chart(body, block, change)
            case _:
                raise TypeError(f"the DOCX renderer has no rule for {type(block).__name__}")

    def paragraph(self, body: Element, paragraph: Paragraph, change: Change) -> None:
        mark = change or paragraph.change
        style = StyleId.CLAUSE_TEXT if paragraph.number else StyleId.CLAUSE_BODY  # the style numbers it
        p = self._paragraph(body, style, mark)
        self.inline(p, paragraph.runs, mark)

    def list_items(
        self,
        body: Element,
        items: tuple[ListItem, ...],
        *,
        numbered: bool,
        depth: int,
        change: Change,
        num_id: int | None = None,
    ) -> None:
        """List items; a lettered list's items are numbered by a list instance of their own, (a) again."""
        styles = StyleId.LIST_NUMBER if numbered else StyleId.LIST_BULLET
        if numbered and num_id is None:
            num_id = self.lists.new_list()
        level = (num_id, LIST_LEVEL + depth) if num_id is not None else None
        for item in items:
            mark = change or item.change
            p = self._paragraph(body, styles[min(depth, len(styles) - 1)], mark, numbering=level)
            self.inline(p, item.runs, mark)
            if item.children:
                self.list_items(body, item.children, numbered=numbered, depth=depth + 1, change=mark, num_id=num_id)

    def table(self, body: Element, table: Table, change: Change) -> None:
        if table.caption:
            caption = self._paragraph(body, StyleId.CAPTION, change, keep_next=True)
            self._literal(caption, table.caption, change)
        columns = max([len(table.header), *(len(row) for row in table.rows)])
        if columns == 0:
            return  # nothing to tabulate (a w:tbl needs at least one row and one cell)
        wide = columns >= WIDE_TABLE  # the whole text width, from the margin, in smaller type
        width, indent = (TEXT_WIDTH, 0) if wide else (TABLE_WIDTH, GUTTER)
        widths = column_widths(table.widths, columns, width)
        tbl = sub(body, "tbl")
        props = sub(tbl, "tblPr")
        sub(props, "tblStyle", val=StyleId.TABLE)
        sub(props, "tblW", w=str(width), type="dxa")
        sub(props, "tblInd", w=str(indent), type="dxa")
        sub(props, "tblLayout", type="fixed")
        first_row = "1" if table.header else "0"
        sub(
            props,
            "tblLook",
            val="04A0",
            firstRow=first_row,
            lastRow="0",
            firstColumn="0",
            lastColumn="0",
            noHBand="1",
            noVBand="1",
        )
        if table.caption:
            sub(props, "tblCaption", val=self._attr(table.caption))
        grid = sub(tbl, "tblGrid")
        for width in widths:
            sub(grid, "gridCol", w=str(width))
        style = StyleId.TABLE_TEXT_COMPACT if wide else StyleId.TABLE_TEXT
        if table.header:
            self._row(tbl, table.header, widths, change, header=True, style=style)
        for index, row in enumerate(table.rows):
            row_change = table.row_changes[index] if index < len(table.row_changes) else None
            self._row(tbl, row, widths, change or row_change, header=False, style=style)
        self._paragraph(body, StyleId.CLAUSE_BODY, change)  # Word needs a paragraph between tables

    def _row(
        self, tbl: Element, cells: tuple[Inline, ...], widths: list[int], change: Change, *, header: bool, style: str
    ) -> None:
        tr = sub(tbl, "tr")
        row_props = sub(tr, "trPr")
        sub(row_props, "cantSplit")
        if header:
            sub(row_props, "tblHeader")
        if change:
            row_props.append(self.annotations.revision(change))
        for runs, width in zip_longest(cells, widths, fillvalue=()):
            tc = sub(tr, "tc")
            sub(sub(tc, "tcPr"), "tcW", w=str(width), type="dxa")
            p = self._paragraph(tc, style, change, keep_next=header)
            self.inline(p, runs, change)

    def chart(self, body: Element, chart: Chart, change: Change) -> None:
        """The chart as a picture in its own paragraph, kept with its caption below it."""
        if self.picture is None:
            raise TypeError("the DOCX renderer was given no way to draw a chart")
        p = self._paragraph(body, StyleId.CLAUSE_BODY, change, keep_next=True)
        sub(sub(p, "r"), "drawing").append(self.picture(chart, TABLE_WIDTH))
        self._literal(self._paragraph(body, StyleId.CAPTION, change), chart.caption, change)

    def signature(self, body: Element, signatory: Signatory, change: Change) -> None:
        """ "Signed for and on behalf of ..." and a four-line table that never breaks across pages."""
        heading = self._paragraph(body, StyleId.SIGNATURE_HEADING, change)
        self._literal(heading, f"{self.frame.signed_for} ", change)
        self._literal(heading, signatory.party, change, bold=True)
        if signatory.capacity:
            self._literal(heading, f" ({signatory.capacity})", change)
        tbl = sub(body, "tbl")
        props = sub(tbl, "tblPr")
        sub(props, "tblW", w=str(sum(SIGNATURE_COLUMNS)), type="dxa")
        sub(props, "tblInd", w=str(GUTTER), type="dxa")
        sub(props, "tblLayout", type="fixed")
        sub(sub(props, "tblCellMar"), "left", w="0", type="dxa")  # labels align with the heading above
        sub(
            props,
            "tblLook",
            val="0000",
            firstRow="0",
            lastRow="0",
            firstColumn="0",
            lastColumn="0",
            noHBand="1",
            noVBand="1",
        )
        grid = sub(tbl, "tblGrid")
        for width in SIGNATURE_COLUMNS:
            sub(grid, "gridCol", w=str(width))
        lines = self.frame.signing(signatory)
        for index, (label, value) in enumerate(lines):
            last = index == len(lines) - 1
            tr = sub(tbl, "tr")
            row_props = sub(tr, "trPr")
            sub(row_props, "cantSplit")
            if index == 0:
                sub(row_props, "trHeight", val=str(SIGNATURE_LINE_HEIGHT), hRule="atLeast")
            if change:
                row_props.append(self.annotations.revision(change))
            for column, (text, width) in enumerate(zip((label, value), SIGNATURE_COLUMNS, strict=True)):
                tc = sub(tr, "tc")
                cell_props = sub(tc, "tcPr")
                sub(cell_props, "tcW", w=str(width), type="dxa")
                if column == 1:
                    borders = sub(cell_props, "tcBorders")
                    sub(borders, "bottom", val="single", sz="6", space="0", color="404040")
                sub(cell_props, "vAlign", val="bottom")
                p = self._paragraph(tc, StyleId.SIGNATURE_TEXT, change, keep_next=not last)
                self._literal(p, text, change)

    def inline(self, p: Element, runs: Inline, change: Change) -> None:
        """Runs into ``p``: defined terms and cross-references styled, xrefs as internal hyperlinks.

        Consecutive runs with the same change mark share one ``w:ins`` / ``w:del``.
        """
        holder, holder_mark = p, None
        for run in merge_runs(runs, sources=True):
            if not run.text:
                continue
            mark = change or run.change
            deleted = mark == "del"
            target = self.bookmarks.get(run.xref) if run.xref else None
            number = _CITED_NUMBER.search(run.text) if target is not None else None
            if number:
                # "clause " as text, "4.2" a field showing the number of the heading it cites: as the tree
                # printed it until fields are updated (a clause a redline deletes keeps its old number)
                holder = self.annotations.container(p, mark)
                before = run.text[: number.start()]
                if before:
                    add_run(holder, before, style=StyleId.CROSS_REFERENCE, deleted=deleted)
                was = self.moved.get(run.xref or "")
                if was is not None and mark == "del":  # old words cite the clause where it stood
                    add_reference(holder, was[0], number.group(), style=StyleId.CROSS_REFERENCE, deleted=True)
                elif was is not None and mark is None:  # both: rejecting the move gives the old citation
                    style = StyleId.CROSS_REFERENCE
                    add_reference(self.annotations.container(p, "del"), was[0], was[1], style=style, deleted=True)
                    add_reference(self.annotations.container(p, "ins"), target, number.group(), style=style)
                else:
                    add_reference(holder, target, number.group(), style=StyleId.CROSS_REFERENCE, deleted=deleted)
                holder, holder_mark = p, None
                continue
            if target is not None:
                link = sub(p, "hyperlink", anchor=target, history="1")
                add_run(
                    self.annotations.container(link, mark),
                    run.text,
                    style=StyleId.CROSS_REFERENCE,
                    bold=run.bold,
                    italic=run.italic,
                    deleted=deleted,
                )
                holder, holder_mark = p, None
                continue
            style = StyleId.CROSS_REFERENCE if run.xref else StyleId.DEFINED_TERM if run.term else None
            if (
                self.content_controls and run.source is not None and mark is None
            ):  # a value from the spec, named by a content control
                add_run(content_control(p, run.source), run.text, style=style, bold=run.bold, italic=run.italic)
                holder, holder_mark = p, None
                continue
            if holder is p or mark != holder_mark:
                holder, holder_mark = self.annotations.container(p, mark), mark
            add_run(holder, run.text, style=style, bold=run.bold, italic=run.italic, deleted=deleted)

    def _heading(
        self,
        body: Element,
        style: str,
        number: str,
        title: str,
        change: Change,
        page_break: bool = False,
        old_title: str | None = None,
    ) -> Element:
        unnumbered = None if number else (0, None)  # the style numbers a heading the tree numbers
        p = self._paragraph(body, style, change, page_break_before=page_break, numbering=unnumbered)
        mark_id = self.annotations.bookmark_start(p, next(self.heading_names))
        if old_title and not change:  # a new title: the old one struck, the new one inserted
            self._literal(p, old_title, "del")
            self._literal(p, title, "ins")
        else:
            self._literal(p, title, change)
        bookmark_end(p, mark_id)
        return p

    def _comment(self, p: Element, text: str, change: Change) -> None:
        """A Word comment on the whole of paragraph ``p``; its reference mark shares the paragraph's change."""
        assert self.comment is not None
        comment_id = self.comment(text)
        start = p.makeelement(w("commentRangeStart"), {w("id"): comment_id})
        p.insert(1, start)  # right after w:pPr
        sub(p, "commentRangeEnd", id=comment_id)
        sub(sub(self.annotations.container(p, change), "r"), "commentReference", id=comment_id)

    def _paragraph(
        self,
        parent: Element,
        style: str,
        change: Change,
        *,
        keep_next: bool = False,
        page_break_before: bool = False,
        numbering: tuple[int, int | None] | None = None,
    ) -> Element:
        mark = self.annotations.revision(change) if change else None
        return add_paragraph(
            parent, style, keep_next=keep_next, page_break_before=page_break_before, numbering=numbering, mark=mark
        )

    def _literal(self, p: Element, text: str, change: Change, *, style: str | None = None, bold: bool = False) -> None:
        """Text the renderer adds itself (numbers, labels), inside the same change mark as its paragraph."""
        if text:
            holder = self.annotations.container(p, change)
            add_run(holder, text, style=style, bold=bold, deleted=change == "del")

    @staticmethod
    def _attr(text: str) -> str:
        return safe_text(text).replace("\n", " ")


def term_fits_column(term: str) -> bool:
    """Whether a defined term fits the definition's hanging column, with a gap before the meaning.

    A term that does not fit ends its line (the meaning starts below it, at the column) instead of
    pushing the first line of its meaning past the column with a tab.
    """
    return len(term) * DEFINITION_TERM_LETTER <= DEFINITION_HANG - 120
