"""The DOCX renderer: real Word styles, TOC field, bookmarks and hyperlinks, tracked changes, reproducible bytes.

Each test reads the rendered file back, with python-docx where it models the
thing and with raw XML (lxml) where it does not.
"""

from __future__ import annotations

import copy
import io
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from lxml import etree
from office import convert_to_pdf, needs_libreoffice
from sample_document import meta, sample_document
from word_numbers import word_numbers

from slaforge.document import (
    BulletList,
    Clause,
    Definition,
    DefinitionList,
    Document,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    Section,
    Table,
    list_label,
)
from slaforge.errors import RenderError
from slaforge.renderers import RenderOptions, render
from slaforge.renderers.docx.body import column_widths
from slaforge.renderers.docx.ooxml import BookmarkNames
from slaforge.renderers.docx.package import revision_number
from slaforge.renderers.theme import Theme

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
BOOKMARK_NAME = re.compile(r"^(?=.{1,40}$)(?:[A-Za-z]|_Ref)[A-Za-z0-9_]*$")  # _Ref: a cross-reference target


def q(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def options() -> RenderOptions:
    return RenderOptions(theme=Theme.load())


@pytest.fixture(scope="module")
def sample() -> Document:
    return sample_document()


@pytest.fixture(scope="module")
def sample_bytes(sample: Document, options: RenderOptions) -> bytes:
    return render(sample, "docx", options)


@pytest.fixture(scope="module")
def word(sample_bytes: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(sample_bytes))


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def header_parts(data: bytes, kind: str) -> dict[str, etree._Element]:
    """``{"default": <w:hdr>, "first": <w:hdr>}`` following the section's references."""
    body = part(data, "word/document.xml")
    rels = part(data, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    refs = body.findall(f".//w:sectPr/w:{kind}Reference", NS)
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {ref.get(q("type")): part(data, "word/" + targets[ref.get(rid)]) for ref in refs}


def text_of(element: etree._Element) -> str:
    """Visible text of a paragraph (or any element): w:t, w:delText, tabs as \\t."""
    out = []
    for node in element.iter(q("t"), q("delText"), q("tab")):
        out.append("\t" if node.tag == q("tab") else node.text or "")
    return "".join(out)


def paragraphs_by_style(word: docx.document.Document, style_name: str) -> list[str]:
    return [p.text for p in word.paragraphs if p.style.name == style_name]


def numbered_paragraphs(data: bytes, body: etree._Element | None = None) -> list[tuple[str, str, str]]:
    """(style id, the number Word shows, the text) of every paragraph of the body."""
    return [(style, label, text_of(p)) for p, style, label in word_numbers(data, body)]


# --- styles and numbering -------------------------------------------------------------------------------


def test_paragraphs_use_real_word_styles(word: docx.document.Document) -> None:
    used = {p.style.name for p in word.paragraphs}
    for name in (
        "Title",
        "Subtitle",
        "Heading 1",
        "Heading 2",
        "Clause Text",
        "List Number",
        "List Number 2",
        "List Bullet",
        "Caption",
        "Definition",
        "TOC Heading",
        "toc 1",
        "toc 2",
    ):
        assert name in used, name
    data_table = next(t for t in word.tables if t.style is not None and t.style.name == "Agreement Table")
    assert data_table.rows[0].cells[0].text == "Band"


def test_fonts_and_spacing_live_in_styles(word: docx.document.Document, sample_bytes: bytes) -> None:
    styles = word.styles
    assert styles["Normal"].font.name == "Georgia"
    assert styles["Heading 1"].font.name == "Arial"
    assert styles["Heading 1"].font.color.rgb is not None
    assert styles["Clause Text"].paragraph_format.first_line_indent < 0  # hanging number
    assert styles["Defined Term"].font.bold is None  # a term in running text is plain, as in the PDF
    assert styles["Definition Term"].font.bold is True  # the headword of a definition
    assert styles["Cross Reference"].type == docx.enum.style.WD_STYLE_TYPE.CHARACTER
    table_style = part(sample_bytes, "word/styles.xml").find(".//w:style[@w:styleId='AgreementTable']", NS)
    assert table_style.find("w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd", NS).get(q("fill"))
    # no run in the body carries a font or size of its own
    body = part(sample_bytes, "word/document.xml").find("w:body", NS)
    assert body.findall(".//w:r/w:rPr/w:rFonts", NS) == []
    assert body.findall(".//w:r/w:rPr/w:sz", NS) == []


def test_brand_colour_reaches_the_heading_style(options: RenderOptions) -> None:
    document = replace(sample_document(), meta=replace(meta(), brand_colour="#aa3300"))
    word = docx.Document(io.BytesIO(render(document, "docx", options)))
    assert str(word.styles["Heading 1"].font.color.rgb) == "AA3300"


def test_headings_are_numbered_by_their_styles_as_the_tree_numbers_them(
    word: docx.document.Document, sample: Document, sample_bytes: bytes
) -> None:
    # the text is the title alone: a firm that puts its own numbering on the heading styles gets one number
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert headings == [(f"Heading {level}", title) for level, _, title, _ in sample.outline()]
    shown = [(label, text) for style, label, text in numbered_paragraphs(sample_bytes) if style.startswith("Heading")]
    assert shown == [(number, title) for _, number, title, _ in sample.outline()]
    body = part(sample_bytes, "word/document.xml")
    headings_xml = body.xpath("//w:p[starts-with(w:pPr/w:pStyle/@w:val, 'Heading')]", namespaces=NS)
    assert all(p.find("w:pPr/w:numPr", NS) is None for p in headings_xml)  # the style's numbering, nothing else
    styles = part(sample_bytes, "word/styles.xml")
    linked = {
        s.get(q("styleId")): (s.find("w:pPr/w:numPr/w:numId", NS).get(q("val")), s.find("w:pPr/w:numPr/w:ilvl", NS))
        for s in styles.findall("w:style", NS)
        if s.find("w:pPr/w:numPr", NS) is not None
    }
    assert {name for name, (num_id, _) in linked.items() if num_id == linked["Heading1"][0]} == {
        "Heading1",
        "Heading2",
        "ClauseText",
        "ListNumber",
        "ListNumber2",
        "ListNumber3",
        "ListNumber4",
    }  # fmt: skip  one multilevel list


def test_sub_clauses_and_lettered_lists_are_word_numbering(word: docx.document.Document, sample_bytes: bytes) -> None:
    clause_text = paragraphs_by_style(word, "Clause Text")
    assert clause_text[0].startswith("This Agreement sets out the Service Levels")
    assert clause_text[1].startswith("Service credits are payable as set out in clause 2.1.")
    shown = numbered_paragraphs(sample_bytes)
    assert [(label, text[:30]) for style, label, text in shown if style == "ClauseText"][:2] == [
        ("1.1.1", "This Agreement sets out the Se"),
        ("1.1.2", "Service credits are payable as"),
    ]
    assert [(label, text) for style, label, text in shown if style.startswith("ListNumber")] == [
        ("(a)", "the Provider operates the network;"),
        ("(b)", "the Customer reports Incidents;"),
        ("(i)", "by telephone; or"),
        ("(ii)", "through the portal."),
    ]
    # bullets are real Word numbering (a bullet definition), not typed characters
    assert paragraphs_by_style(word, "List Bullet") == ["first bullet", "second bullet"]
    numbering = word.part.numbering_part.element
    assert numbering.find(".//w:lvl[@w:ilvl='0']/w:numFmt", NS).get(q("val")) == "bullet"


def test_list_labels_follow_the_tree_conventions() -> None:
    assert [list_label(i, 0) for i in (0, 1, 25, 26, 27)] == ["(a)", "(b)", "(z)", "(aa)", "(bb)"]  # as Word's
    assert [list_label(i, 1) for i in (0, 3, 8, 13)] == ["(i)", "(iv)", "(ix)", "(xiv)"]
    assert list_label(0, 2) == "(A)"


def test_definitions_use_the_definition_term_style(sample_bytes: bytes) -> None:
    body = part(sample_bytes, "word/document.xml")
    terms = body.xpath(
        "//w:p[w:pPr/w:pStyle/@w:val='Definition']/w:r[w:rPr/w:rStyle/@w:val='DefinitionTerm']", namespaces=NS
    )
    assert [text_of(t) for t in terms] == ["Incident", "Service Level"]
    in_text = body.xpath(
        "//w:p[w:pPr/w:pStyle/@w:val='ClauseText']/w:r[w:rPr/w:rStyle/@w:val='DefinedTerm']", namespaces=NS
    )
    assert [text_of(t) for t in in_text] == ["Service Levels"]


def test_a_term_too_long_for_its_column_gets_a_line_of_its_own(options: RenderOptions) -> None:
    """A tab after a term wider than the 4.5 cm column would push the meaning's first line out of line."""
    meaning = (Run("work that cannot wait for the next maintenance window"),)
    terms = ("Incident", "Maintenance Window", "Emergency Maintenance", "Service Improvement Plan")
    definitions = DefinitionList(tuple(Definition(term, meaning) for term in terms))
    clause = Clause("defs", "1.1", "Definitions", (definitions,))
    document = Document(meta=meta("final"), sections=(Section("s", "1", "Definitions", (clause,)),))
    body = part(render(document, "docx", options), "word/document.xml")
    separators = {}
    for p in body.xpath("//w:p[w:pPr/w:pStyle/@w:val='Definition']", namespaces=NS):
        term = text_of(p.xpath("w:r[w:rPr/w:rStyle/@w:val='DefinitionTerm']", namespaces=NS)[0])
        following = p.xpath("w:r[w:rPr/w:rStyle/@w:val='DefinitionTerm']/following-sibling::w:r[1]/*", namespaces=NS)
        separators[term] = etree.QName(following[0]).localname
    assert separators == {
        "Incident": "tab",
        "Maintenance Window": "tab",
        "Emergency Maintenance": "br",
        "Service Improvement Plan": "br",
    }


def test_a_table_of_six_columns_or_more_takes_the_whole_width_in_smaller_type(options: RenderOptions) -> None:
    def table(columns: int) -> Table:
        header = tuple((Run(f"Column {i}"),) for i in range(columns))
        return Table(header, (tuple((Run("Preferred"),) for _ in range(columns)),))

    clause = Clause("t", "1.1", "Tables", (table(4), table(7)))
    document = Document(meta=meta("final"), sections=(Section("s", "1", "Tables", (clause,)),))
    body = part(render(document, "docx", options), "word/document.xml")
    narrow, wide = body.xpath("//w:tbl", namespaces=NS)

    def layout(tbl: etree._Element) -> tuple[str, str, set[str]]:
        width = tbl.xpath("string(w:tblPr/w:tblW/@w:w)", namespaces=NS)
        indent = tbl.xpath("string(w:tblPr/w:tblInd/@w:w)", namespaces=NS)
        styles = set(tbl.xpath(".//w:tc/w:p/w:pPr/w:pStyle/@w:val", namespaces=NS))
        return width, indent, styles

    assert layout(narrow) == ("8219", "851", {"TableText"})  # A4 text width less the 1.5 cm gutter
    assert layout(wide) == ("9070", "0", {"TableTextCompact"})
    styles = docx.Document(io.BytesIO(render(document, "docx", options))).styles
    assert styles["Table Text Compact"].font.size.pt < styles["Table Text"].font.size.pt


# --- cover, header, footer ------------------------------------------------------------------------------


def test_cover_page_lists_the_particulars(word: docx.document.Document) -> None:
    cover = []
    for p in word.paragraphs:
        if p.style.name == "TOC Heading":
            break
        cover.append(p.text)
    text = "\n".join(cover)
    assert cover[0] == "DRAFT"
    for expected in (
        "Managed Network Service Level Agreement",
        "Service Level Agreement",
        "Provider",
        "Northwind Networks Ltd",
        "12 Harbour Road, Bristol BS1 4RN",
        "Customer",
        "Contoso Logistics plc",
        "Agreement\tNW-SLA-001",  # the cover's words are the HTML's and the PDF's (the tree's frame)
        "Version\t1.2",
        "Status\tDraft",
        "Effective date\t1 March 2027",
        "Classification\tCommercial in confidence",
    ):
        assert expected in text, expected
    toc_heading = next(p for p in word.paragraphs if p.style.name == "TOC Heading")
    assert toc_heading.paragraph_format.page_break_before is True


def test_header_footer_with_page_fields_and_no_frame_on_the_cover(
    word: docx.document.Document, sample_bytes: bytes
) -> None:
    section = word.sections[0]
    assert section.different_first_page_header_footer is True
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4
    headers, footers = header_parts(sample_bytes, "header"), header_parts(sample_bytes, "footer")
    assert set(headers) == set(footers) == {"default", "first"}
    assert text_of(headers["default"]) == "NW-SLA-001 \u00b7 version 1.2\t\tDRAFT"
    assert text_of(headers["first"]) == "" and text_of(footers["first"]) == ""
    footer = footers["default"]
    instructions = [node.text.strip() for node in footer.iter(q("instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [node.get(q("fldCharType")) for node in footer.iter(q("fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert text_of(footer).startswith("Commercial in confidence\t\tPage 1 of 1")


def test_draft_watermark_and_final_without_it(options: RenderOptions, sample_bytes: bytes) -> None:
    v_shape = "{urn:schemas-microsoft-com:vml}shape"
    assert any(h.iter(v_shape) for h in header_parts(sample_bytes, "header").values())
    final = render(sample_document(status="final"), "docx", options)
    word = docx.Document(io.BytesIO(final))
    assert "DRAFT" not in "\n".join(p.text for p in word.paragraphs)
    for header in header_parts(final, "header").values():
        assert "DRAFT" not in text_of(header)
        assert next(header.iter(v_shape), None) is None


# --- table of contents, bookmarks, cross-references -----------------------------------------------------


def test_toc_is_a_real_field_prefilled_with_every_heading(sample_bytes: bytes, sample: Document) -> None:
    body = part(sample_bytes, "word/document.xml").find("w:body", NS)
    instructions = [node.text for node in body.iter(q("instrText")) if not node.text.startswith(" REF ")]
    assert instructions == [' TOC \\o "1-2" \\h \\z \\u ']
    entries = [p for p in body.findall("w:p", NS) if p.find("w:pPr/w:pStyle", NS).get(q("val")) in ("TOC1", "TOC2")]
    outline = sample.outline()
    assert [text_of(p) for p in entries] == [f"{number}\t{title}" for _, number, title, _ in outline]
    assert [p.find("w:pPr/w:pStyle", NS).get(q("val")) for p in entries] == [f"TOC{lvl}" for lvl, *_ in outline]
    kinds = [c.get(q("fldCharType")) for p in entries for c in p.iter(q("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert all(p.find("w:hyperlink", NS) is not None for p in entries)
    settings = part(sample_bytes, "word/settings.xml")
    assert settings.find("w:updateFields", NS).get(q("val")) == "true"


def test_every_hyperlink_anchor_is_a_heading_bookmark(sample_bytes: bytes, sample: Document) -> None:
    body = part(sample_bytes, "word/document.xml")
    bookmarks = {b.get(q("name")): b for b in body.iter(q("bookmarkStart"))}
    assert len(bookmarks) == len(sample.outline())
    assert all(BOOKMARK_NAME.match(name) for name in bookmarks)
    anchors = [link.get(q("anchor")) for link in body.iter(q("hyperlink"))]
    assert anchors and set(anchors) <= set(bookmarks)
    ends = {e.get(q("id")) for e in body.iter(q("bookmarkEnd"))}
    assert {b.get(q("id")) for b in bookmarks.values()} == ends


def test_a_cross_reference_is_a_ref_field_to_the_bookmark_on_the_heading_it_cites(sample_bytes: bytes) -> None:
    body = part(sample_bytes, "word/document.xml")
    paragraph = next(p for p in body.iter(q("p")) if text_of(p).startswith("Service credits are payable as set out"))
    assert "set out in clause 2.1. Time" in text_of(paragraph)  # the cached result reads as the tree numbers it
    runs = paragraph.findall("w:r", NS)
    kinds = [r.xpath("string(w:fldChar/@w:fldCharType)", namespaces=NS) or None for r in runs]
    begin, end = kinds.index("begin"), kinds.index("end")
    instruction = runs[begin + 1].find("w:instrText", NS).text
    match = re.fullmatch(r" REF (_Ref\w+) \\r \\h ", instruction)
    assert match, instruction
    assert text_of(runs[begin + 3]) == "2.1" and kinds[begin + 2] == "separate" and end == begin + 4
    assert text_of(runs[begin - 1]).endswith("clause ")  # the word stays text, the number is the field
    assert all(r.find("w:rPr/w:rStyle", NS).get(q("val")) == "CrossReference" for r in runs[begin - 1 : end + 1])
    target = next(b for b in body.iter(q("bookmarkStart")) if b.get(q("name")) == match.group(1))
    heading = target.getparent()
    assert heading.find("w:pPr/w:pStyle", NS).get(q("val")) == "Heading2"
    assert text_of(heading) == "Service credits"
    assert ("Heading2", "2.1", "Service credits") in numbered_paragraphs(sample_bytes)


def test_bookmark_names_are_word_safe_unique_and_stable() -> None:
    names = BookmarkNames()
    long_id = "service." + "x" * 80
    made = [
        names.add("a.b"),
        names.add("a-b"),  # the same name once unsafe characters are replaced
        names.add(long_id),
        names.add(long_id + "y"),
        names.add("9lives"),
        names.add("d\u00e9finitions"),
        names.add("A.B"),  # Word compares bookmark names without case
    ]
    assert all(BOOKMARK_NAME.match(name) for name in made), made
    assert len({name.lower() for name in made}) == len(made)
    assert made[0] == "_Ref_a_b" and names.get("a.b") == "_Ref_a_b" and names.get("a-b") == made[1]
    assert made[4] == "_Ref_9lives"
    again = BookmarkNames()
    assert again.add(long_id) == made[2]


# --- tables and signatures ------------------------------------------------------------------------------


def test_tables_repeat_their_header_and_rows_never_split(sample_bytes: bytes, sample: Document) -> None:
    body = part(sample_bytes, "word/document.xml")
    tables = body.findall(".//w:tbl", NS)
    data = next(t for t in tables if t.find("w:tblPr/w:tblStyle", NS) is not None)
    rows = data.findall("w:tr", NS)
    assert len(rows) == 1 + 6
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    for table in tables:
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in table.findall("w:tr", NS))
    widths = [int(c.get(q("w"))) for c in data.findall("w:tblGrid/w:gridCol", NS)]
    assert abs(widths[1] - widths[2]) <= 1 and abs(widths[1] - 3 * widths[0]) <= 3  # widths=(1, 3, 3)
    caption = data.getprevious()
    assert caption.find("w:pPr/w:pStyle", NS).get(q("val")) == "Caption"
    assert caption.find("w:pPr/w:keepNext", NS) is not None
    assert text_of(caption) == "Service credit bands"


def test_column_widths() -> None:
    assert column_widths((1, 3, 3), 3, 7000) == [1000, 3000, 3000]
    assert column_widths(None, 3, 1000) == [333, 333, 334]
    assert column_widths((1, 2), 3, 900) == [300, 300, 300]  # widths that do not fit the columns are ignored
    assert column_widths((), 0, 900) == []


def test_an_empty_table_keeps_its_caption_but_writes_no_table(options: RenderOptions) -> None:
    data = render(_one_clause((Table(header=(), rows=(), caption="Nothing yet"),)), "docx", options)
    word = docx.Document(io.BytesIO(data))
    assert word.tables == [] and "Nothing yet" in paragraphs_by_style(word, "Caption")


def test_ragged_rows_are_padded_to_the_widest_row(options: RenderOptions) -> None:
    table = Table(header=((Run("A"),), (Run("B"),)), rows=(((Run("1"),),), ((Run("1"),), (Run("2"),), (Run("3"),))))
    data = render(_one_clause((table,)), "docx", options)
    tbl = part(data, "word/document.xml").find(".//w:tbl", NS)
    assert [len(tr.findall("w:tc", NS)) for tr in tbl.findall("w:tr", NS)] == [3, 3, 3]
    assert len(tbl.findall("w:tblGrid/w:gridCol", NS)) == 3


def test_signature_blocks_keep_together(sample_bytes: bytes) -> None:
    body = part(sample_bytes, "word/document.xml").find("w:body", NS)
    headings = [p for p in body.findall("w:p", NS) if p.find("w:pPr/w:pStyle", NS).get(q("val")) == "SignatureHeading"]
    assert [text_of(p) for p in headings] == [
        "Signed for and on behalf of Northwind Networks Ltd (Provider)",
        "Signed for and on behalf of Contoso Logistics plc (Customer)",
    ]
    first = headings[0].getnext()
    assert first.tag == q("tbl")
    rows = [[text_of(tc) for tc in tr.findall("w:tc", NS)] for tr in first.findall("w:tr", NS)]
    assert rows == [["Signature", ""], ["Name", "Priya Raman"], ["Title", "Head of Service Management"], ["Date", ""]]
    keep = [
        p.find("w:pPr/w:keepNext", NS) is not None for tr in first.findall("w:tr", NS)[:-1] for p in tr.iter(q("p"))
    ]
    assert all(keep)


# --- redlines -------------------------------------------------------------------------------------------


def _one_clause(blocks: tuple, change: str | None = None, extra: tuple[Clause, ...] = ()) -> Document:
    clause = Clause(id="service.response", number="1.1", title="Response", blocks=blocks, change=change)
    return Document(meta=meta(), sections=(Section("service", "1", "Service", (clause, *extra)),))


def _redline() -> Document:
    return _one_clause(
        (
            Paragraph(
                (
                    Run("The Provider shall respond within "),
                    Run("4 hours", change="del"),
                    Run("2 hours", change="ins"),
                    Run(" of a "),
                    Run("P1", bold=True, change="ins"),
                    Run(" report."),
                ),
                number="1.1.1",
            ),
            Paragraph((Run("This sentence was removed."),), number="1.1.2", change="del"),
            Paragraph((Run("This sentence is new."),), number="1.1.3", change="ins"),
            NumberedList((ListItem((Run("kept"),)), ListItem((Run("dropped"),), change="del"))),
            BulletList((ListItem((Run("added bullet"),), change="ins"),)),
        ),
        extra=(
            Clause(
                "service.new",
                "1.2",
                "New clause",
                (Paragraph((Run("Brand new terms."),), number="1.2.1"),),
                change="ins",
            ),
            Clause(
                "service.old", "1.3", "Old clause", (Paragraph((Run("Old terms."),), number="1.3.1"),), change="del"
            ),
        ),
    )


def _accept_all(body: etree._Element) -> etree._Element:
    body = copy.deepcopy(body)
    for deleted in list(body.iter(q("del"))):
        if deleted.getparent().tag != q("rPr"):  # a w:del in rPr marks a paragraph mark, not content
            deleted.getparent().remove(deleted)
    _drop_vanished_paragraphs(body, "del")
    for inserted in list(body.iter(q("ins"))):
        if inserted.getparent().tag != q("rPr"):
            _unwrap(inserted)
    return body


def _reject_all(body: etree._Element) -> etree._Element:
    body = copy.deepcopy(body)
    for inserted in list(body.iter(q("ins"))):
        if inserted.getparent().tag != q("rPr"):
            inserted.getparent().remove(inserted)
    for deleted in list(body.iter(q("del"))):
        if deleted.getparent().tag != q("rPr"):
            _unwrap(deleted)
    for node in body.iter(q("delText")):
        node.tag = q("t")
    for node in body.iter(q("delInstrText")):
        node.tag = q("instrText")
    return _drop_vanished_paragraphs(body, "ins")


def _unwrap(element: etree._Element) -> None:
    parent, index = element.getparent(), element.getparent().index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _drop_vanished_paragraphs(body: etree._Element, mark: str) -> etree._Element:
    """Remove the paragraphs that Accept All (mark "del") or Reject All (mark "ins") takes away whole:
    their paragraph mark is tracked and nothing of their text is left."""
    for p in list(body.iter(q("p"))):
        if p.find(f"w:pPr/w:rPr/w:{mark}", NS) is not None and not text_of(p):
            p.getparent().remove(p)
    return body


def _body_text(body: etree._Element) -> list[str]:
    """Non-empty paragraph texts of the agreement body (after the TOC)."""
    texts = [text_of(p) for p in body.iter(q("p")) if p.find("w:pPr/w:pStyle", NS) is not None]
    styles = [
        p.find("w:pPr/w:pStyle", NS).get(q("val"))
        for p in body.iter(q("p"))
        if p.find("w:pPr/w:pStyle", NS) is not None
    ]
    start = styles.index("Heading1")
    return [t for t in texts[start:] if t]


def test_redlines_are_native_tracked_changes(options: RenderOptions) -> None:
    data = render(_redline(), "docx", options)
    body = part(data, "word/document.xml").find("w:body", NS)
    changes = [*body.iter(q("ins")), *body.iter(q("del"))]
    assert changes
    for change in changes:
        assert change.get(q("author")) == "Northwind Networks Ltd"
        assert change.get(q("date")) == "2027-01-15T08:00:00Z"
    ids = [e.get(q("id")) for e in (*changes, *body.iter(q("bookmarkStart")))]
    assert len(ids) == len(set(ids)), "annotation ids must be unique across the document"
    for deleted in body.iter(q("del")):
        assert deleted.find(".//w:t", NS) is None
    for inserted in body.iter(q("ins")):
        assert inserted.find(".//w:delText", NS) is None
    # the paragraph marks of whole deleted / inserted paragraphs are tracked too
    marks = body.findall(".//w:pPr/w:rPr/*", NS)
    assert {m.tag for m in marks} == {q("ins"), q("del")}


def _numbered_body(data: bytes, body: etree._Element) -> list[str]:
    """The agreement's paragraphs (after the contents) as Word shows them: number, tab, text."""
    shown = numbered_paragraphs(data, body)
    start = next(i for i, (style, _, _) in enumerate(shown) if style == "Heading1")
    return [f"{label}\t{text}" if label else text for _, label, text in shown[start:] if text]


def test_accept_all_gives_the_new_text_and_reject_all_the_old(options: RenderOptions) -> None:
    data = render(_redline(), "docx", options)
    body = part(data, "word/document.xml").find("w:body", NS)
    # numbers included: Word numbers what is left, so nothing keeps the number it had in the redline
    assert _numbered_body(data, _accept_all(body)) == [
        "1\tService",
        "1.1\tResponse",
        "1.1.1\tThe Provider shall respond within 2 hours of a P1 report.",
        "1.1.2\tThis sentence is new.",
        "(a)\tkept",
        "\u2022\tadded bullet",
        "1.2\tNew clause",
        "1.2.1\tBrand new terms.",
    ]
    assert _numbered_body(data, _reject_all(body)) == [
        "1\tService",
        "1.1\tResponse",
        "1.1.1\tThe Provider shall respond within 4 hours of a  report.",
        "1.1.2\tThis sentence was removed.",
        "(a)\tkept",
        "(b)\tdropped",
        "1.2\tOld clause",
        "1.2.1\tOld terms.",
    ]


def test_a_changed_clause_marks_its_table_rows(options: RenderOptions) -> None:
    table = Table(header=((Run("Level"),),), rows=(((Run("P1"),),),))
    body = part(render(_one_clause((table,), change="ins"), "docx", options), "word/document.xml")
    rows = body.findall(".//w:tbl/w:tr", NS)
    assert all(r.find("w:trPr/w:ins", NS) is not None for r in rows)
    assert _body_text(_reject_all(body.find("w:body", NS))) == ["Service"]


# --- file properties and reproducible bytes -------------------------------------------------------------


def test_core_properties_come_from_the_meta(word: docx.document.Document) -> None:
    props = word.core_properties
    stamp = datetime.fromtimestamp(1_800_000_000, UTC)
    assert props.title == "Managed Network Service Level Agreement"
    assert props.subject == "Service level agreement for the managed WAN service"
    assert props.author == props.last_modified_by == "Northwind Networks Ltd"
    assert props.keywords == "SLA, managed network, availability"
    assert props.category == "service"
    assert props.revision == 1
    assert props.created == props.modified == stamp
    assert props.last_printed is None  # never printed
    assert props.identifier == "NW-SLA-001" and props.version == "1.2"


def test_revision_number() -> None:
    assert [revision_number(v) for v in ("1.2", "3", "v4.0", "0.9", "draft")] == [1, 3, 4, 1, 1]


def test_two_renders_give_identical_bytes(sample: Document, options: RenderOptions, sample_bytes: bytes) -> None:
    assert render(sample, "docx", options) == sample_bytes
    with zipfile.ZipFile(io.BytesIO(sample_bytes)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(2027, 1, 15, 8, 0, 0)}
    names = {info.filename for info in infos}
    assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names


def test_a_new_timestamp_changes_only_time_derived_content(options: RenderOptions) -> None:
    redline = _redline()
    later = replace(redline, meta=replace(redline.meta, timestamp=1_900_000_000))
    first, second = (render(d, "docx", options) for d in (redline, later))
    assert first != second
    with zipfile.ZipFile(io.BytesIO(first)) as a, zipfile.ZipFile(io.BytesIO(second)) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            old, new = a.read(name), b.read(name)
            old = old.replace(b"2027-01-15T08:00:00Z", b"<time>")
            new = new.replace(b"2030-03-17T17:46:40Z", b"<time>")
            assert old == new, name


def test_old_timestamps_are_clamped_for_zip(options: RenderOptions, sample: Document) -> None:
    early = replace(sample, meta=replace(sample.meta, timestamp=0))
    with zipfile.ZipFile(io.BytesIO(render(early, "docx", options))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --- safety ---------------------------------------------------------------------------------------------


def test_user_text_is_plain_text_and_illegal_characters_are_dropped(options: RenderOptions) -> None:
    hostile = '<w:p>x</w:p> </w:t> & "q" \u00e9\u4e2d'
    blocks = (
        Paragraph((Run(hostile), Run("bell\x07 nul\x00 esc\x1b ff\x0c vt\x0b surrogate\ud800 end")), number="1.1.1"),
        Table(header=((Run("<b>head</b>"),),), rows=(((Run("cell\x01"),),),), caption="cap <i>\x02"),
    )
    document = replace(_one_clause(blocks), meta=replace(meta(), title="Title </w:t>\x03", author="A & B <x>"))
    data = render(document, "docx", options)
    word = docx.Document(io.BytesIO(data))
    texts = [p.text for p in word.paragraphs]
    assert f"{hostile}bell nul esc ff vt surrogate end" in texts
    assert "cap <i>" in texts
    assert word.tables[0].rows[0].cells[0].text == "<b>head</b>"
    assert word.tables[0].rows[1].cells[0].text == "cell"
    assert word.core_properties.title == "Title </w:t>"
    assert word.core_properties.author == "A & B <x>"


def test_tabs_and_newlines_become_native_tab_and_break(options: RenderOptions) -> None:
    data = render(_one_clause((Paragraph((Run("a\tb\nc\r\nd"),)),)), "docx", options)
    body = part(data, "word/document.xml")
    run = body.xpath("//w:p[w:pPr/w:pStyle/@w:val='ClauseBody']/w:r", namespaces=NS)[0]
    assert [child.tag.split("}")[1] for child in run] == ["t", "tab", "t", "br", "t", "br", "t"]


# --- schema order ---------------------------------------------------------------------------------------

# The CT_* sequences (ECMA-376 Part 1) for the property elements the renderer writes: Word rejects
# a file whose children are out of order, so every generated w:pPr / w:rPr / w:tblPr ... is checked.
SEQUENCES = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr "
    "shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc "
    "hidden ins del trPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "tbl": "bookmarkStart tblPr tblGrid tr",
    "style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
    "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
    "tblStylePr": "pPr rPr tblPr trPr tcPr",
    "lvl": "start numFmt lvlRestart pStyle isLgl suff lvlText lvlPicBulletId legacy lvlJc pPr rPr",
}


def _check_order(root: etree._Element) -> list[str]:
    problems = []
    for parent_name, sequence in SEQUENCES.items():
        order = {name: index for index, name in enumerate(sequence.split())}
        for element in root.iter(q(parent_name)):
            names = [etree.QName(child).localname for child in element if etree.QName(child).namespace == W]
            ranks = [order.get(name, -1) for name in names]
            single = [name for name in names if name not in ("tr", "tblStylePr")]
            repeated = len(set(single)) != len(single)
            if -1 in ranks or ranks != sorted(ranks) or repeated:
                problems.append(f"{parent_name}: {names}")
    return problems


def test_generated_xml_follows_the_schema_sequences(options: RenderOptions) -> None:
    data = render(_redline(), "docx", options)
    sample = render(sample_document(), "docx", options)
    for name in ("word/document.xml", "word/styles.xml", "word/numbering.xml"):
        assert _check_order(part(data, name)) == [], name
        assert _check_order(part(sample, name)) == [], name
    for hdr in (*header_parts(sample, "header").values(), *header_parts(sample, "footer").values()):
        assert _check_order(hdr) == []
    settings = [etree.QName(c).localname for c in part(sample, "word/settings.xml")]
    assert settings.index("updateFields") < settings.index("compat")


# --- logo -----------------------------------------------------------------------------------------------


def _png(path: Path) -> Path:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    raw = b"".join(b"\x00" + b"\x1f\x4e\x79" * 4 for _ in range(4))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def test_logo_from_an_allowed_folder_is_embedded(tmp_path: Path) -> None:
    logo = _png(tmp_path / "logo.png")
    document = replace(sample_document(), meta=replace(meta(), logo=str(logo)))
    options = RenderOptions(theme=Theme.load(asset_folders=(tmp_path,)))
    data = render(document, "docx", options)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert any(name.startswith("word/media/") for name in archive.namelist())
        body = etree.fromstring(archive.read("word/document.xml"))
    assert render(document, "docx", options) == data
    # every picture carries alt text: the logo says whose it is, as the HTML's <img alt> does
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    pictures = body.findall(f".//{{{wp}}}docPr")
    assert [p.get("descr") for p in pictures] == [document.meta.author] == ["Northwind Networks Ltd"]


def test_logo_outside_allowed_folders_is_refused(tmp_path: Path, options: RenderOptions) -> None:
    logo = _png(tmp_path / "logo.png")
    document = replace(sample_document(), meta=replace(meta(), logo=str(logo)))
    with pytest.raises(RenderError, match="outside"):
        render(document, "docx", options)


# --- speed, laziness, and how it opens ------------------------------------------------------------------


def test_a_large_agreement_renders_whole(options: RenderOptions) -> None:
    # speed is measured in benchmarks/, not asserted here; this checks nothing is lost at size
    big = sample_document(clauses_per_section=200, table_rows=300)
    data = render(big, "docx", options)
    read = docx.Document(io.BytesIO(data))
    headings = [p.text for p in read.paragraphs if p.style.name == "Heading 2"]
    assert len(headings) == len(list(big.clauses()))
    assert max(len(t.rows) for t in read.tables) == 301  # header + 300 rows


def test_python_docx_is_imported_only_when_rendering_docx() -> None:
    code = "import sys, slaforge.renderers; assert 'docx' not in sys.modules, 'python-docx imported eagerly'"
    subprocess.run([sys.executable, "-c", code], check=True)


@needs_libreoffice
def test_libreoffice_opens_and_converts_it(tmp_path: Path, sample_bytes: bytes) -> None:
    source = tmp_path / "agreement.docx"
    source.write_bytes(sample_bytes)
    pdf, _ = convert_to_pdf(source, timeout=180)
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 4  # cover, contents, body
    body_text = " ".join(page.extract_text() for page in reader.pages[2:])
    assert "1.1.1" in body_text and "Service credit bands" in body_text
    assert "Page 3 of" in reader.pages[2].extract_text()


def test_long_core_properties_are_cut_to_words_limit(options: RenderOptions) -> None:
    names = [f"Customer {n:02d} Ltd" for n in range(1, 21)]
    subject = "Corporate-level service level agreement between Northwind Networks Ltd and " + ", ".join(names)
    document = replace(sample_document(), meta=replace(meta(), subject=subject, keywords=tuple(names)))
    props = docx.Document(io.BytesIO(render(document, "docx", options))).core_properties
    assert len(subject) > 255 and 250 <= len(props.subject) <= 255 and props.subject.endswith("\u2026")
    assert subject.startswith(props.subject[:-1])
    assert props.keywords.startswith("Customer 01 Ltd, Customer 02 Ltd") and len(props.keywords) <= 255
