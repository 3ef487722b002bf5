"""The format-neutral document tree that every renderer reads.

A Document is built once by :mod:`slaforge.compose.assembly` and never changed by a
renderer.  Numbering is decided here (by the composer), so HTML, PDF and DOCX
cannot disagree about "clause 7.2".

Shape::

    Document
      meta: DocumentMeta                (cover page, running header, file metadata)
      sections: [Section]               numbered 1, 2, 3 ...
        clauses: [Clause]               numbered 1.1, 1.2 ...
          blocks: [Block]               Paragraph (optionally numbered 1.1.1),
                                        BulletList / NumberedList, Table,
                                        DefinitionList, SignatureBlock, Chart

Inline text is a tuple of :class:`Run`; a run carries plain text (never
markup) and its marks: emphasis, a defined-term use, a resolved
cross-reference, or an insert/delete mark for redlines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

Change = Literal["ins", "del"] | None
# a redline's clause that moved is there twice: struck where it stood, under its id and this suffix
MOVED_SUFFIX = "--was"


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with uniform marks.  ``text`` is plain text."""

    text: str
    bold: bool = False
    italic: bool = False
    term: str | None = None  # canonical defined term this run uses
    xref: str | None = None  # id of the clause this run refers to (text is its number)
    change: Change = None
    # the dotted spec path of the value this run prints (``services[0].availability.target``); only the
    # DOCX writes it (as a content control), and it takes no part in comparing runs
    source: str | None = field(default=None, compare=False)


Inline = tuple[Run, ...]


def plain(runs: Inline) -> str:
    """The text of a run sequence, without marks."""
    return "".join(run.text for run in runs)


def merge_runs(runs: Iterable[Run], *, sources: bool = False) -> Inline:
    """Neighbouring runs with identical marks as one run (a cross-reference stays whole), empty runs gone.

    Every renderer writes the runs of an inline through this, so two trees with the same text and
    marks give the same output however their runs were cut.  With ``sources``, a run that prints a
    spec value stays apart from its neighbours (the DOCX tags it); without, the spec paths are
    ignored, so they cannot change what the other renderers write.
    """
    out: list[Run] = []
    for run in runs:
        if not run.text and run.xref is None:
            continue
        last = out[-1] if out else None
        if (
            last is not None
            and run.xref is None
            and last.xref is None
            and replace(last, text="") == replace(run, text="")
            and (not sources or last.source == run.source)
        ):
            source = last.source if last.source == run.source else None  # a merged run prints no one value
            out[-1] = replace(last, text=last.text + run.text, source=source)
        else:
            out.append(run)
    return tuple(out)


@dataclass(frozen=True)
class Paragraph:
    runs: Inline
    number: str | None = None  # "1.1.1" when the paragraph is a numbered sub-clause
    change: Change = None


@dataclass(frozen=True)
class ListItem:
    runs: Inline
    children: tuple[ListItem, ...] = ()
    change: Change = None


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class NumberedList:
    """A list whose items are lettered (a), (b), (c) inside a clause."""

    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    caption: str | None = None
    # relative column widths (sum need not be 1); None lets the renderer decide
    widths: tuple[float, ...] | None = None
    kind: str = "data"  # e.g. "severity", "credits", "hours", "escalation", "history"
    change: Change = None  # redlines: the whole table inserted or deleted
    row_changes: tuple[Change, ...] = ()  # redlines: a mark per body row (may be shorter than rows)


@dataclass(frozen=True)
class Definition:
    term: str
    runs: Inline
    change: Change = None


@dataclass(frozen=True)
class DefinitionList:
    items: tuple[Definition, ...]


@dataclass(frozen=True)
class Signatory:
    party: str  # legal name of the party
    capacity: str  # "Provider" / "Customer"
    name: str | None = None  # pre-filled signatory name, if the spec gives one
    title: str | None = None  # pre-filled job title


@dataclass(frozen=True)
class SignatureBlock:
    signatories: tuple[Signatory, ...]


@dataclass(frozen=True)
class ChartSeries:
    """One line of a chart: a value per category (None where there is none) and an optional target line."""

    name: str
    values: tuple[float | None, ...]
    target: float | None = None


@dataclass(frozen=True)
class Chart:
    """A line chart of a few series over categories (e.g. availability per month against its target).

    Data, not a picture: each renderer draws it (SVG in HTML and PDF, a PNG in
    DOCX) from the same layout, so the formats agree.  ``description`` is the
    text alternative for readers who cannot see the chart.
    """

    caption: str
    description: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    unit: str = "%"


Block = Paragraph | BulletList | NumberedList | Table | DefinitionList | SignatureBlock | Chart


@dataclass(frozen=True)
class Clause:
    id: str
    number: str  # "7.2"
    title: str
    blocks: tuple[Block, ...]
    position: str = "standard"
    change: Change = None
    # redlines: a clause that changed place appears twice, deleted where it was (moved_to: its new
    # number) and inserted where it is now (moved_from: its old number)
    moved_from: str | None = None
    moved_to: str | None = None
    old_title: str | None = None  # redlines: the title it had, when the title changed


@dataclass(frozen=True)
class Section:
    id: str
    number: str  # "7"
    title: str
    clauses: tuple[Clause, ...]
    change: Change = None  # redlines: a section (heading) inserted or deleted


@dataclass(frozen=True)
class PartyLine:
    role: str  # "Provider", "Customer"
    name: str
    address: str | None = None


PARTICULARS = ("agreement", "version", "status", "effective", "classification")


@dataclass(frozen=True)
class Frame:
    """The words every renderer prints around the text: the cover, the contents, the page frame, the
    notes on moved clauses and the signature block.

    Composed once, from the theme's labels (:func:`slaforge.compose.meta.frame`), and read by every
    renderer from the tree, so that the cover and the signature block say the same in every format.
    A label may hold ``{name}`` placeholders that the methods below fill in.
    """

    draft: str  # "DRAFT": the cover's banner, the watermark and the mark on every page
    draft_note: str  # "Subject to contract · not for signature"
    between: str  # the word before the first party: "between"
    joiner: str  # the word before the last party: "and"
    party_role: str  # how the cover names a party's role: "(the “{role}”)"
    running_header: str  # "{agreement_id} · version {version}"
    particulars: dict[str, str]  # the labels of the cover's particulars, by PARTICULARS key
    statuses: dict[str, str]  # a status as the cover writes it: draft -> "Draft"
    contents: str  # the heading of the table of contents: "Contents"
    page: str  # "Page {page} of {pages}"
    moved_from: str  # "Moved from clause {number}"
    moved_to: str  # "Moved to clause {number}"
    signed_for: str  # "Signed for and on behalf of"
    signature_lines: tuple[str, ...]  # the lines to fill in: Signature, Name, Title, Date

    def role(self, party: PartyLine) -> str:
        return self.party_role.format(role=party.role)

    def status(self, status: str) -> str:
        return self.statuses.get(status, status.capitalize())

    def cover_particulars(self, meta: DocumentMeta) -> list[tuple[str, str]]:
        """(label, value) of the cover's particulars, in order; the classification only when there is one."""
        values = {
            "agreement": meta.agreement_id,
            "version": meta.version,
            "status": self.status(meta.status),
            "effective": meta.effective_date,
            "classification": meta.classification,
        }
        return [(self.particulars[key], value) for key in PARTICULARS if (value := values[key])]

    def page_parts(self) -> tuple[str, str, str]:
        """The page label around its two numbers: ("Page ", " of ", "")."""
        before, _, rest = self.page.partition("{page}")
        middle, _, after = rest.partition("{pages}")
        return before, middle, after

    def signing(self, signatory: Signatory) -> list[tuple[str, str]]:
        """The lines of a signatory's block, (label, what is filled in): the signature and the date are left blank."""
        values = ("", signatory.name or "", signatory.title or "", "")
        return list(zip(self.signature_lines, values, strict=False))

    def moved(self, clause: Clause) -> str | None:
        """The note on a clause that moved: "Moved from clause 4.1" where it is now, "Moved to ..." where it was."""
        if clause.moved_from:
            return self.moved_from.format(number=clause.moved_from)
        if clause.moved_to:
            return self.moved_to.format(number=clause.moved_to)
        return None


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    agreement_id: str
    version: str
    status: str  # "draft" | "final"
    effective_date: str  # already formatted for display, e.g. "1 March 2027"
    level: str  # "corporate" | "customer" | "service"
    parties: tuple[PartyLine, ...]
    author: str
    subject: str
    frame: Frame  # the words around the text, from the theme's labels
    keywords: tuple[str, ...] = ()
    brand_colour: str | None = None  # "#1f4e79"
    logo: str | None = None  # absolute path to an image inside an allowed folder
    logo_folder: str | None = None  # the folder the logo must lie in (the spec's): the renderers' asset folder
    subtitle: str | None = None  # e.g. "Service Level Agreement - Service level"
    classification: str | None = None  # e.g. "Commercial in confidence"
    # a handling mark that must head every page, e.g. "INTERNAL — NOT FOR THE CUSTOMER"
    marking: str | None = None
    # seconds since the epoch stamped into file metadata (PDF dates, DOCX core
    # properties, zip entries): SOURCE_DATE_EPOCH when set, else derived from the
    # spec, never the wall clock, so that two builds give the same bytes
    timestamp: int = 315532800  # 1980-01-01T00:00:00Z
    # who made the changes a redline marks, and when (seconds since the epoch): the author and date of
    # its tracked changes and comments; without them, the author and the timestamp above
    revised_by: str | None = None
    revised_at: int | None = None
    # a redline's old version: the cover and the running header mark the change from it (the DOCX
    # as tracked changes), so that rejecting every change gives back the old cover
    compared_with: DocumentMeta | None = None

    @property
    def is_draft(self) -> bool:
        return self.status.lower() == "draft"

    @property
    def running_header(self) -> str:
        header = self.frame.running_header.format(agreement_id=self.agreement_id, version=self.version)
        return f"{self.marking} \u00b7 {header}" if self.marking else header

    @property
    def file_stem(self) -> str:
        return f"{self.agreement_id}-v{self.version}"


@dataclass(frozen=True)
class Document:
    meta: DocumentMeta
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def clauses(self) -> Iterator[Clause]:
        for section in self.sections:
            yield from section.clauses

    def clause(self, clause_id: str) -> Clause:
        for clause in self.clauses():
            if clause.id == clause_id:
                return clause
        raise KeyError(clause_id)

    def outline(self) -> list[tuple[int, str, str, str]]:
        """(level, number, title, anchor id) for every heading, in order: the TOC."""
        rows: list[tuple[int, str, str, str]] = []
        for section in self.sections:
            rows.append((1, section.number, section.title, anchor(section.id)))
            for clause in section.clauses:
                rows.append((2, clause.number, clause.title, anchor(clause.id)))
        return rows


def anchor(node_id: str) -> str:
    """A stable, markup-safe anchor / bookmark name for a section or clause id."""
    safe = "".join(ch if ch.isalnum() else "-" for ch in node_id)
    return f"c-{safe}"


def list_label(index: int, depth: int) -> str:
    """The label of the ``index``-th (0-based) list item at nesting ``depth``: (a), (i), (A), (1).

    Part of the numbering, so it lives with the tree: every renderer writes the
    same labels, and a clause reads the same in every format.
    """
    n = index + 1
    if depth == 0:
        return f"({_alpha(n)})"
    if depth == 1:
        return f"({_roman(n)})"
    if depth == 2:
        return f"({_alpha(n).upper()})"
    return f"({n})"


def _alpha(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa, 28 -> bb: as Word and LibreOffice letter a list, and as drafters do."""
    repeat, rest = divmod(n - 1, 26)
    return chr(ord("a") + rest) * (repeat + 1)


def _roman(n: int) -> str:
    numerals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"))
    numerals += ((40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, numeral in numerals:
        count, n = divmod(n, value)
        out += numeral * count
    return out
