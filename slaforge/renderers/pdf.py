"""PDF: the print flavour of the HTML page, laid out by WeasyPrint.

* **Tagged and archival**: ``options.pdf_variant`` (PDF/UA-1 by default, or one of
  the PDF/A variants) and a structure tree in every variant, made to conform to
  PDF/UA-1 by :mod:`slaforge.renderers.tagging` (links, lists, running headers,
  table headers); a PDF/A file is identified as PDF/UA-1 too.
* **Deterministic**: the dates come from ``meta.timestamp`` (``dcterms.created``
  in the page), the file identifier from a hash of the page, and the fonts'
  own time stamps from ``SOURCE_DATE_EPOCH``, so the same Document gives the
  same bytes on the same installation.
* **Fetches nothing but theme files**: a fetcher that serves ``file:`` URLs
  inside ``theme.allowed_roots`` (and ``data:`` URIs) and refuses every other
  URL; a refusal stops the render with a :class:`RenderError` naming the URL.
* **Quiet**: WeasyPrint's log records are held back while it runs.  The note it
  logs for every font when libharfbuzz-subset is missing (it then subsets with
  fontTools, which gives a correct file) is dropped; anything else (a user
  theme's unsupported CSS, say) is passed on once through this module's logger.

WeasyPrint is imported inside :func:`render` only, so ``slaforge --help`` never
loads it.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

from slaforge.document import Document, anchor
from slaforge.errors import RenderError
from slaforge.inputs.files import read_bytes
from slaforge.inputs.limits import ASSET_FILE_BYTES
from slaforge.renderers import PDF_VARIANTS, RenderOptions
from slaforge.renderers.contents import write_page_numbers
from slaforge.renderers.html import render_html_for_print
from slaforge.renderers.tagging import conform

LOG = logging.getLogger(__name__)
# slaforge's variant names that WeasyPrint spells differently
WEASYPRINT_VARIANTS: dict[str, str] = {}
# logged by WeasyPrint once per embedded font when libharfbuzz-subset is not installed
FONTTOOLS_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
_ENVIRONMENT = threading.Lock()  # renders that set SOURCE_DATE_EPOCH take turns


def render(document: Document, options: RenderOptions) -> bytes:
    variant = weasyprint_variant(options.pdf_variant)
    page = render_html_for_print(document, options)
    weasyprint = _weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    resources = ThemeResources(options.theme.allowed_roots)
    fetcher = _fetcher_class()(resources)
    with held_back_log() as log, source_date_epoch(document.meta.timestamp):
        try:
            html = weasyprint.HTML(string=page, base_url=options.theme.folders[0].as_uri() + "/", url_fetcher=fetcher)
            pdf_options = {
                "pdf_variant": variant,
                "pdf_tags": True,
                "pdf_identifier": file_identifier(page, variant, options.theme.folders),
            }
            laid_out = html.render(**pdf_options)
            write_page_numbers(laid_out)
            pdf: bytes = laid_out.write_pdf(**pdf_options)
        except FatalURLFetchingError as error:
            resources.raise_if_refused()
            raise RenderError(f"the PDF renderer could not read a resource: {error.__cause__ or error}") from error
    resources.raise_if_refused()
    log.pass_on()
    return conform(pdf, link_words(document), archival=variant.startswith("pdf/a-"))


def link_words(document: Document) -> dict[str, str]:
    """What a link to each section and clause says to assistive technology: its number and heading."""
    words: dict[str, str] = {}
    for section in document.sections:
        words[anchor(section.id)] = f"{section.number} {section.title}"
        for clause in section.clauses:
            words[anchor(clause.id)] = f"{clause.number} {clause.title}"
    return words


@contextmanager
def source_date_epoch(timestamp: int) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` for the length of a render, unless the caller already set it.

    Without libharfbuzz-subset, WeasyPrint subsets fonts with fontTools, which
    stamps every subset's ``head.modified`` with the clock unless this
    variable (https://reproducible-builds.org/specs/source-date-epoch/) is set.
    The environment is shared by the process's threads, so renders that set it
    take turns.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    with _ENVIRONMENT:
        os.environ["SOURCE_DATE_EPOCH"] = str(timestamp)
        try:
            yield
        finally:
            del os.environ["SOURCE_DATE_EPOCH"]


def weasyprint_variant(name: str) -> str:
    if name not in PDF_VARIANTS:
        raise RenderError(f"unknown PDF variant {name!r}: expected one of {', '.join(PDF_VARIANTS)}")
    return WEASYPRINT_VARIANTS.get(name, name)


def file_identifier(page: str, variant: str, folders: tuple[Path, ...]) -> bytes:
    """The PDF's permanent ``/ID``: a hash of what is laid out, never random.

    The theme folders' locations are left out, so that the same checkout gives
    the same file wherever it lives.
    """
    for index, folder in enumerate(folders):
        page = page.replace(folder.as_uri(), f"theme-folder-{index}:")
    return hashlib.sha256(f"{variant}\n{page}".encode()).hexdigest()[:32].encode("ascii")


@dataclass
class ThemeResources:
    """The one policy for what a render may read: files inside ``roots``, and ``data:`` URIs."""

    roots: tuple[Path, ...]
    refused: list[str] = field(default_factory=list)

    def path_for(self, url: str) -> Path:
        """The file a ``file:`` URL names, if it lies inside a root; else the URL is recorded and refused."""
        parts = urlsplit(url)
        if parts.scheme.lower() == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                return path
        self.refused.append(url)
        raise PermissionError(f"refused to fetch {url}: only files inside the theme and asset folders may be read")

    def raise_if_refused(self) -> None:
        if self.refused:
            urls = ", ".join(dict.fromkeys(self.refused))
            roots = ", ".join(str(root) for root in self.roots)
            raise RenderError(
                f"the PDF renderer refused to fetch {urls}: only files inside the theme and asset folders "
                f"({roots}) and data: URIs may be used"
            )


@cache
def _fetcher_class() -> type:
    """WeasyPrint's URL fetcher, restricted to :class:`ThemeResources` (built on first use, with WeasyPrint)."""
    _weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ThemeFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self, resources: ThemeResources) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True)
            self.resources = resources

        def fetch(self, url: str, headers: Any = None) -> Any:
            if urlsplit(url).scheme.lower() == "data":
                return super().fetch(url, headers)
            path = self.resources.path_for(url)
            media_type = FONT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
            data = read_bytes(path, limit=ASSET_FILE_BYTES, what="theme or asset file", error=RenderError)
            return URLFetcherResponse(path.as_uri(), data, {"Content-Type": media_type or "application/octet-stream"})

    return ThemeFetcher


class HeldBackLog(logging.Filter):
    """Holds back the ``weasyprint`` logger's warnings and errors raised on one thread."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread != self.thread or record.levelno < logging.WARNING:
            return True
        if not record.getMessage().startswith(FONTTOOLS_FALLBACK):
            self.records.append(record)
        return False

    def pass_on(self) -> None:
        """Repeat what is worth a look (not the fontTools note) once, as slaforge's own warnings."""
        for message in dict.fromkeys(record.getMessage() for record in self.records):
            LOG.warning("WeasyPrint: %s", message)


@contextmanager
def held_back_log() -> Iterator[HeldBackLog]:
    library = logging.getLogger("weasyprint")
    log = HeldBackLog()
    library.addFilter(log)
    try:
        yield log
    finally:
        library.removeFilter(log)


def _weasyprint() -> ModuleType:
    """WeasyPrint, imported on first use; its import-time DeprecationWarning about HarfBuzz-Subset is silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint
    return weasyprint
