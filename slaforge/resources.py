"""Where the built-in ``templates/``, ``clauses/`` and ``samples/`` folders are.

In a source checkout or an editable install they sit at the top of the
repository, beside the package; in a wheel they are packed into
``slaforge/_data/``.  This is the one place that knows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from slaforge.errors import InvalidArgument

_PACKAGE = Path(__file__).resolve().parent
BUILTIN_THEME = "default"


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


def theme_folders(user_dir: Path | None = None) -> tuple[Path, ...]:
    """The folders of a theme, searched in order: the user's theme folder (when given), then the built-in theme."""
    folders: list[Path] = []
    if user_dir is not None:
        user_dir = user_dir.resolve()
        if not user_dir.is_dir():
            raise InvalidArgument(f"theme folder {user_dir} does not exist or is not a folder")
        folders.append(user_dir)
    folders.append((templates_dir() / BUILTIN_THEME).resolve())
    return tuple(folders)


def clauses_dir() -> Path:
    return data_root() / "clauses"


def samples_dir() -> Path | None:
    """The sample specs (``clauses check`` renders the clause library against them), beside
    ``templates/`` and ``clauses/``; None when an installation lacks them."""
    folder = data_root() / "samples"
    return folder if folder.is_dir() else None
