#!/usr/bin/env python3
"""Where the time of a PDF render goes, stage by stage and page by page, inside WeasyPrint.

    .venv/bin/python benchmarks/pdf_layout.py [--repeat 3] [--pages 8]

For the managed WAN sample and the generated large agreement (the WAN sample
plus 150 generated clauses, as benchmarks/run.py builds it), the document is
composed once and rendered to PDF ``--repeat`` times after one warm-up render
(fonts and stylesheets cached as in a long-lived process); the table gives the
median CPU time (this process's user + system) of each stage:

* html: slaforge's print HTML (the theme's templates);
* parse, styles, boxes: WeasyPrint reading the HTML, the cascade, the box tree;
* layout: line and page breaking, with the number of page layouts (more than
  the page count when WeasyPrint lays pages out again, as it does for
  ``target-counter()`` in the contents) and the part spent in grid, flex and
  table formatting contexts (outermost only);
* paint and write: drawing the pages and writing the PDF (fonts, compression);
* tags: slaforge's fix-up of the structure tree (:mod:`slaforge.renderers.tagging`).

Then the ``--pages`` dearest page layouts of the last render: page number,
which layout of that page it was, CPU, and the first heading on the page.

The stages are found by wrapping WeasyPrint's own functions (weasyprint 70.x,
as pinned in pyproject.toml); nothing is changed in what they do.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import generated_clauses  # noqa: E402 - the generator of the large agreement

STAGES = ("html", "parse", "styles", "boxes", "layout", "grid", "flex", "table", "paint", "write", "tags")


class Clock:
    """CPU time spent inside wrapped functions, by stage; nested calls of one stage count once."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.depth: dict[str, int] = dict.fromkeys(STAGES, 0)
        self.pages: list[tuple[int, float, Any]] = []  # (page number, CPU, page box)

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.depth[stage] += 1
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.depth[stage] -= 1
                if not self.depth[stage]:
                    self.spent[stage] += time.process_time() - started

        return timed


@contextmanager
def clocked(clock: Clock) -> Iterator[None]:
    """WeasyPrint's and slaforge's stage functions wrapped by ``clock`` for the length of the block."""
    import weasyprint
    import weasyprint.document as document
    import weasyprint.layout.block as block
    import weasyprint.layout.page as page

    from slaforge.renderers import pdf

    def make_page(*args: Any) -> Any:
        started = time.process_time()
        result = originals[(page, "make_page")](*args)
        clock.pages.append((args[4], time.process_time() - started, result[0]))
        return result

    originals: dict[tuple[Any, str], Any] = {}
    replacements = {
        (pdf, "render_html_for_print"): clock.wrap("html", pdf.render_html_for_print),
        (pdf, "conform"): clock.wrap("tags", pdf.conform),
        (weasyprint.HTML, "__init__"): clock.wrap("parse", weasyprint.HTML.__init__),
        (document, "get_all_computed_styles"): clock.wrap("styles", document.get_all_computed_styles),
        (document, "build_formatting_structure"): clock.wrap("boxes", document.build_formatting_structure),
        (document, "layout_document"): clock.wrap("layout", document.layout_document),
        (document.Page, "paint"): clock.wrap("paint", document.Page.paint),
        (document.Document, "write_pdf"): clock.wrap("write", document.Document.write_pdf),
        (block, "grid_layout"): clock.wrap("grid", block.grid_layout),
        (block, "flex_layout"): clock.wrap("flex", block.flex_layout),
        (block, "table_layout"): clock.wrap("table", block.table_layout),
        (page, "make_page"): make_page,
    }
    for (owner, name), _ in replacements.items():
        originals[(owner, name)] = getattr(owner, name)
    try:
        for (owner, name), replacement in replacements.items():
            setattr(owner, name, replacement)
        yield
    finally:
        for (owner, name), original in originals.items():
            setattr(owner, name, original)


def layout_of(clock: Clock, total: float) -> None:
    """``layout_document`` is a generator, consumed by WeasyPrint's page list: its time is what is left."""
    named = sum(clock.spent[stage] for stage in ("html", "parse", "styles", "boxes", "write", "tags"))
    clock.spent["layout"] = total - named
    clock.spent["paint"] = min(clock.spent["paint"], clock.spent["write"])
    clock.spent["write"] -= clock.spent["paint"]


def first_heading(page_box: Any) -> str:
    """The text of the first heading laid out on a page (running elements and margin boxes have none)."""

    def text_of(box: Any) -> str:
        return getattr(box, "text", "") + "".join(text_of(child) for child in getattr(box, "children", ()))

    def walk(box: Any) -> str:
        if getattr(box, "element_tag", None) in ("h1", "h2", "h3"):
            return " ".join(text_of(box).split())
        for child in getattr(box, "children", ()):
            if found := walk(child):
                return found
        return ""

    return walk(page_box)


def measure(spec: Path, clause_dir: Path | None, repeat: int) -> tuple[list[Clock], list[float]]:
    from slaforge.build import BuildOptions, document_for
    from slaforge.renderers import RenderOptions, render
    from slaforge.spec import load_spec
    from slaforge.writers import theme_for

    options = BuildOptions(clause_dirs=(clause_dir,) if clause_dir else ())
    _, document = document_for(load_spec(spec), options)
    render_options = RenderOptions(theme=theme_for(document, options.theme_dir))
    render(document, "pdf", render_options)  # warm-up: imports, fonts
    clocks, totals = [], []
    for _ in range(repeat):
        clock = Clock()
        with clocked(clock):
            started = time.process_time()
            render(document, "pdf", render_options)
            total = time.process_time() - started
        layout_of(clock, total)
        clocks.append(clock)
        totals.append(total)
    return clocks, totals


def report(name: str, clocks: list[Clock], totals: list[float], top: int) -> None:
    def median(stage: str) -> float:
        return statistics.median(clock.spent[stage] for clock in clocks)

    last = clocks[-1]
    layouts = len(last.pages)
    laid_out = {number for number, _, _ in last.pages}
    print(f"\n{name}: {len(laid_out)} pages, {layouts} page layouts, render {statistics.median(totals):.2f} s CPU")
    for stage in STAGES:
        share = median(stage) / statistics.median(totals)
        indent = "    of which " if stage in ("grid", "flex", "table") else "  "
        print(f"{indent}{stage:<8} {median(stage):6.2f} s  {share:5.0%}")
    print(f"  dearest page layouts (of {layouts}):")
    seen: dict[int, int] = {}
    rows = []
    for number, spent, box in last.pages:
        seen[number] = seen.get(number, 0) + 1
        rows.append((spent, number, seen[number], box))
    for spent, number, nth, box in sorted(rows, key=lambda row: -row[0])[:top]:
        print(f"    page {number:>3} (layout {nth})  {spent:5.3f} s  {first_heading(box)[:60]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=8, help="how many of the dearest page layouts to list")
    args = parser.parse_args()
    spec = ROOT / "samples" / "managed-network.yaml"
    print(f"PDF render of one composed document, median of {args.repeat} renders after a warm-up (CPU)")
    with tempfile.TemporaryDirectory(prefix="slaforge-pdf-layout-") as tmp:
        extra = generated_clauses(Path(tmp) / "clauses", 150)
        for name, clause_dir in (("managed WAN sample", None), ("large (generated)", extra)):
            clocks, totals = measure(spec, clause_dir, args.repeat)
            report(name, clocks, totals, args.pages)


if __name__ == "__main__":
    main()
