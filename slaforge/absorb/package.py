"""A returned DOCX read as WordprocessingML, within limits: a zip of bounded size whose parts are XML.

Word and LibreOffice write tracked changes (``w:ins``, ``w:del``, ``w:moveFrom``, ``w:moveTo``),
comments (``comments.xml``, anchored by ``w:commentRangeStart`` / ``w:commentRangeEnd``) and keep
the bookmarks and content controls the renderer wrote.  This module turns ``document.xml`` into a
list of :class:`Para`: each paragraph's text as pieces that are unchanged, inserted, deleted or
moved, the bookmarks that start in it, the content control tag each piece sits in, and where
comments start and end.  Nothing here knows a spec.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from slaforge.errors import InputError, Problem
from slaforge.inputs.files import read_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_BYTES = 64 * 1024 * 1024  # of the returned file
PART_BYTES = 64 * 1024 * 1024  # of one part, unpacked
PACKAGE_BYTES = 256 * 1024 * 1024  # of every part, unpacked
RATIO = 200  # unpacked / packed of one part: more is a zip bomb, not a document
CHANGES = ("ins", "del", "moveFrom", "moveTo")


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


@dataclass(frozen=True)
class Piece:
    text: str
    change: str | None  # None, "ins", "del", "moveFrom", "moveTo"
    tag: str | None = None  # the content control it sits in
    author: str | None = None
    date: str | None = None

    @property
    def old(self) -> bool:
        """Part of the text as it was sent (rejecting every change)."""
        return self.change in (None, "del", "moveFrom")

    @property
    def new(self) -> bool:
        """Part of the text as it came back (accepting every change)."""
        return self.change in (None, "ins", "moveTo")


@dataclass
class Para:
    pieces: list[Piece] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)
    style: str | None = None
    mark: str | None = None  # a change on the paragraph mark: "ins" / "del"
    mark_author: str | None = None
    # comment id -> offset in the new text where its range starts / ends in this paragraph
    comment_starts: dict[str, int] = field(default_factory=dict)
    comment_ends: dict[str, int] = field(default_factory=dict)

    @property
    def old_text(self) -> str:
        return "".join(p.text for p in self.pieces if p.old)

    @property
    def new_text(self) -> str:
        return "".join(p.text for p in self.pieces if p.new)

    @property
    def changed(self) -> bool:
        return self.mark is not None or any(p.change for p in self.pieces)

    def old_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, tag) in the old text of each content control's text."""
        spans: list[tuple[int, int, str]] = []
        offset = 0
        for piece in self.pieces:
            if not piece.old:
                continue
            if piece.tag is not None:
                if spans and spans[-1][2] == piece.tag and spans[-1][1] == offset:
                    spans[-1] = (spans[-1][0], offset + len(piece.text), piece.tag)
                else:
                    spans.append((offset, offset + len(piece.text), piece.tag))
            offset += len(piece.text)
        return spans


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str | None
    text: str


@dataclass(frozen=True)
class Returned:
    paragraphs: list[Para]
    comments: dict[str, Comment]
    title: str | None  # the core properties' title
    subject: str | None


def read_package(path: Path) -> Returned:
    """The paragraphs and comments of the DOCX at ``path``; :class:`InputError` naming the file and what is
    wrong (missing, not a DOCX, too large, a zip bomb, XML that cannot be read)."""
    return read_docx(read_bytes(path, limit=DOCX_BYTES, what="returned DOCX", error=InputError), str(path))


def read_docx(data: bytes, name: str) -> Returned:
    """:func:`read_package` of the bytes of a DOCX called ``name``."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _bad(name, "is not a DOCX (not a zip package)", "a .docx file as Word or LibreOffice saves it") from None
    with package:
        infos = {info.filename: info for info in package.infolist()}
        if "word/document.xml" not in infos:
            raise _bad(name, "is not a DOCX: it has no word/document.xml", "a .docx file as Word saves it")
        total = sum(info.file_size for info in infos.values())
        for info in infos.values():
            if info.file_size > PART_BYTES or info.file_size > RATIO * max(info.compress_size, 1) + 1_000_000:
                raise _bad(name, f"part {info.filename} unpacks to {info.file_size} bytes: refused as a zip bomb")
        if total > PACKAGE_BYTES:
            raise _bad(name, f"unpacks to {total} bytes in all: refused as a zip bomb")
        document = _xml(package, "word/document.xml", name)
        comments = _xml(package, "word/comments.xml", name) if "word/comments.xml" in infos else None
        core = _xml(package, "docProps/core.xml", name) if "docProps/core.xml" in infos else None
    body = document.find(w("body"))
    if body is None:
        raise _bad(name, "word/document.xml has no w:body")
    reader = _Reader()
    reader.visit(body, None, None, None, None)
    return Returned(reader.paragraphs, _comments(comments), _core(core, "title"), _core(core, "subject"))


def _bad(file: str, message: str, expected: str | None = None) -> InputError:
    problem = Problem(message, file=file, expected=expected, code="bad-docx")
    return InputError(f"{file} {message}", [problem])


def _xml(package: zipfile.ZipFile, part: str, file: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        with package.open(part) as stream:
            data = stream.read(PART_BYTES + 1)
        return etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as error:
        line = getattr(error, "lineno", None)
        raise InputError(
            f"{file}: {part} cannot be read: {error}",
            [Problem(f"{part} cannot be read as XML: {error}", file=f"{file}!{part}", line=line, code="bad-docx")],
        ) from None


def _comments(root: etree._Element | None) -> dict[str, Comment]:
    if root is None:
        return {}
    out: dict[str, Comment] = {}
    for comment in root.iter(w("comment")):
        paragraphs = ["".join(t.text or "" for t in p.iter(w("t"))) for p in comment.iter(w("p"))]
        cid = comment.get(w("id")) or ""
        out[cid] = Comment(cid, comment.get(w("author")) or "", comment.get(w("date")), "\n".join(paragraphs))
    return out


def _core(root: etree._Element | None, name: str) -> str | None:
    if root is None:
        return None
    for child in root:
        if etree.QName(child).localname == name:
            return child.text
    return None


class _Reader:
    """Walks ``w:body`` in document order, paragraphs inside tables and content controls included."""

    def __init__(self) -> None:
        self.paragraphs: list[Para] = []
        self.para: Para | None = None

    def visit(
        self, element: etree._Element, change: str | None, tag: str | None, author: str | None, date: str | None
    ) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue  # a comment or processing instruction
            name = etree.QName(child).localname if child.tag.startswith(f"{{{W_NS}}}") else None
            if name == "p":
                self.paragraph(child, change, tag, author, date)
            elif name in CHANGES:
                self.visit(child, name, tag, child.get(w("author")), child.get(w("date")))
            elif name == "sdt":
                tag_element = child.find(f"{w('sdtPr')}/{w('tag')}")
                content = child.find(w("sdtContent"))
                inner = tag_element.get(w("val")) if tag_element is not None else tag
                if content is not None:
                    self.visit(content, change, inner, author, date)
            elif name == "r":
                self.run(child, change, tag, author, date)
            elif name == "bookmarkStart" and self.para is not None:
                self.para.bookmarks.append(child.get(w("name")) or "")
            elif name == "commentRangeStart" and self.para is not None:
                self.para.comment_starts[child.get(w("id")) or ""] = len(self.para.new_text)
            elif name == "commentRangeEnd" and self.para is not None:
                self.para.comment_ends[child.get(w("id")) or ""] = len(self.para.new_text)
            elif name in ("pPr", "rPr", "sdtPr", "tblPr", "trPr", "tcPr", "sectPr", "tblGrid"):
                continue
            else:  # hyperlinks, smart tags, simple fields, tables, rows, cells
                self.visit(child, change, tag, author, date)

    def paragraph(
        self, p: etree._Element, change: str | None, tag: str | None, author: str | None, date: str | None
    ) -> None:
        para = Para()
        ppr = p.find(w("pPr"))
        if ppr is not None:
            style = ppr.find(w("pStyle"))
            para.style = style.get(w("val")) if style is not None else None
            rpr = ppr.find(w("rPr"))
            if rpr is not None:
                for kind in CHANGES:
                    mark = rpr.find(w(kind))
                    if mark is not None:
                        para.mark = "ins" if kind in ("ins", "moveTo") else "del"
                        para.mark_author = mark.get(w("author"))
        self.paragraphs.append(para)
        outer, self.para = self.para, para
        self.visit(p, change, tag, author, date)
        self.para = outer

    def run(self, r: etree._Element, change: str | None, tag: str | None, author: str | None, date: str | None) -> None:
        if self.para is None:
            return
        for child in r:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            text = None
            if name in ("t", "delText"):
                text = child.text or ""
            elif name == "tab":
                text = "\t"
            elif name in ("br", "cr"):
                text = "\n"
            elif name == "noBreakHyphen":
                text = "\u2011"
            if text:
                self.para.pieces.append(Piece(text, change, tag, author, date))
