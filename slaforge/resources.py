"""Where the built-in ``templates/`` and ``clauses/`` folders are.

In a source checkout or an editable install they sit at the top of the
repository, beside the package; in a wheel they are packed into
``slaforge/_data/``.  This is the one place that knows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    packed = _PACKAGE / "_data"
    if (packed / "templates").is_dir():
        return packed
    checkout = _PACKAGE.parent
    if (checkout / "templates").is_dir():
        return checkout
    raise FileNotFoundError(
        f"slaforge's templates/ and clauses/ folders were found neither in {packed} nor in {checkout}"
    )


def templates_dir() -> Path:
    return data_root() / "templates"


def clauses_dir() -> Path:
    return data_root() / "clauses"


def samples_dir() -> Path | None:
    """The sample specs, in a checkout (they do not ship inside the wheel)."""
    folder = _PACKAGE.parent / "samples"
    return folder if folder.is_dir() else None
