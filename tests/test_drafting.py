"""What a contracts lawyer reading the built samples must not find.

The corpus test composes every sample document (every agreement and every document of the sample
portfolio) in every clause position and reads the words of each clause independently of the code
(``diff_corpus.clause_texts``); the read-back tests read the session's build of two samples: the PDF, DOCX and
HTML, the documents a counterparty receives.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from shared import Samples, pdf_pages

from slaforge.cli.clauses import read_sample
from slaforge.compose import compose
from slaforge.compose.resolve import resolve
from slaforge.document import BulletList, NumberedList, Paragraph, plain
from slaforge.library.clauses import load_library
from slaforge.spec import load_spec
from tests.diff_corpus import clause_texts

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(
    [
        *(ROOT / "samples").glob("*.yaml"),
        ROOT / "samples" / "measurements" / "agreement.yaml",
        ROOT / "samples" / "portfolio" / "portfolio.yaml",
    ]
)
POSITIONS = sorted({p for c in load_library([]).ordered() for p in c.wordings})
DOUBLED = re.compile(r"\b([A-Za-z]+)\s+\1\b", re.IGNORECASE)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _lowered(text: str) -> str | None:
    """The author's text as a rule that lower-cases a first letter would print it, or None when no such rule
    could change it (it starts with no capital), or when it is too short to be the author's alone: the library
    itself may say "personal data" where a spec says "Personal data"."""
    phrase = text.strip().rstrip(".;")
    if len(phrase.split()) < 3 or not phrase[:1].isupper():
        return None
    return phrase[:1].lower() + phrase[1:]


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: str(p.relative_to(ROOT / "samples")))
def test_no_sample_in_any_position_has_the_artefacts_of_careless_drafting(sample: Path, position: str) -> None:
    library = load_library([])
    for each in read_sample(sample, library):
        document = compose(each.agreement, library, position, omit=each.omit, external=each.external)
        texts = clause_texts(document)
        spec = each.agreement.spec
        authored = {s for s in _strings(spec.model_dump(mode="json", exclude={"positions"})) if _lowered(s)}
        # the author's words lower-cased where they start a line (a list item, a cell), a parenthesis or a
        # phrase after a colon, a semicolon or a table's column mark
        lowered = {w: re.compile(rf"(?:^|\(|[:;|] ){re.escape(_lowered(w) or '')}") for w in authored}
        parties = 1 + len(spec.customers)
        for clause in document.clauses():
            for block, after in zip(clause.blocks, clause.blocks[1:], strict=False):
                lead = plain(block.runs) if isinstance(block, Paragraph) else ""
                if (
                    "any of the following" in lead
                    and lead.endswith(":")
                    and isinstance(after, NumberedList | BulletList)
                ):
                    assert len(after.items) > 1, f"{each.name}: clause {clause.id} lists one item after {lead!r}"
        for section in document.sections:
            repeated = [c.id for c in section.clauses if c.title.casefold() == section.title.casefold()]
            assert not repeated, f"{each.name}: clauses {repeated} repeat the heading of their section"
        for clause_id, text in texts.items():
            flat = " ".join(text.split("\n", 1)[-1].split())  # the words after the title
            where = f"{each.name}, {position}: clause {clause_id}"
            lines = text.split("\n")[1:]  # each paragraph, list item, caption and table row after the title
            doubled = [m.group(0) for line in lines for m in DOUBLED.finditer(line)]
            assert not doubled, f"{where} repeats a word: {doubled}"
            assert "None given" not in flat, where
            assert "nominated by a mediator" not in flat, where
            assert "the previous paragraph" not in flat, f"{where} refers to a paragraph by its place"
            if parties > 2:
                assert "both parties" not in flat, f"{where} says 'both parties' with {parties} parties"
            for written, pattern in lowered.items():
                found = [line for line in lines if pattern.search(line)]
                assert not found, f"{where} prints {written!r} with a lower-case first letter: {found[0]!r}"


def test_the_corpus_test_sees_a_lower_cased_item_and_a_doubled_word() -> None:
    """The checks above can fail: the old list-item rule's output and a doubled word are caught."""
    assert _lowered("Keep every managed router on a supported software release.") == (
        "keep every managed router on a supported software release"
    )
    assert (
        _lowered("Amtsgericht Berlin-Charlottenburg, HRB 214877 B") == "amtsgericht Berlin-Charlottenburg, HRB 214877 B"
    )
    assert _lowered("Northwind") is None and _lowered("Personal data") is None
    assert [m.group(0) for m in DOUBLED.finditer("shall notify the the Customer")] == ["the the"]


# ------------------------------------------------------------------ read back from PDF, DOCX and HTML


@pytest.fixture(scope="module")
def built(samples: Samples) -> dict[str, dict[str, str]]:
    """The words of the e-invoicing and WAN samples (the session's one build of each), per format,
    whitespace made single spaces (and the PDF's lines as extracted)."""
    words: dict[str, dict[str, str]] = {}
    for name in ("saas-platform", "managed-network"):
        document = docx.Document(str(samples.file(name, "docx")))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        page = samples.file(name, "html").read_text(encoding="utf-8")
        body = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1]))
        pages = "\n".join(pdf_pages(samples.file(name, "pdf")))
        words[name] = {
            "pdf-lines": pages,
            "pdf": " ".join(pages.split()),
            "docx": " ".join(" ".join([*(p.text for p in document.paragraphs), *cells]).split()),
            "html": " ".join(body.split()),
        }
    return words


def _document(built: dict[str, dict[str, str]], name: str) -> dict[str, str]:
    return built[name]


@pytest.mark.parametrize("form", ["pdf", "docx", "html"])
def test_the_authors_words_keep_their_capitals(built: dict[str, dict[str, str]], form: str) -> None:
    saas = _document(built, "saas-platform")[form]
    # the registrations as the spec writes them, which the parties clause once lower-cased
    assert "Amtsgericht Berlin-Charlottenburg, HRB 214877 B" in saas
    assert "KvK 24387719" in saas
    assert "amtsgericht" not in saas and "kvK" not in saas
    # a list item as written, with the full stop the clause gives it
    assert "Validation of every document against EN 16931 and the Dutch NLCIUS rules." in saas
    assert "validation of every document" not in saas
    # the responsibilities: the author's duties and the library's own, all sentences
    assert "Keep API credentials secret and rotate them at least every 90 days." in saas
    assert "keep API credentials" not in saas
    assert "a mediator nominated by the German Institution of Arbitration (DIS)" in saas
    # the claim already identifies the Service and the Measurement Window; the evidence does not repeat them
    assert "The affected calendar month and service" not in saas
    assert "The Customer's calculation of the Service Credit it claims." in saas


@pytest.mark.parametrize("form", ["pdf", "docx", "html"])
def test_a_severity_without_examples_has_an_empty_cell(built: dict[str, dict[str, str]], form: str) -> None:
    wan = _document(built, "managed-network")[form]
    assert "None given" not in wan
    # both examples of P1, each a sentence of its own, neither lower-cased
    assert (
        "The Leeds distribution centre cannot reach the warehouse management system. Both circuits at a site are down."
    ) in wan


def test_a_list_item_that_fits_the_line_after_its_first_word_is_not_broken_there(
    built: dict[str, dict[str, str]],
) -> None:
    """A line break (whitespace) before the end of a list item once made the PDF break a two-line item after
    its first word: "(a) Synthetic / transactions against the web application ... locations."."""
    lines = [" ".join(line.split()) for line in _document(built, "saas-platform")["pdf-lines"].splitlines()]
    item = next(line for line in lines if "Synthetic" in line)
    assert item.startswith("(a) Synthetic transactions against the web application"), item


def test_one_circumstance_that_suspends_the_service_levels_is_no_list(tmp_path: Path) -> None:
    wan = ROOT / "samples" / "managed-network.yaml"
    library = load_library([])

    def suspension(text: str) -> str:
        spec = tmp_path / "spec.yaml"
        spec.write_text(text, encoding="utf-8")
        clause = next(
            c for c in compose(resolve(load_spec(spec)), library).clauses() if c.id == "restrictions.suspension"
        )
        return clause_texts_of(clause)

    one = suspension(wan.read_text(encoding="utf-8"))
    assert "for as long as the Customer's account, or its access to a Service, is suspended" in one
    assert "any of the following" not in one
    two = suspension(
        wan.read_text(encoding="utf-8").replace(
            "  - kind: third-party\n", "  - kind: third-party\n    voids_agreement: true\n", 1
        )
    )
    assert "for as long as any of the following circumstances continues:" in two
    assert two.count("\n- ") == 2


def clause_texts_of(clause: Any) -> str:
    """A clause's paragraphs, with each list item on a line of its own starting "- "."""
    lines = []
    for block in clause.blocks:
        if isinstance(block, Paragraph):
            lines.append(plain(block.runs))
        elif isinstance(block, NumberedList | BulletList):
            lines.extend(f"- {plain(item.runs)}" for item in block.items)
    return "\n".join(lines)
