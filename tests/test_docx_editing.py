"""A DOCX that survives editing, tested as a lawyer would use it: in LibreOffice.

Every number a reader sees (sections, clauses, sub-clauses, the (a)/(i) labels) is Word numbering
and every cross-reference a REF field, so LibreOffice lays them out as the tree numbered them, and
when a clause is inserted or deleted every later number and every reference moves with it.  The
expected numbers are worked out here from the tree and the edit, never read from the renderer.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from office import Office, delete_range, find, insert_paragraph_before, paragraphs, update_all
from pypdf import PdfReader
from shared import Samples

from slaforge.document import (
    BulletList,
    Clause,
    DefinitionList,
    Document,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    Table,
    list_label,
    plain,
)
from slaforge.renderers import RenderOptions, render
from slaforge.writers import theme_for

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
NUMBERED = ("Heading 1", "Heading 2", "Clause Text", "List Number", "List Number 2", "List Number 3", "List Number 4")


def expected_lines(document: Document) -> list[tuple[str, str, str]]:
    """(style, number or label, text) of every paragraph the tree numbers, in reading order."""
    out: list[tuple[str, str, str]] = []

    def items(entries: tuple[ListItem, ...], depth: int) -> Iterator[tuple[str, str, str]]:
        for index, item in enumerate(entries):
            yield NUMBERED[3 + depth], list_label(index, depth), plain(item.runs)
            yield from items(item.children, depth + 1)

    for section in document.sections:
        out.append(("Heading 1", section.number, section.title))
        for clause in section.clauses:
            out.append(("Heading 2", clause.number, clause.title))
            for block in clause.blocks:
                if isinstance(block, Paragraph) and block.number:
                    out.append(("Clause Text", block.number, plain(block.runs)))
                elif isinstance(block, NumberedList):
                    out.extend(items(block.items, 0))
    return out


def numbered(document: Any) -> list[tuple[str, str, str]]:
    return [(p.style, p.label, p.text) for p in paragraphs(document) if p.style in NUMBERED]


def references(document: Any) -> list[tuple[str, str]]:
    """(the heading a REF field cites, as LibreOffice finds it by its bookmark; the number the field shows)."""
    marks = document.getBookmarks()
    out = []
    fields = document.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.GetReference"):
            name = field.SourceName
            heading = marks.getByName(name).getAnchor().getString() if marks.hasByName(name) else ""
            out.append((heading, field.getPresentation(False)))
    return out


def _runs(block: object) -> Iterator[Run]:
    if isinstance(block, Paragraph):
        yield from block.runs
    elif isinstance(block, NumberedList | BulletList):
        yield from _item_runs(block.items)
    elif isinstance(block, Table):
        for cell in (*block.header, *(cell for row in block.rows for cell in row)):
            yield from cell
    elif isinstance(block, DefinitionList):
        for item in block.items:
            yield from item.runs


def _item_runs(items: tuple[ListItem, ...]) -> Iterator[Run]:
    for item in items:
        yield from item.runs
        yield from _item_runs(item.children)


def cited(document: Document) -> list[str]:
    """The ids of the clauses and sections the tree's cross-references cite, once per reference."""
    return [run.xref for clause in document.clauses() for block in clause.blocks for run in _runs(block) if run.xref]


@pytest.fixture(scope="module")
def wan_docx(samples: Samples) -> tuple[Document, Path]:
    """The managed WAN sample's Document tree and the DOCX its build wrote (read-only: LibreOffice only reads it)."""
    return samples.document("managed-network"), samples.file("managed-network", "docx")


@pytest.fixture(scope="module")
def opened(office: Office, wan_docx: tuple[Document, Path]) -> Iterator[Any]:
    document = office.open(wan_docx[1])
    yield document
    document.close(True)


def test_libreoffice_numbers_every_heading_sub_clause_and_list_item_as_the_tree_does(
    opened: Any, wan_docx: tuple[Document, Path]
) -> None:
    tree, _ = wan_docx
    expected = expected_lines(tree)
    assert len(expected) > 400
    assert numbered(opened) == expected


def test_every_cross_reference_is_a_ref_field_to_the_heading_it_cites(
    opened: Any, wan_docx: tuple[Document, Path]
) -> None:
    tree, path = wan_docx
    nodes = {node.id: node for node in (*tree.sections, *tree.clauses())}
    expected = sorted((nodes[node_id].title, nodes[node_id].number) for node_id in cited(tree))
    assert len(expected) > 100
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    instructions = [" ".join(t.text.split()) for t in body.iter(f"{{{W}}}instrText")]
    refs = [i for i in instructions if i.startswith("REF ")]
    assert len(refs) == len(expected) and all(re.fullmatch(r"REF _Ref\w+ \\r \\h", i) for i in refs)
    assert sorted(references(opened)) == expected  # as cached, before anything is updated
    update_all(opened)
    assert sorted(references(opened)) == expected  # and as LibreOffice works them out


def test_a_clause_inserted_and_a_clause_deleted_move_every_number_and_reference(
    wan_docx: tuple[Document, Path], office: Office, tmp_path: Path
) -> None:
    """Insert a clause heading before 4.2 and delete clause 11.3 with its text, as a lawyer would."""
    tree, path = wan_docx
    section_4, section_11 = tree.sections[3], tree.sections[10]
    inserted_before, deleted = section_4.clauses[1], section_11.clauses[2]
    assert (inserted_before.number, deleted.number) == ("4.2", "11.3")
    assert len(section_11.clauses) > 3  # so that a clause after the deleted one moves up

    # every clause's number after the edit, worked out from the tree
    after: list[tuple[str, str]] = []  # (number, title) of every clause heading, in order
    number_of: dict[str, str] = {section.id: section.number for section in tree.sections}  # node id -> number
    for section in tree.sections:
        kept: list[Clause | None] = [clause for clause in section.clauses if clause is not deleted]
        if section is section_4:
            kept.insert(1, None)  # the new clause
        for index, clause in enumerate(kept):
            number = f"{section.number}.{index + 1}"
            after.append((number, clause.title if clause else "Service continuity"))
            if clause:
                number_of[clause.id] = number
    assert number_of[inserted_before.id] == "4.3" and number_of[section_11.clauses[3].id] == "11.3"
    titles = {node.id: node.title for node in (*tree.sections, *tree.clauses())}
    broken = ("", "Error: Reference source not found")  # what a reference to a deleted heading shows
    cited_after = sorted(
        (titles[node_id], number_of[node_id]) if node_id != deleted.id else broken for node_id in cited(tree)
    )

    document = office.open(path)
    try:
        insert_paragraph_before(document, find(document, inserted_before.title, "Heading 2"), "Service continuity")
        following = find(document, section_11.clauses[3].title, "Heading 2")
        delete_range(find(document, deleted.title, "Heading 2"), following)
        update_all(document)
        assert [(label, text) for style, label, text in numbered(document) if style == "Heading 2"] == after
        assert sorted(references(document)) == cited_after
        pdf = office.save(document, tmp_path / "edited.pdf", "pdf")
    finally:
        document.close(True)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    for number, title in after:
        assert f"{number} {title}" in text, title
    assert f"calculated in accordance with clause {number_of[inserted_before.id]}." in text
    assert broken in cited_after  # the sample cites the clause deleted


def _unfielded_text(paragraph: etree._Element) -> str:
    """The text of a paragraph outside any field: what stays as typed when fields are updated."""
    depth, out = 0, []
    for node in paragraph.iter(f"{{{W}}}fldChar", f"{{{W}}}t"):
        if node.tag == f"{{{W}}}fldChar":
            depth += {"begin": 1, "end": -1}.get(node.get(f"{{{W}}}fldCharType"), 0)
        elif depth == 0:
            out.append(node.text or "")
    return "".join(out)


def test_a_reference_into_a_document_above_stays_text(tmp_path: Path) -> None:
    """A clause the service SLA leaves to the customer SLA is cited by that document's number: no bookmark
    of this DOCX holds it, so it is text, and the clauses of this document are still REF fields."""
    from slaforge.compose import compose
    from slaforge.library.clauses import load_library
    from slaforge.portfolio.build import PortfolioOptions, check_portfolio, plans_for

    options = PortfolioOptions()
    portfolio, report = check_portfolio(ROOT / "samples" / "portfolio" / "portfolio.yaml", options)
    plan = plans_for(portfolio, report, options)["contoso-email"]
    cited_above = [plan.external[c] for c in sorted(plan.omit & set(plan.external))]
    document = compose(plan.agreement, load_library([]), omit=plan.omit, external=plan.external)
    data = render(document, "docx", RenderOptions(theme=theme_for(document)))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    paragraphs = list(body.iter(f"{{{W}}}p"))
    text = "\n".join(_unfielded_text(p) for p in paragraphs)
    used = [words for words in cited_above if words in text]
    assert used, cited_above  # the sample's service SLA refers up to the customer SLA
    assert any(re.fullmatch(r" REF _Ref\w+ \\r \\h ", i.text) for i in body.iter(f"{{{W}}}instrText"))
