"""One tree, three formats: the PDF, the DOCX and the HTML carry the same headings, numbers and text,
and the same cover page and signature blocks, word for word.

The PDF is checked from both engines, WeasyPrint (the default) and Typst.

For every sample, the expected words of each clause come from the Document
tree; each format's output is read back with its own reader (pypdf,
python-docx, an HTML parser), cut into clauses at the clause headings, and
compared word for word (as multisets, so that table cells laid out across
columns in the PDF still compare).  List labels and bullets, which a format
may draw rather than write, are left out of the comparison.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

import docx
import pytest
from cssselect2 import ElementWrapper
from shared import SAMPLES, Samples, pdf_pages, pdf_reader
from tinyhtml5 import parse
from word_numbers import word_numbers

from slaforge.document import (
    BulletList,
    Clause,
    DefinitionList,
    Document,
    Frame,
    ListItem,
    NumberedList,
    Paragraph,
    SignatureBlock,
    Table,
    anchor,
    plain,
)

LABEL = re.compile(r"^(\([a-z]{1,3}\)|\([ivxl]+\)|\([A-Z]\)|\(\d+\)|[•–◦·-])$")


def words(text: str) -> list[str]:
    # case-folded: a theme may set headings in capitals with CSS, which the PDF then carries
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").casefold()
    return [w for w in text.split() if not LABEL.match(w)]


def _items(items: tuple[ListItem, ...]) -> Iterator[str]:
    for item in items:
        yield plain(item.runs)
        yield from _items(item.children)


def expected_text(clause: Clause) -> list[str]:
    parts = []
    for block in clause.blocks:
        if isinstance(block, Paragraph):
            parts += [block.number or "", plain(block.runs)]
        elif isinstance(block, NumberedList | BulletList):
            parts += list(_items(block.items))
        elif isinstance(block, Table):
            parts += [block.caption or "", *(plain(c) for c in block.header)]
            parts += [plain(c) for row in block.rows for c in row]
        elif isinstance(block, DefinitionList):
            parts += [f"{d.term} {plain(d.runs)}" for d in block.items]
    return words(" ".join(parts))


def has_signatures(clause: Clause) -> bool:
    return any(isinstance(b, SignatureBlock) for b in clause.blocks)


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def rendered(request: pytest.FixtureRequest, samples: Samples) -> tuple[Document, dict[str, bytes]]:
    """The sample's tree, the files ``slaforge build`` wrote for it, and its PDF from the Typst engine."""
    name = request.param.stem
    files = {fmt: samples.data(name, fmt) for fmt in ("html", "pdf", "docx")}
    files["pdf-typst"] = samples.typst_pdf(name)
    return samples.document(name), files


# ------------------------------------------------------------------ readers: clause id -> words


BLOCKS = {"p", "li", "td", "th", "dt", "dd", "caption", "div", "h2", "h3", "tr", "table", "section"}


def _html_text(element: object) -> str:
    """Text with a space at every block boundary (cells, list items), none inside a paragraph."""
    parts: list[str] = []

    def walk(node: object) -> None:
        name = str(node.tag).rsplit("}", 1)[-1]  # type: ignore[attr-defined]
        parts.append(node.text or "")  # type: ignore[attr-defined]
        for child in node:  # type: ignore[attr-defined]
            walk(child)
            parts.append(child.tail or "")
        if name in BLOCKS:
            parts.append(" ")

    walk(element)
    return "".join(parts)


def html_clauses(data: bytes, document: Document) -> tuple[list[str], dict[str, list[str]]]:
    root = ElementWrapper.from_html_root(parse(data.decode("utf-8")))
    headings = [
        " ".join(words("".join(h.etree_element.itertext())))
        for h in root.query_all("h2.section-heading, h3.clause-heading")
    ]
    found = {}
    for clause in document.clauses():
        element = root.query(f"section#{anchor(clause.id)}")
        assert element is not None, clause.id
        text = _html_text(element.etree_element)
        found[clause.id] = words(text)[len(words(f"{clause.number} {clause.title}")) :]
    return headings, found


def _docx_text(element: object) -> str:
    parts = []
    for node in element.iter():  # type: ignore[attr-defined]
        name = node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""
        if name == "t":
            parts.append(node.text or "")
        elif name in ("tab", "br"):
            parts.append(" ")
    return "".join(parts)


def docx_clauses(data: bytes, document: Document) -> tuple[list[str], dict[str, list[str]]]:
    """Each paragraph's number as Word works it out from the numbering (none is typed), then its text."""
    read = docx.Document(io.BytesIO(data))
    body = read.element.body
    numbers = {p: label for p, _, label in word_numbers(data, body)}
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    headings: list[str] = []
    found: dict[str, list[str]] = {}
    ids = iter(c.id for c in document.clauses())
    current: str | None = None
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "p":
            style = child.xpath("string(w:pPr/w:pStyle/@w:val)")
            text = f"{numbers[child]} {_docx_text(child)}"
            if style in ("Heading1", "Heading2"):
                headings.append(" ".join(words(text)))
                if style == "Heading2":
                    current = next(ids)
                    found[current] = []
                else:
                    current = None
                continue
            if current is not None:
                found[current] += words(text)
        elif tag == "tbl" and current is not None:
            found[current] += words(" ".join(_docx_text(cell) for cell in child.iter(f"{{{ns['w']}}}p")))
    return headings, found


def pdf_clauses(data: bytes, document: Document) -> tuple[list[str], dict[str, list[str]]]:
    reader = pdf_reader(data)
    meta = document.meta
    noise = [meta.running_header, meta.classification or "", meta.title, "DRAFT"]
    body_lines: list[str] = []
    first_heading = next(e for e in reader.outline if not isinstance(e, list) and e.title != "Contents")
    first_body_page = reader.get_destination_page_number(first_heading)
    for page in pdf_pages(data)[first_body_page:]:
        for line in page.splitlines():
            rest = re.sub(r"page\d+of\d+", "", "".join(line.split()).casefold())
            for text in noise:  # the theme may set these in capitals
                rest = rest.replace("".join(text.split()).casefold(), "")
            if not rest.strip():
                continue  # running header, footer or watermark
            line = line.rstrip()
            if body_lines and (body_lines[-1].endswith(("-", "/")) or re.match(r"-\w", line.lstrip())):
                body_lines[-1] += line.lstrip()  # broken at a hyphen or slash (the theme never hyphenates)
            else:
                body_lines.append(line)
    stream = words(" ".join(body_lines))
    text = " ".join(stream)
    headings = [f"{number} {title}" for _, number, title, _ in document.outline()]
    positions = []
    cursor = 0
    for heading in headings:
        at = text.find(" ".join(words(heading)), cursor)
        assert at >= 0, f"heading {heading!r} not found in the PDF text after offset {cursor}"
        positions.append((at, at + len(" ".join(words(heading)))))
        cursor = positions[-1][1]
    found = {}
    clause_rows = [(i, row) for i, row in enumerate(document.outline()) if row[0] == 2]
    clause_ids = [c.id for c in document.clauses()]
    for (index, _), clause_id in zip(clause_rows, clause_ids, strict=True):
        start = positions[index][1]
        end = positions[index + 1][0] if index + 1 < len(positions) else len(text)
        found[clause_id] = text[start:end].split()
    return [" ".join(words(h)) for h in headings], found


# ------------------------------------------------------------------ the comparison


def test_headings_and_numbers_agree(rendered: tuple[Document, dict[str, bytes]]) -> None:
    document, files = rendered
    expected = [" ".join(words(f"{number} {title}")) for _, number, title, _ in document.outline()]
    html_headings, _ = html_clauses(files["html"], document)
    docx_headings, _ = docx_clauses(files["docx"], document)
    assert html_headings == expected
    assert docx_headings == expected
    for engine in ("pdf", "pdf-typst"):
        pdf_headings, _ = pdf_clauses(files[engine], document)
        assert pdf_headings == expected, engine
        titles = bookmarks(pdf_reader(files[engine]).outline)
        assert titles[0] == "Contents", engine  # one bookmark for the table of contents, then the headings
        assert [" ".join(words(t)) for t in titles[1:]] == expected, engine


def bookmarks(outline: list) -> list[str]:
    """The titles of the outline, depth first (sections, each followed by its clauses)."""
    titles = []
    for entry in outline:
        titles += bookmarks(entry) if isinstance(entry, list) else [entry.title]
    return titles


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "pdf-typst"])
def test_clause_text_agrees(rendered: tuple[Document, dict[str, bytes]], fmt: str) -> None:
    document, files = rendered
    reader = {"html": html_clauses, "docx": docx_clauses, "pdf": pdf_clauses, "pdf-typst": pdf_clauses}[fmt]
    _, found = reader(files[fmt], document)
    mismatches = []
    for clause in document.clauses():
        want = Counter(expected_text(clause))
        got = Counter(found[clause.id])
        if has_signatures(clause):  # signature blocks add form words of the renderer's own
            missing = want - got
            if missing:
                mismatches.append(f"{clause.number} {clause.id}: missing {dict(missing)}")
            continue
        if fmt.startswith("pdf") and want != got:
            # the PDF may wrap a long e-mail address or a time range inside a word; compare its letters
            want, got = Counter("".join(want.elements())), Counter("".join(got.elements()))
        if want != got:
            mismatches.append(f"{clause.number} {clause.id}: missing {dict(want - got)}, extra {dict(got - want)}")
    assert not mismatches, f"{fmt} differs from the document tree:\n" + "\n".join(mismatches[:10])


# ------------------------------------------------------------------ the cover and the signature blocks


def cover_words(document: Document) -> Counter[str]:
    """Every word the cover shows, from the tree: banner, classification, titles, parties, particulars."""
    meta, frame = document.meta, document.meta.frame
    parts = [meta.classification or ""]
    if meta.is_draft:
        parts += [frame.draft, frame.draft_note]
    parts += [meta.subtitle or "", meta.title, frame.between]
    for index, party in enumerate(meta.parties):
        parts += [party.name, party.address or "", frame.role(party)]
        if index == len(meta.parties) - 2:
            parts.append(frame.joiner)
    for label, value in frame.cover_particulars(meta):
        parts += [label, value]
    return Counter(words(" ".join(parts)))


def html_cover(data: bytes) -> Counter[str]:
    root = ElementWrapper.from_html_root(parse(data.decode("utf-8")))
    return Counter(words(_html_text(root.query("header.cover").etree_element)))


def docx_cover(data: bytes) -> Counter[str]:
    body = docx.Document(io.BytesIO(data)).element.body
    found: list[str] = []
    for child in body.iterchildren():
        if child.tag.rsplit("}", 1)[1] == "p":
            if child.xpath("string(w:pPr/w:pStyle/@w:val)") == "TOCHeading":
                break
            found += words(_docx_text(child))
    return Counter(found)


def pdf_cover(data: bytes, document: Document) -> Counter[str]:
    found = Counter(words(pdf_pages(data)[0]))
    if document.meta.is_draft:  # the watermark, drawn on every page, is no word of the cover
        found.subtract(words(document.meta.frame.draft))
    return +found


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "pdf-typst"])
def test_the_cover_says_the_same_in_every_format(rendered: tuple[Document, dict[str, bytes]], fmt: str) -> None:
    document, files = rendered
    want = cover_words(document)
    got = {
        "html": lambda: html_cover(files["html"]),
        "docx": lambda: docx_cover(files["docx"]),
        "pdf": lambda: pdf_cover(files["pdf"], document),
        "pdf-typst": lambda: pdf_cover(files["pdf-typst"], document),
    }[fmt]()
    if fmt.startswith("pdf") and want != got:
        # a long address may wrap inside a word, and letter-spaced capitals come out a letter at a time
        # (a lone "-" between them then reads as a list bullet): compare the letters
        want, got = letters(want), letters(got)
    assert want == got, f"missing {dict(want - got)}, extra {dict(got - want)}"


def letters(found: Counter[str]) -> Counter[str]:
    return Counter(ch for ch in "".join(found.elements()) if ch != "-")


def signature_words(clause: Clause, frame: Frame) -> Counter[str]:
    """The words the signature blocks of ``clause`` add to its text: the frame's, and each signatory's."""
    found: list[str] = []
    for block in clause.blocks:
        if isinstance(block, SignatureBlock):
            for signatory in block.signatories:
                capacity = f"({signatory.capacity})" if signatory.capacity else ""
                found += words(f"{frame.signed_for} {signatory.party} {capacity}")
                for label, value in frame.signing(signatory):
                    found += words(f"{label} {value}")
    return Counter(found)


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "pdf-typst"])
def test_the_signature_blocks_say_the_same_in_every_format(
    rendered: tuple[Document, dict[str, bytes]], fmt: str
) -> None:
    document, files = rendered
    reader = {"html": html_clauses, "docx": docx_clauses, "pdf": pdf_clauses, "pdf-typst": pdf_clauses}[fmt]
    _, found = reader(files[fmt], document)
    signing = [c for c in document.clauses() if has_signatures(c)]
    assert signing, "every sample is signed"
    for clause in signing:
        want = Counter(expected_text(clause)) + signature_words(clause, document.meta.frame)
        got = Counter(found[clause.id])
        if fmt.startswith("pdf") and want != got:
            want, got = Counter("".join(want.elements())), Counter("".join(got.elements()))
        assert want == got, f"{clause.id}: missing {dict(want - got)}, extra {dict(got - want)}"
