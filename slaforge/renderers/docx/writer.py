"""DOCX: the agreement as a Word document a lawyer can edit without retyping.

Cover page, a real TOC field pre-filled with the headings, numbered clauses as
literal text in real Word styles, internal hyperlinks for cross-references,
native tracked changes for redlines, "Page X of Y" footer, reproducible bytes.
This module (and python-docx) is imported only when a DOCX is rendered.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Cm, Twips

from slaforge.document import MOVED_SUFFIX, Change, Chart, Document, DocumentMeta
from slaforge.errors import RenderError
from slaforge.renderers import RenderOptions
from slaforge.renderers.docx.body import BodyWriter
from slaforge.renderers.docx.marks import place_paragraph_marks
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

    write_cover(word, body, meta, options, annotations)
    write_contents(body, document, names, annotations)
    writer = BodyWriter(
        annotations,
        bookmarks,
        iter(names),
        meta.frame,
        lists,
        picture=chart_picture(word, meta, options),
        comment=lambda text: add_comment(word, meta, text),
        moved=moved_clauses(document, bookmarks),
        content_controls=options.content_controls,
    )
    for index, section in enumerate(document.sections):
        writer.section(body, section, page_break=index == 0)
    if body[-1].tag != w("p"):  # Word wants a paragraph, not a table, right before w:sectPr
        add_paragraph(body, StyleId.CLAUSE_BODY)
    body.append(section_props)

    if meta.compared_with is not None:
        place_paragraph_marks(body)
    set_page(word)
    write_page_frame(word, meta, annotations)
    buffer = io.BytesIO()
    word.save(buffer)
    return normalise_zip(buffer.getvalue(), meta.timestamp)


def moved_clauses(document: Document, bookmarks: BookmarkNames) -> dict[str, tuple[str, str]]:
    """A redline's moved clauses: id -> (the bookmark on the heading where it stood, its number there)."""
    out: dict[str, tuple[str, str]] = {}
    for section in document.sections:
        for clause in section.clauses:
            name = bookmarks.get(clause.id)
            if clause.moved_to is not None and clause.id.endswith(MOVED_SUFFIX) and name is not None:
                out[clause.id.removesuffix(MOVED_SUFFIX)] = (name, clause.number)
    return out


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


def write_cover(
    word: WordDocument, body: Element, meta: DocumentMeta, options: RenderOptions, annotations: Annotations
) -> None:
    """Logo, classification, DRAFT banner, title, parties and particulars on page 1, in ``meta.frame``'s words.

    A redline's cover (``meta.compared_with``) tracks what changed from the old version's: the version,
    the status, the date, a party, each as the old words deleted and the new ones inserted."""
    frame = meta.frame
    was = meta.compared_with or meta
    line = CoverLines(body, annotations, redline=meta.compared_with is not None)
    if meta.logo:
        write_logo(word, Path(meta.logo), meta.author, options)
    if meta.is_draft or was.is_draft:
        line.write(StyleId.COVER_BANNER, was.is_draft and frame.draft, meta.is_draft and frame.draft, keep_next=True)
        line.write(StyleId.COVER_BANNER_NOTE, was.is_draft and frame.draft_note, meta.is_draft and frame.draft_note)
    line.write(StyleId.COVER_CLASSIFICATION, was.classification, meta.classification)
    line.write(StyleId.TITLE, was.title, meta.title)
    line.write(StyleId.SUBTITLE, was.subtitle, meta.subtitle)
    add_run(add_paragraph(body, StyleId.COVER_LABEL, keep_next=True), frame.between)
    count = len(meta.parties)
    for index, (old, new) in enumerate(zip_longest(was.parties, meta.parties)):
        line.write(StyleId.COVER_PARTY, old and old.name, new and new.name, keep_next=True)
        line.write(StyleId.COVER_TEXT, old and old.address, new and new.address, keep_next=True)
        line.write(StyleId.COVER_TEXT, old and frame.role(old), new and frame.role(new))
        if index == count - 2:
            add_run(add_paragraph(body, StyleId.COVER_LABEL, keep_next=True), frame.joiner)
    old_values = dict(frame.cover_particulars(was))
    new_values = dict(frame.cover_particulars(meta))
    labels = [label for label, _ in frame.cover_particulars(meta)]
    labels += [label for label in old_values if label not in new_values]
    for index, label in enumerate(labels):
        style = StyleId.COVER_DETAILS_FIRST if index == 0 else StyleId.COVER_DETAILS
        line.write(style, old_values.get(label), new_values.get(label), label=label)


@dataclass
class CoverLines:
    """The cover's lines; in a redline, each tracks the change from the old cover's line."""

    body: Element
    annotations: Annotations
    redline: bool

    def write(
        self,
        style: str,
        old: str | bool | None,
        new: str | bool | None,
        *,
        keep_next: bool = False,
        label: str | None = None,
    ) -> None:
        old_text = old if isinstance(old, str) and old and self.redline else None
        new_text = new if isinstance(new, str) and new else None
        if not self.redline:
            old_text = new_text
        if old_text is None and new_text is None:
            return
        whole: Change = None if old_text and new_text else "ins" if new_text else "del"
        mark = self.annotations.revision(whole) if whole else None
        p = add_paragraph(self.body, style, keep_next=keep_next, mark=mark)
        if label is not None:
            add_run(self.annotations.container(p, whole), f"{label}\t", bold=True, deleted=whole == "del")
        tracked_text(p, self.annotations, old_text, new_text)


def tracked_text(p: Element, annotations: Annotations, old: str | None, new: str | None, **run: Any) -> None:
    """``new`` as runs of ``p``; where ``old`` differs, the words that differ deleted and inserted
    ("version ~~2.1~~ ++2.2++"), the words both share as they are."""
    if old == new:
        if new:
            add_run(p, new, **run)
        return
    before, gone, came, after = _differing_words(old or "", new or "")
    if before:
        add_run(p, before, **run)
    if gone:
        add_run(annotations.container(p, "del"), gone, deleted=True, **run)
    if came:
        add_run(annotations.container(p, "ins"), came, **run)
    if after:
        add_run(p, after, **run)


def _differing_words(old: str, new: str) -> tuple[str, str, str, str]:
    """(shared words before, old words, new words, shared words after), cut between words."""
    old_words, new_words = re.split(r"(?<=\s)", old), re.split(r"(?<=\s)", new)
    start = 0
    while start < min(len(old_words), len(new_words)) - 1 and old_words[start] == new_words[start]:
        start += 1
    end = 0
    while (
        end < min(len(old_words), len(new_words)) - start
        and old_words[len(old_words) - 1 - end] == new_words[len(new_words) - 1 - end]
    ):
        end += 1
    if not old or not new:
        start = end = 0
    keep = "".join(new_words[:start]), "".join(new_words[len(new_words) - end :])
    return (
        keep[0],
        "".join(old_words[start : len(old_words) - end]),
        "".join(new_words[start : len(new_words) - end]),
        keep[1],
    )


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


def write_contents(body: Element, document: Document, names: list[str], annotations: Annotations) -> None:
    """A real TOC field whose cached result already lists every heading (as hyperlinks).

    Page numbers are left out of the pre-filled entries (they cannot be known
    before layout); ``w:updateFields`` makes Word offer to rebuild the TOC with
    them when the file is opened.  In a redline the entry of an inserted or deleted heading is
    itself inserted or deleted, and a new title replaces the old one as a tracked change.
    """
    heading = add_paragraph(body, StyleId.TOC_HEADING, page_break_before=True)
    add_run(heading, document.meta.frame.contents)
    entries = [
        entry
        for section in document.sections
        for entry in (
            (1, section.number, section.title, None, section.change),
            *((2, c.number, c.title, c.old_title, c.change or section.change) for c in section.clauses),
        )
    ]
    if not entries:
        add_field(add_paragraph(body, StyleId.TOC[0]), TOC_INSTRUCTION, "")
        return
    for index, ((level, number, title, old_title, change), name) in enumerate(zip(entries, names, strict=True)):
        mark = annotations.revision(change) if change else None
        p = add_paragraph(body, StyleId.TOC[min(level, 2) - 1], mark=mark)
        if index == 0:
            sub(sub(p, "r"), "fldChar", fldCharType="begin")
            instruction = sub(sub(p, "r"), "instrText")
            instruction.text = f" {TOC_INSTRUCTION} "
            instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            sub(sub(p, "r"), "fldChar", fldCharType="separate")
        link = sub(p, "hyperlink", anchor=name, history="1")
        lead = f"{number}\t" if number else ""
        if change or not old_title:
            add_run(annotations.container(link, change), lead + title, deleted=change == "del")
        else:
            if lead:
                add_run(link, lead)
            tracked_text(link, annotations, old_title, title)
        if index == len(entries) - 1:
            sub(sub(p, "r"), "fldChar", fldCharType="end")


def write_page_frame(word: WordDocument, meta: DocumentMeta, annotations: Annotations) -> None:
    """Running header (and DRAFT) and "Page X of Y" on every page but the cover; a redline's header
    tracks the change from the old version's."""
    section = word.sections[0]
    draft = meta.frame.draft
    header = _clear(section.header.part.element)
    p = add_paragraph(header, StyleId.HEADER)
    was = meta.compared_with
    tracked_text(p, annotations, meta.running_header if was is None else was.running_header, meta.running_header)
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
