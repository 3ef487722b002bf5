"""A file as it was at a git revision (``v1.2:samples/x.yaml``), read without letting the revision or the
path become anything else.

Everything slaforge reads from git goes through :func:`show` (one file) or :func:`tree` (the whole
repository at a commit, for a portfolio):

- the revision is checked before git sees it: never empty, never starting with ``-`` (``--output=/x``
  would be an option of ``git show`` and write a file anywhere), no control characters, and then
  resolved to a commit by ``git rev-parse --verify --end-of-options REV^{commit}``;
- the path is made relative to the top of the repository that holds it, with ``..`` resolved first,
  and refused when it lies outside;
- the object at ``COMMIT:path`` must be a file (a blob) no larger than the limit; its bytes are read
  with ``git cat-file blob`` by object id, so no argument git receives is spelt by the user.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from slaforge.errors import InputError
from slaforge.inputs.limits import REVISION_CHARS, TEXT_FILE_BYTES, TREE_BYTES
from slaforge.text import cut, printable

# control characters, and the characters git itself refuses in a ref name or revision
_BAD_REVISION = re.compile(r"[\x00-\x20\x7f]")
_OBJECT_ID = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


class RevisionError(InputError):
    """A ``REV:path`` that names no readable file at a revision of a git repository."""


def check_revision(revision: str, label: str) -> None:
    """Refuse a revision that is not one before git sees it (an option, an empty name, control characters)."""
    if not revision:
        raise RevisionError(f"{label}: no revision before the ':'")
    if revision.startswith("-"):
        raise RevisionError(f"{label}: a revision cannot start with '-' (it would be read as an option of git)")
    if len(revision) > REVISION_CHARS:
        raise RevisionError(f"{label}: a revision of {len(revision):,} characters is not one")
    if _BAD_REVISION.search(revision):
        raise RevisionError(f"{label}: a revision cannot hold spaces or control characters")


def show(revision: str, path: str | Path, *, limit: int = TEXT_FILE_BYTES, what: str = "file") -> bytes:
    """The bytes of ``path`` (relative to the working folder) at ``revision`` of the repository holding it."""
    at = _locate(revision, path, what=what)
    size = int(at.git("cat-file", "-s", at.blob).decode().strip() or 0)
    if size > limit:
        raise RevisionError(
            f"{at.label}: {size:,} bytes is larger than a {what} may be ({limit:,} bytes; see docs/limits.md)"
        )
    return at.git("cat-file", "blob", at.blob)


def tree(revision: str, path: str | Path, into: Path, *, limit: int = TREE_BYTES) -> Path:
    """The repository that holds ``path`` as it was at ``revision``, unpacked into ``into``; returns where
    ``path`` is in that copy.  (A portfolio is many files: its fragments, the files they extend, its clause
    folders, all read at the same revision.)  The archive is read by commit id and unpacked with tarfile's
    ``data`` filter: no member lands outside ``into``, and no link points outside it."""
    at = _locate(revision, path, what="portfolio")
    archive = at.git("archive", "--format=tar", at.commit, limit=limit)
    try:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as error:
        unpacked = f"the files at {printable(cut(revision, 60))} cannot be unpacked"
        raise RevisionError(f"{at.label}: {unpacked}: {error}") from None
    return into / at.inside


@dataclass(frozen=True)
class _At:
    """Where ``path`` is at ``revision``: the commit and blob ids, and the path inside the repository."""

    label: str
    executable: str
    top: Path
    commit: str
    inside: str
    blob: str

    def git(self, *args: str, limit: int | None = None) -> bytes:
        return _git(self.executable, self.top, *args, label=self.label, limit=limit)


def _locate(revision: str, path: str | Path, *, what: str) -> _At:
    label = printable(f"{cut(revision, 60)}:{cut(str(path), 200)}")
    check_revision(revision, label)
    if "\x00" in str(path):
        raise RevisionError(f"{label}: not a file name (it holds a NUL character)")
    git = shutil.which("git")
    if git is None:
        raise RevisionError(f"{label}: reading a revision needs git, which is not installed")
    absolute = Path(os.path.normpath(Path.cwd() / path))  # ".." resolved before anything is looked up
    folder = absolute.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent  # the file (or its folder) may be gone from the working tree
    top_level = _git(git, folder, "rev-parse", "--show-toplevel", label=label, missing=True).decode().strip()
    if not top_level:
        raise RevisionError(f"{label}: {path} is not inside a git repository")
    top = Path(top_level)
    inside = _inside(absolute, top)
    if inside is None:
        raise RevisionError(f"{label}: {path} is not inside the git repository at {top}")
    commit = _git(
        git,
        top,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{revision}^{{commit}}",
        label=label,
        missing=True,
    )
    commit_id = commit.decode().strip()
    if not _OBJECT_ID.match(commit_id):
        raise RevisionError(f"{label}: {revision!r} names no commit")
    spec = f"{commit_id}:{inside}"
    blob = _git(git, top, "rev-parse", "--verify", "--quiet", "--end-of-options", spec, label=label, missing=True)
    blob_id = blob.decode().strip()
    if not _OBJECT_ID.match(blob_id):
        raise RevisionError(f"{label}: there is no {inside} at {revision}")
    kind = _git(git, top, "cat-file", "-t", blob_id, label=label).decode().strip()
    if kind != "blob":
        raise RevisionError(f"{label}: {inside} at {revision} is a folder, not a {what}")
    return _At(label, git, top, commit_id, inside, blob_id)


def _inside(absolute: Path, top: Path) -> str | None:
    """``absolute`` relative to the repository's top, as git names it; None when it lies outside."""
    for base in (top, top.resolve()):
        for candidate in (absolute, Path(os.path.normpath(absolute.parent.resolve() / absolute.name))):
            try:
                relative = candidate.relative_to(base)
            except ValueError:
                continue
            if relative.parts and ".." not in relative.parts:
                return relative.as_posix()
    return None


def _git(git: str, folder: Path, *args: str, label: str, missing: bool = False, limit: int | None = None) -> bytes:
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"}
    result = subprocess.run(
        [git, "--no-pager", "-C", str(folder), *args],
        capture_output=True,
        check=False,
        stdin=subprocess.DEVNULL,
        env=environment,
    )
    if result.returncode:
        if missing:
            return b""
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        detail = reason[-1] if reason else f"git exited with {result.returncode}"
        raise RevisionError(f"{label}: git cannot read it: {printable(cut(detail.removeprefix('fatal: '), 300))}")
    if limit is not None and len(result.stdout) > limit:
        raise RevisionError(f"{label}: git gave more than {limit:,} bytes (see docs/limits.md)")
    return result.stdout
