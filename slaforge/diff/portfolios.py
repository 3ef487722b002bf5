"""Two versions of a portfolio, compared document by document.

Each side is a portfolio file, or a portfolio at a git revision (``v2027.1:samples/portfolio/portfolio.yaml``:
every file it reads is read at that revision).  Every document is composed as the portfolio build
composes it (what it leaves to the documents above it included), documents are paired by agreement
id, and each pair is compared as two spec files are; documents only in the new portfolio are added,
only in the old one removed.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from slaforge.build import BuildOptions
from slaforge.compose import compose
from slaforge.diff.comparison import Comparison, compare
from slaforge.diff.versions import Version, read_both, split_revision
from slaforge.errors import InvalidArgument, Problems, SlaforgeError, SpecError
from slaforge.inputs.git import show, tree
from slaforge.layers.documents import document_clause_dirs
from slaforge.layers.inherit import is_portfolio_file, read_portfolio
from slaforge.layers.levels import check_levels
from slaforge.layers.subordination import plan_documents
from slaforge.library.clauses import Library, load_library
from slaforge.library.texts import texts_for


@dataclass(frozen=True)
class Side:
    label: str  # as the user named it
    versions: dict[str, tuple[str, Version]]  # agreement id -> (document id, its version), in portfolio order


@dataclass(frozen=True)
class PortfolioComparison:
    old: Side
    new: Side
    pairs: tuple[Comparison, ...]  # documents in both, in the new portfolio's order
    added: tuple[tuple[str, Version], ...]  # (document id, version)
    removed: tuple[tuple[str, Version], ...]

    @property
    def changed(self) -> tuple[Comparison, ...]:
        return tuple(pair for pair in self.pairs if pair.changes)

    @property
    def unchanged(self) -> tuple[Comparison, ...]:
        return tuple(pair for pair in self.pairs if not pair.changes)


def is_portfolio_argument(argument: str) -> bool:
    """A portfolio file on disk, or ``REV:path`` whose file at that revision is a portfolio."""
    revision = split_revision(argument)
    if revision is None:
        return is_portfolio_file(Path(argument))
    from slaforge.spec.portfolio_file import PORTFOLIO_KEY

    try:
        text = show(revision[0], revision[1], what="portfolio")
    except SlaforgeError:
        return False
    with tempfile.TemporaryDirectory(prefix="slaforge-diff-") as folder:
        copy = Path(folder) / "portfolio.yaml"
        copy.write_bytes(text)
        return PORTFOLIO_KEY.encode() in text and is_portfolio_file(copy)


def read_side(argument: str, options: BuildOptions) -> Side:
    """Read, check and compose every document of one portfolio version."""
    revision = split_revision(argument)
    if revision is None:
        return _side(argument, Path(argument), options)
    with tempfile.TemporaryDirectory(prefix="slaforge-diff-") as folder:
        copy = tree(revision[0], revision[1], Path(folder))
        prefix = str(Path(folder).resolve())
        try:
            return _side(argument, copy, options)
        except SpecError as error:
            raise _relabel(error, prefix, f"{revision[0]}:") from None


def _relabel(error: SpecError, prefix: str, revision: str) -> SpecError:
    def fix(text: str | None) -> str | None:
        return None if text is None else text.replace(prefix + "/", revision).replace(prefix, revision)

    problems = [replace(p, file=fix(p.file), message=fix(p.message) or "") for p in error.problems]
    return SpecError(fix(error.message) or "", problems)


def _side(label: str, path: Path, options: BuildOptions) -> Side:
    portfolio = read_portfolio(path, strict=options.strict)
    report = check_levels(portfolio)
    Problems(report.errors).raise_errors()
    libraries: dict[tuple[Path, ...], Library] = {}

    def library(document: object) -> Library:
        dirs = document_clause_dirs(document, options.clause_dirs)  # type: ignore[arg-type]
        if dirs not in libraries:
            libraries[dirs] = load_library(list(dirs))
        return libraries[dirs]

    plans = plan_documents(portfolio, report, library)
    texts = texts_for(options.theme_dir)
    versions: dict[str, tuple[str, Version]] = {}
    for document in portfolio.documents.values():
        plan = plans[document.id]
        chosen = library(document)
        composed = compose(plan.agreement, chosen, omit=plan.omit, external=plan.external, texts=texts)
        params = {c.id: tuple(c.meta.params) for c in chosen.clauses.values()}
        name = f"{label}#{document.id}"
        version = Version(name, document.loaded, plan.agreement, composed, params)
        versions[document.spec.agreement.id] = (document.id, version)
    return Side(label, versions)


def compare_portfolios(old: str, new: str, options: BuildOptions, document: str | None = None) -> PortfolioComparison:
    """Both portfolios read and checked (every problem of both at once), then compared pair by pair.

    With ``document`` only the documents of that id are compared.
    """
    sides = read_both(old, new, lambda argument: read_side(argument, options))
    before, after = sides
    if document is not None:
        before, after = _only(before, document), _only(after, document)
        if not before.versions and not after.versions:
            ids = sorted({d for side in sides for d, _ in side.versions.values()})
            raise InvalidArgument(f"neither portfolio has a document {document!r}; they have: {', '.join(ids)}")
    pairs = tuple(compare(before.versions[a][1], v) for a, (_, v) in after.versions.items() if a in before.versions)
    added = tuple(entry for a, entry in after.versions.items() if a not in before.versions)
    removed = tuple(entry for a, entry in before.versions.items() if a not in after.versions)
    return PortfolioComparison(before, after, pairs, added, removed)


def _only(side: Side, document: str) -> Side:
    return Side(side.label, {a: entry for a, entry in side.versions.items() if entry[0] == document})
