"""The Markdown subset of clause bodies, and the escaping that keeps spec values inert."""

from __future__ import annotations

import pytest

from slaforge.document import BulletList, NumberedList, Paragraph, Table, plain
from slaforge.library.markup import Directive, MarkupError, escape, parse_blocks, parse_inline


def test_emphasis_terms_and_cross_references() -> None:
    runs = parse_inline("The **Provider** shall meet *each* [[Service Level|Service Levels]] in [[#penalties.caps]].")
    assert plain(runs) == "The Provider shall meet each Service Levels in ."
    bold = [r.text for r in runs if r.bold]
    italic = [r.text for r in runs if r.italic]
    assert bold == ["Provider"]
    assert italic == ["each"]
    term = next(r for r in runs if r.term)
    assert (term.term, term.text) == ("Service Level", "Service Levels")
    xref = next(r for r in runs if r.xref)
    assert xref.xref == "penalties.caps"


def test_backslash_escapes_print_literally() -> None:
    runs = parse_inline(r"a \*star\* and \[\[not a term\]\]")
    assert plain(runs) == "a *star* and [[not a term]]"
    assert not any(r.italic or r.term for r in runs)


@pytest.mark.parametrize(
    "value",
    [
        "Acme *Bold* Ltd",
        "[[#penalties.caps]] and [[Term]]",
        "- not a bullet",
        "1. not a list",
        "| not | a table |",
        "::signatures",
        "Table: not a caption",
        "back\\slash ** ] [",
    ],
)
def test_escaped_values_never_become_markup(value: str) -> None:
    blocks = parse_blocks(f"Customer: {escape(value)}\n\n{escape(value)}")
    assert len(blocks) == 2
    for block in blocks:
        assert isinstance(block, Paragraph)
        assert not any(r.bold or r.italic or r.term or r.xref for r in block.runs)
    assert plain(blocks[1].runs) == value
    assert plain(blocks[0].runs) == f"Customer: {value}"


def test_escape_folds_line_breaks_so_a_value_cannot_start_a_block() -> None:
    blocks = parse_blocks("Name: " + escape("Acme\n\n- injected\n| a | b |"))
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph)


def test_paragraphs_lists_and_nesting() -> None:
    body = (
        "First paragraph\ncontinues here.\n\nThe Customer shall:\n\n"
        "1. pay;\n2. report\n   faults;\n   1. by phone;\n   2. by portal.\n\n- a\n- b\n"
    )
    blocks = parse_blocks(body)
    kinds = [type(b) for b in blocks]
    assert kinds == [Paragraph, Paragraph, NumberedList, BulletList]
    assert plain(blocks[0].runs) == "First paragraph continues here."
    numbered = blocks[2]
    assert [plain(i.runs) for i in numbered.items] == ["pay;", "report faults;"]
    assert [plain(c.runs) for c in numbered.items[1].children] == ["by phone;", "by portal."]
    assert [plain(i.runs) for i in blocks[3].items] == ["a", "b"]


def test_table_caption_kind_and_widths() -> None:
    body = "Table[credits]: Service credit bands\n| Band | Credit |\n|---|------|\n| below 99% | 10\\% \\| more |\n"
    (table,) = parse_blocks(body)
    assert isinstance(table, Table)
    assert table.caption == "Service credit bands"
    assert table.kind == "credits"
    assert table.widths == (3.0, 6.0)
    assert [plain(c) for c in table.header] == ["Band", "Credit"]
    assert [plain(c) for c in table.rows[0]] == ["below 99%", "10% | more"]


def test_directives() -> None:
    blocks = parse_blocks("Signed:\n\n::signatures\n")
    assert isinstance(blocks[1], Directive) and blocks[1].name == "signatures"


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("ok\n\nsome **bold", 3, "unclosed"),
        ("a [[Term", 1, "closing"),
        ("x\n\n| a | b |\n| c | d |\n", 3, "separator"),
        ("| a | b |\n|---|---|\n| 1 |\n", 3, "cells"),
        ("::nonsense\n", 1, "unknown directive"),
        ("Table: lonely caption\n\nplain text\n", 1, "caption"),
    ],
)
def test_malformed_bodies_name_the_line(body: str, line: int, fragment: str) -> None:
    with pytest.raises(MarkupError) as caught:
        parse_blocks(body)
    assert caught.value.line == line
    assert fragment in str(caught.value)
