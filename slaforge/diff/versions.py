"""The two sides of a comparison: a spec file, or a spec at a git revision (``v1.2:samples/x.yaml``).

A revision is read with git itself, through :mod:`slaforge.inputs.git` (the
revision checked before git sees it, the path kept inside the repository),
written to a private temporary file and loaded like any spec; errors name it
as the user wrote it.  Clause folders the
spec names are found next to the path in the working tree.

A :class:`Version` is one agreement.  A portfolio (several agreements in one
file) loads into several Versions, compared pair by pair, matched by agreement
id (:mod:`slaforge.diff.portfolios`); a portfolio at a revision is read whole
at that revision (:func:`slaforge.inputs.git.tree`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from slaforge.build import BuildOptions, library_for
from slaforge.compose import compose
from slaforge.compose.resolve import Agreement, resolve
from slaforge.document import Document
from slaforge.errors import Problem, Problems, SlaforgeError, SpecError
from slaforge.inputs.git import show
from slaforge.library.texts import texts_for
from slaforge.spec.loader import LoadedSpec, load_spec

T = TypeVar("T")


@dataclass(frozen=True)
class Version:
    label: str  # as the user named it: samples/v1.yaml, HEAD~1:samples/x.yaml
    loaded: LoadedSpec
    agreement: Agreement
    document: Document
    # clause id -> the top-level spec keys its wording reads (from the clause's front matter)
    params: dict[str, tuple[str, ...]] = field(default_factory=dict)


def read_version(argument: str, options: BuildOptions) -> Version:
    """Load, resolve and compose one side of a comparison."""
    revision = split_revision(argument)
    if revision is None:
        loaded = load_spec(Path(argument), strict=options.strict)
    else:
        loaded = load_revision(*revision, strict=options.strict)
    agreement = resolve(loaded)
    library = library_for(loaded, options.clause_dirs)
    document = compose(agreement, library, texts=texts_for(options.theme_dir))
    params = {c.id: tuple(c.meta.params) for c in library.clauses.values()}
    return Version(argument, loaded, agreement, document, params)


def split_revision(argument: str) -> tuple[str, str] | None:
    """``"HEAD~1:samples/x.yaml"`` -> ``("HEAD~1", "samples/x.yaml")``; None for a file on disk."""
    try:
        if Path(argument).exists():
            return None
    except (OSError, ValueError):  # a name too long, or holding a NUL, is no file on disk
        pass
    revision, colon, path = argument.partition(":")
    if not colon or not revision or not path:
        return None
    return revision, path


def load_revision(revision: str, path: str, strict: bool = False) -> LoadedSpec:
    label = f"{revision}:{path}"
    text = show(revision, path, what="spec")
    with tempfile.TemporaryDirectory(prefix="slaforge-diff-") as folder:
        copy = Path(folder) / Path(path).name
        copy.write_bytes(text)
        try:
            loaded = load_spec(copy, strict=strict)
        except SpecError as error:
            problems = [replace(p, file=label) if p.file == str(copy) else p for p in error.problems]
            raise SpecError(error.message.replace(str(copy), label), problems) from None
    loaded.source.file = label
    return replace(loaded, path=Path(path))


def read_both(old: str, new: str, read: Callable[[str], T]) -> tuple[T, T]:
    """Both sides read and checked: when both are invalid, every problem of both, at once."""
    done: list[T] = []
    failed: list[SlaforgeError] = []
    for argument in (old, new):
        try:
            done.append(read(argument))
        except SlaforgeError as error:
            failed.append(error)
    if len(failed) == 1:
        raise failed[0]
    if failed:
        problems = Problems()
        for error, argument in zip(failed, (old, new), strict=True):
            problems.extend(error.problems or [Problem(error.message, file=argument)])
        raise problems.exception()
    return done[0], done[1]
