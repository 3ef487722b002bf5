"""Agreement + clause library -> Document.

Picks the clauses for the agreement's level and conditions, renders each
chosen wording in a sandboxed Jinja environment (spec values escaped so they
can never become markup), parses the Markdown subset, numbers sections,
clauses and sub-clauses once, and resolves cross-references and defined terms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from typing import Any

from slaforge.compose.environment import (
    BODY_ERRORS,
    BodyError,
    ClauseEnvironment,
    compiled,
    compiled_condition,
    environment_for,
    render_body,
    shared_environment,
    template_context,
)
from slaforge.compose.meta import document_meta, role
from slaforge.compose.numbering import number_clauses
from slaforge.compose.resolve import Agreement
from slaforge.document import (
    Block,
    BulletList,
    Clause,
    Definition,
    DefinitionList,
    Document,
    Inline,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    Section,
    Signatory,
    SignatureBlock,
    Table,
    plain,
)
from slaforge.errors import ClauseError, Problem
from slaforge.library.clauses import ClauseSource, Library
from slaforge.library.markup import Directive, MarkupError, RawBlock, parse_inline
from slaforge.library.texts import Texts
from slaforge.spec.models import ContactRole, Party

# ------------------------------------------------------------------ composing


@dataclass
class Composition:
    """Problems found while composing; raised together at the end."""

    problems: list[Problem] = field(default_factory=list)

    def fail(self, clause: ClauseSource, line: int | None, message: str, code: str, **kw: Any) -> None:
        self.problems.append(
            Problem(f"clause {clause.id}: {message}", file=str(clause.path), line=line, code=code, **kw)
        )


@dataclass
class _Drafted:
    source: ClauseSource
    position: str
    blocks: list[RawBlock]
    line: int


def selected(
    library: Library,
    agreement: Agreement,
    env: ClauseEnvironment,
    context: dict[str, Any],
    work: Composition,
    omit: frozenset[str] = frozenset(),
) -> list[ClauseSource]:
    chosen = []
    for clause in library.ordered():
        if agreement.level not in clause.meta.levels or agreement.form not in clause.meta.forms or clause.id in omit:
            continue
        if clause.meta.when:
            try:
                if not compiled_condition(env, clause.meta.when)(**context):
                    continue
            except BODY_ERRORS as exc:
                work.fail(clause, None, f"cannot evaluate 'when: {clause.meta.when}': {exc}", "bad-condition")
                continue
        chosen.append(clause)
    return chosen


def _title(env: ClauseEnvironment, clause: ClauseSource, context: dict[str, Any]) -> str:
    """The clause's title: the first ``retitle`` whose expression holds, else ``title``."""
    for condition, title in clause.meta.retitle.items():
        if compiled_condition(env, condition)(**context):
            return title
    return clause.meta.title


def _omitted(agreement: Agreement, library: Library, work: Composition) -> frozenset[str]:
    """The clauses the spec's ``omit`` leaves out; an id the library lacks is a located problem."""
    out = set()
    for i, omission in enumerate(agreement.spec.omit):
        if omission.clause in library.clauses:
            out.add(omission.clause)
            continue
        line, column = agreement.source.locate(("omit", i, "clause")) if agreement.source else (None, None)
        close = get_close_matches(omission.clause, list(library.clauses), n=3, cutoff=0.6)
        work.problems.append(
            Problem(
                f"omit names clause {omission.clause!r}, which the library does not have",
                file=agreement.source.file if agreement.source else None,
                line=line,
                column=column,
                path=f"omit[{i}].clause",
                given=omission.clause,
                expected=("one of " + ", ".join(close)) if close else "a clause id that 'slaforge clauses list' shows",
                code="unknown-clause",
            )
        )
    return frozenset(out)


def render_wording(
    env: ClauseEnvironment, clause: ClauseSource, position: str, context: dict[str, Any], work: Composition
) -> list[RawBlock] | None:
    wording = clause.wording(position)
    if clause.builtin:
        env = environment_for(builtin=True)  # the library's own: limits scaled to the input's (see environment)
    try:
        return render_body(env, wording.text, wording.line, context, sources=True)
    except BodyError as error:
        message = error.message
        if error.rendered_line is not None:
            message += f" (line {error.rendered_line} of the rendered '{position}' wording)"
        work.fail(clause, error.line, message, error.code, expected=error.expected)
        return None


def compose(
    agreement: Agreement,
    library: Library,
    default_position: str = "standard",
    omit: frozenset[str] = frozenset(),
    external: Mapping[str, str] | None = None,
    texts: Texts | None = None,
) -> Document:
    """Build the Document for ``agreement``; raise :class:`ClauseError` listing every problem.

    ``texts`` gives the words around the text (the cover, the signature block): the theme's labels,
    the built-in theme's when None.

    ``omit`` names clauses to leave out although the agreement's level and conditions pick them
    (a lower-level agreement of a portfolio leaves the terms it inherits to the agreement above);
    ``external`` gives the text of a cross-reference to a clause that sits in another document
    ("clause 5.2 of the Corporate SLA NW-CORP-SLA v2.1").
    """
    env = shared_environment()
    context = template_context(agreement, env)
    work = Composition()
    positions = agreement.spec.positions
    for clause_id, chosen in positions.items():
        line, column = agreement.source.locate(("positions", clause_id)) if agreement.source else (None, None)
        where = {"file": agreement.source.file if agreement.source else None, "line": line, "column": column}
        clause = library.clauses.get(clause_id)
        if clause is None:
            work.problems.append(
                Problem(
                    f"positions names clause {clause_id!r}, which the library does not have",
                    **where,
                    path=f"positions.{clause_id}",
                    code="unknown-clause",
                )
            )
        elif chosen not in clause.wordings:  # whether or not the agreement picks the clause
            work.problems.append(
                Problem(
                    f"clause {clause_id} has no position {chosen!r}",
                    **where,
                    path=f"positions.{clause_id}",
                    given=chosen,
                    expected=", ".join(clause.wordings),
                    code="unknown-position",
                )
            )
    omit = omit | _omitted(agreement, library, work)
    drafted: list[_Drafted] = []
    for clause in selected(library, agreement, env, context, work, omit):
        position = positions.get(clause.id, default_position)
        if position not in clause.wordings:
            if clause.id in positions:
                continue  # said above, at the spec's line
            position = "standard"
        blocks = render_wording(env, clause, position, context, work)
        if blocks is not None:
            drafted.append(_Drafted(clause, position, blocks, clause.wording(position).line))
    if work.problems:
        raise ClauseError(f"{len(work.problems)} problem(s) composing the agreement", work.problems)
    document = _assemble(agreement, library, drafted, env, context, work, external or {}, texts)
    if work.problems:
        raise ClauseError(f"{len(work.problems)} problem(s) composing the agreement", work.problems)
    return document


# ------------------------------------------------------------------ numbering and resolution


def _assemble(
    agreement: Agreement,
    library: Library,
    drafted: list[_Drafted],
    env: ClauseEnvironment,
    context: dict[str, Any],
    work: Composition,
    external: Mapping[str, str],
    texts: Texts | None,
) -> Document:
    by_category: dict[str, list[_Drafted]] = {}
    for item in drafted:
        by_category.setdefault(item.source.meta.category, []).append(item)
    numbers = number_clauses(library, (item.source.id for item in drafted))
    layout: list[tuple[str, str, str, list[tuple[str, _Drafted]]]] = []
    for category in library.categories:
        items = by_category.get(category.id)
        if items:
            clauses = [(numbers[item.source.id], item) for item in items]
            layout.append((category.id, numbers[category.id], category.title, clauses))

    terms = library.terms()
    used_terms: dict[str, ClauseSource] = {}

    def resolve_runs(runs: Inline, item: _Drafted) -> Inline:
        out = []
        for run in runs:
            if run.xref is not None and run.xref not in numbers and run.xref in external:
                run = replace(run, text=external[run.xref], xref=None)  # a clause of another document
            if run.xref is not None:
                target = numbers.get(run.xref)
                if target is None:
                    known = run.xref in library.clauses
                    why = "which this agreement does not include" if known else "which is not in the clause library"
                    work.fail(
                        item.source, item.line, f"refers to {run.xref!r}, {why}", "dangling-reference", given=run.xref
                    )
                    target = "?"
                word = "section" if run.xref in library.category_ids else "clause"
                run = replace(run, text=f"{word} {target}")
            if run.term is not None:
                if run.term not in terms:
                    work.fail(
                        item.source,
                        item.line,
                        f"uses the term {run.term!r}, which no clause defines",
                        "undefined-term",
                        given=run.term,
                    )
                else:
                    used_terms.setdefault(run.term, item.source)
            out.append(run)
        return tuple(out)

    def resolve_items(items: tuple[ListItem, ...], item: _Drafted) -> tuple[ListItem, ...]:
        return tuple(
            replace(li, runs=resolve_runs(li.runs, item), children=resolve_items(li.children, item)) for li in items
        )

    sections = []
    pending_definitions: list[tuple[int, int, int]] = []
    for s_index, (category_id, section_number, title, clauses) in enumerate(layout):
        built = []
        for c_index, (number, item) in enumerate(clauses):
            starts = sub_clause_starts(item.blocks)
            blocks: list[Block] = []
            counter = 0
            for index, raw in enumerate(item.blocks):
                if isinstance(raw, Paragraph):
                    numbered = None
                    if len(starts) > 1 and index in starts:
                        counter += 1
                        numbered = f"{number}.{counter}"
                    blocks.append(Paragraph(resolve_runs(raw.runs, item), number=numbered))
                elif isinstance(raw, NumberedList | BulletList):
                    blocks.append(type(raw)(resolve_items(raw.items, item)))
                elif isinstance(raw, Table):
                    blocks.append(
                        replace(
                            raw,
                            header=tuple(resolve_runs(c, item) for c in raw.header),
                            rows=tuple(tuple(resolve_runs(c, item) for c in row) for row in raw.rows),
                        )
                    )
                elif isinstance(raw, Directive) and raw.name == "signatures":
                    blocks.append(_signatures(agreement, texts))
                elif isinstance(raw, Directive) and raw.name == "definitions":
                    pending_definitions.append((s_index, c_index, len(blocks)))
                    blocks.append(DefinitionList(()))
            built.append(
                Clause(
                    id=item.source.id,
                    number=number,
                    title=_title(env, item.source, context),
                    blocks=tuple(blocks),
                    position=item.position,
                )
            )
        sections.append(Section(id=category_id, number=section_number, title=title, clauses=tuple(built)))

    if pending_definitions:
        definitions = _definitions(terms, used_terms, env, context, resolve_runs, work)
        for s_index, c_index, b_index in pending_definitions:
            clause = sections[s_index].clauses[c_index]
            blocks = list(clause.blocks)
            blocks[b_index] = definitions
            new_clauses = list(sections[s_index].clauses)
            new_clauses[c_index] = replace(clause, blocks=tuple(blocks))
            sections[s_index] = replace(sections[s_index], clauses=tuple(new_clauses))
    return Document(meta=document_meta(agreement, texts), sections=tuple(sections))


def sub_clause_starts(blocks: list[RawBlock]) -> set[int]:
    """Indexes of the paragraphs that open a numbered sub-clause.

    A paragraph continues the sub-clause before it (and gets no number) when the
    paragraph before it ends with a colon ("calculated as follows:") or when it
    starts in lower case ("where:"); every other paragraph opens a new one.
    """
    starts: set[int] = set()
    seen_paragraph = False
    for index, block in enumerate(blocks):
        if not isinstance(block, Paragraph):
            continue
        text = plain(block.runs).strip()
        before = blocks[index - 1] if index else None
        after_colon = isinstance(before, Paragraph) and plain(before.runs).rstrip().endswith(":")
        if not (seen_paragraph and (after_colon or text[:1].islower())):
            starts.add(index)
        seen_paragraph = True
    return starts


def _definitions(
    terms: dict[str, tuple[str, ClauseSource]],
    used: dict[str, ClauseSource],
    env: ClauseEnvironment,
    context: dict[str, Any],
    resolve_runs: Callable[[Inline, _Drafted], Inline],
    work: Composition,
) -> DefinitionList:
    """Every term the document uses, with its definition; definitions may use further terms."""
    rendered: dict[str, Inline] = {}
    while True:
        pending = sorted(t for t in used if t not in rendered and t in terms)
        if not pending:
            break
        for term in pending:
            text, source = terms[term]
            try:
                body = compiled(env, text).render(**context)
                runs = parse_inline(" ".join(body.split()))
            except (*BODY_ERRORS, MarkupError) as exc:
                work.fail(source, None, f"the definition of {term!r} cannot be rendered: {exc}", "bad-definition")
                rendered[term] = (Run(text),)
                continue
            rendered[term] = resolve_runs(runs, _Drafted(source, "standard", [], 1))
    return DefinitionList(tuple(Definition(term, rendered[term]) for term in sorted(rendered, key=str.lower)))


def _signatures(agreement: Agreement, texts: Texts | None) -> SignatureBlock:
    spec = agreement.spec

    def signatory(party: Party, capacity: str) -> Signatory:
        person = party.contact(ContactRole.signatory)
        return Signatory(
            party=party.name,
            capacity=capacity,
            name=person.name if person else None,
            title=person.title if person else None,
        )

    customers = (signatory(c, role("customer", texts)) for c in spec.customers)
    return SignatureBlock((signatory(spec.provider, role("provider", texts)), *customers))
