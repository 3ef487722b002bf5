"""Renderers turn a :class:`~slaforge.document.Document` into bytes; writing is separate.

Each format's module is imported only when that format is rendered, so that
``slaforge --help`` never pays for WeasyPrint or python-docx.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from slaforge.document import Document
from slaforge.errors import UsageError
from slaforge.renderers.theme import Theme

FORMATS: dict[str, str] = {
    "html": "slaforge.renderers.html",
    "pdf": "slaforge.renderers.pdf",
    "docx": "slaforge.renderers.docx.writer",
}
# PDF/UA-1 alone (the default), or a PDF/A variant that is also PDF/UA-1: "a" (accessible, tagged),
# "u" (Unicode text) or "b" (basic, the look preserved) conformance of PDF/A-2 or PDF/A-3
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-2a", "pdf/a-3a", "pdf/a-2u", "pdf/a-3u", "pdf/a-2b", "pdf/a-3b")
# the PDF format's engines: WeasyPrint lays out the print HTML (the default), Typst its own markup
PDF_ENGINES: dict[str, str] = {
    "weasyprint": "slaforge.renderers.pdf",
    "typst": "slaforge.renderers.typst",
}
DEFAULT_PDF_ENGINE = "weasyprint"


@dataclass(frozen=True)
class RenderOptions:
    theme: Theme
    pdf_variant: str = "pdf/ua-1"
    pdf_engine: str = DEFAULT_PDF_ENGINE
    # DOCX: wrap each value printed from the spec in a content control tagged with its path. Off in builds:
    # python-docx's Paragraph.text and cell.text skip the runs inside an inline w:sdt, so a reader of the
    # DOCX with python-docx would lose the values; absorb renders the agreement as sent with it on
    content_controls: bool = False


def parse_formats(text: str) -> list[str]:
    """``"pdf,docx"`` -> ``["pdf", "docx"]``, refusing unknown names."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise UsageError(
            f"unknown format {', '.join(unknown) or repr(text)}: expected a comma-separated list of "
            f"{', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(names))


def check_pdf_engine(name: str) -> str:
    """The engine's name, or a :class:`UsageError` naming the engines there are."""
    if name not in PDF_ENGINES:
        raise UsageError(f"unknown PDF engine {name!r}: expected one of {', '.join(PDF_ENGINES)}")
    return name


def render(document: Document, fmt: str, options: RenderOptions) -> bytes:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    name = PDF_ENGINES[check_pdf_engine(options.pdf_engine)] if fmt == "pdf" else FORMATS[fmt]
    module = import_module(name)
    return module.render(document, options)
