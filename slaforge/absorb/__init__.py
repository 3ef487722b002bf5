"""The counterparty's markup, read back: ``slaforge absorb SPEC RETURNED.docx``.

The agreement is composed again from SPEC and rendered to DOCX in memory, as it was sent; the
returned file is read (:mod:`package`), its tracked changes and comments are found clause by clause
and the value edits mapped to spec paths (:mod:`reading`); ``--apply`` writes them (:mod:`apply`).
The words of the report are the theme's (``templates/<theme>/absorb/report.txt.j2``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from slaforge.absorb.apply import apply_edits, write_applied
from slaforge.absorb.package import Returned, read_docx, read_package
from slaforge.absorb.reading import Edit, Reading, places_by_bookmark, read_changes
from slaforge.build import BuildOptions, document_for, library_for, load_spec
from slaforge.errors import InputError, Problem
from slaforge.renderers import RenderOptions, render
from slaforge.renderers.docx.ooxml import BookmarkNames
from slaforge.renderers.theme import Theme
from slaforge.writers import theme_for

REPORT = "absorb/report.txt.j2"


@dataclass(frozen=True)
class Absorbed:
    spec: Path
    returned: Path
    reading: Reading
    written: tuple[Path, ...] = ()  # what --apply wrote


def absorb(spec: Path, returned: Path, options: BuildOptions, *, apply: bool = False) -> Absorbed:
    """What the other side changed in ``returned`` against the agreement ``spec`` composes; with ``apply``
    the changes that map written into the spec and its clause folder (all of them, or nothing)."""
    loaded = load_spec(spec, strict=options.strict)
    _, document = document_for(loaded, options)
    got = read_package(returned)
    sent_bytes = render(
        document, "docx", RenderOptions(theme=theme_for(document, options.theme_dir), content_controls=True)
    )
    sent = read_docx(sent_bytes, "the agreement as sent")
    names = BookmarkNames()
    bookmarks = places_by_bookmark(document, [names.add(n.id) for s in document.sections for n in (s, *s.clauses)])
    _same_agreement(got, bookmarks, returned, document.meta.agreement_id, document.meta.title)
    reading = read_changes(got, sent, bookmarks)
    written: tuple[Path, ...] = ()
    if apply:
        files = apply_edits(spec, reading, document, library_for(loaded, options.clause_dirs), options)
        if files:
            write_applied(files)
        written = tuple(files)
    return Absorbed(spec, returned, reading, written)


def _same_agreement(got: Returned, bookmarks: dict[str, object], path: Path, agreement: str, title: str) -> None:
    """A returned file that has none of the agreement's clause bookmarks, or another title, is another document."""
    found = {name for para in got.paragraphs for name in para.bookmarks if name in bookmarks}
    if len(found) * 2 < len(bookmarks) or (got.title is not None and got.title.strip() != title.strip()):
        given = f"a document titled {got.title!r}" if got.title else "a document without this agreement's clauses"
        problem = Problem(
            f"is not a copy of {agreement}: {len(found)} of its {len(bookmarks)} clause headings are in it",
            file=str(path),
            given=given,
            expected=f"the DOCX slaforge built from this spec ({title!r}), as the other side returned it",
            code="other-agreement",
        )
        raise InputError(f"{path} is not a copy of {agreement}", [problem])


def report_text(result: Absorbed, theme_dir: Path | None = None) -> str:
    return Theme.load(theme_dir).render(REPORT, {"result": _view(result)})


def report_json(result: Absorbed) -> str:
    return json.dumps(_view(result), indent=2, ensure_ascii=False) + "\n"


def _view(result: Absorbed) -> dict[str, object]:
    clauses: list[dict[str, object]] = []
    for place in result.reading.places:
        edits = [_edit(e) for e in result.reading.edits if e.place == place]
        if edits:
            clauses.append({"number": place.number, "title": place.title, "id": place.key, "edits": edits})
    edits = result.reading.edits
    return {
        "spec": str(result.spec),
        "returned": str(result.returned),
        "clauses": clauses,
        "counts": {
            "edits": len(edits),
            "value_edits": sum(1 for e in edits if e.path and e.reason is None),
            "applied": sum(1 for e in edits if e.applied),
            "not_applied": sum(1 for e in edits if e.reason),
        },
        "written": [str(p) for p in result.written],
    }


def _edit(edit: Edit) -> dict[str, object]:
    return {
        "kind": edit.kind,
        "clauses": [{"number": p.number, "title": p.title} for p in edit.places],
        "old": edit.old,
        "new": edit.new,
        "author": edit.author,
        "date": edit.date,
        "path": edit.path,
        "value": edit.value,
        "new_value": edit.new_value,
        "anchor": edit.anchor,
        "not_applied": edit.reason,
        "applied": edit.applied,
    }


__all__ = ["Absorbed", "absorb", "report_json", "report_text"]
