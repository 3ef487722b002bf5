"""The Typst PDF engine: read its PDF back and check what a reader, a screen reader or a court would see.

Text comes back through pypdf, the structure tree and the marked content
through pikepdf (with a small ToUnicode reader, so that text can be told apart
as content or artifact), conformance through page-validation (PDF/UA-1 and
PDF/A).  The hostile corpus goes into every kind of text the tree carries and
must come out literally, without Typst reading any of it as markup or code.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import page
import pikepdf
import pytest
import typst
from pypdf import PdfReader
from sample_document import meta, sample_document
from shared import pdf_pages

from slaforge.build import BuildOptions, document_for
from slaforge.document import (
    BulletList,
    Chart,
    ChartSeries,
    Clause,
    Definition,
    DefinitionList,
    Document,
    ListItem,
    NumberedList,
    Paragraph,
    PartyLine,
    Run,
    Section,
    Signatory,
    SignatureBlock,
    Table,
    anchor,
)
from slaforge.errors import RenderError, UsageError
from slaforge.renderers import PDF_VARIANTS, RenderOptions, render
from slaforge.renderers.theme import Theme
from slaforge.renderers.typst.escape import string
from slaforge.renderers.typst.markup import write
from slaforge.spec import load_spec
from slaforge.writers import theme_for

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
TYPST = RenderOptions(theme=Theme.load(), pdf_engine="typst")

HOSTILE = (
    '#read("/etc/passwd")',
    '#import "@preview/cetz:0.3.4": *',
    "$x^2 + y$ and $ sum $",
    "<label> and @ref and @c-general",
    "\\u{41} is not A; \\\\ two backslashes; a \\ lone one",
    "*not bold* _not emphasised_ `not code` ```raw```",
    "// not a comment /* nor this */",
    '#set page(width: 1cm) #panic("boom") #{ 1 + 1 }',
    "[bracketed] ]unbalanced[ {braces}",
    '"quoted" and \u2018curly\u2019 and it\'s',
    "~ non-breaking? -- --- ... and a - dash",
    "#let x = 1; #x #sys.inputs",
)
HOSTILE_HEADING = "= not a heading"


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(text.split()) for text in pdf_pages(pdf))


@pytest.fixture(scope="module")
def long_document() -> Document:
    return sample_document("draft", clauses_per_section=12, table_rows=60)


@pytest.fixture(scope="module")
def draft_pdf(long_document: Document) -> bytes:
    return render(long_document, "pdf", TYPST)


@pytest.fixture(scope="module")
def draft(draft_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(draft_pdf))


@pytest.fixture(scope="module")
def final_pdf() -> bytes:
    return render(sample_document("final"), "pdf", TYPST)


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(text.split()) for text in pdf_pages(reader)]


# ------------------------------------------------------------------ escaping


@pytest.mark.parametrize("text", [*HOSTILE, HOSTILE_HEADING, "line\nbreak\ttab\r\u2028sep\x00nul\x1b[0m"])
def test_a_string_literal_stands_for_exactly_its_text(tmp_path: Path, text: str) -> None:
    """Typst itself evaluates the literal: it must give back the very text, whatever it holds."""
    main = tmp_path / "main.typ"
    main.write_text("", encoding="utf-8")
    got = typst.eval(str(main), f"{string(text)}.codepoints().map(c => str.to-unicode(c))", format="json")
    assert [chr(c) for c in __import__("json").loads(got)] == list(text)


def hostile_document() -> Document:
    """Every kind of text in the tree, each carrying markup that Typst would act on if it read it."""

    def runs(text: str) -> tuple[Run, ...]:
        return (Run(text),)

    lines = [*HOSTILE, HOSTILE_HEADING]
    blocks = (
        *(Paragraph(runs(line)) for line in lines),
        Paragraph(runs(HOSTILE_HEADING), number="1.1.1"),
        Paragraph((Run(HOSTILE[0], bold=True), Run(" "), Run(HOSTILE[2], italic=True), Run(" "), Run(HOSTILE[3]))),
        NumberedList((ListItem(runs(HOSTILE[4]), children=(ListItem(runs(HOSTILE[5])),)),)),
        BulletList((ListItem(runs(HOSTILE[6])),)),
        Table(
            header=(runs(HOSTILE[7]), runs(HOSTILE[8])),
            rows=((runs(HOSTILE[9]), runs(HOSTILE[10])),),
            caption=HOSTILE[11],
        ),
        DefinitionList((Definition(HOSTILE[1], runs(HOSTILE[0])),)),
        SignatureBlock((Signatory(HOSTILE[8], HOSTILE[2], HOSTILE[3], HOSTILE[4]),)),
    )
    clause = Clause("hostile.clause", "1.1", HOSTILE[7], blocks)
    base = meta("draft", title=HOSTILE[0])
    hostile_meta = replace(
        base,
        agreement_id=HOSTILE[3],
        subtitle=HOSTILE[2],
        classification=HOSTILE[6],
        parties=(PartyLine("Provider", HOSTILE[5], HOSTILE[4]), PartyLine(HOSTILE[1], HOSTILE[9], None)),
    )
    return Document(meta=hostile_meta, sections=(Section("hostile", "1", HOSTILE[11], (clause,)),))


@pytest.fixture(scope="module")
def hostile_pdf() -> bytes:
    return render(hostile_document(), "pdf", TYPST)


def test_hostile_text_is_printed_literally(hostile_pdf: bytes) -> None:
    text = text_of(hostile_pdf)
    for line in (*HOSTILE, HOSTILE_HEADING):
        assert " ".join(line.split()) in text, line
    assert "root:x:0" not in text and "boom" not in text.replace('#panic("boom")', "")


def test_hostile_text_never_reaches_the_source_outside_string_literals() -> None:
    source = write(hostile_document()).text
    outside = re.sub(r'"(?:[^"\\]|\\.)*"', '""', source)  # the source with every string literal emptied
    for line in HOSTILE:
        for word in ("passwd", "cetz", "panic", "sys.inputs"):
            if word in line:
                assert word not in outside


def test_the_bookmarks_and_the_title_are_the_hostile_text(hostile_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(hostile_pdf))
    assert reader.metadata is not None and reader.metadata.title == HOSTILE[0]
    titles = [entry.title for entry in flatten(reader.outline)]
    assert titles == ["Contents", f"1 {HOSTILE[11]}", f"1.1 {HOSTILE[7]}"]


def flatten(outline: list) -> Iterator:
    for entry in outline:
        if isinstance(entry, list):
            yield from flatten(entry)
        else:
            yield entry


# ------------------------------------------------------------------ what Typst may read


def user_theme(tmp_path: Path, body: str) -> Theme:
    folder = tmp_path / "theme"
    (folder / "typst").mkdir(parents=True)
    builtin = (ROOT / "templates" / "default" / "typst" / "agreement.typ").read_text(encoding="utf-8")
    (folder / "typst" / "agreement.typ").write_text(builtin + "\n" + body, encoding="utf-8")
    return Theme.load(folder)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ('#let probe = read("/etc/passwd")', "file not found"),
        ('#let probe = read("../../../../../../etc/passwd")', "escape the project root"),
        ('#let probe = read("' + str(ROOT / "README.md") + '")', "file not found"),
        ('#let probe = image("/fonts/Caladea-Regular.ttf")', "file not found"),
    ],
)
def test_a_theme_reads_nothing_outside_its_stage(tmp_path: Path, code: str, error: str) -> None:
    theme = user_theme(tmp_path, code)
    with pytest.raises(RenderError, match=error):
        render(sample_document("final"), "pdf", replace(TYPST, theme=theme))


def test_a_theme_may_not_import_a_package(tmp_path: Path) -> None:
    theme = user_theme(tmp_path, '#import "@preview/cetz:0.3.4": canvas')
    with pytest.raises(RenderError, match=r"uses a package .*@preview/"):
        render(sample_document("final"), "pdf", replace(TYPST, theme=theme))


def test_a_link_out_of_the_theme_folder_is_refused(tmp_path: Path) -> None:
    theme = user_theme(tmp_path, "")
    (tmp_path / "secret.typ").write_text("#let secret = 1\n", encoding="utf-8")
    (tmp_path / "theme" / "typst" / "secret.typ").symlink_to(tmp_path / "secret.typ")
    with pytest.raises(RenderError, match="leads outside its theme folder"):
        render(sample_document("final"), "pdf", replace(TYPST, theme=theme))


def test_a_user_theme_file_replaces_the_builtin_and_its_errors_name_the_line(tmp_path: Path) -> None:
    theme = user_theme(tmp_path, "#let broken = (1 +)\n")
    with pytest.raises(RenderError, match=r"at agreement\.typ:\d+:\d+"):
        render(sample_document("final"), "pdf", replace(TYPST, theme=theme))


def test_a_logo_is_drawn_only_from_the_asset_folder(tmp_path: Path) -> None:
    from test_render_html import png

    logo = png(tmp_path / "logo.png")
    document = sample_document("final")
    document = replace(document, meta=replace(document.meta, logo=str(logo)))
    themed = replace(TYPST, theme=Theme.load(asset_folders=(tmp_path,)))
    pdf = pikepdf.open(io.BytesIO(render(document, "pdf", themed)))
    figures = [e for e in structure(pdf) if e[0] == "/Figure"]
    assert figures and figures[0][2] == "Northwind Networks Ltd", "the logo with its alternative text"
    with pytest.raises(RenderError, match="outside the theme and asset folders"):
        render(document, "pdf", TYPST)


def test_unknown_engine_and_missing_compiler() -> None:
    with pytest.raises(UsageError, match="unknown PDF engine 'prince'"):
        render(sample_document(), "pdf", replace(TYPST, pdf_engine="prince"))
    script = (
        "import sys; sys.modules['typst'] = None; sys.path.insert(0, sys.argv[1]);"
        "from sample_document import sample_document; from slaforge.errors import RenderError;"
        "from slaforge.renderers import RenderOptions, render; from slaforge.renderers.theme import Theme\n"
        "try: render(sample_document(), 'pdf', RenderOptions(theme=Theme.load(), pdf_engine='typst'))\n"
        "except RenderError as e: print(e.message)"
    )
    result = subprocess.run([sys.executable, "-c", script, str(TESTS)], capture_output=True, text=True, check=True)
    assert "the typst engine needs `pip install slaforge[typst]`" in result.stdout


# ------------------------------------------------------------------ the pages


def test_cover_then_contents_then_numbered_body(draft: PdfReader) -> None:
    cover, contents, first, *_ = page_texts(draft)
    assert "Managed Network Service Level Agreement" in cover
    assert "Northwind Networks Ltd 12 Harbour Road, Bristol BS1 4RN (the “Provider”)" in cover
    assert "Effective date 1 March 2027" in cover and "Status Draft" in cover
    # letter-spaced words (tracking) come back from pypdf with a space between letters: Typst places
    # every glyph of tracked text on its own, where WeasyPrint sets a character spacing
    squeezed = "".join(cover.split())
    assert "COMMERCIALINCONFIDENCEDRAFTSubjecttocontract·notforsignatureSERVICELEVELAGREEMENT" in squeezed
    assert "CONTENTS" in "".join(contents.split())
    for line in ("1 GENERAL", "1.1 Purpose", "1.1.1 This Agreement sets out", "1.1.2 Service credits are payable"):
        assert line in first
    assert "(a) the Provider operates the network;" in first
    assert "(i) by telephone; or (ii) through the portal." in first


def test_running_header_and_page_numbers_except_on_the_cover(draft: PdfReader) -> None:
    texts = page_texts(draft)
    total = len(texts)
    assert total >= 6
    assert "NW-SLA-001 · version 1.2" not in texts[0] and "Page 1 of" not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert "NW-SLA-001 · version 1.2" in text
        assert f"Page {number} of {total}" in text


def outline_rows(reader: PdfReader) -> list[tuple[str, int]]:
    return [(e.title, reader.get_destination_page_number(e) + 1) for e in flatten(reader.outline)]


def test_contents_and_outline_give_the_page_of_each_heading(long_document: Document, draft: PdfReader) -> None:
    rows = outline_rows(draft)
    assert rows[0] == ("Contents", 2)
    assert [title for title, _ in rows[1:]] == [f"{n} {t}" for _, n, t, _ in long_document.outline()]
    texts = page_texts(draft)
    for title, page_number in rows[1:]:
        number, name = title.split(" ", 1)
        assert re.search(rf"{re.escape(number)} {re.escape(name)}", texts[page_number - 1], re.IGNORECASE), title
    contents = pdf_pages(draft)[1]
    listed = re.findall(r"^(\d+(?:\.\d+)*) (.+?) (\d+)$", contents, flags=re.MULTILINE)
    assert [(f"{n} {t}", int(p)) for n, t, p in listed] == rows[1:]
    assert len({p for _, p in rows[1:]}) >= 3, "the headings should be spread over several pages"


def test_long_table_repeats_its_header_row_on_every_page(draft: PdfReader) -> None:
    pages = [text for text in page_texts(draft) if re.search(r"below 9\d\.\d%", text)]
    assert len(pages) >= 2, "the 60-row table should run over a page break"
    for text in pages:
        assert "Band Monthly availability Service credit" in text
    rows = re.findall(r"\b(\d+) below 9\d\.\d% \d+% of the fee", " ".join(pages))
    assert [int(row) for row in rows] == list(range(1, 61)), "every row once, none split or lost"


def test_signature_blocks_on_one_page_of_their_own(draft: PdfReader) -> None:
    (text,) = [t for t in page_texts(draft) if "Signed for and on behalf of" in t]
    assert text.count("Signed for and on behalf of") == 2
    assert "Priya Raman" in text and "Head of Service Management" in text
    heading = "Service credits and execution"
    assert "Service credits" not in text.replace(heading, ""), "the signing section starts a page"


def test_draft_marks_only_while_draft(draft: PdfReader, final_pdf: bytes) -> None:
    assert all("DRAFT" in text for text in page_texts(draft))
    final = page_texts(PdfReader(io.BytesIO(final_pdf)))
    assert not any("DRAFT" in text or "Subject to contract" in text for text in final)


def test_fonts_are_the_theme_fonts_subset_and_embedded(draft: PdfReader) -> None:
    fonts = set()
    for pdf_page in draft.pages:
        for font in pdf_page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            fonts.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert fonts == {"Caladea-Regular", "Caladea-Bold", "Caladea-Italic"}, fonts


# ------------------------------------------------------------------ the file


def test_metadata_and_dates_come_from_the_document(draft: PdfReader, final_pdf: bytes) -> None:
    info = draft.metadata
    assert info is not None
    assert info.title == "Managed Network Service Level Agreement"
    assert info.author == "Northwind Networks Ltd"
    assert info.subject == "Service level agreement for the managed WAN service"
    assert info["/Keywords"] == "SLA, managed network, availability"
    stamp = datetime.fromtimestamp(1_800_000_000, UTC).strftime("D:%Y%m%d%H%M%S")
    assert str(info["/CreationDate"]).startswith(stamp)
    later = sample_document("final")
    later = replace(later, meta=replace(later.meta, timestamp=1_900_000_000))
    again = PdfReader(io.BytesIO(render(later, "pdf", TYPST)))
    assert str(again.metadata["/CreationDate"]).startswith("D:20300317174640")
    first = PdfReader(io.BytesIO(final_pdf)).trailer["/ID"]
    assert again.trailer["/ID"][1] != first[1], "another document, another instance identifier"


def test_two_renders_give_the_same_bytes(long_document: Document, draft_pdf: bytes) -> None:
    assert render(long_document, "pdf", TYPST) == draft_pdf


def test_same_bytes_in_another_process_time_zone_hash_seed_and_folder(tmp_path: Path) -> None:
    out = tmp_path / "again.pdf"
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from sample_document import sample_document;"
        "from slaforge.renderers import RenderOptions, render; from slaforge.renderers.theme import Theme;"
        "options = RenderOptions(theme=Theme.load(), pdf_engine='typst');"
        "Path(sys.argv[2]).write_bytes(render(sample_document(), 'pdf', options))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Pacific/Chatham", "TMPDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", script, str(TESTS), str(out)], check=True, env=env, cwd=tmp_path)
    assert out.read_bytes() == render(sample_document(), "pdf", TYPST)


def test_source_date_epoch_is_the_file_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    options = BuildOptions()
    _, document = document_for(load_spec(ROOT / "samples" / "internal-service-desk.yaml"), options)
    pdf = render(document, "pdf", RenderOptions(theme=theme_for(document, options.theme_dir), pdf_engine="typst"))
    reader = PdfReader(io.BytesIO(pdf))
    assert str(reader.metadata["/CreationDate"]).startswith("D:20231114221320")


# ------------------------------------------------------------------ accessibility


def validate(pdf: bytes, profile: str, tmp_path: Path) -> list[tuple[str, str]]:
    path = tmp_path / f"{profile}.pdf"
    path.write_bytes(pdf)
    result = page.validate_pdf(str(path), profile=profile)
    return [(f.rule_id, f.message) for f in result.failures] if not result.is_compliant else []


def test_pdf_ua_1_by_the_checker(draft_pdf: bytes, hostile_pdf: bytes, tmp_path: Path) -> None:
    assert validate(draft_pdf, "ua1", tmp_path) == []
    assert validate(hostile_pdf, "ua1", tmp_path) == []


@pytest.mark.parametrize("variant", [v for v in PDF_VARIANTS if v.startswith("pdf/a-")])
def test_archival_variants_are_pdf_a_and_pdf_ua_at_once(variant: str, tmp_path: Path) -> None:
    pdf = render(sample_document("final"), "pdf", replace(TYPST, pdf_variant=variant))
    assert validate(pdf, variant.removeprefix("pdf/a-").replace("-", ""), tmp_path) == []
    assert validate(pdf, "ua1", tmp_path) == []
    xmp = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data()
    assert f"<pdfaid:part>{variant[6]}</pdfaid:part>".encode() in xmp or f'pdfaid:part="{variant[6]}"'.encode() in xmp


def structure(pdf: pikepdf.Pdf) -> list[tuple[str, str, str, object]]:
    """(type, /T, /Alt, element) for every structure element, in reading order."""
    found: list[tuple[str, str, str, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append((str(node.S), str(node.get("/T", "")), str(node.get("/Alt", "")), node))
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


@pytest.fixture(scope="module")
def draft_file(draft_pdf: bytes) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(io.BytesIO(draft_pdf)) as pdf:
        yield pdf


@pytest.fixture(scope="module")
def tree(draft_file: pikepdf.Pdf) -> list[tuple[str, str, str, object]]:
    return structure(draft_file)


def test_document_title_language_and_tagging(draft_pdf: bytes) -> None:
    pdf = pikepdf.open(io.BytesIO(draft_pdf))
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "en"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with pdf.open_metadata() as xmp:
        assert xmp["dc:title"] == "Managed Network Service Level Agreement"
        assert xmp["pdfuaid:part"] == "1"


def test_headings_are_real_headings_in_order(long_document: Document, tree: list) -> None:
    headings = [(kind, title) for kind, title, _, _ in tree if re.fullmatch(r"/H\d", kind)]
    expected = [("/H1", long_document.meta.title), ("/H2", "Contents")]
    expected += [(f"/H{level + 1}", title) for level, _, title, _ in long_document.outline()]
    assert headings == expected


def test_cross_references_and_defined_terms_are_links_to_their_target(
    draft_file: pikepdf.Pdf, draft: PdfReader, tree: list
) -> None:
    pdf = draft_file
    links = [element for kind, _, _, element in tree if kind == "/Link"]
    annotations = [k.Obj for link in links for k in _kids(link) if isinstance(k, pikepdf.Dictionary) and "/Obj" in k]
    assert all(a.Subtype == "/Link" and str(a.Contents) for a in annotations), "every link says where it leads"
    named = {str(a.Dest): str(a.Contents) for a in annotations if isinstance(a.get("/Dest"), pikepdf.String)}
    assert anchor("penalties.credits") in set(_named_destinations(pdf))
    assert named[anchor("penalties.credits")] == "Clause 2.1"
    # "Service Levels" in 1.1.1 uses the defined term: it leads to the page of its definition
    (definitions_page,) = [i for i, text in enumerate(page_texts(draft)) if "Service Level a measurable target" in text]
    body_page = pdf.pages[2]
    to_pages = [
        pdf.pages.index(pikepdf.Page(a.Dest[0])) for a in body_page.Annots if isinstance(a.get("/Dest"), pikepdf.Array)
    ]
    assert definitions_page in to_pages


def _kids(node: pikepdf.Dictionary) -> list:
    kids = node.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _named_destinations(pdf: pikepdf.Pdf) -> Iterator[str]:
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    stack = [dests] if dests is not None else []
    while stack:
        node = stack.pop()
        if "/Names" in node:
            yield from (str(node.Names[i]) for i in range(0, len(node.Names), 2))
        for kid in node.get("/Kids", []):
            stack.append(kid)


def test_lists_tables_and_definitions_carry_their_structure(tree: list) -> None:
    kinds = [kind for kind, *_ in tree]
    for required in ("/L", "/LI", "/Lbl", "/LBody", "/Table", "/THead", "/TH", "/TBody", "/TD", "/Caption", "/TOC"):
        assert required in kinds, required
    header_cells = [element for kind, _, _, element in tree if kind == "/TH"]
    assert all("/Column" in str(cell.get("/A")) for cell in header_cells), "header cells head their columns"


def test_running_header_footer_and_watermark_are_artifacts(draft_pdf: bytes, long_document: Document) -> None:
    pdf = pikepdf.open(io.BytesIO(draft_pdf))
    for number, pdf_page in enumerate(pdf.pages[1:], start=2):
        content, artifacts = marked_text(pdf_page)
        assert "NW-SLA-001 · version 1.2" in artifacts and f"Page {number} of" in artifacts
        assert "DRAFT" in artifacts
        assert "NW-SLA-001" not in content and "Page " not in content
        assert long_document.meta.title not in content
    content, _ = marked_text(pdf.pages[2])
    assert "This Agreement sets out the Service Levels" in content


def marked_text(pdf_page: pikepdf.Page) -> tuple[str, str]:
    """The page's text inside tagged marked content, and inside artifacts (read through ToUnicode)."""
    maps = {str(name): _to_unicode(font) for name, font in pdf_page.Resources.Font.items()}
    content: list[str] = []
    artifacts: list[str] = []
    stack: list[bool] = []  # True: inside an artifact
    font: dict[int, str] = {}
    for operands, operator in pikepdf.parse_content_stream(pdf_page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            stack.append(str(operands[0]) == "/Artifact" or bool(stack and stack[-1]))
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            font = maps[str(operands[0])]
        elif op in ("Tj", "TJ"):
            strings = operands[0] if op == "TJ" else [operands[0]]
            chunk = ""
            for item in strings:
                if isinstance(item, pikepdf.String):
                    raw = bytes(item)
                    chunk += "".join(font.get(int.from_bytes(raw[i : i + 2]), "") for i in range(0, len(raw), 2))
                elif float(item) < -200:  # a gap as wide as a space
                    chunk += " "
            (artifacts if stack and stack[-1] else content).append(chunk)
    return " ".join(" ".join(content).split()), " ".join(" ".join(artifacts).split())


def _to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, flags=re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(value).decode("utf-16-be")
    return mapping


def chart_document() -> Document:
    chart = Chart(
        caption="Availability per month",
        description="Availability was 99.95% in January and 99.2% in February, against a target of 99.9%.",
        categories=("Jan", "Feb"),
        series=(ChartSeries("Managed WAN <svg> & co", (99.95, 99.2), target=99.9),),
    )
    clause = Clause("report.chart", "1.1", "Trend", (Paragraph((Run("The trend:"),)), chart))
    return Document(meta=meta("final"), sections=(Section("report", "1", "Report", (clause,)),))


def test_a_chart_is_a_figure_with_its_text_alternative(tmp_path: Path) -> None:
    pdf = render(chart_document(), "pdf", TYPST)
    figures = [(kind, alt) for kind, _, alt, _ in structure(pikepdf.open(io.BytesIO(pdf))) if kind == "/Figure"]
    assert figures == [("/Figure", chart_document().sections[0].clauses[0].blocks[1].description)]
    assert "Availability per month" in text_of(pdf)
    assert validate(pdf, "ua1", tmp_path) == []


def test_a_redline_keeps_its_marks_outline_and_conformance(tmp_path: Path) -> None:
    from test_redline import structural

    from slaforge.diff.redline import redline

    document = redline(structural())
    typeset = render(document, "pdf", TYPST)
    text = text_of(typeset)
    moved = [c for c in document.clauses() if c.moved_from]
    assert moved and all(f"Moved from clause {c.moved_from}" in text for c in moved)
    assert all(f"Moved to clause {c.moved_to}" in text for c in document.clauses() if c.moved_to)
    titles = [e.title for e in flatten(PdfReader(io.BytesIO(typeset)).outline)]
    # the bookmarks the WeasyPrint redline has: each heading's number and (new) title
    assert titles == ["Contents", *(f"{n} {t}".strip() for _, n, t, _ in document.outline())]
    assert validate(typeset, "ua1", tmp_path) == []


def test_typst_is_imported_only_when_a_typst_pdf_is_rendered() -> None:
    script = "import sys, slaforge.cli, slaforge.renderers.typst; print('typst' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_each_label_is_written_once_and_links_only_to_labels_that_exist() -> None:
    """A redline shows a moved clause twice; a reference may name a clause this document does not hold."""
    refs = Paragraph((Run("see "), Run("clause 1.2", xref="moved"), Run(" and "), Run("clause 9.9", xref="gone")))
    terms = DefinitionList((Definition("Term", (Run("once"),)), Definition("Term", (Run("twice"),))))
    clauses = (
        Clause("moved", "1.1", "Moved away", (Paragraph((Run("old place"),)),), change="del", moved_to="1.2"),
        Clause("intro", "1.2", "Refers", (refs, terms, Paragraph((Run("uses a Term", term="Term"),)))),
        Clause("moved", "1.3", "Moved here", (Paragraph((Run("new place"),)),), change="ins", moved_from="1.1"),
    )
    document = Document(meta=meta("final"), sections=(Section("s", "1", "Section", clauses),))
    source = write(document).text
    assert source.count('id: "c-moved"') == 1 and source.count('id: "d-term"') == 1
    assert 'xref: "c-moved"' in source and "gone" not in source.replace('"clause 9.9"', "")
    reader = PdfReader(io.BytesIO(render(document, "pdf", TYPST)))
    text = " ".join(page_texts(reader))
    assert "see clause 1.2 and clause 9.9" in text and "Moved from clause 1.1" in text
    assert "Moved to clause 1.2" in text


# ------------------------------------------------------------------ the command line


def creator(pdf: Path) -> str:
    return str(PdfReader(pdf).metadata["/Creator"]).split()[0]


def invoke(*args: object) -> object:
    from typer.testing import CliRunner

    from slaforge.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_every_command_that_writes_pdf_takes_the_engine(tmp_path: Path) -> None:
    measured = ROOT / "samples" / "measurements"
    versions = ROOT / "samples" / "versions"
    commands = {
        "build": ("build", ROOT / "samples" / "saas-platform.yaml", "-f", "pdf", "-o", tmp_path / "build"),
        "offers": ("offers", ROOT / "samples" / "offers" / "tiered-offer.yaml", "-f", "pdf", "-o", tmp_path / "offers"),
        "report": ("report", measured / "agreement.yaml", "--data", measured, "-f", "pdf", "-o", tmp_path / "report"),
        "diff": ("diff", versions / "v1.yaml", versions / "v2.yaml", "--format", "pdf", "-o", f"{tmp_path / 'diff'}/"),
    }
    for name, args in commands.items():
        result = invoke(*args, "--pdf-engine", "typst")
        assert result.exit_code == 0, (name, result.output)  # type: ignore[attr-defined]
        written = sorted((tmp_path / name).rglob("*.pdf"))
        assert written and {creator(p) for p in written} == {"Typst"}, name


def test_an_unknown_engine_is_a_usage_error_and_nothing_is_written(tmp_path: Path) -> None:
    result = invoke("build", ROOT / "samples" / "saas-platform.yaml", "-o", tmp_path, "--pdf-engine", "prince")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "unknown PDF engine 'prince': expected one of weasyprint, typst" in result.output  # type: ignore[attr-defined]
    assert not any(tmp_path.iterdir())


def test_a_missing_compiler_stops_the_command_before_any_work(tmp_path: Path) -> None:
    script = "import sys; sys.modules['typst'] = None; from slaforge.cli import main; sys.argv[0] = 'slaforge'; main()"
    spec = ROOT / "samples" / "saas-platform.yaml"
    command = [sys.executable, "-c", script, "build", str(spec), "-o", str(tmp_path), "--pdf-engine", "typst"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "the typst engine needs `pip install slaforge[typst]`" in result.stderr
    assert "Traceback" not in result.stderr and not any(tmp_path.iterdir())
