"""Composition: clause selection, positions, numbering, cross-references, terms, missing values."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from slaforge.compose import compose
from slaforge.compose.resolve import resolve
from slaforge.document import Definition, DefinitionList, Document, Paragraph, SignatureBlock, Table, plain
from slaforge.errors import ClauseError
from slaforge.library.clauses import load_library
from slaforge.spec import load_spec

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "managed-network.yaml"

CATEGORIES = """\
- id: general
  title: General
- id: service
  title: The service
- id: signatures
  title: Signatures
"""


def write_clause(folder: Path, category: str, name: str, front: str, body: str) -> Path:
    path = folder / category / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n{textwrap.dedent(body).lstrip()}", encoding="utf-8")
    return path


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "clauses"
    folder.mkdir()
    (folder / "categories.yaml").write_text(CATEGORIES, encoding="utf-8")
    write_clause(
        folder,
        "general",
        "definitions",
        """
        id: general.definitions
        title: Definitions
        category: general
        order: 1
        """,
        """
        In this Agreement:

        ::definitions
        """,
    )
    write_clause(
        folder,
        "general",
        "purpose",
        """
        id: general.purpose
        title: Purpose
        category: general
        order: 2
        params: [provider, customer]
        defines:
          Provider: "{{ provider.name }}."
          Customer: "{{ customer.name }}, a party that receives the [[Service]]."
        """,
        """
        This Agreement is between the [[Provider]] and the [[Customer]].

        Service credits are set out in [[#service.credits]].
        """,
    )
    write_clause(
        folder,
        "service",
        "availability",
        """
        id: service.availability
        title: Availability
        category: service
        order: 1
        params: [services]
        defines:
          Service: the service described in this Agreement.
        positions: [standard, customer-favourable]
        """,
        """
        The [[Service]] shall be available {{ services[0].availability.target }} of the time.

        Table[targets]: Targets
        | Service | Target | Allowed |
        |---|---|---|
        {% for svc in services %}| {{ svc.name }} | {{ svc.availability.target }} | {{ svc.allowed_downtime }} |
        {% endfor %}

        :: position customer-favourable

        The Service shall be available at least {{ services[0].availability.target }}, measured by the Customer.
        """,
    )
    write_clause(
        folder,
        "service",
        "credits",
        """
        id: service.credits
        title: Service credits
        category: service
        order: 2
        when: service_credits
        params: [service_credits]
        """,
        """
        Credits are capped at {{ service_credits.caps.per_window }} of the fee.
        """,
    )
    write_clause(
        folder,
        "service",
        "no-credits",
        """
        id: service.no-credits
        title: No service credits
        category: service
        order: 3
        when: not service_credits
        params: [service_credits]
        """,
        """
        No service credits are payable under this Agreement.
        """,
    )
    write_clause(
        folder,
        "signatures",
        "execution",
        """
        id: signatures.execution
        title: Signatures
        category: signatures
        """,
        """
        Signed by the parties:

        ::signatures
        """,
    )
    return folder


def build(spec_path: Path, folder: Path) -> Document:
    return compose(resolve(load_spec(spec_path)), load_library([folder], include_builtin=False))


def spec_copy(tmp_path: Path, replace: dict[str, str] | None = None, append: str = "") -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "spec.yaml"
    path.write_text(text + append, encoding="utf-8")
    return path


def test_numbering_and_cross_references(library_dir: Path) -> None:
    document = build(SAMPLE, library_dir)
    outline = [(number, title) for _, number, title, _ in document.outline()]
    assert outline == [
        ("1", "General"),
        ("1.1", "Definitions"),
        ("1.2", "Purpose"),
        ("2", "The service"),
        ("2.1", "Availability"),
        ("2.2", "Service credits"),
        ("3", "Signatures"),
        ("3.1", "Signatures"),
    ]
    purpose = document.clause("general.purpose")
    # two paragraphs -> numbered sub-clauses; the reference names the credit clause's number
    assert [b.number for b in purpose.blocks if isinstance(b, Paragraph)] == ["1.2.1", "1.2.2"]
    assert plain(purpose.blocks[1].runs) == "Service credits are set out in clause 2.2."


def test_conditions_pick_credit_wording(library_dir: Path, tmp_path: Path) -> None:
    with_credits = build(SAMPLE, library_dir)
    ids = [c.id for c in with_credits.clauses()]
    assert "service.credits" in ids and "service.no-credits" not in ids
    assert "35%" in plain(with_credits.clause("service.credits").blocks[0].runs)

    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("\nservice_credits:")
    end = text.index("\nresponsibilities:")
    no_credits = tmp_path / "no-credits.yaml"
    no_credits.write_text(text[:start] + text[end:], encoding="utf-8")
    # the purpose clause refers to the credit clause, which this agreement no longer has
    with pytest.raises(ClauseError) as caught:
        build(no_credits, library_dir)
    problem = caught.value.problems[0]
    assert problem.code == "dangling-reference"
    assert "general.purpose" in problem.message and "service.credits" in problem.message


def test_spec_values_and_computed_downtime_in_text(library_dir: Path) -> None:
    document = build(SAMPLE, library_dir)
    clause = document.clause("service.availability")
    assert plain(clause.blocks[0].runs) == "The Service shall be available 99.95% of the time."
    table = next(b for b in clause.blocks if isinstance(b, Table))
    assert table.kind == "targets"
    # 0.05% of a 30-day month: 0.0005 * 30 * 86400 s = 1296 s = 21 min 36 s; 31 days: 1339.2 s
    assert [plain(c) for c in table.rows[0]] == [
        "Managed WAN",
        "99.95%",
        "21 minutes 36 seconds in a 30-day month (22 minutes 19.2 seconds in a 31-day month)",
    ]


def test_positions_chosen_by_the_spec(library_dir: Path, tmp_path: Path) -> None:
    spec = spec_copy(tmp_path, append="\npositions:\n  service.availability: customer-favourable\n")
    clause = build(spec, library_dir).clause("service.availability")
    assert clause.position == "customer-favourable"
    assert "measured by the Customer" in plain(clause.blocks[0].runs)

    bad = spec_copy(tmp_path, append="\npositions:\n  service.availability: provider-favourable\n")
    with pytest.raises(ClauseError) as caught:
        build(bad, library_dir)
    assert "provider-favourable" in caught.value.problems[0].message
    assert caught.value.problems[0].expected == "standard, customer-favourable"


def test_definitions_list_only_used_terms_with_rendered_values(library_dir: Path) -> None:
    document = build(SAMPLE, library_dir)
    definitions = next(b for b in document.clause("general.definitions").blocks if isinstance(b, DefinitionList))
    by_term = {d.term: plain(d.runs) for d in definitions.items}
    assert set(by_term) == {"Customer", "Provider", "Service"}
    assert by_term["Provider"] == "Northwind Networks Ltd."
    assert all(isinstance(d, Definition) for d in definitions.items)


def test_signature_block_from_parties(library_dir: Path) -> None:
    block = next(b for b in build(SAMPLE, library_dir).clause("signatures.execution").blocks
                 if isinstance(b, SignatureBlock))  # fmt: skip
    assert [(s.party, s.capacity, s.name) for s in block.signatories] == [
        ("Northwind Networks Ltd", "Provider", "Helen Marsh"),
        ("Contoso Logistics plc", "Customer", "Aisha Bello"),
    ]


def test_markup_in_spec_values_stays_text(library_dir: Path, tmp_path: Path) -> None:
    evil = "Contoso *Logistics* [[#service.credits]] | <b>plc</b>"
    spec = spec_copy(tmp_path, {"name: Contoso Logistics plc": f"name: '{evil}'"})
    document = build(spec, library_dir)
    first = document.clause("general.purpose").blocks[0]
    definitions = next(b for b in document.clause("general.definitions").blocks if isinstance(b, DefinitionList))
    customer = next(d for d in definitions.items if d.term == "Customer")
    assert plain(customer.runs).startswith(evil + ", a party")
    assert not any(r.italic or r.xref for r in customer.runs)
    assert plain(first.runs) == "This Agreement is between the Provider and the Customer."


def test_missing_value_names_clause_path_and_line(library_dir: Path) -> None:
    path = write_clause(
        library_dir,
        "service",
        "fiscal",
        """
        id: service.fiscal
        title: Fiscal year
        category: service
        order: 9
        params: [services]
        """,
        """
        The Measurement Window is a quarter.

        The fiscal year starts on {{ services[0].availability.fiscal_year_start }}.
        """,
    )
    with pytest.raises(ClauseError) as caught:
        build(SAMPLE, library_dir)
    (problem,) = caught.value.problems
    lines = path.read_text(encoding="utf-8").splitlines()
    expected_line = next(i for i, line in enumerate(lines, start=1) if "fiscal_year_start" in line)
    assert problem.file == str(path)
    assert problem.line == expected_line
    assert "service.fiscal" in problem.message
    assert "services[0].availability.fiscal_year_start" in problem.message


def test_undefined_term_is_an_error(library_dir: Path) -> None:
    write_clause(
        library_dir,
        "service",
        "undefined",
        """
        id: service.undefined
        title: Undefined term
        category: service
        order: 8
        """,
        """
        The [[Mystery Window]] applies.
        """,
    )
    with pytest.raises(ClauseError) as caught:
        build(SAMPLE, library_dir)
    assert any(p.code == "undefined-term" and "Mystery Window" in p.message for p in caught.value.problems)


def test_sandbox_refuses_unsafe_attribute_access(library_dir: Path) -> None:
    write_clause(
        library_dir,
        "service",
        "sneaky",
        """
        id: service.sneaky
        title: Sneaky
        category: service
        order: 7
        params: [services]
        """,
        """
        {{ services.__class__.__mro__ }}
        """,
    )
    with pytest.raises(ClauseError) as caught:
        build(SAMPLE, library_dir)
    assert caught.value.problems[0].file.endswith("sneaky.md")


def test_sub_clause_numbering_keeps_lead_ins_with_what_follows() -> None:
    from slaforge.compose.assembly import sub_clause_starts
    from slaforge.library.markup import parse_blocks

    blocks = parse_blocks(
        "Availability is calculated as follows:\n\nA = (T - E) / T\n\nwhere:\n\n- T is total;\n- E excluded.\n\n"
        "The purpose is to:\n\n1. measure;\n\nA new obligation.\n"
    )
    # 0 opens; 1 follows a colon; 2 starts in lower case; 3 is a list; 4 opens; 5 list; 6 opens
    assert sorted(sub_clause_starts(blocks)) == [0, 4, 6]


@pytest.mark.parametrize(
    ("item", "phrase"),
    [
        ("Keep its contacts up to date.", "Keep its contacts up to date"),
        ("A remediation plan after two failed months;", "A remediation plan after two failed months"),
        ("ERP connector faults", "ERP connector faults"),
        ("  McKinsey reviews  ", "McKinsey reviews"),
        ("kvK is not ours to correct", "kvK is not ours to correct"),
        ("Version 2.", "Version 2"),
        ("x", "x"),
        ("", ""),
    ],
)
def test_list_items_keep_the_authors_words_and_lose_only_their_closing_mark(item: str, phrase: str) -> None:
    from slaforge.text import in_sentence

    assert in_sentence(item) == phrase
