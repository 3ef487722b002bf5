"""DOCX: the agreement as a Word document a lawyer can edit without retyping.

Cover page, a real TOC field pre-filled with the headings, numbered clauses as
literal text in real Word styles, internal hyperlinks for cross-references,
native tracked changes for redlines, "Page X of Y" footer, reproducible bytes.
This module (and python-docx) is imported only when a DOCX is rendered.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Cm, Twips

from slaforge.document import Chart, Document, DocumentMeta
from slaforge.errors import RenderError
from slaforge.renderers import RenderOptions
from slaforge.renderers.docx.body import BodyWriter
from slaforge.renderers.docx.numbering import ListNumbers
from slaforge.renderers.docx.ooxml import (
    Annotations,
    BookmarkNames,
    Element,
    add_field,
    add_paragraph,
    add_run,
    safe_text,
    sub,
    w,
    w3c_date,
    watermark_run,
)
from slaforge.renderers.docx.package import normalise_zip, set_page, set_properties, set_settings, trim_package
from slaforge.renderers.docx.styles import (
    HEADING_FONT,
    StyleId,
    brand_hex,
    install_styles,
)

TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
LOGO_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"}


def render(document: Document, options: RenderOptions) -> bytes:
    meta = document.meta
    word = docx.Document()
    install_styles(word.styles.element, brand_hex(meta.brand_colour))
    lists = ListNumbers(word.part.numbering_part.element)
    set_settings(word.settings.element)
    set_properties(word, meta)
    trim_package(word)

    bookmarks = BookmarkNames()
    names = [
        bookmarks.add(node_id)
        for section in document.sections
        for node_id in (section.id, *(clause.id for clause in section.clauses))
    ]
    annotations = Annotations(*revision_of(meta))
    body = word.element.body
    section_props = body.sectPr
    for child in list(body):
        body.remove(child)

    write_cover(word, body, meta, options)
    write_contents(body, document, names)
    writer = BodyWriter(
        annotations,
        bookmarks,
        iter(names),
        meta.frame,
        lists,
        picture=chart_picture(word, meta, options),
        comment=lambda text: add_comment(word, meta, text),
    )
    for index, section in enumerate(document.sections):
        writer.section(body, section, page_break=index == 0)
    if body[-1].tag != w("p"):  # Word wants a paragraph, not a table, right before w:sectPr
        add_paragraph(body, StyleId.CLAUSE_BODY)
    body.append(section_props)

    set_page(word)
    write_page_frame(word, meta)
    buffer = io.BytesIO()
    word.save(buffer)
    return normalise_zip(buffer.getvalue(), meta.timestamp)


def revision_of(meta: DocumentMeta) -> tuple[str, int]:
    """(author, seconds since the epoch) of the document's tracked changes and comments."""
    return meta.revised_by or meta.author, meta.timestamp if meta.revised_at is None else meta.revised_at


def add_comment(word: WordDocument, meta: DocumentMeta, text: str) -> str:
    """A comment in the comments part (created on first use), by the reviser, dated as the changes."""
    author, when = revision_of(meta)
    comment = word.comments.add_comment(text=safe_text(text), author=safe_text(author), initials="")
    # python-docx stamps the clock; the revision's own date keeps the file reproducible
    comment._comment_elm.set(w("date"), w3c_date(when))
    return str(comment.comment_id)


def write_cover(word: WordDocument, body: Element, meta: DocumentMeta, options: RenderOptions) -> None:
    """Logo, classification, DRAFT banner, title, parties and particulars on page 1, in ``meta.frame``'s words."""
    frame = meta.frame
    if meta.logo:
        write_logo(word, Path(meta.logo), meta.author, options)
    if meta.is_draft:
        add_run(add_paragraph(body, StyleId.COVER_BANNER, keep_next=True), frame.draft)
        add_run(add_paragraph(body, StyleId.COVER_BANNER_NOTE), frame.draft_note)
    if meta.classification:
        add_run(add_paragraph(body, StyleId.COVER_CLASSIFICATION), meta.classification)
    add_run(add_paragraph(body, StyleId.TITLE), meta.title)
    if meta.subtitle:
        add_run(add_paragraph(body, StyleId.SUBTITLE), meta.subtitle)
    add_run(add_paragraph(body, StyleId.COVER_LABEL, keep_next=True), frame.between)
    for index, party in enumerate(meta.parties):
        add_run(add_paragraph(body, StyleId.COVER_PARTY, keep_next=True), party.name)
        if party.address:
            add_run(add_paragraph(body, StyleId.COVER_TEXT, keep_next=True), party.address)
        add_run(add_paragraph(body, StyleId.COVER_TEXT), frame.role(party))
        if index == len(meta.parties) - 2:
            add_run(add_paragraph(body, StyleId.COVER_LABEL, keep_next=True), frame.joiner)
    for index, (label, value) in enumerate(frame.cover_particulars(meta)):
        p = add_paragraph(body, StyleId.COVER_DETAILS_FIRST if index == 0 else StyleId.COVER_DETAILS)
        add_run(p, f"{label}\t", bold=True)
        add_run(p, value)


def write_logo(word: WordDocument, path: Path, alt: str, options: RenderOptions) -> None:
    """The brand logo above the title, read only from the theme's allowed folders; ``alt`` is its alt text
    (the provider's name, as in the HTML and the PDF)."""
    if not options.theme.is_allowed(path):
        raise RenderError(f"logo {path} is outside the theme and asset folders; refusing to read it")
    if path.suffix.lower() not in LOGO_SUFFIXES:
        return  # Word cannot embed this format (e.g. SVG) without a raster fallback: the cover omits it
    data = options.theme.read_bytes(path)  # a regular file of bounded size, links followed, inside its folder
    try:
        picture = word.add_paragraph(style="Normal").add_run().add_picture(io.BytesIO(data), height=Cm(1.6))
    except (OSError, ValueError, UnrecognizedImageError) as error:
        raise RenderError(f"logo {path} could not be embedded in the DOCX: {error}") from error
    picture._inline.docPr.set("descr", safe_text(alt))


def chart_picture(word: WordDocument, meta: DocumentMeta, options: RenderOptions) -> Callable[[Chart, int], Element]:
    """A function that draws a chart as a PNG picture of a given width, with its description as alt text."""
    from slaforge.renderers.chart import png

    def picture(chart: Chart, width: int) -> Element:
        image = png(chart, options.theme.find("fonts/Caladea-Regular.ttf"), f"#{brand_hex(meta.brand_colour)}")
        inline = word.part.new_pic_inline(io.BytesIO(image), Twips(width), None)
        inline.docPr.set("descr", safe_text(chart.description))
        return inline

    return picture


def write_contents(body: Element, document: Document, names: list[str]) -> None:
    """A real TOC field whose cached result already lists every heading (as hyperlinks).

    Page numbers are left out of the pre-filled entries (they cannot be known
    before layout); ``w:updateFields`` makes Word offer to rebuild the TOC with
    them when the file is opened.
    """
    heading = add_paragraph(body, StyleId.TOC_HEADING, page_break_before=True)
    add_run(heading, document.meta.frame.contents)
    outline = document.outline()
    if not outline:
        add_field(add_paragraph(body, StyleId.TOC[0]), TOC_INSTRUCTION, "")
        return
    for index, ((level, number, title, _), name) in enumerate(zip(outline, names, strict=True)):
        p = add_paragraph(body, StyleId.TOC[min(level, 2) - 1])
        if index == 0:
            sub(sub(p, "r"), "fldChar", fldCharType="begin")
            instruction = sub(sub(p, "r"), "instrText")
            instruction.text = f" {TOC_INSTRUCTION} "
            instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            sub(sub(p, "r"), "fldChar", fldCharType="separate")
        add_run(sub(p, "hyperlink", anchor=name, history="1"), f"{number}\t{title}" if number else title)
        if index == len(outline) - 1:
            sub(sub(p, "r"), "fldChar", fldCharType="end")


def write_page_frame(word: WordDocument, meta: DocumentMeta) -> None:
    """Running header (and DRAFT) and "Page X of Y" on every page but the cover."""
    section = word.sections[0]
    draft = meta.frame.draft
    header = _clear(section.header.part.element)
    p = add_paragraph(header, StyleId.HEADER)
    add_run(p, meta.running_header)
    if meta.is_draft:
        add_run(p, "\t\t")
        add_run(p, draft, style=StyleId.DRAFT_MARK)
        p.append(watermark_run(draft, HEADING_FONT, 1))

    before, middle, after = meta.frame.page_parts()
    footer = _clear(section.footer.part.element)
    p = add_paragraph(footer, StyleId.FOOTER)
    add_run(p, f"{meta.classification or ''}\t\t{before}")
    add_field(p, "PAGE", "1")
    add_run(p, middle)
    add_field(p, "NUMPAGES", "1")
    if after:
        add_run(p, after)

    cover_header = _clear(section.first_page_header.part.element)
    p = add_paragraph(cover_header, StyleId.FOOTER)  # the footer style: no rule under an empty header
    if meta.is_draft:
        p.append(watermark_run(draft, HEADING_FONT, 2))
    add_paragraph(_clear(section.first_page_footer.part.element), StyleId.FOOTER)


def _clear(story: Element) -> Element:
    for child in list(story):
        story.remove(child)
    return story
