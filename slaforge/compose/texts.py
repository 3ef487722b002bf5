"""A document made of theme texts: an outline's sections, each clause a text rendered like a clause.

A feature (the service level report, the offer documents, the redline summary) gives the values
its words need as a context; :func:`compose_texts` renders the outline's particulars (title,
subtitle, ...) and every clause of every section in the clauses' sandboxed environment, leaves
out a clause whose ``when`` is false or whose body renders to nothing, and numbers what remains:
sections 1, 2, 3 and their clauses 1.1, 1.2 (an outline section with ``numbered: false`` has no
numbers).  ``blocks`` gives the blocks a body places with a directive line (``::chart``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slaforge.compose.environment import (
    BODY_ERRORS,
    BodyError,
    compiled,
    compiled_condition,
    environment_for,
    render_body,
    shared_environment,
)
from slaforge.compose.views import path_view
from slaforge.document import Block, Clause, Section, plain
from slaforge.errors import ClauseError, Problem
from slaforge.library.markup import Directive, MarkupError, parse_inline
from slaforge.library.texts import Text, Texts


@dataclass(frozen=True)
class TextDocument:
    particulars: dict[str, str]  # title, subtitle, ... as plain text
    sections: tuple[Section, ...]


def text_context(texts: Texts, context: Mapping[str, Any]) -> dict[str, Any]:
    """What a text reads: the feature's values (mappings and lists that know their path) and ``labels``."""
    view = {key: path_view(value, key) for key, value in context.items()}
    view["labels"] = path_view(texts.labels, "labels")
    return view


def render_line(template: str, context: Mapping[str, Any], where: Problem) -> str:
    """A one-line template (a title, a subtitle) as plain text."""
    env = shared_environment()
    try:
        rendered = compiled(env, template).render(**context)
        return plain(parse_inline(" ".join(rendered.split())))
    except (*BODY_ERRORS, MarkupError) as exc:
        raise ClauseError(f"{where.file}: {exc}", [Problem(str(exc), file=where.file, line=where.line)]) from None


def render_text(
    text: Text, context: Mapping[str, Any], blocks: Mapping[str, Block] | None = None
) -> tuple[Block, ...] | None:
    """The blocks of ``text``, or None when its ``when`` is false; :class:`ClauseError` naming file and line."""
    env = environment_for(text.builtin)
    values = dict(context)
    try:
        if text.meta.when and not compiled_condition(env, text.meta.when)(**values):
            return None
    except BODY_ERRORS as exc:
        problem = Problem(f"cannot evaluate 'when: {text.meta.when}': {exc}", file=str(text.path), code="bad-condition")
        raise ClauseError(problem.message, [problem]) from None
    given = blocks or {}
    try:
        raw = render_body(env, text.body, text.line, values, tuple(given))
    except BodyError as error:
        detail = f" (line {error.rendered_line} of the rendered text)" if error.rendered_line is not None else ""
        problem = Problem(f"{text.id}: {error.message}{detail}", file=str(text.path), line=error.line, code=error.code)
        raise ClauseError(problem.message, [problem]) from None
    return tuple(given[b.name] if isinstance(b, Directive) else b for b in raw)


def particulars(
    texts: Texts, outline_name: str, context: Mapping[str, Any], keys: tuple[str, ...] | None = None
) -> dict[str, str]:
    """The outline's particulars (all, or those named by ``keys``) as plain text."""
    outline = texts.outline(outline_name)
    values = text_context(texts, context)
    where = Problem("", file=str(outline.path))
    wanted = outline.particulars if keys is None else {k: outline.particulars[k] for k in keys}
    return {key: render_line(template, values, where) for key, template in wanted.items()}


def compose_texts(
    texts: Texts,
    outline_name: str,
    context: Mapping[str, Any],
    blocks: Mapping[str, Block] | None = None,
    keys: tuple[str, ...] | None = None,
) -> TextDocument:
    """The outline ``outline_name`` (``report/outline``) rendered with ``context``; ``keys``: the particulars wanted."""
    outline = texts.outline(outline_name)
    values = text_context(texts, context)
    sections: list[Section] = []
    numbered = 0
    for section in outline.sections:
        clauses: list[Clause] = []
        for name in section.clauses:
            text = texts.text(name)
            body = render_text(text, values, blocks)
            if not body:
                continue
            number = f"{numbered + 1}.{len(clauses) + 1}" if section.numbered else ""
            title = render_line(text.meta.title, values, Problem("", file=str(text.path), line=1))
            clauses.append(Clause(text.id, number, title, body))
        if not clauses:
            continue  # a section none of whose texts applies (support in an agreement without support targets)
        if section.numbered:
            numbered += 1
        sections.append(Section(section.id, str(numbered) if section.numbered else "", section.title, tuple(clauses)))
    return TextDocument(particulars(texts, outline_name, context, keys), tuple(sections))
