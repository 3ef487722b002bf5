"""Where a redline's inserted paragraph marks go: where Word puts them when a reviewer types.

A reviewer who adds paragraphs after an unchanged one presses Enter at its end and types: the
new paragraph mark is the one that now ends the unchanged paragraph, and the last new paragraph
ends with the mark the unchanged one had.  Marked that way, rejecting every change joins the
unchanged paragraph with what is left of the new ones and keeps it as it was; marked on the new
paragraphs themselves, LibreOffice joins the paragraph after them to the unchanged one (list item
4.4.1(d) swallowing sub-clause 4.4.2).  Deleted paragraphs alike: the deletion runs from the end
of the paragraph before them to the end of the last one's words, so that accepting it leaves the
paragraph after them as it is.
"""

from __future__ import annotations

from slaforge.renderers.docx.ooxml import Element, sub, w


def place_paragraph_marks(body: Element) -> None:
    """For each run of inserted (or deleted) paragraphs right after a paragraph of ``body`` whose
    mark is unchanged, the revision moves from the mark of the last of them to that paragraph's."""
    children = list(body)
    index = 0
    while index < len(children):
        kind = _kind(children[index])
        if kind is None:
            index += 1
            continue
        end = index
        while end + 1 < len(children) and _kind(children[end + 1]) == kind:
            end += 1
        before = children[index - 1] if index else None
        if before is not None and before.tag == w("p") and _mark(before) is None:
            mark = _mark(children[end])
            assert mark is not None
            mark.getparent().remove(mark)
            _mark_holder(before).append(mark)
        index = end + 1


def _mark(p: Element) -> Element | None:
    """The revision on the paragraph mark of ``p`` (``w:pPr/w:rPr/w:ins`` or ``w:del``), if any."""
    if p.tag != w("p"):
        return None
    rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    if rpr is None:
        return None
    return next((child for child in rpr if child.tag in (w("ins"), w("del"))), None)


def _kind(p: Element) -> str | None:
    mark = _mark(p)
    return None if mark is None else mark.tag


def _mark_holder(p: Element) -> Element:
    ppr = p.find(w("pPr"))
    assert ppr is not None  # every paragraph the renderer writes has its style
    rpr = ppr.find(w("rPr"))
    return rpr if rpr is not None else sub(ppr, "rPr")
