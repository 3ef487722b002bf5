"""The Word styles of a slaforge agreement: every font, size, indent and spacing lives here.

Body text and blocks carry only a style id (plus semantic bold/italic), so a
reviewer restyles the whole agreement from Word's style pane.  Built-in style
ids (Title, Heading1, ListNumber, Caption, TOC1 ...) keep their built-in names
so Word's own features (navigation pane, TOC, captions) recognise them.

Layout in twentieths of a point (twips): A4 with 2.5 cm margins; clause numbers
hang in a 1.5 cm gutter and all clause text aligns on one left edge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from slaforge.renderers.docx.ooxml import W_NS, Element, w

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4
MARGIN = 1418  # 2.5 cm
HEADER_DISTANCE = 709  # 1.25 cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN  # 9070
GUTTER = 851  # 1.5 cm: where clause text starts; numbers hang in front of it
LIST_HANG = 567  # 1 cm for "(a)" and bullets
NESTED_HANG = 680  # 1.2 cm for "(viii)"
WIDE_TABLE = 6  # columns from which table text is set smaller, so that words such as "Preferred" fit
DEFINITION_HANG = 2552  # 4.5 cm column for defined terms
# a generous width for one letter of a bold 10.5 pt serif (Georgia; DejaVu Serif where Georgia is missing),
# in twips: a defined term longer than the column at this width gets a line of its own
DEFINITION_TERM_LETTER = 130

BODY_FONT = "Georgia"
HEADING_FONT = "Arial"
DEFAULT_BRAND = "1F4E79"
TEXT_GREY = "595959"
BULLETS_NUM_ID = 1  # numbering.xml: the bullets (List Bullet 1-3)
CLAUSES_NUM_ID = 2  # numbering.xml: the clause list (headings, sub-clauses, lettered lists)
LIST_LEVEL = 3  # the clause list's level of a lettered list's first depth


class StyleId:
    """Style ids used by the renderer (ids, not display names: no lookup while rendering)."""

    TITLE = "Title"
    SUBTITLE = "Subtitle"
    HEADING_1 = "Heading1"
    HEADING_2 = "Heading2"
    CLAUSE_TEXT = "ClauseText"
    CLAUSE_BODY = "ClauseBody"
    LIST_NUMBER = ("ListNumber", "ListNumber2", "ListNumber3", "ListNumber4")
    LIST_BULLET = ("ListBullet", "ListBullet2", "ListBullet3")
    DEFINITION = "Definition"
    CAPTION = "Caption"
    TABLE = "AgreementTable"
    TABLE_TEXT = "TableText"
    TABLE_TEXT_COMPACT = "TableTextCompact"  # tables of WIDE_TABLE columns or more
    TOC_HEADING = "TOCHeading"
    TOC = ("TOC1", "TOC2")
    HEADER = "Header"
    FOOTER = "Footer"
    COVER_CLASSIFICATION = "CoverClassification"
    COVER_BANNER = "DraftBanner"
    COVER_BANNER_NOTE = "DraftBannerNote"
    COVER_LABEL = "CoverLabel"
    COVER_PARTY = "CoverParty"
    COVER_TEXT = "CoverText"
    COVER_DETAILS = "CoverDetails"
    COVER_DETAILS_FIRST = "CoverDetailsFirst"  # the first particular: a rule above the list, as on the PDF
    SIGNATURE_HEADING = "SignatureHeading"
    SIGNATURE_TEXT = "SignatureText"
    DEFINED_TERM = "DefinedTerm"
    DEFINITION_TERM = "DefinitionTerm"
    CROSS_REFERENCE = "CrossReference"
    DRAFT_MARK = "DraftMark"


def brand_hex(colour: str | None) -> str:
    """``"#1f4e79"`` -> ``"1F4E79"``; anything that is not a 6-digit hex colour gives the default."""
    if colour and re.fullmatch(r"#?[0-9A-Fa-f]{6}", colour.strip()):
        return colour.strip().lstrip("#").upper()
    return DEFAULT_BRAND


def _ppr(
    *,
    keep_next: bool = False,
    keep_lines: bool = False,
    widows: bool = False,
    num: tuple[int, int] | None = None,
    border: str = "",
    tabs: tuple[tuple[str, int, str], ...] = (),
    before: int | None = None,
    after: int | None = None,
    line: int | None = None,
    left: int | None = None,
    hanging: int | None = None,
    jc: str | None = None,
    outline: int | None = None,
) -> str:
    """A ``w:pPr`` in CT_PPrBase order."""
    parts = []
    if keep_next:
        parts.append("<w:keepNext/>")
    if keep_lines:
        parts.append("<w:keepLines/>")
    if widows:
        parts.append("<w:widowControl/>")
    if num is not None:
        parts.append(f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>')
    parts.append(border)
    if tabs:
        stops = "".join(f'<w:tab w:val="{kind}" w:leader="{leader}" w:pos="{pos}"/>' for kind, pos, leader in tabs)
        parts.append(f"<w:tabs>{stops}</w:tabs>")
    spacing = {"before": before, "after": after, "line": line}
    if any(v is not None for v in spacing.values()):
        attrs = " ".join(f'w:{k}="{v}"' for k, v in spacing.items() if v is not None)
        rule = ' w:lineRule="auto"' if line else ""
        parts.append(f"<w:spacing {attrs}{rule}/>")
    if left is not None:
        parts.append(f'<w:ind w:left="{left}"' + (f' w:hanging="{hanging}"' if hanging else "") + "/>")
    if jc:
        parts.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>"


def _rpr(
    *,
    font: str | None = None,
    bold: bool = False,
    italic: bool = False,
    caps: bool = False,
    colour: str | None = None,
    spacing: int | None = None,
    size: int | None = None,
    underline: bool = False,
) -> str:
    """A ``w:rPr`` in CT_RPr order; ``size`` in half-points."""
    parts = []
    if font:
        parts.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if caps:
        parts.append("<w:caps/>")
    if colour:
        parts.append(f'<w:color w:val="{colour}"/>')
    if spacing is not None:
        parts.append(f'<w:spacing w:val="{spacing}"/>')
    if size is not None:
        parts.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    if underline:
        parts.append('<w:u w:val="single"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>"


@dataclass(frozen=True)
class StyleDef:
    kind: str  # paragraph | character | table
    style_id: str
    name: str
    body: str  # pPr / rPr / tblPr / tblStylePr XML
    based_on: str | None = "Normal"
    next_style: str | None = None
    priority: int = 20

    def xml(self) -> str:
        based = f'<w:basedOn w:val="{self.based_on}"/>' if self.based_on else ""
        nxt = f'<w:next w:val="{self.next_style}"/>' if self.next_style else ""
        return (
            f'<w:style xmlns:w="{W_NS}" w:type="{self.kind}" w:customStyle="{int(self._custom)}" '
            f'w:styleId="{self.style_id}"><w:name w:val="{self.name}"/>{based}{nxt}'
            f'<w:uiPriority w:val="{self.priority}"/>{"<w:qFormat/>" if self.priority < 20 else ""}'
            f"{self.body}</w:style>"
        )

    @property
    def _custom(self) -> bool:
        return self.style_id not in _BUILT_IN


_BUILT_IN = {
    "Normal", "Title", "Subtitle", "Heading1", "Heading2", "ListNumber", "ListNumber2", "ListNumber3",
    "ListNumber4",
    "ListBullet", "ListBullet2", "ListBullet3", "Caption", "TOCHeading", "TOC1", "TOC2", "Header", "Footer",
}  # fmt: skip


def clause_indents() -> list[tuple[int, int]]:
    """(left edge of the text, hanging number) of sections, clauses and sub-clauses: one edge for all."""
    return [(GUTTER, GUTTER)] * 3


def list_indents() -> list[tuple[int, int]]:
    """(left edge of the text, hanging label) of list items at nesting depth 0, 1, 2, 3."""
    first = GUTTER + LIST_HANG
    return [(first, LIST_HANG)] + [(first + depth * NESTED_HANG, NESTED_HANG) for depth in (1, 2, 3)]


def _hanging(left: int, hang: int) -> dict[str, object]:
    return {"left": left, "hanging": hang, "tabs": (("left", left, "none"),)}


def style_defs(brand: str) -> list[StyleDef]:
    """Every style the renderer uses, as Word style definitions."""
    sans, serif, S = HEADING_FONT, BODY_FONT, StyleId
    right_tab = ("right", TEXT_WIDTH, "none")
    rule = f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="{brand}"/></w:pBdr>'
    banner = (
        '<w:pBdr><w:top w:val="single" w:sz="12" w:space="4" w:color="C00000"/>'
        '<w:bottom w:val="single" w:sz="12" w:space="4" w:color="C00000"/></w:pBdr>'
    )
    particulars_rule = '<w:pBdr><w:top w:val="single" w:sz="4" w:space="6" w:color="C5CBD3"/></w:pBdr>'
    P, C = "paragraph", "character"
    defs = [
        StyleDef(P, "Normal", "Normal", _ppr(widows=True, after=120, line=264) + _rpr(font=serif, size=21), None,
                 priority=0),
        StyleDef(
            P, S.TITLE, "Title",
            _ppr(keep_next=True, before=1800, after=240, line=240) + _rpr(font=sans, bold=True, colour=brand, size=60),
            next_style=S.SUBTITLE, priority=10,
        ),
        StyleDef(
            P, S.SUBTITLE, "Subtitle",
            _ppr(keep_next=True, border=rule, after=960) + _rpr(font=sans, colour=TEXT_GREY, size=32),
            priority=11,
        ),
        StyleDef(
            P, S.HEADING_1, "heading 1",
            _ppr(keep_next=True, keep_lines=True, num=(CLAUSES_NUM_ID, 0), before=360, after=120, outline=0,
                 **_hanging(GUTTER, GUTTER))
            + _rpr(font=sans, bold=True, caps=True, colour=brand, size=24),
            next_style=S.HEADING_2, priority=9,
        ),
        StyleDef(
            P, S.HEADING_2, "heading 2",
            _ppr(keep_next=True, keep_lines=True, num=(CLAUSES_NUM_ID, 1), before=240, after=80, outline=1,
                 **_hanging(GUTTER, GUTTER))
            + _rpr(font=sans, bold=True, colour="262626", size=21),
            next_style=S.CLAUSE_TEXT, priority=9,
        ),
        StyleDef(P, S.CLAUSE_TEXT, "Clause Text",
                 _ppr(num=(CLAUSES_NUM_ID, 2), jc="both", **_hanging(GUTTER, GUTTER)) + _rpr(), priority=12),
        StyleDef(P, S.CLAUSE_BODY, "Clause Body", _ppr(left=GUTTER, jc="both") + _rpr(), priority=12),
        StyleDef(P, S.DEFINITION, "Definition",
                 _ppr(**_hanging(GUTTER + DEFINITION_HANG, DEFINITION_HANG)) + _rpr(), priority=13),
        StyleDef(P, S.CAPTION, "caption",
                 _ppr(keep_next=True, before=120, after=80, left=GUTTER)
                 + _rpr(font=sans, bold=True, colour=brand, size=18), priority=35),
        StyleDef(P, S.TABLE_TEXT, "Table Text", _ppr(before=40, after=40, line=240) + _rpr(font=sans, size=18)),
        StyleDef(P, S.TABLE_TEXT_COMPACT, "Table Text Compact",
                 _ppr(before=30, after=30, line=240) + _rpr(font=sans, size=15)),
        StyleDef(
            P, S.TOC_HEADING, "TOC Heading",
            _ppr(keep_next=True, after=240, outline=9) + _rpr(font=sans, bold=True, colour=brand, size=28),
            priority=39,
        ),
        StyleDef(
            P, S.TOC[0], "toc 1",
            _ppr(before=120, after=40, left=GUTTER, hanging=GUTTER,
                 tabs=(("left", GUTTER, "none"), ("right", TEXT_WIDTH, "dot")))
            + _rpr(font=sans, bold=True, size=20),
            next_style="Normal", priority=39,
        ),
        StyleDef(
            P, S.TOC[1], "toc 2",
            _ppr(after=20, left=GUTTER * 2, hanging=GUTTER,
                 tabs=(("left", GUTTER * 2, "none"), ("right", TEXT_WIDTH, "dot")))
            + _rpr(font=sans, size=19),
            next_style="Normal", priority=39,
        ),
        StyleDef(
            P, S.HEADER, "header",
            _ppr(border=rule, tabs=(("center", TEXT_WIDTH // 2, "none"), right_tab), after=0, line=240)
            + _rpr(font=sans, colour=TEXT_GREY, size=16),
            priority=99,
        ),
        StyleDef(
            P, S.FOOTER, "footer",
            _ppr(tabs=(("center", TEXT_WIDTH // 2, "none"), right_tab), after=0, line=240)
            + _rpr(font=sans, colour=TEXT_GREY, size=16),
            priority=99,
        ),
        StyleDef(P, S.COVER_CLASSIFICATION, "Cover Classification",
                 _ppr(jc="right", after=480) + _rpr(font=sans, caps=True, colour=TEXT_GREY, spacing=20, size=16)),
        StyleDef(P, S.COVER_BANNER, "Draft Banner",
                 _ppr(border=banner, after=0, jc="center")
                 + _rpr(font=sans, bold=True, colour="C00000", spacing=60, size=28)),
        # the note under DRAFT, in the same box (Word joins neighbouring paragraphs with the same border)
        StyleDef(P, S.COVER_BANNER_NOTE, "Draft Banner Note",
                 _ppr(border=banner, after=480, jc="center") + _rpr(font=sans, colour="C00000", size=18)),
        StyleDef(P, S.COVER_LABEL, "Cover Label",
                 _ppr(keep_next=True, before=240, after=0) + _rpr(font=sans, caps=True, colour=TEXT_GREY, size=17)),
        StyleDef(P, S.COVER_PARTY, "Cover Party",
                 _ppr(keep_next=True, after=0) + _rpr(font=sans, bold=True, size=26)),
        StyleDef(P, S.COVER_TEXT, "Cover Text", _ppr(after=0) + _rpr(colour="404040")),
        StyleDef(P, S.COVER_DETAILS, "Cover Details",
                 _ppr(tabs=(("left", 2835, "none"),), after=40) + _rpr(font=sans, size=19)),
        StyleDef(P, S.COVER_DETAILS_FIRST, "Cover Details First",
                 _ppr(tabs=(("left", 2835, "none"),), before=720, after=40, border=particulars_rule)
                 + _rpr(font=sans, size=19), S.COVER_DETAILS),
        StyleDef(P, S.SIGNATURE_HEADING, "Signature Heading",
                 _ppr(keep_next=True, keep_lines=True, before=360, after=120, left=GUTTER)
                 + _rpr(font=sans, size=20)),
        StyleDef(P, S.SIGNATURE_TEXT, "Signature Text",
                 _ppr(before=60, after=60, line=240) + _rpr(font=sans, size=19)),
        StyleDef(C, S.DEFINED_TERM, "Defined Term", _rpr(), "DefaultParagraphFont"),  # plain, as in the PDF
        StyleDef(C, S.DEFINITION_TERM, "Definition Term", _rpr(bold=True), "DefaultParagraphFont"),
        StyleDef(C, S.CROSS_REFERENCE, "Cross Reference", _rpr(colour=brand), "DefaultParagraphFont"),
        StyleDef(C, S.DRAFT_MARK, "Draft Mark", _rpr(bold=True, colour="C00000", spacing=20), "DefaultParagraphFont"),
        StyleDef(
            "table", S.TABLE, "Agreement Table",
            '<w:pPr><w:spacing w:after="0"/></w:pPr><w:tblPr><w:tblBorders>'
            + "".join(
                f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
                for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblStylePr w:type="firstRow">{_rpr(bold=True, colour="FFFFFF")}'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{brand}"/></w:tcPr></w:tblStylePr>',
            "TableNormal", priority=59,
        ),
    ]  # fmt: skip
    for depth, (number_id, (left, hang)) in enumerate(zip(StyleId.LIST_NUMBER, list_indents(), strict=True)):
        suffix = f" {depth + 1}" if depth else ""
        body = _ppr(num=(CLAUSES_NUM_ID, LIST_LEVEL + depth), after=60, **_hanging(left, hang)) + _rpr()
        defs.append(StyleDef(P, number_id, f"List Number{suffix}", body))
    for depth, (bullet_id, (left, _)) in enumerate(zip(StyleId.LIST_BULLET, list_indents(), strict=False)):
        suffix = f" {depth + 1}" if depth else ""
        body = _ppr(num=(BULLETS_NUM_ID, depth), after=60, left=left, hanging=LIST_HANG) + _rpr()
        defs.append(StyleDef(P, bullet_id, f"List Bullet{suffix}", body))
    return defs


def install_styles(styles: Element, brand: str) -> None:
    """Replace (or add) the renderer's styles in ``styles.xml`` and set the document defaults."""
    existing = {el.get(w("styleId")): el for el in styles.iterchildren(w("style"))}
    for style in style_defs(brand):
        element = etree.fromstring(style.xml())
        old = existing.get(style.style_id)
        if old is not None:
            old.addnext(element)
            styles.remove(old)
        else:
            styles.append(element)
    defaults = styles.find(w("docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    styles.insert(
        0,
        etree.fromstring(
            f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault><w:rPr>'
            f'<w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{BODY_FONT}"/>'
            '<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'
            '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
