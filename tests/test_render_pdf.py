"""The PDF renderer: read the PDF back with pypdf and check what a reader (or a court) would see.

Text, outline, metadata, page count, the catalog's tagging entries, and the
bytes themselves (determinism) are all read from the rendered file.
"""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
from page import validate_pdf
from pypdf import PdfReader
from pypdf.generic import Destination
from sample_document import sample_document
from shared import pdf_pages

from slaforge.document import Document
from slaforge.errors import RenderError
from slaforge.renderers import PDF_VARIANTS, RenderOptions, render
from slaforge.renderers.pdf import FONTTOOLS_FALLBACK, ThemeResources, held_back_log, weasyprint_variant
from slaforge.renderers.theme import Theme

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def options() -> RenderOptions:
    return RenderOptions(theme=Theme.load())


@pytest.fixture(scope="module")
def long_document() -> Document:
    """Enough clauses for several pages, and a 60-row table that must run over a page break."""
    return sample_document("draft", clauses_per_section=12, table_rows=60)


@pytest.fixture(scope="module")
def draft_render(long_document: Document, options: RenderOptions) -> tuple[bytes, list[logging.LogRecord]]:
    """The long draft rendered once, and every log record the render emitted, at any level."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        pdf = render(long_document, "pdf", options)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    return pdf, records


@pytest.fixture(scope="module")
def draft_pdf(draft_render: tuple[bytes, list[logging.LogRecord]]) -> bytes:
    return draft_render[0]


@pytest.fixture(scope="module")
def plain_pdf(options: RenderOptions) -> bytes:
    """``sample_document()`` as it comes, with the built-in theme."""
    return render(sample_document(), "pdf", options)


@pytest.fixture(scope="module")
def draft(draft_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(draft_pdf))


@pytest.fixture(scope="module")
def final(options: RenderOptions) -> PdfReader:
    return PdfReader(io.BytesIO(render(sample_document("final"), "pdf", options)))


def page_texts(reader: PdfReader) -> list[str]:
    """Each page's text with runs of white space made single spaces (justified lines space words widely)."""
    return [" ".join(text.split()) for text in pdf_pages(reader)]


def outline_rows(reader: PdfReader, items: list | None = None, level: int = 1) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every bookmark, in order."""
    rows: list[tuple[int, str, int]] = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            rows.extend(outline_rows(reader, item, level + 1))
        else:
            assert isinstance(item, Destination)
            rows.append((level, item.title, reader.get_destination_page_number(item) + 1))
    return rows


# ------------------------------------------------------------------ content


def test_markup_in_user_text_is_printed_literally(draft: PdfReader) -> None:
    assert '<b>not bold</b> & "quoted".' in " ".join(page_texts(draft))


def test_cover_then_contents_then_numbered_body(draft: PdfReader) -> None:
    cover, contents, first, *_ = page_texts(draft)
    assert "Managed Network Service Level Agreement" in cover
    assert "Northwind Networks Ltd 12 Harbour Road, Bristol BS1 4RN (the “Provider”)" in cover
    assert "Effective date 1 March 2027" in cover
    assert contents.startswith("DRAFT CONTENTS 1 General")
    for line in ("1 GENERAL", "1.1 Purpose", "1.1.1 This Agreement sets out", "1.1.2 Service credits are payable"):
        assert line in first
    assert "(a) the Provider operates the network;" in first
    assert "(i) by telephone; or (ii) through the portal." in first


def test_running_header_and_page_numbers_except_on_the_cover(draft: PdfReader) -> None:
    texts = page_texts(draft)
    total = len(texts)
    assert total >= 6
    assert "NW-SLA-001 · version 1.2" not in texts[0]
    assert "Page 1 of" not in texts[0]
    for number, page_text in enumerate(texts[1:], start=2):
        assert "NW-SLA-001 · version 1.2" in page_text
        assert f"Page {number} of {total}" in page_text


def test_contents_give_the_page_each_heading_is_on(long_document: Document, draft: PdfReader) -> None:
    contents = pdf_pages(draft)[1]
    listed = re.findall(r"^(\d+(?:\.\d+)*) (.+?) (\d+)$", contents, flags=re.MULTILINE)
    bookmarks = outline_rows(draft)[1:]  # after "Contents"
    assert [(number, title) for number, title, _ in listed] == [
        (number, title) for _, number, title, _ in long_document.outline()
    ]
    assert [int(page) for *_, page in listed] == [page for *_, page in bookmarks]
    assert len({page for *_, page in listed}) >= 3, "the headings should be spread over several pages"


def test_outline_follows_the_headings(long_document: Document, draft: PdfReader) -> None:
    rows = outline_rows(draft)
    assert rows[0] == (1, "Contents", 2)
    assert [(level, title) for level, title, _ in rows[1:]] == [
        (level, f"{number} {title}") for level, number, title, _ in long_document.outline()
    ]
    pages = [page for *_, page in rows]
    assert pages == sorted(pages)
    texts = page_texts(draft)
    for level, title, page in rows[1:]:
        shown = title.upper() if level == 1 else title
        assert shown in texts[page - 1], f"{title!r} is not on page {page}"


def test_long_table_repeats_its_header_row_on_every_page(draft: PdfReader) -> None:
    pages = [text for text in page_texts(draft) if re.search(r"below 9\d\.\d%", text)]
    assert len(pages) >= 2, "the 60-row table should run over a page break"
    for text in pages:
        assert "Band Monthly availability Service credit" in text
    rows = re.findall(r"\b(\d+) below 9\d\.\d% \d+% of the fee", " ".join(pages))
    assert [int(row) for row in rows] == list(range(1, 61)), "every row once, none split or lost"


def test_signature_block_stays_on_one_page(draft: PdfReader) -> None:
    (page,) = [text for text in page_texts(draft) if "Signed for and on behalf of" in text]
    assert page.count("Signed for and on behalf of") == 2
    assert "Priya Raman" in page and "Head of Service Management" in page


# -------------------------------------------------------------- draft marks


def test_draft_watermark_on_every_page_only_while_draft(draft: PdfReader, final: PdfReader) -> None:
    assert all("DRAFT" in text for text in page_texts(draft))
    assert "Subject to contract" in page_texts(draft)[0]
    assert not any("DRAFT" in text or "Subject to contract" in text for text in page_texts(final))


# ------------------------------------------------------------------- the file


def test_metadata(draft: PdfReader) -> None:
    info = draft.metadata
    assert info is not None
    assert info.title == "Managed Network Service Level Agreement"
    assert info.author == "Northwind Networks Ltd"
    assert info.subject == "Service level agreement for the managed WAN service"
    assert info["/Keywords"] == "SLA, managed network, availability"
    stamp = datetime.fromtimestamp(1_800_000_000, UTC).strftime("D:%Y%m%d%H%M%SZ")
    assert info["/CreationDate"] == info["/ModDate"] == stamp


def test_pdf_is_tagged_and_in_a_language(draft: PdfReader) -> None:
    catalog = draft.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    tree = catalog["/StructTreeRoot"].get_object()
    assert tree["/K"][0].get_object()["/S"] == "/Document"
    assert catalog["/Lang"] == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()


def test_fonts_are_the_bundled_ones_and_embedded(draft: PdfReader) -> None:
    fonts: dict[str, bool] = {}
    for page in draft.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"]).split("+", 1)[1]] = "/FontFile2" in descriptor or "/FontFile3" in descriptor
    assert set(fonts) == {"Caladea", "Caladea-Bold", "Caladea-Italic"}, fonts
    assert all(fonts.values())


def test_embedded_fonts_carry_no_render_time(draft: PdfReader) -> None:
    """fontTools (the subsetter when libharfbuzz-subset is missing) would stamp each subset with the clock."""
    from fontTools.misc.timeTools import timestampSinceEpoch
    from fontTools.ttLib import TTFont

    now = timestampSinceEpoch(time.time())
    stamps = set()
    for page in draft.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            stamps.add(TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))["head"].modified)
    assert stamps
    assert all(abs(now - stamp) > 86_400 for stamp in stamps), stamps


def test_two_renders_give_the_same_bytes(long_document: Document, options: RenderOptions, draft_pdf: bytes) -> None:
    assert render(long_document, "pdf", options) == draft_pdf


def test_same_bytes_in_another_process(tmp_path: Path, plain_pdf: bytes) -> None:
    """Another interpreter, another hash seed: nothing may depend on set or dict ordering."""
    out = tmp_path / "again.pdf"
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from sample_document import sample_document;"
        "from slaforge.renderers import RenderOptions, render; from slaforge.renderers.theme import Theme;"
        "Path(sys.argv[2]).write_bytes(render(sample_document(), 'pdf', RenderOptions(theme=Theme.load())))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(TESTS), str(out)], check=True, env=env)
    assert out.read_bytes() == plain_pdf


def test_dates_and_identifier_come_from_the_document(options: RenderOptions, plain_pdf: bytes) -> None:
    document = sample_document()
    later = replace(document, meta=replace(document.meta, timestamp=1_900_000_000))
    first, second = PdfReader(io.BytesIO(plain_pdf)), PdfReader(io.BytesIO(render(later, "pdf", options)))
    assert first.metadata["/CreationDate"] == "D:20270115080000Z"
    assert second.metadata["/CreationDate"] == second.metadata["/ModDate"] == "D:20300317174640Z"
    assert first.trailer["/ID"][0] != second.trailer["/ID"][0]


@pytest.mark.parametrize("variant", [v for v in PDF_VARIANTS if v.startswith("pdf/a-")])
def test_archival_variants_are_pdf_a_and_pdf_ua_at_once(variant: str, options: RenderOptions, tmp_path: Path) -> None:
    pdf = render(sample_document("final"), "pdf", replace(options, pdf_variant=variant))
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert f'pdfaid:part="{variant[6]}"'.encode() in xmp
    assert f'pdfaid:conformance="{variant[7].upper()}"'.encode() in xmp
    assert b"<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert "/StructTreeRoot" in reader.trailer["/Root"], "archival files are tagged too"
    assert checker(pdf, variant.removeprefix("pdf/a-").replace("-", ""), tmp_path) == []
    assert checker(pdf, "ua1", tmp_path) == []


def test_every_variant_has_a_weasyprint_name() -> None:
    from weasyprint.pdf import VARIANTS

    for variant in PDF_VARIANTS:
        assert weasyprint_variant(variant) in VARIANTS
    with pytest.raises(RenderError, match="pdf/x-4"):
        weasyprint_variant("pdf/x-4")


# ---------------------------------------------------------------- fetching


@pytest.mark.parametrize(
    ("name", "css", "refused"),
    [
        ("style.css", '@import url("file:///etc/passwd");\nbody { color: black }\n', "file:///etc/passwd"),
        ("extra.css", ".cover { background: url(http://example.com/x.png) }\n", "http://example.com/x.png"),
        ("extra.css", '.cover { background: url("https://example.com/x.png") }\n', "https://example.com/x.png"),
    ],
)
def test_fetches_outside_the_theme_are_refused(tmp_path: Path, name: str, css: str, refused: str) -> None:
    (tmp_path / name).write_text(css, encoding="utf-8")
    with pytest.raises(RenderError, match=re.escape(refused)) as caught:
        render(sample_document(), "pdf", RenderOptions(theme=Theme.load(tmp_path)))
    assert "refused to fetch" in caught.value.message


def test_relative_escapes_from_the_theme_are_refused(tmp_path: Path) -> None:
    (tmp_path / "extra.css").write_text('.cover { background: url("../../../../etc/passwd") }', encoding="utf-8")
    with pytest.raises(RenderError, match=re.escape("../../../../etc/passwd")):
        render(sample_document(), "pdf", RenderOptions(theme=Theme.load(tmp_path)))


def test_fetch_policy(tmp_path: Path) -> None:
    root = tmp_path / "theme"
    root.mkdir()
    (root / "ok.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    resources = ThemeResources((root.resolve(),))
    assert resources.path_for((root / "ok.png").as_uri()) == (root / "ok.png").resolve()
    refused = [
        f"{root.as_uri()}/../secret.txt",
        (root / "link.txt").as_uri(),
        "file:///etc/passwd",
        "file://evil.example.com/share/x.png",
        "http://example.com/x.png",
        "ftp://example.com/x.png",
    ]
    for url in refused:
        with pytest.raises(PermissionError, match=re.escape(url)):
            resources.path_for(url)
    assert resources.refused == refused
    with pytest.raises(RenderError, match="refused to fetch"):
        resources.raise_if_refused()


def test_a_logo_in_the_asset_folder_is_drawn(tmp_path: Path) -> None:
    from test_render_html import png

    logo = png(tmp_path / "logo.png")
    document = sample_document("final")
    document = replace(document, meta=replace(document.meta, logo=str(logo)))
    reader = PdfReader(io.BytesIO(render(document, "pdf", RenderOptions(theme=Theme.load(asset_folders=(tmp_path,))))))
    assert reader.pages[0]["/Resources"]["/XObject"]
    with pytest.raises(RenderError, match="outside the theme and asset folders"):
        render(document, "pdf", RenderOptions(theme=Theme.load()))


# ---------------------------------------------------------------- logging


def test_rendering_logs_no_warnings(draft_render: tuple[bytes, list[logging.LogRecord]]) -> None:
    _, records = draft_render  # every record of the long draft's render, caught by a handler on the root logger
    noisy = [f"{r.name}: {r.getMessage()}" for r in records if r.levelno >= logging.WARNING]
    assert noisy == []


def test_a_user_theme_css_problem_is_reported_once_by_slaforge(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "extra.css").write_text(".cover { frobnicate: 1 }\n", encoding="utf-8")
    caplog.set_level(logging.WARNING)
    render(sample_document(), "pdf", RenderOptions(theme=Theme.load(tmp_path)))
    warnings = [(r.name, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    name, message = warnings[0]
    assert name == "slaforge.renderers.pdf"
    assert message.startswith("WeasyPrint: ") and "frobnicate" in message


def test_the_fonttools_note_is_dropped_and_other_records_held_back(caplog: pytest.LogCaptureFixture) -> None:
    library = logging.getLogger("weasyprint")
    caplog.set_level(logging.INFO)
    with held_back_log() as log:
        library.warning('%s for font "Caladea". This will be unsupported ...', FONTTOOLS_FALLBACK)
        library.error("Failed to load image at %r", "x.png")
        library.info("progress is not held back")
    assert [r.getMessage() for r in caplog.records] == ["progress is not held back"]
    log.pass_on()
    assert caplog.records[-1].getMessage() == "WeasyPrint: Failed to load image at 'x.png'"
    assert not any(FONTTOOLS_FALLBACK in r.getMessage() for r in caplog.records)
    library.warning("after the render")
    assert caplog.records[-1].name == "weasyprint", "the filter is removed afterwards"


def test_weasyprint_is_not_imported_by_the_command_line() -> None:
    script = (
        "import sys, slaforge.cli, slaforge.renderers.pdf, slaforge.renderers.html; print('weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_defined_terms_do_not_change_where_lines_break(options: RenderOptions) -> None:
    """A defined term reads as plain text, so the PDF must break its lines exactly as for plain text.

    The wording is the sample agreement's definition of Incident, which once broke after
    "performance," with room to spare on the line (an inline box after text on a line).
    """
    from sample_document import meta

    from slaforge.document import Clause, Definition, DefinitionList, Paragraph, Run, Section

    parts = [
        ("an unplanned interruption to a ", None),
        ("Service", "Service"),
        (", a reduction in its quality or performance, or a failure of a component that has not yet affected a ", None),
        ("Service", "Service"),
        (" but is likely to do so; and, any question or request about a ", None),
        ("Service", "Service"),
        (" that the ", None),
        ("Customer", "Customer"),
        (" reports to the ", None),
        ("Service Desk", "Service Desk"),
        (".", None),
    ]

    def lines(with_terms: bool) -> list[str]:
        runs = tuple(Run(text, term=term if with_terms else None) for text, term in parts)
        blocks = (DefinitionList((Definition("Incident", runs),)), Paragraph(runs, number="1.1.1"))
        clause = Clause("c", "1.1", "Definitions", blocks)
        document = Document(meta=meta("final"), sections=(Section("s", "1", "Definitions", (clause,)),))
        reader = PdfReader(io.BytesIO(render(document, "pdf", options)))
        text = reader.pages[-1].extract_text()
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]

    plain_lines = lines(with_terms=False)
    assert "performance," not in plain_lines
    assert lines(with_terms=True) == plain_lines


# ------------------------------------------------------------------ PDF/UA-1 conformance of the structure tree
# Read with pikepdf, walked here (not with the renderer's code): what a screen reader and a PDF/UA checker see.


@pytest.fixture(scope="module")
def tagged(draft_pdf: bytes) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(io.BytesIO(draft_pdf)) as pdf:
        yield pdf


def _kids(node: pikepdf.Object) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(node: object) -> bool:
    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def _walk(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, tuple[str, ...]]]:
    """Every structure element with the types of its ancestors, in reading order."""
    found: list[tuple[pikepdf.Dictionary, tuple[str, ...]]] = []

    def visit(element: pikepdf.Dictionary, ancestors: tuple[str, ...]) -> None:
        found.append((element, ancestors))
        for kid in _kids(element):
            if _is_element(kid):
                visit(kid, (*ancestors, str(element.S)))

    for kid in _kids(pdf.Root.StructTreeRoot):
        visit(kid, ())
    return found


def _annotation_refs(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    return [k.Obj for k in _kids(element) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]


def _has_content(element: pikepdf.Dictionary) -> bool:
    """Marked content (an MCID) in the element or below it."""
    return any(isinstance(k, int) or (_is_element(k) and _has_content(k)) for k in _kids(element))


def _text(pdf: pikepdf.Pdf, element: pikepdf.Dictionary) -> str:
    """The text of an element's marked content, read from its pages' content streams."""
    wanted: dict[tuple[int, int], int] = {}  # (page object, mcid) -> position

    def collect(node: pikepdf.Dictionary, page: object) -> None:
        page = node.get("/Pg", page)
        for kid in _kids(node):
            if isinstance(kid, int):
                wanted[(page.objgen, int(kid))] = len(wanted)
            elif _is_element(kid):
                collect(kid, page)

    collect(element, None)
    pieces: dict[int, str] = {}
    for pdf_page in pdf.pages:
        if not any(key[0] == pdf_page.objgen for key in wanted):
            continue
        for mcid, text in marked_content(pdf_page).items():
            if (pdf_page.objgen, mcid) in wanted:
                pieces[wanted[(pdf_page.objgen, mcid)]] = text
    return " ".join(" ".join(pieces[i] for i in sorted(pieces)).split())


def marked_content(pdf_page: pikepdf.Page) -> dict[int, str]:
    """MCID -> text of one page (through each font's ToUnicode map)."""
    from test_render_typst import _to_unicode

    maps = {str(name): _to_unicode(font) for name, font in pdf_page.Resources.Font.items()}
    found: dict[int, str] = {}
    stack: list[int | None] = []
    font: dict[int, str] = {}
    for operands, operator in pikepdf.parse_content_stream(pdf_page):
        op = str(operator)
        if op == "BDC":
            properties = operands[1]
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            stack.append(int(mcid) if mcid is not None else (stack[-1] if stack else None))
        elif op == "BMC":
            stack.append(stack[-1] if stack else None)
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            font = maps[str(operands[0])]
        elif op in ("Tj", "TJ") and stack and stack[-1] is not None:
            strings = operands[0] if op == "TJ" else [operands[0]]
            text = "".join(
                font.get(int.from_bytes(bytes(s)[i : i + 2]), "")
                for s in strings
                if isinstance(s, pikepdf.String)
                for i in range(0, len(bytes(s)), 2)
            )
            found[stack[-1]] = found.get(stack[-1], "") + text
    return found


def heading_words(document: Document) -> dict[str, str]:
    """Each section's and clause's anchor (``c-`` and the id, other characters as ``-``) -> "number title"."""

    def name(node_id: str) -> str:
        return "c-" + re.sub(r"[^0-9A-Za-z]", "-", node_id)

    words = {}
    for section in document.sections:
        words[name(section.id)] = f"{section.number} {section.title}"
        words.update({name(c.id): f"{c.number} {c.title}" for c in section.clauses})
    return words


def test_every_link_annotation_is_in_a_link_element_that_says_where_it_goes(
    tagged: pikepdf.Pdf, long_document: Document
) -> None:
    elements = _walk(tagged)
    in_links = {a.objgen for e, _ in elements if e.S == "/Link" for a in _annotation_refs(e)}
    outside = [a for e, _ in elements if e.S != "/Link" for a in _annotation_refs(e) if a.Subtype == "/Link"]
    annotations = [a for p in tagged.pages for a in p.get("/Annots", []) if a.Subtype == "/Link"]
    assert len(annotations) > len(heading_words(long_document)), "the contents and the cross-reference link"
    assert outside == []
    assert [a for a in annotations if a.objgen not in in_links] == []
    words = heading_words(long_document)
    for annotation in annotations:
        assert int(annotation.F) & 4, "link annotations are printed"
        assert str(annotation.Contents) == words[str(annotation.Dest)], "words, not an anchor name"
    links = [e for e, _ in elements if e.S == "/Link"]
    assert all(_has_content(link) for link in links), "every link has text to read"
    cross_references = [link for link in links if _text(tagged, link) == "clause 2.1"]
    assert [str(_annotation_refs(link)[0].Contents) for link in cross_references] == ["2.1 Service credits"]


def test_lists_are_l_li_lbl_lbody_definitions_and_nested_lists_included(
    tagged: pikepdf.Pdf, long_document: Document
) -> None:
    elements = _walk(tagged)
    for element, _ in elements:
        kinds = [str(k.S) for k in _kids(element) if _is_element(k)]
        if element.S == "/L":
            assert set(kinds) <= {"/LI", "/Caption"}, kinds
        elif element.S == "/LI":
            assert kinds and set(kinds) <= {"/Lbl", "/LBody"} and kinds.count("/Lbl") <= 1, kinds
    assert all(ancestors[-1] == "/LI" for e, ancestors in elements if e.S in ("/Lbl", "/LBody"))
    items = [e for e, ancestors in elements if e.S == "/LI"]
    pairs = [
        tuple(_text(tagged, kid) for kid in _kids(item) if _is_element(kid))
        for item in items
        if [str(k.S) for k in _kids(item) if _is_element(k)] == ["/Lbl", "/LBody"]
    ]
    definitions = long_document.sections[0].clauses[1].blocks[0].items
    for definition in definitions:
        meaning = "".join(run.text for run in definition.runs)
        assert (definition.term, meaning) in pairs, "the term is the item's label, its meaning the body"
    assert ("(a)", "the Provider operates the network;") in pairs
    # the nested list (i), (ii) sits in the body of its item (b), as in the HTML
    (nested,) = [
        e
        for e, ancestors in elements
        if e.S == "/L" and ancestors[-3:] == ("/L", "/LI", "/LBody") and "by telephone" in _text(tagged, e)
    ]
    assert _text(tagged, nested) == "(i) by telephone; or (ii) through the portal."
    assert ("(i)", "by telephone; or") in pairs


def test_running_headers_and_footers_are_artifacts(tagged: pikepdf.Pdf, long_document: Document) -> None:
    from test_render_typst import marked_text

    reached = {e.objgen for e, _ in _walk(tagged)}
    total = len(tagged.pages)
    for number, pdf_page in enumerate(tagged.pages[1:], start=2):
        content, artifacts = marked_text(pdf_page)
        running = (
            f"NW-SLA-001 · version 1.2 COMMERCIAL IN CONFIDENCE {long_document.meta.title} Page {number} of {total}"
        )
        assert running in artifacts
        assert "NW-SLA-001" not in content and f"Page {number} of" not in content
    # every element a page's marked content belongs to is in the tree
    for index in range(0, len(tagged.Root.StructTreeRoot.ParentTree.Nums), 2):
        entry = tagged.Root.StructTreeRoot.ParentTree.Nums[index + 1]
        owners = list(entry) if isinstance(entry, pikepdf.Array) else [entry]
        assert all(o.objgen in reached for o in owners if isinstance(o, pikepdf.Dictionary))


def test_table_header_cells_have_a_scope_and_the_catalog_shows_title_and_language(tagged: pikepdf.Pdf) -> None:
    elements = _walk(tagged)
    headers = [(e, ancestors) for e, ancestors in elements if e.S == "/TH"]
    assert len(headers) >= 3
    for header, ancestors in headers:
        assert header.A.Scope == ("/Column" if "/THead" in ancestors else "/Row")
    assert str(tagged.Root.Lang) == "en"
    assert tagged.Root.ViewerPreferences.DisplayDocTitle is True
    with tagged.open_metadata() as xmp:
        assert xmp["dc:title"] == "Managed Network Service Level Agreement"
        assert xmp["pdfuaid:part"] == "1"
    assert int(tagged.Root.StructTreeRoot.ParentTreeNextKey) > max(
        int(tagged.Root.StructTreeRoot.ParentTree.Nums[i])
        for i in range(0, len(tagged.Root.StructTreeRoot.ParentTree.Nums), 2)
    )


def test_qpdfs_checks_find_no_problem(draft_pdf: bytes) -> None:
    # pikepdf's check_pdf_syntax follows qpdf's QPDFJob::doCheck, which is `qpdf --check`, step by step
    with pikepdf.open(io.BytesIO(draft_pdf)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) > 1


def checker(pdf: bytes, profile: str, tmp_path: Path) -> list[tuple[str, str]]:
    """The failed rules of the page-validation checker (a Rust PDF/UA-1 and PDF/A validator) for ``profile``."""
    path = tmp_path / f"checked-{profile}.pdf"
    path.write_bytes(pdf)
    result = validate_pdf(str(path), profile=profile)
    return [] if result.is_compliant else [(f.rule_id, f.message) for f in result.failures]


def test_pdf_ua_1_by_the_checker(draft_pdf: bytes, tmp_path: Path) -> None:
    assert checker(draft_pdf, "ua1", tmp_path) == []


def test_a_long_defined_term_stays_in_its_column(options: RenderOptions) -> None:
    """A term too long for the term column is broken inside it and never runs into its meaning.

    Each piece of the term is measured with the bundled bold face's own advance widths (fontTools),
    not with the renderer, and must end left of where the meaning begins.
    """
    from fontTools.ttLib import TTFont
    from sample_document import meta

    from slaforge.document import Clause, Definition, DefinitionList, Run, Section
    from slaforge.resources import templates_dir

    term = "Telecommunicationsinfrastructureavailabilitymeasurementwindow"
    meaning = "the window in which it is measured."
    blocks = (DefinitionList((Definition(term, (Run(meaning),)),)),)
    clause = Clause("c", "1.1", "Definitions", blocks)
    document = Document(meta=meta("final"), sections=(Section("s", "1", "Definitions", (clause,)),))
    reader = PdfReader(io.BytesIO(render(document, "pdf", options)))
    runs: list[tuple[str, float, float]] = []  # (text, x, font size), in text space

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((text, tm[4], size))

    reader.pages[-1].extract_text(visitor_text=visit)
    pieces = [(text, x, size) for text, x, size in runs if text in term]
    assert "".join(text for text, _, _ in pieces) == term
    assert len(pieces) > 1  # broken: the whole word is wider than the column
    meaning_x = next(x for text, x, _ in runs if text == meaning)
    face = TTFont(templates_dir() / "default" / "fonts" / "Caladea-Bold.ttf")
    advances, cmap, em = face["hmtx"].metrics, face.getBestCmap(), face["head"].unitsPerEm
    for text, x, size in pieces:
        width = sum(advances[cmap[ord(char)]][0] for char in text) * size / em
        assert x + width < meaning_x, text
