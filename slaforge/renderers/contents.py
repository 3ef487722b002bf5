"""The contents' page numbers, written into the first layout instead of laid out a second time.

WeasyPrint resolves ``target-counter()`` by laying out again every page that
uses it once the pages of the targets are known: the contents pages, twice more
(three layouts of each, the dearest pages of an agreement; see
benchmarks/pdf_layout.py).  The default theme instead reserves the numbers'
place with a stand-in (``.toc .page::after { content: "000" }`` in a column
at least as wide as any number, so the number's width changes no line
break), and :func:`write_page_numbers` replaces each stand-in in the laid out
pages with the page its ``data-target`` anchor is on, right-aligned as the
stand-in was.  The numbers are those of the outline: a page's number is its
place in the document, as ``counter(page)`` counts (the theme never resets it).

A theme that keeps ``target-counter()`` still works: its numbers are already
right and are written again unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def write_page_numbers(document: Any) -> None:
    """Give every ``::after`` text of an element with ``data-target`` the page of that target."""
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.text.line_break import line_size

    page_of: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for name in page.anchors:  # an element over several pages is an anchor on each: the first counts
            page_of.setdefault(name, number)
    for page in document.pages:
        for box in _descendants(page._page_box):
            if not str(getattr(box, "element_tag", "")).endswith("::after") or box.element is None:
                continue
            target = (box.element.get("data-target") or "").removeprefix("#")
            if isinstance(box, TextBox) and target in page_of:
                _set_text(box, str(page_of[target]), line_size)


def _set_text(box: Any, text: str, line_size: Any) -> None:
    """``box`` says ``text`` instead, its right edge where it was (the numbers are right-aligned)."""
    layout = box.pango_layout  # kept without its Pango layout between layout and drawing
    layout.text = text
    layout.reactivate(box.style)
    width, _ = line_size(layout.get_first_line()[0], box.style)
    layout.deactivate()
    box.position_x += box.width - width
    box.width = width
    box.text = text


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)
