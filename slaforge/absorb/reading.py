"""What the other side changed in a returned DOCX, clause by clause, against the agreement it was sent as.

The agreement is composed again from its spec and rendered to DOCX in memory: that gives every
heading's bookmark (the clause it opens: number, heading, id) and, for each paragraph, the text it
had and the spec value behind each stretch of it (the content controls).  The returned document is
then read paragraph by paragraph: a paragraph's bookmark says which clause it is in, its text as
sent (every change rejected) finds the paragraph it was, and each tracked change becomes an
:class:`Edit` at an offset of that text.  An edit inside the text of a value is a value edit (the
spec path and the value it now reads); the content control of the returned file names the path
when the editor kept it, the paragraph as sent when not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slaforge.absorb.package import Para, Returned
from slaforge.document import Document

HEADINGS = ("Heading1", "Heading2")


@dataclass(frozen=True)
class Place:
    """A clause (or section) of the agreement as sent; ``after`` for one the other side inserted."""

    key: str  # the clause id; "" outside the clauses (cover, contents)
    number: str
    title: str
    inserted: bool = False


OUTSIDE = Place("", "", "")


@dataclass(eq=False)
class Edit:
    kind: str  # replaced | inserted | deleted | moved | comment | clause-inserted | clause-deleted
    places: list[Place]  # the clause it is in; more than one when it runs across a heading
    old: str = ""
    new: str = ""
    author: str | None = None
    date: str | None = None
    path: str | None = None  # a value edit: the spec path
    value: str | None = None  # the value as sent
    new_value: str | None = None  # the value as it came back
    anchor: str | None = None  # a comment: the words it is on
    reason: str | None = None  # why it is not applied (a code the report's template words)
    applied: str | None = None  # where --apply put it: "spec" or the clause file
    # where it sits: the paragraph (its old text, clause) and the offsets in that text
    paragraph: str = ""
    start: int = 0
    end: int = 0

    @property
    def place(self) -> Place:
        return self.places[0]


@dataclass
class Reading:
    edits: list[Edit] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # in document order, as the returned file has them


def places_by_bookmark(document: Document, names: list[str]) -> dict[str, Place]:
    """Bookmark name -> the heading it marks, as the DOCX renderer names them (outline order)."""
    nodes = [
        Place(node.id, node.number, node.title) for section in document.sections for node in (section, *section.clauses)
    ]
    return dict(zip(names, nodes, strict=True))


def read_changes(returned: Returned, sent: Returned, bookmarks: dict[str, Place]) -> Reading:
    """Every tracked change and comment of ``returned``, by clause, against the document as ``sent``."""
    sent_paras: dict[str, list[Para]] = {}
    for place, para in _placed(sent.paragraphs, bookmarks):
        sent_paras.setdefault(place.key, []).append(para)
    placed = _placed(returned.paragraphs, bookmarks)
    reading = Reading(places=list(dict.fromkeys(place for place, _ in placed)))
    used: dict[str, set[int]] = {}
    pending: list[tuple[Place, Para, Edit]] = []  # in document order
    for place, para in placed:
        spans = _sent_spans(para, sent_paras.get(place.key, []), used.setdefault(place.key, set()))
        if not para.changed:
            continue
        for edit in _edits(para, place):
            _map_value(edit, para, para.old_spans() or spans)
            pending.append((place, para, edit))
    reading.edits = _join_across(pending)
    _collapse_clauses(reading, placed)
    reading.edits.extend(_comments(returned, placed))
    return reading


def _placed(paragraphs: list[Para], bookmarks: dict[str, Place]) -> list[tuple[Place, Para]]:
    out: list[tuple[Place, Para]] = []
    place = OUTSIDE
    for para in paragraphs:
        known = next((bookmarks[name] for name in para.bookmarks if name in bookmarks), None)
        if known is not None:
            place = known
        elif para.style in HEADINGS and para.mark == "ins" and not para.old_text.strip():
            # a heading the other side added: a clause (or section) of its own, after the one before
            place = Place(
                f"{place.key}+{len(out)}", f"after {place.number}" if place.number else "", para.new_text, True
            )
        out.append((place, para))
    return out


def _sent_spans(para: Para, candidates: list[Para], used: set[int]) -> list[tuple[int, int, str]]:
    """The value spans of the paragraph as sent whose text is this paragraph's old text."""
    old = para.old_text
    if not old:
        return []
    for index, candidate in enumerate(candidates):
        if index not in used and candidate.old_text == old:
            used.add(index)
            return candidate.old_spans()
    return []


def _edits(para: Para, place: Place) -> list[Edit]:
    """The tracked changes of one paragraph, neighbouring insertions and deletions joined, at offsets of its
    old text."""
    out: list[Edit] = []
    offset = 0
    current: Edit | None = None
    old_text = para.old_text
    for piece in para.pieces:
        if piece.change is None:
            current = None
            offset += len(piece.text)
            continue
        moved = piece.change in ("moveFrom", "moveTo")
        kind = "moved" if moved else "replaced"
        if current is None or (current.kind == "moved") != moved:
            current = Edit(kind, [place], author=piece.author, date=piece.date, paragraph=old_text)
            current.start = current.end = offset
            out.append(current)
        if piece.old:  # deleted (or moved away): part of the old text
            current.old += piece.text
            offset += len(piece.text)
            current.end = offset
        else:
            current.new += piece.text
    for edit in out:
        if not place.key:
            edit.reason = "outside-clauses"
        if edit.kind == "moved":
            edit.reason = "moved"
        elif edit.kind == "replaced":
            edit.kind = "replaced" if edit.old and edit.new else "deleted" if edit.old else "inserted"
    if para.mark is not None and not out:  # only the paragraph mark: two paragraphs joined or one split
        out.append(Edit("deleted" if para.mark == "del" else "inserted", [place], old="", new="", paragraph=old_text))
        out[-1].start = out[-1].end = len(old_text)
        out[-1].author = para.mark_author
    return out


def _touches(edit: Edit, start: int, end: int, text: str) -> bool:
    if edit.end > edit.start:
        return edit.start < end and edit.end > start
    at = edit.start
    if start < at < end:
        return True
    if at == end and end > start:
        return not edit.new[:1].isspace() and not text[end - 1 : end].isspace()
    if at == start and end > start:
        return not edit.new[-1:].isspace() and not text[start : start + 1].isspace()
    return False


def _map_value(edit: Edit, para: Para, spans: list[tuple[int, int, str]]) -> None:
    """Mark ``edit`` as a value edit when it lies inside the text of one value (or names the value it spills
    over); a moved stretch is never a value edit."""
    if edit.kind == "moved":
        return
    text = para.old_text
    touched = [(s, e, path) for s, e, path in spans if _touches(edit, s, e, text)]
    if not touched:
        return
    if len(touched) > 1:
        edit.path = ", ".join(path for _, _, path in touched)
        edit.reason = "value-and-words"
        return
    start, end, path = touched[0]
    edit.path, edit.value = path, text[start:end]
    if edit.start < start or edit.end > end:
        edit.reason = "value-and-words"
        return
    edit.new_value = text[start : edit.start] + edit.new + text[edit.end : end]


def _join_across(pending: list[tuple[Place, Para, Edit]]) -> list[Edit]:
    """One edit for a change that runs on past the end of a paragraph whose mark it deletes (or inserts)
    into the start of the next: a deletion from the last words of clause 4.1 into 4.2 is one edit, in both."""
    out: list[Edit] = []
    last: tuple[Para, Edit] | None = None
    for place, para, edit in pending:
        if last is not None:
            before_para, before = last
            runs_on = (
                before_para.mark is not None
                and before.end == len(before.paragraph)
                and edit.start == 0
                and before.kind in ("deleted", "inserted", "replaced")
                and edit.kind in ("deleted", "inserted", "replaced")
                and before_para is not para
            )
            if runs_on:
                before.old += ("\n" if before.old and edit.old else "") + edit.old
                before.new += ("\n" if before.new and edit.new else "") + edit.new
                if place not in before.places:
                    before.places.append(place)
                if edit.path and not before.path:
                    before.path, before.value, before.new_value = edit.path, edit.value, edit.new_value
                before.kind = "replaced" if before.old and before.new else "deleted" if before.old else "inserted"
                if len(before.places) > 1:
                    before.reason = "spans-clauses"
                last = (para, before)
                continue
        out.append(edit)
        last = (para, edit)
    return out


def _collapse_clauses(reading: Reading, placed: list[tuple[Place, Para]]) -> None:
    """A clause whose every paragraph went (or came) whole is one edit: the clause deleted (inserted)."""
    paragraphs: dict[Place, list[Para]] = {}
    for place, para in placed:
        paragraphs.setdefault(place, []).append(para)
    for place, paras in paragraphs.items():
        if not place.key:
            continue
        if place.inserted:
            kind, text = "clause-inserted", "\n".join(p.new_text for p in paras)
        elif all(not p.new_text.strip() for p in paras) and any(p.old_text.strip() for p in paras):
            kind, text = "clause-deleted", "\n".join(p.old_text for p in paras)
        else:
            continue
        inside = [e for e in reading.edits if e.places == [place]]
        first = next((i for i, e in enumerate(reading.edits) if e in inside), len(reading.edits))
        whole = Edit(kind, [place], reason=kind)
        whole.old, whole.new = (text, "") if kind == "clause-deleted" else ("", text)
        if inside:
            whole.author, whole.date = inside[0].author, inside[0].date
        reading.edits = [e for e in reading.edits if e not in inside]
        reading.edits.insert(min(first, len(reading.edits)), whole)


def _comments(returned: Returned, placed: list[tuple[Place, Para]]) -> list[Edit]:
    """Each comment, on the clause where its range starts, with the words it is on."""
    starts: dict[str, tuple[int, int]] = {}
    ends: dict[str, tuple[int, int]] = {}
    for index, (_, para) in enumerate(placed):
        for cid, offset in para.comment_starts.items():
            starts.setdefault(cid, (index, offset))
        for cid, offset in para.comment_ends.items():
            ends[cid] = (index, offset)
    out: list[Edit] = []
    for cid, comment in returned.comments.items():
        where = starts.get(cid)
        place = placed[where[0]][0] if where is not None else OUTSIDE
        edit = Edit("comment", [place], new=comment.text, author=comment.author, date=comment.date, reason="comment")
        edit.anchor = _anchor(placed, where, ends.get(cid)) if where is not None else None
        out.append(edit)
    return out


def _anchor(placed: list[tuple[Place, Para]], start: tuple[int, int], end: tuple[int, int] | None) -> str:
    last = end or (start[0], len(placed[start[0]][1].new_text))
    words: list[str] = []
    for index in range(start[0], last[0] + 1):
        text = placed[index][1].new_text
        words.append(text[(start[1] if index == start[0] else 0) : (last[1] if index == last[0] else len(text))])
    return "\n".join(w for w in words if w)


__all__ = ["Edit", "Place", "Reading", "places_by_bookmark", "read_changes"]
