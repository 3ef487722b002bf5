"""The HTML renderer: one self-contained, escaped, well-structured page from the document tree.

Every test parses the rendered bytes back (lxml's HTML parser) and looks at
elements, attributes and text, never at template source.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import struct
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import cssselect2
import pytest
from fontTools.ttLib import TTFont
from lxml import html as lxml_html
from sample_document import meta, sample_document

from slaforge.document import (
    BulletList,
    Clause,
    Document,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    Section,
    Table,
    anchor,
    list_label,
)
from slaforge.errors import RenderError
from slaforge.renderers import RenderOptions, render
from slaforge.renderers.html import column_widths, css_name, render_html_for_print
from slaforge.renderers.theme import Theme

HtmlElement = lxml_html.HtmlElement


@pytest.fixture(scope="module")
def options() -> RenderOptions:
    return RenderOptions(theme=Theme.load())


def page_of(document: Document, options: RenderOptions) -> HtmlElement:
    data = render(document, "html", options)
    assert isinstance(data, bytes)
    return lxml_html.document_fromstring(data.decode("utf-8"))


@pytest.fixture(scope="module")
def draft(options: RenderOptions) -> HtmlElement:
    return page_of(sample_document("draft"), options)


@pytest.fixture(scope="module")
def final(options: RenderOptions) -> HtmlElement:
    return page_of(sample_document("final"), options)


def select(root: HtmlElement, css: str) -> list[HtmlElement]:
    """Descendants of ``root`` matching a CSS selector (cssselect2, which WeasyPrint brings)."""
    wrapper = cssselect2.ElementWrapper.from_html_root(root)
    return [match.etree_element for match in wrapper.query_all(css) if match.etree_element is not root]


def text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def one(root: HtmlElement, css: str) -> HtmlElement:
    found = select(root, css)
    assert len(found) == 1, f"{css}: {len(found)} elements"
    return found[0]


def png(path: Path) -> Path:
    """A 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def one_clause_document(*blocks: object, status: str = "draft", **meta_changes: object) -> Document:
    clause = Clause(id="general.only", number="1.1", title="Only", blocks=tuple(blocks))  # type: ignore[arg-type]
    return Document(
        meta=replace(meta(status), **meta_changes),  # type: ignore[arg-type]
        sections=(Section("general", "1", "General", (clause,)),),
    )


# ---------------------------------------------------------------- escaping


def test_markup_in_user_text_is_shown_literally(draft: HtmlElement) -> None:
    paragraph = select(draft, "#c-general-purpose p.numbered")[0]
    assert '<b>not bold</b> & "quoted".' in text(paragraph)
    assert not select(paragraph, "b")


def test_markup_in_every_kind_of_text_is_escaped(options: RenderOptions) -> None:
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    document = one_clause_document(
        Paragraph((Run(evil),), number="1.1.1"),
        NumberedList((ListItem((Run(evil),), children=(ListItem((Run(evil),)),)),)),
        BulletList((ListItem((Run(evil, bold=True, italic=True, term="x"),)),)),
        Table(header=((Run(evil),),), rows=(((Run(evil),),),), caption=evil, kind='x" onclick="y'),
        title=evil,
        subtitle=evil,
        classification=evil,
        author=evil,
        keywords=(evil,),
    )
    data = render(document, "html", options).decode("utf-8")
    root = lxml_html.document_fromstring(data)
    assert not select(root, "body script, body img")
    assert "<script>alert" not in data
    assert evil in text(one(root, "h1.agreement-title"))
    assert one(root, "title").text == evil
    assert one(root, 'meta[name="author"]').get("content") == evil
    assert not select(root, "[onclick]")
    assert one(root, "table").get("class") == "table kind-x-onclick-y short"


def test_brand_colour_is_used_only_when_it_is_a_plain_colour(options: RenderOptions) -> None:
    good = page_of(one_clause_document(brand_colour="#1d4e6e"), options)
    assert good.get("style") == "--brand: #1d4e6e"
    bad = page_of(one_clause_document(brand_colour="red; } body { display: none"), options)
    assert bad.get("style") is None


# ------------------------------------------------------------ self-contained


def test_page_is_self_contained(draft: HtmlElement) -> None:
    for element in draft.iter():
        for attribute in ("src", "href"):
            value = element.get(attribute)
            if value is not None:
                assert value.startswith(("#", "data:")), f"<{element.tag} {attribute}={value!r}>"
    css = "".join(style.text for style in select(draft, "style"))
    urls = ["".join(groups) for groups in re.findall(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*))\s*\)""", css)]
    assert urls, "the theme's fonts should be referenced"
    assert all(url.startswith("data:") for url in urls), urls
    assert "data:font/ttf" not in css, "fonts travel as WOFF2"


def inlined_fonts(root: HtmlElement) -> list[bytes]:
    css = "".join(style.text for style in select(root, "style"))
    return [base64.b64decode(data) for data in re.findall(r'url\("data:font/woff2;base64,([^"]+)"\)', css)]


def same_font(woff2: bytes, ttf: Path) -> None:
    """The WOFF2 font holds exactly the TrueType font's glyphs: names, character map, metrics, outlines."""
    web, source = TTFont(io.BytesIO(woff2)), TTFont(ttf)
    assert web.flavor == "woff2" and woff2[:4] == b"wOF2"
    assert web.getGlyphOrder() == source.getGlyphOrder()
    assert web.getBestCmap() == source.getBestCmap()
    assert web["hmtx"].metrics == source["hmtx"].metrics
    for name in source.getGlyphOrder():
        ours, theirs = web["glyf"][name], source["glyf"][name]
        if theirs.isComposite():
            assert [c.glyphName for c in ours.components] == [c.glyphName for c in theirs.components], name
        else:
            assert list(ours.getCoordinates(web["glyf"])[0]) == list(theirs.getCoordinates(source["glyf"])[0]), name


def test_the_page_carries_the_theme_fonts_as_woff2(draft: HtmlElement) -> None:
    fonts = inlined_fonts(draft)
    folder = Theme.load().builtin / "fonts"
    styles = sorted(folder.glob("*.ttf"))
    assert len(fonts) == len(styles) == 4
    by_name = {TTFont(io.BytesIO(font))["name"].getDebugName(4): font for font in fonts}
    for ttf in styles:
        same_font(by_name[TTFont(ttf)["name"].getDebugName(4)], ttf)
        assert len(by_name[TTFont(ttf)["name"].getDebugName(4)]) < 0.5 * ttf.stat().st_size


def test_a_user_themes_truetype_font_is_compressed_to_woff2(tmp_path: Path, options: RenderOptions) -> None:
    source = Theme.load().builtin / "fonts" / "Caladea-Italic.ttf"
    (tmp_path / "fonts").mkdir()
    shutil.copy(source, tmp_path / "fonts" / "House.ttf")
    (tmp_path / "extra.css").write_text(
        '@font-face { font-family: "House"; src: url("fonts/House.ttf"); }\nh1 { font-family: "House"; }\n',
        encoding="utf-8",
    )
    root = page_of(sample_document(), RenderOptions(theme=Theme.load(tmp_path)))
    styles = [style.text for style in select(root, "style")]
    house = re.findall(r'url\("data:font/woff2;base64,([^"]+)"\)', styles[-1])
    assert len(house) == 1 and "font/ttf" not in styles[-1]
    same_font(base64.b64decode(house[0]), source)


def test_print_page_points_at_theme_files_instead(options: RenderOptions) -> None:
    page = render_html_for_print(sample_document(), options)
    fonts = re.findall(r'url\("(file:[^"]+\.ttf)"\)', page)
    assert len(fonts) == 4
    assert all(url.startswith(options.theme.builtin.as_uri()) for url in fonts)
    assert "data:font/ttf" not in page


def test_user_theme_files_are_found_first_and_inlined(tmp_path: Path, options: RenderOptions) -> None:
    png(tmp_path / "stamp.png")
    (tmp_path / "extra.css").write_text('.cover { background: url("stamp.png") no-repeat; }\n', encoding="utf-8")
    root = page_of(sample_document(), RenderOptions(theme=Theme.load(tmp_path)))
    styles = [style.text for style in select(root, "style")]
    assert len(styles) == 3, "the built-in style.css and browser.css, then the user's extra.css"
    assert 'url("data:image/png;base64,' in styles[2]


@pytest.mark.parametrize(
    ("css", "named"),
    [
        ("body { background: url(http://example.com/x.png) }", "http://example.com/x.png"),
        ('@import "https://example.com/a.css";', "https://example.com/a.css"),
        ('body { background: url("file:///etc/passwd") }', "file:///etc/passwd"),
        ('body { background: url("../../../etc/passwd") }', "../../../etc/passwd"),
    ],
)
def test_css_reaching_outside_the_theme_is_refused(tmp_path: Path, css: str, named: str) -> None:
    (tmp_path / "extra.css").write_text(css, encoding="utf-8")
    with pytest.raises(RenderError, match=re.escape(named)):
        render(sample_document(), "html", RenderOptions(theme=Theme.load(tmp_path)))


def test_logo_inside_an_allowed_folder_is_embedded(tmp_path: Path) -> None:
    logo = png(tmp_path / "logo.png")
    theme = Theme.load(asset_folders=(tmp_path,))
    root = page_of(one_clause_document(logo=str(logo)), RenderOptions(theme=theme))
    assert one(root, ".cover img.logo").get("src").startswith("data:image/png;base64,")


def test_logo_outside_the_allowed_folders_is_refused(tmp_path: Path, options: RenderOptions) -> None:
    logo = png(tmp_path / "logo.png")
    with pytest.raises(RenderError, match=re.escape(str(logo))):
        render(one_clause_document(logo=str(logo)), "html", options)


# ----------------------------------------------------------------- structure


def test_cover_page_carries_the_particulars(draft: HtmlElement) -> None:
    cover = one(draft, ".cover")
    assert text(one(cover, "h1")) == "Managed Network Service Level Agreement"
    assert text(one(cover, ".agreement-subtitle")) == "Service Level Agreement"
    parties = [text(party) for party in select(cover, ".party")]
    assert parties == [
        "Northwind Networks Ltd 12 Harbour Road, Bristol BS1 4RN (the “Provider”)",
        "Contoso Logistics plc 1 Dock Street, Leeds LS1 1AA (the “Customer”)",
    ]
    particulars = {text(row.find("dt")): text(row.find("dd")) for row in select(cover, ".particulars > div")}
    assert particulars == {
        "Agreement": "NW-SLA-001",
        "Version": "1.2",
        "Status": "Draft",
        "Effective date": "1 March 2027",
        "Classification": "Commercial in confidence",
    }


def test_draft_marks_only_on_drafts(draft: HtmlElement, final: HtmlElement) -> None:
    assert text(one(draft, ".watermark")) == "DRAFT"
    assert "DRAFT" in text(one(draft, ".cover .draft-banner"))
    assert draft.get("class") == "draft"
    assert not select(final, ".watermark, .draft-banner")
    assert "DRAFT" not in text(final)
    assert final.get("class") == "final"


def test_metadata_for_the_pdf(draft: HtmlElement) -> None:
    metas = {m.get("name"): m.get("content") for m in select(draft, "head meta[name]")}
    assert draft.get("lang") == "en"
    assert one(draft, "title").text == "Managed Network Service Level Agreement"
    assert metas["author"] == "Northwind Networks Ltd"
    assert metas["description"] == "Service level agreement for the managed WAN service"
    assert metas["keywords"] == "SLA, managed network, availability"
    stamp = datetime.fromtimestamp(1_800_000_000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert metas["dcterms.created"] == metas["dcterms.modified"] == stamp == "2027-01-15T08:00:00Z"


def test_table_of_contents_lists_every_heading_with_a_link(draft: HtmlElement) -> None:
    document = sample_document()
    entries = [
        (entry.get("class"), text(one(entry, ".number")), text(one(entry, ".toc-title")), one(entry, "a").get("href"))
        for entry in select(draft, ".contents .toc li")
    ]
    assert entries == [
        (f"toc-{level}", number, title, f"#{target}") for level, number, title, target in document.outline()
    ]
    for _, _, _, href in entries:
        assert draft.get_element_by_id(href[1:]) is not None


def test_sections_and_clauses_are_numbered_and_anchored(draft: HtmlElement) -> None:
    document = sample_document()
    for section in document.sections:
        element = draft.get_element_by_id(anchor(section.id))
        assert element.tag == "section"
        assert text(one(element, "h2")) == f"{section.number} {section.title}"
        for clause in section.clauses:
            clause_element = draft.get_element_by_id(anchor(clause.id))
            assert clause_element.getparent() is element
            assert text(one(clause_element, "h3")) == f"{clause.number} {clause.title}"
            assert one(clause_element, "h3").get("data-label") == f"{clause.number} {clause.title}"


def test_numbered_paragraphs_carry_their_number(draft: HtmlElement) -> None:
    numbered = select(draft, "#c-general-purpose p.numbered")
    assert [text(one(p, ".number")) for p in numbered] == ["1.1.1", "1.1.2"]
    assert text(numbered[1]).startswith("1.1.2 Service credits are payable")
    assert not select(draft, "#c-general-filler-0 p.numbered")


def test_lettered_lists_nest_with_roman_numerals(draft: HtmlElement) -> None:
    outer = one(draft, "#c-general-purpose ol.lettered.depth-0")
    items = outer.xpath("./li")
    assert [text(li.find("span")) for li in items] == ["(a)", "(b)"]
    inner = one(items[1], "ol.lettered.depth-1")
    assert [text(li) for li in inner.xpath("./li")] == ["(i) by telephone; or", "(ii) through the portal."]
    assert text(items[0]) == "(a) the Provider operates the network;"


def test_list_labels_come_from_the_tree() -> None:
    # one definition in slaforge.document serves the HTML (the DOCX's are Word numbering in the same format)
    from slaforge.renderers import html

    assert html.list_label is list_label
    assert [list_label(i, 1) for i in (0, 3, 8, 39)] == ["(i)", "(iv)", "(ix)", "(xl)"]
    assert list_label(26, 0) == "(aa)"


def test_bullet_lists(draft: HtmlElement) -> None:
    bullets = one(draft, "#c-general-purpose ul.bullets")
    assert [text(li) for li in bullets.xpath("./li")] == ["first bullet", "second bullet"]


def test_tables_have_a_header_row_a_caption_and_a_kind(draft: HtmlElement) -> None:
    table = one(draft, "#c-penalties-credits table")
    assert table.get("class") == "table kind-credits short"
    assert text(one(table, "caption")) == "Service credit bands"
    assert [text(th) for th in select(table, "thead tr th")] == ["Band", "Monthly availability", "Service credit"]
    rows = select(table, "tbody tr")
    assert len(rows) == 6
    assert [text(td) for td in select(rows[0], "td")] == ["1", "below 99.9%", "5% of the fee"]
    assert [col.get("style") for col in select(table, "colgroup col")] == [
        "width: 14.29%",
        "width: 42.86%",
        "width: 42.86%",
    ]


def test_long_tables_may_break_short_ones_keep_together(options: RenderOptions) -> None:
    root = page_of(sample_document(table_rows=30), options)
    assert one(root, "#c-penalties-credits table").get("class") == "table kind-credits"


def test_column_widths_and_class_names() -> None:
    table = Table(header=((Run("a"),), (Run("b"),)), rows=(), widths=(1.0, 3.0))
    assert column_widths(table) == ["25.00%", "75.00%"]
    assert column_widths(replace(table, widths=(1.0,))) == []
    assert column_widths(replace(table, widths=None)) == []
    assert css_name("Credit bands (monthly)") == "credit-bands-monthly"
    assert css_name("<>") == "none"


def test_definitions_show_the_term_in_bold_beside_its_meaning(draft: HtmlElement) -> None:
    rows = select(draft, "#c-general-definitions dl.definitions > .definition")
    assert [(text(one(row, "dt")), text(one(row, "dd"))) for row in rows] == [
        ("Incident", "an unplanned interruption to the Service."),
        ("Service Level", "a measurable target set out in this Agreement."),
    ]


def test_signature_blocks_prefill_what_the_spec_gives(draft: HtmlElement) -> None:
    blocks = select(draft, "#c-signatures-execution .signatory")
    assert len(blocks) == 2
    provider, customer = blocks
    assert text(one(provider, ".signed-for")) == "Signed for and on behalf of Northwind Networks Ltd (Provider)"
    lines = {text(row.find("dt")): text(row.find("dd")) for row in select(provider, ".line")}
    assert lines == {"Signature": "", "Name": "Priya Raman", "Title": "Head of Service Management", "Date": ""}
    lines = {text(row.find("dt")): text(row.find("dd")) for row in select(customer, ".line")}
    assert lines == {"Signature": "", "Name": "", "Title": "", "Date": ""}


def test_cross_references_are_internal_links(draft: HtmlElement) -> None:
    link = one(draft, "#c-general-purpose a.xref")
    assert link.get("href") == "#c-penalties-credits"
    assert link.text == "clause 2.1"
    assert draft.get_element_by_id("c-penalties-credits").tag == "section"


def test_inline_marks(draft: HtmlElement) -> None:
    paragraphs = select(draft, "#c-general-purpose p.numbered")
    assert text(one(paragraphs[0], "span.term")) == "Service Levels"
    assert text(one(paragraphs[1], "em")) == "Time is of the essence"
    assert text(one(paragraphs[1], "strong")) == "this is bold"


def test_change_marks_become_ins_and_del(options: RenderOptions) -> None:
    document = one_clause_document(
        Paragraph((Run("kept "), Run("added", change="ins"), Run("removed", change="del", bold=True))),
        Paragraph((Run("a new paragraph"),), number="1.1.2", change="ins"),
        NumberedList((ListItem((Run("gone"),), change="del"),)),
    )
    root = page_of(document, options)
    first, second = select(root, "#c-general-only p")
    assert text(one(first, "ins")) == "added"
    assert one(first, "del > strong").text == "removed"
    assert second.get("class") == "para numbered inserted changed"  # with a change bar beside it
    assert "changed" in first.get("class").split()
    assert text(one(second, "ins")) == "a new paragraph"
    item = one(root, "#c-general-only li")
    assert "deleted" in item.get("class")
    assert text(one(item, "del")) == "gone"
    clause = replace(document.sections[0].clauses[0], change="del")
    changed = replace(document, sections=(replace(document.sections[0], clauses=(clause,)),))
    assert page_of(changed, options).get_element_by_id("c-general-only").get("class") == "clause deleted"


def test_a_broken_user_template_is_a_render_error(tmp_path: Path) -> None:
    (tmp_path / "blocks.html.j2").write_text("{% macro clause(c) %}{{ c.nope.deeper }}{% endmacro %}", encoding="utf-8")
    with pytest.raises(RenderError, match=re.escape("document.html.j2")):
        render(sample_document(), "html", RenderOptions(theme=Theme.load(tmp_path)))


def test_templates_are_sandboxed(tmp_path: Path) -> None:
    (tmp_path / "document.html.j2").write_text("{{ meta.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(RenderError):
        render(sample_document(), "html", RenderOptions(theme=Theme.load(tmp_path)))
