"""Web fonts for the self-contained HTML: a theme's TrueType/OpenType fonts travel as WOFF2.

A browser reads WOFF2 (Brotli-compressed, about 40% of the TrueType file), so the HTML renderer
inlines a theme font as WOFF2 whatever the CSS names: the ``.woff2`` file next to it when the
theme ships one (the default theme does), otherwise the font compressed here with fontTools.
The PDF renderer keeps reading the TrueType file the CSS names.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from slaforge.errors import RenderError

COMPRESSIBLE = (".ttf", ".otf")


def web_font(path: Path, read: Callable[[Path], bytes]) -> tuple[str, bytes]:
    """The media type and bytes to inline for the font at ``path``: WOFF2 for a TTF/OTF font.

    ``read`` reads a file (the caller's bounded reader); a shipped ``.woff2`` beside the font is used
    only when it is a regular file there, never a link to elsewhere."""
    if path.suffix.lower() not in COMPRESSIBLE:
        return f"font/{path.suffix.lower()[1:]}", read(path)
    shipped = path.with_suffix(".woff2")
    if shipped.is_file() and not shipped.is_symlink():
        return "font/woff2", read(shipped)
    return "font/woff2", _compressed(read(path), path.name)


def woff2(data: bytes, name: str) -> bytes:
    """``data`` (a TrueType or OpenType font) as WOFF2; the same font gives the same bytes."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(io.BytesIO(data), recalcTimestamp=False)
        font.flavor = "woff2"
        out = io.BytesIO()
        font.save(out, reorderTables=True)
    except (TTLibError, ValueError, KeyError, AssertionError) as error:
        raise RenderError(f"the theme font {name} could not be read as a TrueType/OpenType font: {error}") from error
    return out.getvalue()


@lru_cache(maxsize=32)
def _compressed(data: bytes, name: str) -> bytes:
    return woff2(data, name)
