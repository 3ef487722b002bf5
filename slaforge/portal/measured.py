"""Which portfolio documents have measured data: one folder per document, named by its id.

``DATA/contoso-wan/`` holds the outages and tickets of the portfolio document ``contoso-wan`` in the
format ``slaforge report`` reads (docs/measurements.md).  A folder that names no document, or a
document a customer cannot see (an OLA, an underpinning contract), is an error naming the folder
and the documents that can have data, so that nothing is silently left out of the portal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from slaforge.arithmetic.achievement import Achievement, achievement
from slaforge.arithmetic.measurements import Measurements, load_measurements
from slaforge.arithmetic.periods import Period
from slaforge.errors import DataError, InvalidArgument, Problem, Problems
from slaforge.inputs.files import is_inside
from slaforge.layers.inherit import Portfolio, PortfolioDocument
from slaforge.spec.portfolio_file import Kind

REPORTED = (Kind.customer, Kind.service)


@dataclass(frozen=True)
class Measured:
    """A document's measured data and what it achieved in every window of it (oldest first)."""

    document: PortfolioDocument
    folder: Path
    data: Measurements
    windows: tuple[Achievement, ...]  # one per window, each reporting that window as its current one

    @property
    def latest(self) -> Achievement:
        return self.windows[-1]


def period_text(period: Period) -> str:
    """How ``slaforge report --period`` names a window: its first and last day."""
    return f"{period.start.isoformat()}..{(period.end - dt.timedelta(days=1)).isoformat()}"


def _target(link: Path) -> str:
    try:
        return str(link.resolve())
    except (OSError, RuntimeError):
        return "a loop of links"


def measured_documents(portfolio: Portfolio, data_dir: Path) -> dict[str, Measured]:
    """Every document with a data folder, in portfolio order; every problem at once."""
    if not data_dir.is_dir():
        raise InvalidArgument(
            f"measured data {data_dir} is not a folder: give a folder with one sub-folder per portfolio document"
        )
    reported = [d.id for d in portfolio.documents.values() if d.kind in REPORTED]
    problems: list[Problem] = []
    folders: dict[str, Path] = {}
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not is_inside(folder, data_dir):  # a link to a folder elsewhere on the disk: refused, never read
            problems.append(
                Problem(
                    f"the data folder {folder.name!r} lies outside {data_dir} (through a symbolic link); "
                    "refusing to read it",
                    file=str(folder),
                    given=f"a link to {_target(folder)}",
                    expected=f"a folder inside {data_dir}",
                    code="outside-data",
                )
            )
            continue
        document = portfolio.documents.get(folder.name)
        if document is None or document.kind not in REPORTED:
            problems.append(
                Problem(
                    f"the data folder {folder.name!r} names no customer or service level document of the portfolio",
                    file=str(folder),
                    given=folder.name,
                    expected=f"one of {', '.join(reported)}",
                    code="unknown-document",
                )
            )
            continue
        folders[document.id] = folder
    if not folders and not problems:
        problems.append(
            Problem(
                f"{data_dir} holds no data folder",
                file=str(data_dir),
                expected=f"a sub-folder named by a document id: {', '.join(reported)}",
                code="missing-data",
            )
        )
    Problems(problems).raise_errors(DataError, f"in the measured data {data_dir}")
    measured = {}
    for document_id in [d for d in portfolio.documents if d in folders]:
        document = portfolio.documents[document_id]
        data = load_measurements(folders[document_id], document.spec)
        every = achievement(document.spec, data)
        windows = tuple(achievement(document.spec, data, period_text(w.period)) for w in every.windows)
        measured[document_id] = Measured(document, folders[document_id], data, windows)
    return measured
