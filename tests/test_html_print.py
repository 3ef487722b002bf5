"""The HTML agreement printed from a real browser: headless Chromium's own print-to-PDF, read back.

A reader who prints the HTML file should get the pages the PDF has: the cover on page 1 (not a
blank page with a stray running header), the contents on the next, the sections after, and a
draft watermark that is light and lies behind the words, never over them.  The browser's PDF is
read with pypdf and its pages rasterised with pdftoppm; the expectations come from the spec and
from the PDF that WeasyPrint made of the same agreement.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from shared import Samples, pdf_pages, pdf_reader
from test_portal import CHROMIUM

from slaforge.spec import load_spec

SAMPLE = "managed-network"  # a draft: it carries the watermark
needs_tools = pytest.mark.skipif(
    not CHROMIUM.exists() or shutil.which("pdftoppm") is None,
    reason="Chromium and pdftoppm are not installed (apt: chromium poppler-utils)",
)
WATERMARK = re.compile(r'<div class="watermark"[^>]*>[^<]*</div>')


def printed(html: Path, pdf: Path) -> Path:
    """``html`` printed to ``pdf`` by headless Chromium (A4 comes from the page's own @page rule)."""
    profile = pdf.parent / f"{pdf.stem}-profile"
    command = [
        str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-extensions", "--disable-background-networking",
        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri(),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    assert pdf.is_file(), f"Chromium printed nothing for {html}"
    return pdf


def raster(pdf: Path, page: int, folder: Path) -> Image.Image:
    stem = folder / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(stem)], check=True, capture_output=True, timeout=60)  # fmt: skip
    return Image.open(f"{stem}.png").convert("L")


@pytest.fixture(scope="module")
def prints(samples: Samples, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample printed as it is, and printed once more with the watermark element taken out."""
    folder = tmp_path_factory.mktemp("html-print")
    html = samples.file(SAMPLE, "html")
    page = html.read_text(encoding="utf-8")
    assert len(WATERMARK.findall(page)) == 1, "the draft sample carries one watermark"
    bare = folder / "bare.html"
    bare.write_text(WATERMARK.sub("", page), encoding="utf-8")
    return printed(html, folder / "draft.pdf"), printed(bare, folder / "bare.pdf")


@needs_tools
def test_printing_the_html_gives_the_pdfs_pages_cover_first(prints: tuple[Path, Path], samples: Samples) -> None:
    spec = load_spec(Samples.spec(SAMPLE)).spec
    # each page's words less the page label and the watermark (where the browser writes them is its own affair)
    pages = [re.sub(r"Page \d+ of \d+|\bDRAFT\b", "", text) for text in pdf_pages(prints[0])]
    pages = [" ".join(text.split()) for text in pages]
    assert spec.agreement.title in pages[0], f"page 1 is not the cover: {pages[0][:200]!r}"
    assert all(party.name in pages[0] for party in [spec.provider, *spec.customers])
    assert pages[1].upper().startswith("CONTENTS"), pages[1][:80]
    assert all(text.strip() for text in pages), "no page is blank"
    body = next(i for i, text in enumerate(pages) if "1.1.1" in text)  # the contents go down to 1.1 only
    assert body >= 2 and re.match(r"1\s+Parties and purpose", pages[body], re.I), "section 1 starts a page"
    assert len(pages) == len(pdf_reader(samples.file(SAMPLE, "pdf")).pages), "as many pages as the PDF"
    fonts = {str(font["/BaseFont"]).split("+")[-1] for page in pdf_reader(prints[0]).pages
             for font in page["/Resources"]["/Font"].values()}  # fmt: skip
    assert fonts == {"Caladea-Regular", "Caladea-Bold", "Caladea-Italic"}, "the inlined WOFF2 fonts, nothing else"


@needs_tools
def test_the_printed_watermark_is_light_and_behind_the_words(prints: tuple[Path, Path], tmp_path: Path) -> None:
    draft, bare = prints
    for page in (1, 4):  # the cover and a page of clauses
        marked, plain = raster(draft, page, tmp_path), raster(bare, page, tmp_path)
        assert marked.size == plain.size
        ink, paper = marked.tobytes(), plain.tobytes()  # one byte a pixel, 255 white
        watermark = [m for m, p in zip(ink, paper, strict=True) if p > 250 and m < p - 8]  # on blank paper
        assert watermark, f"page {page}: no watermark printed"
        assert min(watermark) > 200, f"page {page}: the watermark prints as dark as {min(watermark)}/255"
        covered = [m for m, p in zip(ink, paper, strict=True) if p < 100 and m > p + 30]
        assert not covered, f"page {page}: the watermark hides {len(covered)} pixels of text"
