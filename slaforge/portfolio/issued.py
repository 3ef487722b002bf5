"""The issued versions of a built portfolio: ``OUT/issued/``, where no version's files are ever lost.

A document's outputs are named by version (``NW-SVC-CONTOSO-WAN-v1.1.pdf``).  When a build gives
a document a new version, the files of the version it replaces move, byte for byte, to the same
place under ``OUT/issued/`` (``issued/services/wan/NW-SVC-CONTOSO-WAN-v1.1.pdf``), and the
register ``OUT/issued/register.json`` records each of them: the document, its agreement id and
version, each file with its SHA-256.  A records manager finds every version ever issued there.

A document taken out of the portfolio keeps its files where they are: the build reports it, and
only ``--prune`` moves its files to the archive (they are never deleted).

The archive never overwrites: a version whose file is already archived with other bytes (a
version number used twice) stops the build before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slaforge.errors import InputError, Problem
from slaforge.inputs.files import read_text
from slaforge.inputs.limits import TEXT_FILE_BYTES
from slaforge.writers import is_plain_name, own_file

ISSUED = "issued"
REGISTER = "register.json"


@dataclass(frozen=True)
class Issue:
    """One issued version of a document: where its files were and what they held."""

    document: str
    agreement: str
    version: str
    outputs: dict[str, str]  # path relative to OUT (the live place) -> sha256
    content: str | None = None  # the digest of what it says (the build's, whatever its theme)


@dataclass
class Archive:
    """What a build moves into ``issued/``: the copies to write, the live files to remove afterwards."""

    out: Path
    register: list[Issue] = field(default_factory=list)  # this build's new entries
    files: dict[Path, bytes] = field(default_factory=dict)
    remove: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    earlier: list[Issue] = field(default_factory=list)  # the register as this build found it

    def __post_init__(self) -> None:
        self.earlier = read_register(self.out)

    def content_of(self, document: str, version: str) -> str | None:
        """What the archived ``version`` of ``document`` says (its digest), if it was archived."""
        return next((i.content for i in self.earlier if (i.document, i.version) == (document, version)), None)

    def reissued(self, document: str, agreement: str, version: str, content: str) -> Problem | None:
        """A problem when ``version`` of ``document`` is in the archive saying something else."""
        archived = self.content_of(document, version)
        if archived is None or archived == content:
            return None
        return Problem(
            f"document {document}: {agreement} v{version} was issued and replaced before "
            f"({self.out / ISSUED}); it cannot say something else now: give the document a version it has "
            "never had",
            given=version,
            expected="a version never issued before",
            code="version-reissued",
        )

    def keep(self, issue: Issue) -> bool:
        """Archive the files of ``issue`` that are still in the live tree (a lost one is left out);
        False when none of them is there any more."""
        kept: dict[str, str] = {}
        for name in sorted(issue.outputs):
            live = own_file(self.out, name)
            if live is None or not live.is_file():
                continue
            data = live.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            if sha != issue.outputs[name]:  # not what the build wrote there: the user's, left alone
                continue
            target = own_file(self.out, f"{ISSUED}/{name}")
            if target is None:  # the archive's place is a link: the live file stays where it is
                continue
            archived = self.content_of(issue.document, issue.version)
            same = archived is not None and archived == issue.content  # the same text in another theme
            if target.is_file() and target.read_bytes() != data and not same:
                self.problems.append(
                    Problem(
                        f"document {issue.document}: {issue.agreement} v{issue.version} was issued before with "
                        f"other content ({target}); {live} cannot replace it: give the document a version "
                        "it has never had",
                        given=issue.version,
                        expected="a version never issued before",
                        code="version-reissued",
                    )
                )
                continue
            if not target.is_file():
                self.files[target] = data
            self.remove.append(live)
            kept[name] = sha
        if kept:
            self.register.append(Issue(issue.document, issue.agreement, issue.version, kept, issue.content))
        return bool(kept)

    def issued_of(self, document: str) -> list[tuple[str, list[str]]]:
        """(version, archived paths relative to OUT) of every issued version of ``document``, oldest first:
        those archived before and those this build archives (written with the rest of the build)."""
        versions: dict[str, list[str]] = {}
        for issue in [*self.earlier, *self.register]:
            if issue.document != document:
                continue
            names = []
            for name in issue.outputs:
                target = own_file(self.out, f"{ISSUED}/{name}")
                if target is not None and (target in self.files or target.is_file()):
                    names.append(f"{ISSUED}/{name}")
            versions.setdefault(issue.version, []).extend(names)
        return [(v, sorted(set(n))) for v, n in sorted(versions.items(), key=lambda item: _order(item[0])) if n]

    def register_bytes(self) -> bytes | None:
        """The register with this build's entries added; None when nothing was archived."""
        if not self.register:
            return None
        entries: dict[tuple[str, str, str], dict[str, str]] = {}
        contents: dict[tuple[str, str, str], str | None] = {}
        for issue in [*self.earlier, *self.register]:
            key = (issue.document, issue.agreement, issue.version)
            for name, sha in issue.outputs.items():
                entries.setdefault(key, {}).setdefault(name, sha)  # the first archived copy stays
            contents[key] = contents.get(key) or issue.content
        data = [
            {
                "document": d,
                "agreement": a,
                "version": v,
                "content": contents[(d, a, v)],
                "files": dict(sorted(files.items())),
            }
            for (d, a, v), files in sorted(entries.items(), key=lambda item: (item[0][0], _order(item[0][2])))
        ]
        return (json.dumps({"issued": data}, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _order(version: str) -> tuple[Any, ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in version.split("."))


def read_register(out: Path) -> list[Issue]:
    """Every issued version recorded under ``out/issued/``; nothing for a missing or damaged register.

    Names are kept only when they are plain relative paths, as in the build's manifests."""
    path = own_file(out, f"{ISSUED}/{REGISTER}")
    if path is None:
        return []
    try:
        data = json.loads(read_text(path, limit=TEXT_FILE_BYTES, what="register of issued versions"))
    except (InputError, ValueError, RecursionError):
        return []
    items = data.get("issued") if isinstance(data, dict) else None
    out_list: list[Issue] = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict):
            continue
        fields = [item.get(k) for k in ("document", "agreement", "version")]
        files = item.get("files")
        if not all(isinstance(f, str) for f in fields) or not isinstance(files, dict):
            continue
        safe = {n: s for n, s in files.items() if isinstance(n, str) and isinstance(s, str) and is_plain_name(n)}
        content = item.get("content")
        out_list.append(Issue(*fields, safe, content if isinstance(content, str) else None))  # type: ignore[arg-type]
    return out_list
