"""One document of a portfolio, or one spec file: what every command that reads an agreement starts from.

``slaforge report``, ``calc``, ``export``, ``explain``, ``resolve`` and ``clauses check`` take a
spec file, or a portfolio file and ``--document ID``; :func:`load_document` gives either as a
:class:`~slaforge.spec.loader.LoadedSpec` (a portfolio document's merged spec, whose positions name
the file and line of every layer that set a value), and :func:`portfolio_document` gives the
document with its portfolio for the commands that need its layers.
"""

from __future__ import annotations

from pathlib import Path

from slaforge.errors import InvalidArgument, Problems
from slaforge.layers.inherit import Portfolio, PortfolioDocument, is_portfolio_file, not_a_portfolio, read_portfolio
from slaforge.spec.loader import LoadedSpec, load_spec


def portfolio_document(
    path: Path, document_id: str | None, strict: bool = False, checked: bool = True
) -> tuple[Portfolio, PortfolioDocument]:
    """The portfolio at ``path`` and its document ``document_id``.

    With ``checked`` the portfolio must also pass the checks across its levels, as for a build
    (a document the build refuses is not reported on or exported either).
    """
    portfolio = read_portfolio(path, strict=strict)
    ids = ", ".join(portfolio.documents)
    if document_id is None:
        raise InvalidArgument(f"{path} is a portfolio: name the document with --document (one of: {ids})")
    document = portfolio.documents.get(document_id)
    if document is None:
        raise InvalidArgument(f"the portfolio {path} has no document {document_id!r}; it has: {ids}")
    if checked:
        from slaforge.layers.levels import check_levels

        Problems(check_levels(portfolio).errors).raise_errors()
    return portfolio, document


def load_document(path: Path, document_id: str | None = None, strict: bool = False) -> LoadedSpec:
    """The spec at ``path``, or the merged spec of document ``document_id`` of the portfolio at ``path``."""
    path = Path(path)
    if is_portfolio_file(path):
        return portfolio_document(path, document_id, strict)[1].loaded
    if document_id is not None:
        raise not_a_portfolio(path)
    return load_spec(path, strict=strict)


def document_clause_dirs(document: PortfolioDocument, extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """The command line's clause folders (``extra``), then the document's, each relative to the file
    that names it."""
    own = []
    for i, name in enumerate(document.spec.clause_dirs):
        origin = document.source.origin(("clause_dirs", i))
        base = Path(origin.file).parent if origin else document.loaded.path.parent
        own.append((base / name).resolve())
    return (*extra, *own)
