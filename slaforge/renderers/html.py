"""HTML: the agreement as one self-contained web page, and the print page that PDF lays out.

Both come from the theme's ``document.html.j2`` rendered through the theme's
sandboxed, autoescaping Jinja environment: every text of the tree is plain
text and reaches the page escaped.  The two flavours differ only in how the
theme's own files (fonts, images named by ``url(...)`` in its CSS) and the logo
are referenced:

* :func:`render` (the ``html`` format) inlines them as ``data:`` URIs, so the
  file reads the same anywhere (fonts as WOFF2, :mod:`slaforge.renderers.fonts`),
  and refuses any other URL in the CSS;
* :func:`render_html_for_print` (used by :mod:`slaforge.renderers.pdf`) points
  at them with ``file:`` URLs and leaves every other URL for the PDF
  renderer's restricted fetcher to judge.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from slaforge import __version__
from slaforge.document import (
    Block,
    BulletList,
    Chart,
    DefinitionList,
    Document,
    DocumentMeta,
    Inline,
    NumberedList,
    Paragraph,
    Section,
    SignatureBlock,
    Table,
    anchor,
    list_label,
    merge_runs,
)
from slaforge.errors import Problem, RenderError, SlaforgeError
from slaforge.inputs.files import read_bytes
from slaforge.inputs.limits import ASSET_FILE_BYTES
from slaforge.renderers import RenderOptions
from slaforge.renderers.css import MalformedURL, Reference, references, rewrite
from slaforge.renderers.fonts import web_font
from slaforge.renderers.theme import Theme

TEMPLATE = "document.html.j2"
LANGUAGE = "en"
CSS_NAME_SPLIT = re.compile(r"[^a-z0-9]+")
BRAND_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
BLOCK_KINDS: dict[type, str] = {
    Paragraph: "paragraph",
    BulletList: "bullets",
    NumberedList: "lettered",
    Table: "table",
    DefinitionList: "definitions",
    SignatureBlock: "signatures",
    Chart: "chart",
}


def render(document: Document, options: RenderOptions) -> bytes:
    """The agreement as one HTML file: CSS, fonts and logo inlined, nothing fetched when it is opened."""
    return page(document, options.theme, embed=True).encode("utf-8")


def render_html_for_print(document: Document, options: RenderOptions) -> str:
    """The page WeasyPrint lays out: theme files referenced by ``file:`` URL instead of inlined."""
    return page(document, options.theme, embed=False)


def page(document: Document, theme: Theme, *, embed: bool) -> str:
    meta = document.meta
    reference = _data_uri if embed else _file_url
    context = {
        "document": document,
        "meta": meta,
        "language": LANGUAGE,
        "stylesheets": stylesheets(theme, reference, embed=embed),
        "brand_colour": brand_colour(meta),
        "logo": logo_uri(meta, theme, embed=embed),
        "created": w3c_date(meta.timestamp),
        # the print page leaves unstyled marks (defined terms) out of the markup: WeasyPrint breaks a
        # line too early before an inline box that follows text on the same line (Kozea/WeasyPrint#1614)
        "for_print": not embed,
        "generator": f"slaforge {__version__}",
        "anchor": anchor,
        "block_kind": block_kind,
        "list_label": list_label,
        "merge_runs": merge_runs,
        "changed": changed,
        "column_widths": column_widths,
        "css_name": css_name,
        "css_string": css_string,
        "section_kinds": section_kinds,
        "chart_svg": lambda chart: chart_svg(chart, brand_colour(meta)),
    }
    return theme.render(TEMPLATE, context)


def stylesheets(theme: Theme, reference: Callable[[Path], str], *, embed: bool) -> list[Markup]:
    """The theme's CSS files, one ``<style>`` body each, with theme-relative URLs made absolute or inlined.

    Every URL the CSS names is found by parsing it (:mod:`slaforge.renderers.css`), in whatever
    spelling.  A relative reference is looked up like any theme file (user folders first, never
    outside them); with ``embed`` (the self-contained page a browser opens) every file is inlined,
    any other URL is refused, the rewritten CSS is parsed once more to prove that nothing but
    ``data:`` URIs is left, and the theme's ``browser.css`` is added.  The CSS is the theme author's
    code, not tree text, so it goes into the page unescaped; only ``</`` is broken up so that it can
    never close the ``<style>`` element.  One element per file keeps an ``@import`` at the top of a
    user's ``extra.css`` valid.
    """
    out = []
    for path, css in theme.stylesheets(browser=embed):

        def resolve(found: Reference, path: Path = path) -> str | None:
            target = found.url.strip()
            scheme = urlsplit(target).scheme
            if not target or target.startswith("#") or scheme.lower() == "data":
                return None
            if scheme or target.startswith(("/", "\\")):
                if embed:
                    raise css_problem(
                        path,
                        found,
                        f"the theme's CSS refers to {target!r}; a self-contained HTML file may only use "
                        "files inside the theme folders (give them as relative URLs)",
                    )
                return None
            return reference(theme_file(theme, urlsplit(target).path))

        try:
            text = rewrite(css, resolve)
            if embed:
                for left in references(text):
                    if not left.url.startswith(("data:", "#")) and left.url:
                        raise css_problem(
                            path, left, f"the theme's CSS refers to {left.url!r} in a way slaforge cannot inline"
                        )
        except MalformedURL as error:
            raise css_problem(
                path, Reference("", error.line, error.column), "the theme's CSS has a malformed url(...)"
            ) from None
        out.append(Markup(text.replace("</", "<\\/")))
    return out


def css_problem(path: Path, found: Reference, message: str) -> RenderError:
    """A refused reference of a stylesheet, located at its line and column."""
    problem = Problem(message, file=str(path), line=found.line, column=found.column, code="css-reference")
    return RenderError(message, [problem])


def theme_file(theme: Theme, name: str) -> Path:
    try:
        return theme.find(name)
    except SlaforgeError as error:
        raise RenderError(
            f"the theme's CSS refers to {name!r}, which is not a file inside the theme folders"
        ) from error


def logo_uri(meta: DocumentMeta, theme: Theme, *, embed: bool) -> str | None:
    """The logo as a ``data:`` URI, read only when it lies inside the theme's allowed folders."""
    if not meta.logo:
        return None
    path = Path(meta.logo)
    if not theme.is_allowed(path):
        raise RenderError(f"logo {path} is outside the theme and asset folders; refusing to read it")
    if path.suffix.lower() not in IMAGE_TYPES:
        raise RenderError(f"logo {path}: expected one of {', '.join(IMAGE_TYPES)} (an image file)")
    if not path.is_file():
        raise RenderError(f"logo {path} does not exist")
    return _data_uri(path) if embed else _file_url(path)


def brand_colour(meta: DocumentMeta) -> str | None:
    """The brand colour, only when it is a plain ``#rgb``/``#rrggbb`` (it goes into a style attribute)."""
    colour = meta.brand_colour
    return colour if colour and BRAND_COLOUR.fullmatch(colour) else None


def w3c_date(timestamp: int) -> str:
    """``1800000000`` -> ``2027-01-15T08:00:00Z``: the PDF's creation and modification dates."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def section_kinds(section: Section) -> str:
    """Extra CSS classes of a section: ``signing`` when it holds a signature block (it starts a page)."""
    signing = any(isinstance(b, SignatureBlock) for c in section.clauses for b in c.blocks)
    return " signing" if signing else ""


def chart_svg(chart: Chart, brand: str | None) -> Markup:
    """The chart as inline SVG, drawn by :mod:`slaforge.renderers.chart` (which escapes every text it writes)."""
    from slaforge.renderers.chart import svg

    return Markup(svg(chart, brand))


def changed(*inlines: Inline) -> bool:
    """Whether any run of these inlines is inserted or deleted (a redline's change bar beside it)."""
    return any(run.change for inline in inlines for run in inline)


def block_kind(block: Block) -> str:
    """The template macro that draws ``block`` (the sandbox has no ``isinstance``)."""
    try:
        return BLOCK_KINDS[type(block)]
    except KeyError:
        raise RenderError(f"the HTML renderer cannot draw a {type(block).__name__} block") from None


def column_widths(table: Table) -> list[str]:
    """CSS percentages for the table's columns, or nothing to let the layout decide."""
    columns = len(table.header) or max((len(row) for row in table.rows), default=0)
    widths = table.widths
    if not widths or len(widths) != columns or any(w <= 0 for w in widths):
        return []
    total = sum(widths)
    return [f"{100 * w / total:.2f}%" for w in widths]


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string that can neither end the string nor the ``<style>`` element."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,;:·-" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def css_name(text: str) -> str:
    """A class-name-safe form of a tree value such as ``Table.kind``: ``"Credit bands"`` -> ``credit-bands``."""
    return "-".join(CSS_NAME_SPLIT.split(text.lower())).strip("-") or "none"


def _media_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in IMAGE_TYPES:
        return IMAGE_TYPES[suffix]
    if suffix in FONT_SUFFIXES:
        return f"font/{suffix[1:]}"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _data_uri(path: Path) -> str:
    """A theme file or the logo inlined (read through the boundary: a regular file of bounded size);
    a TrueType or OpenType font as WOFF2."""
    if path.suffix.lower() in FONT_SUFFIXES:
        media_type, data = web_font(path, _asset_bytes)
    else:
        media_type, data = _media_type(path), _asset_bytes(path)
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _asset_bytes(path: Path) -> bytes:
    return read_bytes(path, limit=ASSET_FILE_BYTES, what="theme or asset file", error=RenderError)


def _file_url(path: Path) -> str:
    return path.as_uri()
