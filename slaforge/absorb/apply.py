"""``--apply``: the value edits into the spec (its comments and layout kept), the wording edits into clause
override files in the spec's own clause folder; nothing is written unless the changed agreement composes.

A value edit sets the value at its path in the spec's round-trip YAML, in the type the file gave it.
A wording edit is found in the clause's wording (the words around it too, so that it is found once;
a term or party mark, ``[[Provider]]``, may stand around a word) and replaced there, in a copy of the
clause file under the spec's first clause folder: that copy overrides the library's clause.  What
cannot be placed keeps a reason and is listed, never dropped.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from slaforge.absorb.reading import Edit, Reading
from slaforge.build import BuildOptions, compose, load_library, load_spec, resolve, texts_for
from slaforge.document import Document
from slaforge.errors import SlaforgeError, SpecError
from slaforge.inputs.editing import dump_edited, load_for_editing
from slaforge.inputs.files import read_text
from slaforge.library.clauses import Library
from slaforge.library.markup import escape
from slaforge.spec.paths import PathError, parse_path
from slaforge.writers import write_all

NEW_FOLDER = "negotiated-clauses"  # the clause folder --apply adds when the spec names none
CONTEXT_WORDS = 4  # words either side that find an edit in a clause's wording
# what may stand between the letters of a word as printed and as a wording writes it: term marks
# ("[[Incident|Incidents]]" prints "Incidents"), emphasis, escapes
_MARKUP = r"(?:\[\[(?:[^\]|\n]*\|)?|\]\]|\*{1,2}|\\)*"


def apply_edits(
    spec: Path, reading: Reading, document: Document, library: Library, options: BuildOptions
) -> dict[Path, bytes]:
    """The files --apply writes (spec and clause overrides); each applied edit learns where it went."""
    data = load_for_editing(spec)
    clauses = {c.id: c for c in document.clauses()}
    for edit in reading.edits:
        if edit.reason is None and edit.path and edit.new_value is not None:
            _set_value(data, edit, spec)
    folders = list(data.get("clause_dirs") or []) if isinstance(data, dict) else []
    folder = spec.parent / folders[0] if folders else spec.parent / NEW_FOLDER
    overrides: dict[str, tuple[Path, str]] = {}
    for edit in reading.edits:
        if edit.reason is not None or edit.path or edit.kind not in ("replaced", "inserted", "deleted"):
            continue
        place = edit.place
        source = library.clauses.get(place.key)
        clause = clauses.get(place.key)
        if source is None or clause is None:
            edit.reason = "wording-not-found"
            continue
        target = folder / source.meta.category / f"{source.id.partition('.')[2]}.md"
        if not source.builtin and source.path.resolve().parent.parent == folder.resolve():
            target = source.path
        _, text = overrides.get(place.key) or (target, read_text(source.path, what="clause file"))
        changed = _replace_in_wording(text, source.wording(clause.position).line, edit)
        if changed is None:
            edit.reason = "wording-not-found"
            continue
        overrides[place.key] = (target, changed)
        edit.applied = str(target)
    if overrides and not folders:
        data["clause_dirs"] = [NEW_FOLDER]
    files: dict[Path, bytes] = {}
    if overrides or any(edit.applied == str(spec) for edit in reading.edits):
        files[spec] = dump_edited(data)
    files.update({target: text.encode("utf-8") for target, text in overrides.values()})
    if files:
        _check(spec, files, options, [p for p, _ in overrides.values()])
    return files


def write_applied(files: dict[Path, bytes]) -> None:
    write_all(files)


def _set_value(data: Any, edit: Edit, spec: Path) -> None:
    assert edit.path is not None and edit.new_value is not None
    try:
        parts = parse_path(edit.path)
    except PathError:
        edit.reason = "not-in-spec-file"
        return
    node = data
    for kind, name in parts[:-1]:
        node = _step(node, kind, name)
        if node is None:
            edit.reason = "not-in-spec-file"
            return
    kind, name = parts[-1]
    key: Any = int(name) if isinstance(node, list) and name.isdigit() else name
    if (isinstance(node, dict) and key in node) or (
        isinstance(node, list) and isinstance(key, int) and key < len(node)
    ):
        node[key] = _typed(node[key], edit.new_value.strip())
        edit.applied = str(spec)
    else:
        edit.reason = "not-in-spec-file"


def _step(node: Any, kind: str, name: str) -> Any:
    if isinstance(node, dict):
        return node.get(name)
    if isinstance(node, list):
        if name.isdigit() and int(name) < len(node):
            return node[int(name)]
        return next((item for item in node if isinstance(item, dict) and str(item.get("id")) == name), None)
    return None


def _typed(old: Any, new: str) -> Any:
    """``new`` in the type the file gave the old value: a number stays a number, a quoted string quoted."""
    if isinstance(old, bool):
        return new
    if isinstance(old, int) and re.fullmatch(r"-?\d+", new):
        return int(new)
    if isinstance(old, float) and re.fullmatch(r"-?\d+(\.\d+)?", new):
        return float(new)
    if isinstance(old, str) and type(old) is not str:  # a quoted scalar of ruamel's keeps its quotes
        return type(old)(new)
    return new


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def _pattern(text: str) -> str:
    """A regular expression for ``text`` as printed, in a wording: markup between letters, any spacing."""
    parts = []
    for word in _words(text):
        parts.append(_MARKUP + _MARKUP.join(re.escape(ch) for ch in word) + _MARKUP)
    return r"\s+".join(parts)


def _replace_in_wording(file_text: str, first_line: int, edit: Edit) -> str | None:
    """The clause file with ``edit`` made in the wording that starts at ``first_line``, or None when the words
    around the edit are not found there exactly once (or touch a Jinja expression)."""
    lines = file_text.split("\n")
    head, body = "\n".join(lines[: first_line - 1]), "\n".join(lines[first_line - 1 :])
    old = edit.paragraph
    before = _words(old[: edit.start])[-CONTEXT_WORDS:]
    after = _words(old[edit.end :])[:CONTEXT_WORDS]
    if not before and not after:
        return None
    gap_before = r"\s+" if before and old[: edit.start][-1:].isspace() else ""
    gap_after = r"\s+" if after and old[edit.end :][:1].isspace() else ""
    deleted = _pattern(edit.old) if edit.old.strip() else ""
    regex = "".join(
        (
            f"(?P<before>{_pattern(' '.join(before))}{gap_before})" if before else "(?P<before>)",
            f"(?P<old>{deleted})",
            f"(?P<after>{gap_after}{_pattern(' '.join(after))})" if after else "(?P<after>)",
        )
    )
    found = list(re.finditer(regex, body))
    if len(found) != 1 or "{" in found[0].group(0):
        return None
    match = found[0]
    inserted = escape(edit.new) if edit.new.strip() else ""
    if edit.new[:1].isspace() and not match["before"][-1:].isspace():
        inserted = " " + inserted
    if edit.new[-1:].isspace() and not match["after"][:1].isspace():
        inserted += " "
    body = body[: match.start("old")] + inserted + body[match.end("old") :]
    return f"{head}\n{body}" if head else body


def _check(spec: Path, files: dict[Path, bytes], options: BuildOptions, overrides: list[Path]) -> None:
    """Compose the changed agreement from the staged files; a :class:`SpecError` naming what is wrong if not.

    The staged spec lies beside the spec (its relative paths mean the same) under a hidden name, and is
    gone afterwards; the clause overrides are read from a folder of their own, searched first.
    """
    staged_spec = spec.parent / f".{spec.stem}.absorb-check{spec.suffix}"
    with tempfile.TemporaryDirectory(prefix="slaforge-absorb-") as staging:
        clause_folder = Path(staging)
        for path in overrides:
            staged = clause_folder / path.parent.name / path.name
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(files[path])
        try:
            staged_spec.write_bytes(files[spec] if spec in files else spec.read_bytes())
            loaded = load_spec(staged_spec)
            spec_dirs = [spec.parent / d for d in loaded.spec.clause_dirs if (spec.parent / d).is_dir()]
            library = load_library([clause_folder, *options.clause_dirs, *spec_dirs])
            compose(resolve(loaded), library, texts=texts_for(options.theme_dir))
        except SlaforgeError as error:
            problems = [replace(p, file=str(spec)) if p.file == str(staged_spec) else p for p in error.problems]
            raise SpecError(
                f"--apply wrote nothing: the changed spec does not compose: {error.message}", problems
            ) from None
        finally:
            staged_spec.unlink(missing_ok=True)


__all__ = ["apply_edits", "write_applied"]
