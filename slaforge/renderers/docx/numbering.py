"""``numbering.xml``: the numbers of an agreement as Word numbering, so that they follow every edit.

One multilevel list numbers everything the tree numbers: sections (Heading 1, ``1``), clauses
(Heading 2, ``1.1``), sub-clauses (Clause Text, ``1.1.1``) and the labels of lettered lists
(List Number 1-4: ``(a)``, ``(i)``, ``(A)``, ``(1)``).  Each level names its paragraph style
(``w:pStyle``) and each of those styles names the list (``w:numPr``), so the numbers come from the
styles and nowhere else: a paragraph carries no number of its own, a lawyer who inserts a clause
with the clause style gets the next number and every later number moves up, and a firm that puts
its own numbering on the heading styles gets its numbers instead of ours, never both.

Each lettered list is an instance of the one list (its own ``w:num``) that starts its levels
again at (a), as Word does for "Restart at 1"; a heading or paragraph that the tree leaves
unnumbered (a summary section) says so with ``w:numId 0``.  Bullets are a second definition.

The labels are those of :func:`slaforge.document.list_label` and the numbers those of the tree, as
long as nobody edits: the tests read both back through LibreOffice.
"""

from __future__ import annotations

from lxml import etree

from slaforge.renderers.docx.ooxml import W_NS, Element, w
from slaforge.renderers.docx.styles import (
    BODY_FONT,
    BULLETS_NUM_ID,
    CLAUSES_NUM_ID,
    LIST_HANG,
    LIST_LEVEL,
    StyleId,
    clause_indents,
    list_indents,
)

FIRST_LIST = CLAUSES_NUM_ID + 1  # numIds from here: one instance of the clause list per lettered list
LEVELS = 9  # Word's lists have nine levels

# (number format, level text) of the clause list's levels; the list levels follow list_label
_CLAUSE_LEVELS = (
    ("decimal", "%1"),
    ("decimal", "%1.%2"),
    ("decimal", "%1.%2.%3"),
    ("lowerLetter", "(%4)"),
    ("lowerRoman", "(%5)"),
    ("upperLetter", "(%6)"),
    ("decimal", "(%7)"),
    ("decimal", "(%8)"),
    ("decimal", "(%9)"),
)


def level_style(level: int) -> str | None:
    """The paragraph style a level of the clause list numbers."""
    styles = (StyleId.HEADING_1, StyleId.HEADING_2, StyleId.CLAUSE_TEXT, *StyleId.LIST_NUMBER)
    return styles[level] if level < len(styles) else None


def _level(level: int, fmt: str, text: str, left: int, hang: int) -> str:
    style = level_style(level)
    link = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{link}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hang}"/></w:pPr>'
        "</w:lvl>"
    )


def _clause_list() -> str:
    indents = [*clause_indents(), *list_indents()]
    while len(indents) < LEVELS:
        left, hang = indents[-1]
        indents.append((left + hang, hang))
    levels = "".join(_level(level, fmt, text, *indents[level]) for level, (fmt, text) in enumerate(_CLAUSE_LEVELS))
    return (
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="1"><w:nsid w:val="5C1A0F01"/>'
        f'<w:multiLevelType w:val="multilevel"/><w:tmpl w:val="5C1A0F02"/>{levels}</w:abstractNum>'
    )


def _bullets() -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{depth}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:pStyle w:val="{style}"/><w:lvlText w:val="{glyph}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{LIST_HANG}"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:hint="default"/></w:rPr></w:lvl>'
        for depth, (glyph, (left, _), style) in enumerate(
            zip(("\u2022", "\u2013", "\u25e6"), list_indents(), StyleId.LIST_BULLET, strict=False)
        )
    )
    return (
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="0"><w:nsid w:val="5C1A0F00"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
    )


class ListNumbers:
    """The numbering part of one document: its two definitions and an instance per lettered list."""

    def __init__(self, numbering: Element) -> None:
        for old in [*numbering.iterchildren(w("abstractNum"), w("num"))]:
            numbering.remove(old)  # the template's definitions belong to the list styles replaced here
        numbering.insert(0, etree.fromstring(_bullets()))
        numbering.insert(1, etree.fromstring(_clause_list()))
        for num_id, abstract in ((BULLETS_NUM_ID, 0), (CLAUSES_NUM_ID, 1)):
            numbering.append(self._num(num_id, abstract))
        self.numbering = numbering
        self._next = FIRST_LIST

    @staticmethod
    def _num(num_id: int, abstract: int, restart: bool = False) -> Element:
        overrides = ""
        if restart:
            overrides = "".join(
                f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride>'
                for level in range(LIST_LEVEL, LEVELS)
            )
        return etree.fromstring(
            f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>'
        )

    def new_list(self) -> int:
        """The numId of a new lettered list: the clause list again, its list levels starting at (a)."""
        num_id = self._next
        self._next += 1
        self.numbering.append(self._num(num_id, 1, restart=True))
        return num_id
