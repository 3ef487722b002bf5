"""Raw WordprocessingML for the DOCX renderer: elements python-docx has no API for.

Everything here builds lxml elements directly (fast, and in the order the
CT_* schema sequences require): safe text, runs, complex fields, tracked
changes, bookmarks and the draft watermark.  Callers append children in schema
order; nothing here reorders.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from lxml import etree

from slaforge.document import Change

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
Element = etree._Element

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates,
# U+FFFE/U+FFFF).  They are dropped: a renderer must never crash on user text.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BOOKMARK_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
BOOKMARK_MAX = 40


def w(name: str) -> str:
    """Clark name of a ``w:`` element or attribute."""
    return f"{{{W_NS}}}{name}"


def sub(parent: Element, tag: str, /, **attrs: str) -> Element:
    """Append ``<w:name w:key="value" ...>`` to ``parent``; attributes are in the w namespace."""
    return etree.SubElement(parent, w(tag), {w(k): v for k, v in attrs.items()})


def safe_text(text: str) -> str:
    """Plain text that XML 1.0 can carry: line ends normalised, illegal characters dropped."""
    return _ILLEGAL_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def add_text(run: Element, text: str, *, deleted: bool = False) -> None:
    """Append ``text`` to a ``w:r`` as ``w:t`` (``w:delText`` when deleted), tabs and breaks native."""
    tag = w("delText" if deleted else "t")
    for line_no, line in enumerate(safe_text(text).split("\n")):
        if line_no:
            sub(run, "br")
        for piece_no, piece in enumerate(line.split("\t")):
            if piece_no:
                sub(run, "tab")
            if piece:
                t = etree.SubElement(run, tag)
                t.text = piece
                t.set(XML_SPACE, "preserve")


def add_run(
    parent: Element,
    text: str,
    *,
    style: str | None = None,
    bold: bool = False,
    italic: bool = False,
    deleted: bool = False,
) -> Element:
    """A ``w:r`` with an optional character style and emphasis (CT_RPr order: rStyle, b, i)."""
    run = sub(parent, "r")
    if style or bold or italic:
        rpr = sub(run, "rPr")
        if style:
            sub(rpr, "rStyle", val=style)
        if bold:
            sub(rpr, "b")
        if italic:
            sub(rpr, "i")
    add_text(run, text, deleted=deleted)
    return run


def add_paragraph(
    parent: Element,
    style: str,
    *,
    keep_next: bool = False,
    page_break_before: bool = False,
    numbering: tuple[int, int | None] | None = None,
    mark: Element | None = None,
) -> Element:
    """A ``w:p`` with its style; ``mark`` (a revision element) tracks the paragraph mark itself.

    ``numbering`` is (numId, level) of a list the paragraph joins, or (0, None) for none at all
    (a heading the tree leaves unnumbered); without it the paragraph is numbered by its style.
    """
    p = sub(parent, "p")
    ppr = sub(p, "pPr")
    sub(ppr, "pStyle", val=style)
    if keep_next:
        sub(ppr, "keepNext")
    if page_break_before:
        sub(ppr, "pageBreakBefore")
    if numbering is not None:
        num_id, level = numbering
        num = sub(ppr, "numPr")
        if level is not None:
            sub(num, "ilvl", val=str(level))
        sub(num, "numId", val=str(num_id))
    if mark is not None:
        sub(ppr, "rPr").append(mark)
    return p


def add_field(parent: Element, instruction: str, cached: str, *, style: str | None = None) -> None:
    """A complex field (begin / instrText / separate / cached result / end) inside a paragraph."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("result", cached)):
        run = sub(parent, "r")
        if style:
            sub(sub(run, "rPr"), "rStyle", val=style)
        if kind == "instr":
            instr = etree.SubElement(run, w("instrText"))
            instr.text = f" {instruction} "
            instr.set(XML_SPACE, "preserve")
        elif kind == "result":
            add_text(run, text or "")
        else:
            sub(run, "fldChar", fldCharType=kind)
    end = sub(parent, "r")
    if style:
        sub(sub(end, "rPr"), "rStyle", val=style)
    sub(end, "fldChar", fldCharType="end")


def add_reference(parent: Element, bookmark: str, cached: str, *, style: str, deleted: bool = False) -> None:
    """A ``REF bookmark \\r \\h`` field: the number of the bookmarked paragraph, kept up to date by
    Word and LibreOffice, shown as ``cached`` until they update it, and a link to the paragraph."""
    text = "delText" if deleted else "t"
    instruction = "delInstrText" if deleted else "instrText"
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = sub(parent, "r")
        sub(sub(run, "rPr"), "rStyle", val=style)
        if kind == "instr":
            node = etree.SubElement(run, w(instruction))
            node.text = f" REF {bookmark} \\r \\h "
            node.set(XML_SPACE, "preserve")
        elif kind == "result":
            node = etree.SubElement(run, w(text))
            node.text = safe_text(cached)
            node.set(XML_SPACE, "preserve")
        else:
            sub(run, "fldChar", fldCharType=kind)


def content_control(parent: Element, tag: str) -> Element:
    """An inline content control (``w:sdt``) in ``parent`` whose ``w:tag`` is ``tag``; returns its
    ``w:sdtContent``, where the runs go.  Word and LibreOffice keep the tag through editing, so a
    returned document still says which value of the spec the text inside it prints."""
    sdt = sub(parent, "sdt")
    sub(sub(sdt, "sdtPr"), "tag", val=safe_text(tag))
    return sub(sdt, "sdtContent")


def w3c_date(timestamp: int) -> str:
    """``2027-01-15T08:00:00Z`` from seconds since the epoch (UTC)."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Annotations:
    """Ids for bookmarks and tracked changes, unique across the whole document, plus revision marks.

    Every tracked change carries the agreement's author and the build timestamp
    (never the clock), so two renders of the same tree give the same bytes.
    """

    def __init__(self, author: str, timestamp: int) -> None:
        self.author = safe_text(author) or "slaforge"
        self.date = w3c_date(timestamp)
        self._next = 0

    def next_id(self) -> str:
        self._next += 1
        return str(self._next)

    def revision(self, change: Change) -> Element:
        """A detached ``w:ins`` / ``w:del`` element for ``change``."""
        assert change is not None
        return etree.Element(w(change), {w("id"): self.next_id(), w("author"): self.author, w("date"): self.date})

    def container(self, parent: Element, change: Change) -> Element:
        """Where runs go: ``parent`` itself, or a new ``w:ins`` / ``w:del`` appended to it."""
        if change is None:
            return parent
        mark = self.revision(change)
        parent.append(mark)
        return mark

    def bookmark_start(self, parent: Element, name: str) -> str:
        mark_id = self.next_id()
        sub(parent, "bookmarkStart", id=mark_id, name=name)
        return mark_id


def bookmark_end(parent: Element, mark_id: str) -> None:
    sub(parent, "bookmarkEnd", id=mark_id)


class BookmarkNames:
    """Word bookmark names for the headings: ``_Ref_`` and the node id, at most 40 of [A-Za-z0-9_], unique.

    A name that starts with ``_Ref`` is what Word gives the target of a cross-reference: hidden from
    the bookmark list, kept through editing, and the target of REF fields, the contents' links and
    the links of the redline's summary.  A name that would be too long or collide keeps a readable
    prefix and gains a short hash of the node id, so the same id always gets the same name.
    """

    PREFIX = "_Ref_"

    def __init__(self) -> None:
        self._by_node: dict[str, str] = {}
        self._used: set[str] = set()

    def add(self, node_id: str) -> str:
        name = self.PREFIX + _BOOKMARK_UNSAFE.sub("_", node_id)
        if len(name) > BOOKMARK_MAX or name.lower() in self._used:  # Word compares case-insensitively
            digest = hashlib.sha1(node_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            name = f"{name[: BOOKMARK_MAX - 9]}_{digest}"
            counter = 1
            while name.lower() in self._used:
                name = f"{name[: BOOKMARK_MAX - 12]}_{counter:02d}"
                counter += 1
        self._used.add(name.lower())
        self._by_node.setdefault(node_id, name)  # a repeated id: the first heading is the target
        return name

    def get(self, node_id: str) -> str | None:
        return self._by_node.get(node_id)


_WATERMARK = """<w:r xmlns:w="{w}" xmlns:v="urn:schemas-microsoft-com:vml"
 xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w10="urn:schemas-microsoft-com:office:word">
<w:rPr><w:noProof/></w:rPr><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
 path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>
<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>
<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>
<v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>
<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s{spid}" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:146pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
 o:allowincell="f" fillcolor="#d9d9d9" stroked="f"><v:fill opacity=".5"/>
<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>
<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>"""


def watermark_run(text: str, font: str, number: int) -> Element:
    """A VML text watermark (Word's own "DRAFT" watermark shape) to place in a header paragraph."""
    xml = _WATERMARK.format(w=W_NS, n=number, spid=1024 + number, font=font, text=text)
    return etree.fromstring(xml)
