"""The sandboxed Jinja environment every clause and document text renders in.

Spec values reach a body through :meth:`~slaforge.compose.resolve.Agreement.context`: mappings
and lists that know their dotted path, so a body that prints a value the spec lacks is told
exactly which one.  Every printed value is escaped for the Markdown subset, so it can never
become markup.

A user's clause or text body is untrusted code.  It renders in :class:`slaforge.inputs.sandbox.BoundedSandbox`
(Jinja's sandbox, and limits of number, time and size) with a body's limits: at most
:data:`~slaforge.inputs.limits.RENDER_SECONDS` of CPU time (nested loops) and
:data:`~slaforge.inputs.limits.RENDER_CHARS` characters.  The library's own bodies (``clauses/`` and
``templates/`` as shipped) render in the same sandbox within limits scaled to the largest valid input
(:class:`LibraryEnvironment`): what they print grows with the data, which the input limits bound, and
the strict limits are a defence against a user's code, not against a long month.  Whatever a body raises (``1/0``,
``10.0**400``, a macro that calls itself) is one of :data:`BODY_ERRORS` and becomes a problem
naming the clause file and line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from jinja2 import Template, TemplateError, Undefined
from jinja2.exceptions import UndefinedError

from slaforge.compose.resolve import Agreement
from slaforge.compose.views import PathDict
from slaforge.inputs.limits import LIBRARY_RENDER_CHARS, LIBRARY_RENDER_SECONDS, RENDER_CHARS, RENDER_SECONDS
from slaforge.inputs.sandbox import BoundedSandbox, RenderLimit
from slaforge.library.markup import CLAUSE_DIRECTIVES, MarkupError, RawBlock, escape, parse_blocks, tag_value
from slaforge.library.vocabulary import Vocabulary
from slaforge.spec.calendars import format_days
from slaforge.text import and_list, cut, in_sentence


class MissingValue(Undefined):
    """A value the spec does not set: false in ``{% if %}``, an error when printed."""

    __slots__ = ()

    def __str__(self) -> str:
        self._fail_with_undefined_error()
        return ""  # pragma: no cover

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        path = getattr(self._undefined_obj, "path", None)
        if path:
            return f"{path}.{self._undefined_name} is not in the spec"
        return f"{self._undefined_name!r} is not defined"


# what a user's body can raise while it renders; each becomes a problem naming its file and line
BODY_ERRORS: tuple[type[BaseException], ...] = (
    TemplateError,
    TypeError,
    ValueError,
    ArithmeticError,  # 1/0, 10.0**400
    RecursionError,  # a macro that calls itself, nesting too deep
    LookupError,
    AttributeError,
    RenderLimit,
)


class ClauseEnvironment(BoundedSandbox):
    """Sandboxed, within a body's limits; attribute access on spec mappings reads keys (so ``sev.update`` is
    the field)."""

    render_seconds = RENDER_SECONDS
    render_chars = RENDER_CHARS
    what = "the body"

    def getattr(self, obj: Any, attribute: str) -> Any:
        _READ.last = None
        if isinstance(obj, PathDict):
            if attribute not in obj:
                return self.undefined(obj=obj, name=attribute)
            value = obj[attribute]
            if value is None:
                return self.undefined(hint=f"{obj.path}.{attribute} is not set in the spec")
            if _READ.tagging and attribute in obj.fields:
                _READ.last = (value, f"{obj.path}.{attribute}")
            return value
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, PathDict) and isinstance(argument, str):
            return self.getattr(obj, argument)
        _READ.last = None
        return super().getitem(obj, argument)


class _Reading(threading.local):
    """What the body being rendered read last: (value, spec path), while spec values are tagged."""

    tagging: bool = False
    last: tuple[Any, str] | None = None


_READ = _Reading()


@contextmanager
def tagged_values() -> Iterator[None]:
    """While it lasts, a printed value read straight from the spec carries its path (see :func:`tag_value`)."""
    before = _READ.tagging
    _READ.tagging, _READ.last = True, None
    try:
        yield
    finally:
        _READ.tagging, _READ.last = before, None


def _source(value: Any) -> str | None:
    """The spec path of ``value`` when it is what the body read last (an int or a flag never: small ints are
    shared objects, and "yes" is no value of the spec's)."""
    last = _READ.last
    if last is None or last[0] is not value or isinstance(value, bool | int):
        return None
    return last[1]


class LibraryEnvironment(ClauseEnvironment):
    """The same sandbox for the library's own bodies, within limits scaled to the largest valid input:
    their output grows with the data (a month of outages), which the input limits already bound."""

    render_seconds = LIBRARY_RENDER_SECONDS
    render_chars = LIBRARY_RENDER_CHARS


def _finalize(value: Any) -> str:
    if isinstance(value, Undefined):
        str(value)  # raises for MissingValue
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | dict):
        raise TypeError("a list or mapping was printed as a whole; print its items (or use |and_list)")
    text = escape(str(value))
    if _READ.tagging and (path := _source(value)) is not None:
        _READ.last = None
        return tag_value(text, path)
    return text


@cache
def shared_environment() -> ClauseEnvironment:
    """One environment per process, in which each wording is compiled once (see :func:`compiled`).

    A user's body renders in it, within a body's limits."""
    return make_environment()


@cache
def library_environment() -> ClauseEnvironment:
    """The environment of the library's own bodies (:class:`LibraryEnvironment`), one per process."""
    return make_environment(LibraryEnvironment)


def environment_for(builtin: bool) -> ClauseEnvironment:
    """Where a body renders: the library's own in :func:`library_environment`, a user's in the shared one."""
    return library_environment() if builtin else shared_environment()


def compiled(env: ClauseEnvironment, text: str) -> Template:
    """``env.from_string(text)``, remembered by the environment: a portfolio composes the same clauses often."""
    templates: dict[str, Template] = env.__dict__.setdefault("_compiled", {})
    if text not in templates:
        templates[text] = env.from_string(text)
    return templates[text]


def compiled_condition(env: ClauseEnvironment, text: str) -> Callable[..., Any]:
    """``env.compile_expression(text)``, remembered like :func:`compiled`."""
    conditions: dict[str, Callable[..., Any]] = env.__dict__.setdefault("_conditions", {})
    if text not in conditions:
        conditions[text] = env.compile_expression(text)
    return conditions[text]


def make_environment(kind: type[ClauseEnvironment] = ClauseEnvironment) -> ClauseEnvironment:
    env = kind(
        undefined=MissingValue,
        finalize=_finalize,
        autoescape=False,  # output is the Markdown subset; _finalize escapes every value for it
        keep_trailing_newline=True,
    )
    env.filters["and_list"] = and_list
    env.filters["or_list"] = lambda items: and_list(items, "or")
    env.filters["days"] = lambda days: format_days(list(days))
    env.filters["in_sentence"] = in_sentence
    return env


def template_context(agreement: Agreement, env: ClauseEnvironment) -> dict[str, Any]:
    context = agreement.context()
    for key, value in list(context.items()):
        if value is None:
            context[key] = env.undefined(hint=f"{key} is not set in the spec")
    return context


class BodyError(Exception):
    """A body that cannot be rendered: the message, the file's line when known, and a problem code."""

    def __init__(
        self, message: str, line: int | None, code: str, expected: str | None = None, rendered_line: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code
        self.expected = expected
        self.rendered_line = rendered_line  # for a markup error: its line in the rendered text


def render_body(
    env: ClauseEnvironment,
    text: str,
    first_line: int,
    context: dict[str, Any],
    directives: tuple[str, ...] = CLAUSE_DIRECTIVES,
    vocabulary: Vocabulary | None = None,
    *,
    sources: bool = False,
) -> list[RawBlock]:
    """A body (starting on line ``first_line`` of its file) rendered and parsed into blocks; :class:`BodyError`.

    Party and pronoun marks name the parties as ``vocabulary`` does (the library's default names when None).
    With ``sources``, each run that prints a value read straight from the spec knows its path.
    """
    try:
        if sources:
            with tagged_values():
                rendered = compiled(env, text).render(**context)
        else:
            rendered = compiled(env, text).render(**context)
    except UndefinedError as exc:
        raise BodyError(
            f"{exc.message}",
            first_line - 1 + _template_line(exc),
            "missing-value",
            expected="a value in the spec, or an {% if %} guard in the clause",
        ) from None
    except BODY_ERRORS as exc:
        line = getattr(exc, "lineno", None) or _template_line(exc)
        message = str(exc) if isinstance(exc, TemplateError | RenderLimit) else f"{type(exc).__name__}: {exc}"
        raise BodyError(cut(message, 500), first_line - 1 + line, "template-error") from None
    try:
        return parse_blocks(rendered, directives, vocabulary)
    except MarkupError as exc:
        raise BodyError(str(exc), None, "markup-error", rendered_line=exc.line) from None


def _template_line(exc: BaseException) -> int:
    line = 1
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
