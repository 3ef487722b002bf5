"""A hand-built Document with every block type, for renderer tests.

Renderer tests that do not need the whole pipeline build this tree; the
pipeline's own documents are tested through ``slaforge build``.
"""

from __future__ import annotations

from slaforge.compose.meta import frame
from slaforge.document import (
    BulletList,
    Clause,
    Definition,
    DefinitionList,
    Document,
    DocumentMeta,
    ListItem,
    NumberedList,
    Paragraph,
    PartyLine,
    Run,
    Section,
    Signatory,
    SignatureBlock,
    Table,
)


def meta(status: str = "draft", title: str = "Managed Network Service Level Agreement") -> DocumentMeta:
    return DocumentMeta(
        title=title,
        agreement_id="NW-SLA-001",
        version="1.2",
        status=status,
        effective_date="1 March 2027",
        level="service",
        parties=(
            PartyLine("Provider", "Northwind Networks Ltd", "12 Harbour Road, Bristol BS1 4RN"),
            PartyLine("Customer", "Contoso Logistics plc", "1 Dock Street, Leeds LS1 1AA"),
        ),
        author="Northwind Networks Ltd",
        subject="Service level agreement for the managed WAN service",
        frame=frame(),
        keywords=("SLA", "managed network", "availability"),
        subtitle="Service Level Agreement",
        classification="Commercial in confidence",
        timestamp=1_800_000_000,
    )


def long_table(rows: int) -> Table:
    return Table(
        header=((Run("Band"),), (Run("Monthly availability"),), (Run("Service credit"),)),
        rows=tuple(
            ((Run(f"{i + 1}"),), (Run(f"below {99.9 - i * 0.1:.1f}%"),), (Run(f"{5 * (i + 1)}% of the fee"),))
            for i in range(rows)
        ),
        caption="Service credit bands",
        widths=(1, 3, 3),
        kind="credits",
    )


def sample_document(status: str = "draft", clauses_per_section: int = 3, table_rows: int = 6) -> Document:
    intro = Clause(
        id="general.purpose",
        number="1.1",
        title="Purpose",
        blocks=(
            Paragraph(
                (
                    Run("This Agreement sets out the "),
                    Run("Service Levels", term="Service Level"),
                    Run(' that the Provider shall meet. <b>not bold</b> & "quoted".'),
                ),
                number="1.1.1",
            ),
            Paragraph(
                (
                    Run("Service credits are payable as set out in "),
                    Run("clause 2.1", xref="penalties.credits"),
                    Run(". "),
                    Run("Time is of the essence", italic=True),
                    Run(" and "),
                    Run("this is bold", bold=True),
                    Run("."),
                ),
                number="1.1.2",
            ),
            NumberedList(
                (
                    ListItem((Run("the Provider operates the network;"),)),
                    ListItem(
                        (Run("the Customer reports Incidents;"),),
                        children=(
                            ListItem((Run("by telephone; or"),)),
                            ListItem((Run("through the portal."),)),
                        ),
                    ),
                )
            ),
            BulletList((ListItem((Run("first bullet"),)), ListItem((Run("second bullet"),)))),
        ),
    )
    definitions = Clause(
        id="general.definitions",
        number="1.2",
        title="Definitions",
        blocks=(
            DefinitionList(
                (
                    Definition("Incident", (Run("an unplanned interruption to the Service."),)),
                    Definition("Service Level", (Run("a measurable target set out in this Agreement."),)),
                )
            ),
        ),
    )
    filler = tuple(
        Clause(
            id=f"general.filler-{i}",
            number=f"1.{i + 3}",
            title=f"Further provision {i + 1}",
            blocks=(Paragraph((Run("Lorem ipsum dolor sit amet. " * 20),)),),
        )
        for i in range(clauses_per_section)
    )
    credits = Clause(
        id="penalties.credits",
        number="2.1",
        title="Service credits",
        blocks=(Paragraph((Run("The following bands apply:"),)), long_table(table_rows)),
    )
    signatures = Clause(
        id="signatures.execution",
        number="2.2",
        title="Signatures",
        blocks=(
            SignatureBlock(
                (
                    Signatory("Northwind Networks Ltd", "Provider", "Priya Raman", "Head of Service Management"),
                    Signatory("Contoso Logistics plc", "Customer"),
                )
            ),
        ),
    )
    return Document(
        meta=meta(status),
        sections=(
            Section("general", "1", "General", (intro, definitions, *filler)),
            Section("penalties", "2", "Service credits and execution", (credits, signatures)),
        ),
    )
