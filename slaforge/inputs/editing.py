"""A user's YAML file as a command that edits it reads and writes it: ruamel's round trip, so that the
comments, the order of keys, the quoting and the layout the user wrote stay as they were (``bump``
raising a version, ``absorb --apply`` writing the values the other side changed)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from slaforge.errors import SpecError
from slaforge.inputs.files import ErrorType, read_text


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def load_for_editing(file: Path, error: ErrorType = SpecError) -> Any:
    """The file's round-trip YAML (comments and layout kept), read through the boundary (a regular file of
    bounded size, UTF-8); callers have checked it, nesting and aliases included, when they read it first."""
    return _yaml().load(read_text(file, what="YAML file", error=error))


def dump_edited(data: Any) -> bytes:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue().encode("utf-8")
