"""Every Markdown output shows spec text as text: rendered by a Markdown tool, a ``<script>``, an image,
a link or emphasis written in a spec value stays the characters it was, and nothing is fetched or run."""

from __future__ import annotations

import html
import re
from pathlib import Path

from hostile_cli import MINIMAL, slaforge
from markdown_it import MarkdownIt

PAYLOAD = (
    '<script>alert(1)</script> <img src="http://evil.example/p.png"> ![x](http://evil.example/i.png) '
    "[a](javascript:alert(1)) <http://evil.example/> `code` *em* _u_ | cell ~~del~~ &amp; # no heading"
)


def rendered(markdown: str) -> str:
    """The Markdown as a CommonMark tool with tables renders it (as a mail client or a code host would)."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_diff_markdown_carries_no_markup_from_the_spec(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    title = "  title: Payment Gateway Service Level Agreement\n"
    assert title in text
    new.write_text(text.replace(title, f"  title: '{PAYLOAD}'\n", 1), encoding="utf-8")
    run = slaforge("diff", old, new, "--format", "md", cwd=tmp_path)
    assert run.code == 0, run.text
    page = rendered(run.out)
    tags = set(re.findall(r"<([a-z0-9]+)", page))
    # only what the change list itself writes: headings, the table, the list, bold, code spans
    assert tags <= {"h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "strong", "code", "br"}
    assert "href" not in page and "src=" not in page.replace("src=&quot;", "")
    # the title is shown exactly as written, in the table and in the clause excerpt
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert shown.count(PAYLOAD) == 2, shown
