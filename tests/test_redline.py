"""The redline: native tracked changes in the DOCX (accept all = new, reject all = old), marks in HTML and PDF."""

from __future__ import annotations

import copy
import io
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from office import Office, convert_to_pdf, dispatch, needs_libreoffice, paragraphs, update_all
from typer.testing import CliRunner
from word_numbers import word_numbers

from slaforge.build import BuildOptions
from slaforge.cli import app
from slaforge.diff.comparison import Comparison, compare
from slaforge.diff.redline import redline
from slaforge.diff.versions import read_version
from slaforge.document import Document, Paragraph, Table, plain
from slaforge.renderers import RenderOptions, render
from slaforge.renderers.theme import Theme
from tests.diff_corpus import BASE, NEW_CLAUSE, ROOT, builtin, dump, front, read, write_clause

V1 = ROOT / "samples" / "versions" / "v1.yaml"
V2 = ROOT / "samples" / "versions" / "v2.yaml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def diff(old: Path, new: Path) -> Comparison:
    return compare(read_version(str(old), BuildOptions()), read_version(str(new), BuildOptions()))


def docx(document: Document) -> bytes:
    return render(document, "docx", RenderOptions(theme=Theme.load(None)))


def docx_redline(comparison: Comparison) -> bytes:
    """The DOCX redline as ``slaforge diff --format docx`` writes it: the tracked body, no summary."""
    return docx(redline(comparison, summary=False))


def body_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


@cache
def structural() -> Comparison:
    """A version with every kind of change: values, a new clause, a deleted clause and a deleted
    section, a clause moved to another section, a reworded clause and a switched position."""
    tmp = Path(tempfile.mkdtemp(prefix="slaforge-redline-test-"))
    own = tmp / "own"
    write_clause(own, "parties.added-1", NEW_CLAUSE.format(category="parties", n=1, order=15))
    write_clause(own, "responsibilities.joint", front(builtin("responsibilities.joint"), "when", '"false"'))
    moved = front(front(builtin("restrictions.exclusions"), "category", "reliability"), "order", "999")
    write_clause(own, "restrictions.exclusions", moved)
    write_clause(own, "policies.compliance", front(builtin("policies.compliance"), "when", '"false"'))
    measurement = builtin("monitoring.measurement")
    assert "[[Provider]] shall monitor each" in measurement
    measurement = front(
        measurement.replace("shall monitor each", "must monitor every", 1), "title", "How it is measured"
    )
    write_clause(own, "monitoring.measurement", measurement)
    data = read()
    data["policies"] = []  # the corporate-policies section goes
    data["positions"] = {"term.termination": "customer-favourable"}
    data["responsiveness"]["severities"][0]["resolution"] = "2h"
    data["clause_dirs"] = ["own"]
    spec = tmp / "new.yaml"
    spec.write_text(dump(data), encoding="utf-8")
    return diff(BASE, spec)


# ------------------------------------------------------------------ accepting and rejecting, on the XML


def _merge_into_next(p: etree._Element) -> None:
    """A paragraph whose mark is removed joins the paragraph after it."""
    following = p.getnext()
    if following is None or following.tag != q("p"):
        p.getparent().remove(p)
        return
    content = [child for child in p if child.tag != q("pPr")]
    anchor_at = 1 if len(following) and following[0].tag == q("pPr") else 0
    for offset, child in enumerate(content):
        following.insert(anchor_at + offset, child)
    p.getparent().remove(p)


def resolve(root: etree._Element, keep: str) -> etree._Element:
    """Accept (``keep="ins"``) or reject (``keep="del"``) every tracked change, as Word does."""
    root = copy.deepcopy(root)
    drop = "del" if keep == "ins" else "ins"
    merged: list[etree._Element] = []
    for mark in list(root.iter(q(drop))):
        parent = mark.getparent()
        if parent.tag == q("rPr") and parent.getparent().tag == q("pPr"):  # the paragraph mark
            merged.append(parent.getparent().getparent())
            parent.remove(mark)
        elif parent.tag == q("trPr"):  # the whole row
            row = parent.getparent()
            row.getparent().remove(row)
        else:
            parent.remove(mark)
    for mark in list(root.iter(q(keep))):
        parent = mark.getparent()
        if parent.tag in (q("rPr"), q("trPr")):
            parent.remove(mark)
            continue
        index = parent.index(mark)
        for offset, child in enumerate(list(mark)):
            parent.insert(index + offset, child)
        parent.remove(mark)
    for text in list(root.iter(q("delText"))):
        text.tag = q("t")
    for text in list(root.iter(q("delInstrText"))):
        text.tag = q("instrText")
    for p in merged:
        if p.getparent() is not None:
            _merge_into_next(p)
    return root


def body_text(root: etree._Element) -> list[str]:
    """The agreement's paragraphs from its first section on (numbers are Word's, never text), links and
    cross-references as their targets, empty paragraphs skipped."""
    body = root.find("w:body", NS)
    paragraphs = list(body.iter(q("p")))
    numbered_sections = body.xpath("w:p[w:pPr/w:pStyle/@w:val='Heading1' and not(w:pPr/w:numPr)]", namespaces=NS)
    start = paragraphs.index(numbered_sections[0])  # after the redline's summary, which has no number
    return [text for text in (_text(p).strip() for p in paragraphs[start:]) if text]


def _text(p: etree._Element) -> str:
    """The words of a paragraph; a link or a REF field as ``<its target>``, whatever it shows."""
    parts = []
    in_field = False
    for node in p.iter():
        if node.tag == q("fldChar"):
            in_field = node.get(q("fldCharType")) != "end"
        elif node.tag == q("instrText") and node.text.split()[:1] == ["REF"]:
            # a reference to a moved clause cites, once the move is rejected, its heading where it stood
            parts.append(f"<{node.text.split()[1].removesuffix('__was')}>")
        elif node.tag in (q("t"), q("delText")) and not in_field:
            link = next((a for a in node.iterancestors(q("hyperlink"))), None)
            if link is not None:
                marker = f"<{link.get(q('anchor'))}>"
                if not parts or parts[-1] != marker:
                    parts.append(marker)
            else:
                parts.append(node.text or "")
        elif node.tag == q("tab"):
            parts.append("\t")
    return "".join(parts)


@pytest.mark.parametrize("case", ["samples", "structural"])
def test_accept_all_gives_the_new_text_and_reject_all_the_old(case: str) -> None:
    comparison = diff(V1, V2) if case == "samples" else structural()
    marked = body_xml(docx_redline(comparison))
    assert marked.find(".//w:ins", NS) is not None and marked.find(".//w:del", NS) is not None
    accepted = body_text(resolve(marked, keep="ins"))
    rejected = body_text(resolve(marked, keep="del"))
    assert accepted == body_text(body_xml(docx(comparison.new.document)))
    assert rejected == body_text(body_xml(docx(comparison.old.document)))
    assert accepted != rejected


def test_tracked_changes_carry_author_date_and_unique_ids() -> None:
    comparison = structural()
    root = body_xml(docx_redline(comparison))
    marks = [*root.iter(q("ins")), *root.iter(q("del"))]
    assert len(marks) > 50
    # the new version's document owner, on the date its history gives that version (not its effective date)
    new = read()["agreement"]
    dated = next(h["date"] for h in new["history"] if str(h["version"]) == str(new["version"]))
    assert {m.get(q("author")) for m in marks} == {new["owner"]["name"]}
    assert {m.get(q("date")) for m in marks} == {f"{dated.isoformat()}T00:00:00Z"}
    assert f"{dated.isoformat()}T00:00:00Z" != f"{new['effective'].isoformat()}T00:00:00Z"
    ids = [m.get(q("id")) for m in marks] + [b.get(q("id")) for b in root.iter(q("bookmarkStart"))]
    assert len(ids) == len(set(ids))
    # deleted words are w:delText inside w:del, never w:t
    assert all(d.find(".//w:t", NS) is None for d in root.iter(q("del")))
    assert any(d.find(".//w:delText", NS) is not None for d in root.iter(q("del")))


def test_a_moved_clause_carries_a_comment_where_it_was_and_where_it_is() -> None:
    data = docx_redline(structural())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        comments = etree.fromstring(package.read("word/comments.xml"))
    notes = {c.get(q("id")): "".join(t.text for t in c.iter(q("t"))) for c in comments.iter(q("comment"))}
    assert sorted(notes.values()) == ["Moved from clause 11.1", "Moved to clause 4.6"]
    assert {c.get(q("date")) for c in comments.iter(q("comment"))} == {"2027-02-15T00:00:00Z"}  # 2.1's date
    assert {c.get(q("author")) for c in comments.iter(q("comment"))} == {"Priya Raman"}  # the document owner
    root = body_xml(data)
    for comment_id, note in notes.items():
        start = root.find(f".//w:commentRangeStart[@w:id='{comment_id}']", NS)
        heading = start.getparent()
        assert _text(heading) == "Exclusions from the service levels"
        assert heading.find(f"w:commentRangeEnd[@w:id='{comment_id}']", NS) is not None
        assert root.find(f".//w:commentReference[@w:id='{comment_id}']", NS) is not None
        mark = heading.find("w:pPr/w:rPr/*", NS)
        assert mark.tag == q("ins" if note.startswith("Moved from") else "del")


def test_a_clause_inserted_near_the_top_is_the_only_mark_in_the_body(tmp_path: Path) -> None:
    own = tmp_path / "own"
    write_clause(own, "parties.added-1", NEW_CLAUSE.format(category="parties", n=1, order=15))
    spec = tmp_path / "new.yaml"
    spec.write_text(BASE.read_text(encoding="utf-8") + "\nclause_dirs: [own]\n", encoding="utf-8")
    comparison = diff(BASE, spec)
    data = docx_redline(comparison)
    body = body_xml(data).find("w:body", NS)
    paragraphs = list(body.iter(q("p")))
    start = next(i for i, p in enumerate(paragraphs) if _text(p) == "Parties and purpose")
    marked = [
        p for p in paragraphs[start:] if p.find(".//w:ins/w:r", NS) is not None or p.find(".//w:del", NS) is not None
    ]
    texts = [_text(p) for p in marked]
    assert texts[0] == "Additional undertaking 1"
    numbers = {p: label for p, _, label in word_numbers(data, body)}
    assert numbers[marked[0]] == "1.2"
    assert all(p.find(".//w:del", NS) is None for p in marked)
    assert len(texts) == 2 and texts[1].startswith("The Provider (Northwind Networks Ltd) shall keep a written record")
    # the inserted paragraph mark is the one that ends the paragraph before them (where Word puts it
    # when a reviewer presses Enter there): the last new paragraph ends with the unchanged mark
    before = paragraphs[paragraphs.index(marked[0]) - 1]
    assert before.find("w:pPr/w:rPr/w:ins", NS) is not None and before.find(".//w:ins/w:r", NS) is None
    assert marked[0].find("w:pPr/w:rPr/w:ins", NS) is not None
    assert marked[1].find("w:pPr/w:rPr/w:ins", NS) is None


def test_the_reviewer_names_the_author_of_the_changes(tmp_path: Path) -> None:
    target = tmp_path / "redline.docx"
    args = ["diff", str(V1), str(V2), "--format", "docx", "-o", str(target)]
    result = CliRunner().invoke(app, [*args, "--author", "  Jane Counsel, Contoso Legal "])
    assert result.exit_code == 0, result.output
    root = body_xml(target.read_bytes())
    marks = [*root.iter(q("ins")), *root.iter(q("del"))]
    assert marks and {m.get(q("author")) for m in marks} == {"Jane Counsel, Contoso Legal"}
    assert {m.get(q("date")) for m in marks} == {"2027-03-08T00:00:00Z"}  # version 2.2 in v2.yaml's history
    blank = CliRunner().invoke(app, [*args, "--author", " "])
    assert blank.exit_code == 1 and "--author: given an empty name" in blank.output
    assert "Traceback" not in blank.output


def test_the_redline_docx_is_reproducible() -> None:
    comparison = diff(V1, V2)
    assert docx_redline(comparison) == docx_redline(comparison)


# ------------------------------------------------------------------ the summary, HTML and PDF


def test_summary_comes_first_and_links_every_change_to_its_clause() -> None:
    comparison = diff(V1, V2)
    document = redline(comparison)
    summary = document.sections[0]
    assert summary.title == "Summary of changes"
    assert document.sections[1].number == "1"
    terms = next(c for c in summary.clauses if c.title == "Changed terms").blocks[0]
    clauses = next(c for c in summary.clauses if c.title == "Changed clauses").blocks[0]
    assert len(terms.rows) == len(comparison.values)
    assert len(clauses.rows) == len(comparison.clause_changes)
    ids = {c.id for c in document.clauses()}
    links = [run.xref for row in (*terms.rows, *clauses.rows) for cell in row for run in cell if run.xref]
    assert links and all(link in ids for link in links)
    target_row = next(row for row in terms.rows if row[1][0].text == "99.9%")
    assert target_row[2][0].text == "99.95%"
    assert target_row[3][0].xref == "reliability.availability-target" and target_row[3][0].text == "4.1"


def test_only_an_internal_redline_says_what_a_change_means_for_the_customer() -> None:
    """The redline goes to the other side: "better/worse for the Customer" and the clause positions
    ("customer-favourable") are the provider's own assessment, in the ``--internal`` redline only."""
    comparison = diff(V1, V2)
    worse = sum(1 for v in comparison.values if v.direction == "worse")
    assert worse and any(c.kind == "position" for c in comparison.clause_changes)

    def words(document: Document) -> str:
        summary = document.sections[0]
        return " ".join(
            plain(cell) if isinstance(block, Table) else plain(block.runs) if isinstance(block, Paragraph) else ""
            for clause in summary.clauses
            for block in clause.blocks
            for cell in ((c for row in (block.header, *block.rows) for c in row) if isinstance(block, Table) else [()])
        ) + " ".join(plain(b.runs) for c in summary.clauses for b in c.blocks if isinstance(b, Paragraph))

    shared = words(redline(comparison))
    internal = words(redline(comparison, internal=True))
    for assessment in ("Better", "Worse", "For the Customer", "worse", "customer-favourable"):
        assert assessment not in shared
    assert "For the Customer" in internal and "Worse" in internal and "customer-favourable" in internal
    assert f"{worse} worse" in internal
    assert str(BASE) not in shared and BASE.name not in shared  # no file names for lawyers


def test_html_marks_insertions_deletions_and_moves(tmp_path: Path) -> None:
    html = render(redline(structural()), "html", RenderOptions(theme=Theme.load(None))).decode()
    assert '<span class="title"><del>Measurement of performance</del> <ins>How it is measured</ins></span>' in html
    assert "<del>4</del>" in html.replace(" </del>", "</del>") and "<ins>2</ins>" in html.replace(" </ins>", "</ins>")
    assert 'class="clause inserted moved-to"' in html and "Moved from clause 11.1" in html
    assert 'class="clause deleted moved-from"' in html and "Moved to clause 4.6" in html
    assert 'class="section deleted"' in html  # the corporate policies section is gone
    assert "Legend:" in html and "<ins>inserted words</ins>" in html and "<del>deleted words</del>" in html
    # the CSS draws them: insertions underlined, deletions struck, moves in their own colour
    assert "text-decoration: underline" in html and "text-decoration: line-through" in html
    assert "--move:" in html


def test_pdf_redline_reads_back(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    target = tmp_path / "redline.pdf"
    result = CliRunner().invoke(app, ["diff", str(V1), str(V2), "--format", "pdf", "-o", str(target)])
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(target)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Summary of changes" in " ".join(text.split()).title() or "SUMMARY OF CHANGES" in text
    assert "Legend:" in text and "inserted words" in text and "deleted words" in text
    flat = " ".join(text.split())
    assert "99.9%99.95%" in flat.replace(" ", "")  # the struck old target stands beside the new one
    assert "REDLINE AGAINST VERSION 2.1" in text


@needs_libreoffice
def test_libreoffice_converts_the_redline_docx(tmp_path: Path) -> None:
    source = tmp_path / "redline.docx"
    source.write_bytes(docx_redline(structural()))
    pdf, stderr = convert_to_pdf(source, timeout=240)
    assert "Error" not in stderr, stderr
    pypdf = pytest.importorskip("pypdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "Legend:" not in text and "Changed clauses" not in text  # the summary is a document of its own
    assert "Additional undertaking 1" in text  # an inserted clause, shown with the changes


def test_a_docx_redline_has_its_summary_beside_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["diff", str(V1), str(V2), "--format", "docx", "-o", f"{tmp_path}/"])
    assert result.exit_code == 0, result.output
    stem = "NWN-SLA-WAN-014-v2.1-to-v2.2-redline"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{stem}-summary.docx", f"{stem}.docx"]

    def headings(name: str) -> list[str]:
        root = body_xml((tmp_path / name).read_bytes())
        return [_text(p) for p in root.xpath("//w:p[starts-with(w:pPr/w:pStyle/@w:val, 'Heading')]", namespaces=NS)]

    assert headings(f"{stem}-summary.docx") == ["Summary of changes", "Comparison", "Changed terms", "Changed clauses"]
    assert "Summary of changes" not in headings(f"{stem}.docx")
    body = [_text(p) for p in body_xml((tmp_path / f"{stem}.docx").read_bytes()).iter(q("p"))]
    assert not any(t.startswith("Legend") for t in body)
    assert "Service-level agreement" in body  # the new agreement's own subtitle, not "Redline: ..."


# ------------------------------------------------------------------ accepting and rejecting, in LibreOffice


def _without_comment_anchors(data: bytes) -> bytes:
    """The DOCX without the anchors of its comments (they hold no text).  LibreOffice's headless UNO
    bridge ends the process when it loads any document with comments in its body (as python-docx
    writes the simplest one); ``soffice --convert-to`` opens them (the test above)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "word/document.xml":
                root = etree.fromstring(content)
                for node in [*root.iter(q("commentRangeStart")), *root.iter(q("commentRangeEnd"))]:
                    node.getparent().remove(node)
                for node in list(root.iter(q("commentReference"))):
                    run = node.getparent()
                    run.getparent().remove(run)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(name, content)
    return out.getvalue()


def _laid_out(office: Office, path: Path, command: str | None = None) -> tuple[list[tuple[str, str, str]], ...]:
    """(style, number LibreOffice shows, text) of every paragraph, cover and contents included: as
    opened (after ``command``), and after updating every field and the table of contents."""
    document = office.open(path)
    try:
        if command:
            dispatch(office, document, command)
            assert document.getRedlines().getCount() == 0
        before = [(p.style, p.label, p.text) for p in paragraphs(document)]
        update_all(document)
        return before, [(p.style, p.label, p.text) for p in paragraphs(document)]
    finally:
        document.close(True)


@pytest.mark.parametrize("case", ["samples", "structural"])
def test_libreoffice_accept_all_gives_the_new_agreement_and_reject_all_the_old(
    case: str, office: Office, tmp_path: Path
) -> None:
    """Accept All in LibreOffice gives exactly the DOCX of the new version, Reject All exactly that of
    the old: every paragraph of cover, contents and text, with its style and the number LibreOffice
    gives it, before and after updating fields (page numbers of the contents included)."""
    comparison = diff(V1, V2) if case == "samples" else structural()
    red, new, old = tmp_path / "redline.docx", tmp_path / "new.docx", tmp_path / "old.docx"
    red.write_bytes(_without_comment_anchors(docx_redline(comparison)))
    new.write_bytes(docx(comparison.new.document))
    old.write_bytes(docx(comparison.old.document))
    new_lines, new_updated = _laid_out(office, new)
    old_lines, old_updated = _laid_out(office, old)
    assert ("Cover Details", "", f"Version\t{comparison.old.document.meta.version}") in old_lines
    accepted, accepted_updated = _laid_out(office, red, ".uno:AcceptAllTrackedChanges")
    assert accepted == new_lines
    assert accepted_updated == new_updated
    rejected, rejected_updated = _laid_out(office, red, ".uno:RejectAllTrackedChanges")
    # until its fields are updated the contents list the new numbers (they are typed text in Word's TOC)
    assert [line for line in rejected if not line[0].startswith("Contents")] == [
        line for line in old_lines if not line[0].startswith("Contents")
    ]
    assert rejected_updated == old_updated
    assert new_lines != old_lines


def test_the_cover_and_the_running_header_track_the_version_change() -> None:
    comparison = diff(V1, V2)
    old, new = comparison.old.document.meta.version, comparison.new.document.meta.version
    assert (old, new) == ("2.1", "2.2")
    data = docx_redline(comparison)
    root = body_xml(data)
    details = root.xpath("//w:p[w:pPr/w:pStyle[starts-with(@w:val, 'CoverDetails')]]", namespaces=NS)
    version = next(p for p in details if "".join(p.xpath(".//w:t/text()", namespaces=NS)).startswith("Version"))
    assert version.xpath(".//w:del//w:delText/text()", namespaces=NS) == [old]
    assert version.xpath(".//w:ins//w:t/text()", namespaces=NS) == [new]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        headers = [etree.fromstring(package.read(n)) for n in package.namelist() if n.startswith("word/header")]
    running = [h for h in headers if h.find(".//w:del", NS) is not None]
    assert len(running) == 1
    assert running[0].xpath(".//w:del//w:delText/text()", namespaces=NS) == [old]
    assert running[0].xpath(".//w:ins//w:t/text()", namespaces=NS) == [new]
    shared = "".join(t for t in running[0].xpath("./w:p/w:r/w:t/text()", namespaces=NS))
    assert comparison.new.document.meta.agreement_id in shared


# ------------------------------------------------------------------ change bars


def test_html_redline_puts_a_change_bar_beside_every_changed_block_and_no_other() -> None:
    html = render(redline(diff(V1, V2)), "html", RenderOptions(theme=Theme.load(None))).decode()
    root = etree.fromstring(html.encode(), etree.HTMLParser())
    blocks = root.xpath("//p[contains(@class, 'para')] | //li[contains(@class, 'item')] | //tr[td]")
    changed_blocks = 0
    for block in blocks:
        marks = block.xpath(".//ins | .//del")
        if block.tag == "li":  # a list item's own words, not those of its sub-items
            marks = [n for n in marks if n.xpath("ancestor::li[1]")[0] is block]
        marked = "changed" in (block.get("class") or "").split()
        assert marked == bool(marks), etree.tostring(block)[:300]
        changed_blocks += marked
    assert changed_blocks >= 8
    assert ".changed:not(tr)::before" in html and "left: -7mm" in html  # the rule left of the text


def test_pdf_redline_has_change_bars_in_the_margin_beside_changes_only(tmp_path: Path) -> None:
    """Rendered to pixels: a dark rule in the left margin (left of the text column) on the pages
    with a changed paragraph, and never on a page without inserted (blue) or deleted (red) words."""
    import subprocess

    from PIL import Image
    from pypdf import PdfReader

    target = tmp_path / "redline.pdf"
    result = CliRunner().invoke(app, ["diff", str(V1), str(V2), "--format", "pdf", "-o", str(target)])
    assert result.exit_code == 0, result.output
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(target).pages]
    subprocess.run(["pdftoppm", "-png", "-r", "72", str(target), str(tmp_path / "page")], check=True)
    images = [Image.open(path).convert("RGB") for path in sorted(tmp_path.glob("page-*.png"))]
    assert len(images) == len(pages)
    mm = 72 / 25.4  # pixels per millimetre at 72 dpi
    margin = 25  # the page's left margin in mm (style.css, @page)

    def pixels(image: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, ...]]:
        data = image.crop(box).tobytes()
        return [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]

    def barred(image: Image.Image) -> bool:
        box = (int((margin - 9) * mm), int(30 * mm), int((margin - 5) * mm), image.height - int(30 * mm))
        return sum(1 for r, g, b in pixels(image, box) if r + g + b < 300) > 10

    def coloured(image: Image.Image) -> bool:  # --insert #0b57a4 and --delete #b3261e, anti-aliased
        return any(b > r + 60 or r > g + 90 for r, g, b in pixels(image, (int(margin * mm), 0, *image.size)))

    bars = [barred(image) for image in images]
    inserted = "a failure of equipment, software, networks or services that are neither provided nor managed"
    assert bars[next(i for i, text in enumerate(pages) if inserted in text)]
    assert not bars[0]  # the cover
    assert sum(bars) >= 4
    assert all(coloured(images[i]) for i, bar in enumerate(bars) if bar)
