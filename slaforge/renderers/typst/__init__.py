"""PDF through Typst: the document tree as Typst markup, compiled with the theme's Typst files.

The second PDF engine (``--pdf-engine typst``); WeasyPrint stays the default.
:mod:`.markup` writes ``main.typ`` from the tree (every text a string literal,
:mod:`.escape`), :mod:`.stage` gives it a project folder that holds only the
theme's Typst files and the assets, :mod:`.compile` runs the compiler.  The
file is tagged PDF/UA-1 (PDF/A + UA for an archival variant) and its bytes
depend only on the tree and the theme.
"""

from __future__ import annotations

from slaforge.document import Document
from slaforge.renderers import RenderOptions
from slaforge.renderers.html import brand_colour
from slaforge.renderers.typst.compile import compile_pdf, standards, typst_module
from slaforge.renderers.typst.markup import write
from slaforge.renderers.typst.stage import MAIN, font_folders, logo_file, staged


def render(document: Document, options: RenderOptions) -> bytes:
    standards(options.pdf_variant)  # an unknown variant fails before any work
    typst_module()  # and so does a missing compiler
    theme = options.theme
    logo = logo_file(document, theme)
    brand = brand_colour(document.meta)
    source = write(document, logo.suffix if logo else None, brand)
    with staged(source, theme, logo, brand) as root:
        return compile_pdf(root, MAIN, font_folders(theme), options.pdf_variant, document.meta.timestamp)
