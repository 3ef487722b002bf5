"""The sandboxed Jinja environment every clause and document text renders in.

Spec values reach a body through :meth:`~slaforge.compose.resolve.Agreement.context`: mappings
and lists that know their dotted path, so a body that prints a value the spec lacks is told
exactly which one.  Every printed value is escaped for the Markdown subset, so it can never
become markup.

A user's clause or text body is untrusted code.  Besides Jinja's sandbox (no attribute of
Python's internals, ``range`` of at most 100,000), each body renders within limits
(:mod:`slaforge.inputs.limits`): ``**`` with an exponent that would build a number of more than
a few thousand digits, and ``*`` or ``%`` that would build a text or list longer than a body may
be, are refused before Python computes them; a body may render for at most
:data:`~slaforge.inputs.limits.RENDER_SECONDS` of CPU time (nested loops) and produce at most
:data:`~slaforge.inputs.limits.RENDER_CHARS` characters.  Whatever a body raises (``1/0``,
``10.0**400``, a macro that calls itself) is one of :data:`BODY_ERRORS` and becomes a problem
naming the clause file and line.
"""

from __future__ import annotations

import math
import operator
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from jinja2 import Template, TemplateError, Undefined
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from slaforge.compose.resolve import Agreement
from slaforge.compose.views import PathDict
from slaforge.inputs.limits import RENDER_CHARS, RENDER_SECONDS
from slaforge.library.markup import CLAUSE_DIRECTIVES, MarkupError, RawBlock, escape, parse_blocks
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


class RenderLimit(Exception):
    """A body that went past a limit of its rendering (time, size, a number too large to compute)."""


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
BIGGEST_NUMBER_DIGITS = 4_000  # ``**`` may build a number of at most this many digits


def _whole(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _power(left: Any, right: Any) -> Any:
    if _whole(left, right) and abs(left) > 1 and right > 0 and right * math.log10(abs(left)) > BIGGEST_NUMBER_DIGITS:
        raise RenderLimit(f"a power of more than {BIGGEST_NUMBER_DIGITS:,} digits is not a number a clause needs")
    return operator.pow(left, right)


def _times(left: Any, right: Any) -> Any:
    if _whole(left, right) and left.bit_length() + right.bit_length() > BIGGEST_NUMBER_DIGITS * 4:
        raise RenderLimit(f"a product of more than {BIGGEST_NUMBER_DIGITS:,} digits is not a number a clause needs")
    for sized, count in ((left, right), (right, left)):
        if isinstance(sized, str | list | tuple) and _whole(count) and len(sized) * count > RENDER_CHARS:
            raise RenderLimit(f"repeating {len(sized):,} items {count:,} times is longer than a body may be")
    return operator.mul(left, right)


def _format(left: Any, right: Any) -> Any:
    if isinstance(left, str) and any(len(width) > 6 for width in _WIDTH.findall(left)):
        raise RenderLimit("a '%' format with a width longer than a body may be")
    return operator.mod(left, right)


_WIDTH = re.compile(r"%[-+ #0]*(\d+)")


class BoundedTemplate(Template):
    """A template whose :meth:`render` keeps to the limits of time and size of a body."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        parts: list[str] = []
        size = 0
        with time_limit():
            for chunk in self.generate(*args, **kwargs):
                size += len(chunk)
                if size > RENDER_CHARS:
                    raise RenderLimit(f"the body renders to more than {RENDER_CHARS:,} characters")
                parts.append(chunk)
        return "".join(parts)


def _timed_out(signum: int, frame: Any) -> None:
    raise RenderLimit(f"the body took more than {RENDER_SECONDS:g} seconds to render (a loop too long?)")


@contextmanager
def time_limit() -> Iterator[None]:
    """At most RENDER_SECONDS of CPU time for what runs inside (SIGPROF, so in the main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    if signal.getitimer(signal.ITIMER_PROF)[0]:
        yield  # already inside a limited render (a body that renders a text): one limit for both
        return
    previous = signal.signal(signal.SIGPROF, _timed_out)
    signal.setitimer(signal.ITIMER_PROF, RENDER_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


class ClauseEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed; attribute access on spec mappings reads keys (so ``sev.update`` is the field)."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"**", "*", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            return _power(left, right)
        if operator == "*":
            return _times(left, right)
        if operator == "%":
            return _format(left, right)
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, PathDict):
            if attribute not in obj:
                return self.undefined(obj=obj, name=attribute)
            value = obj[attribute]
            if value is None:
                return self.undefined(hint=f"{obj.path}.{attribute} is not set in the spec")
            return value
        return super().getattr(obj, attribute)


def _finalize(value: Any) -> str:
    if isinstance(value, Undefined):
        str(value)  # raises for MissingValue
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | dict):
        raise TypeError("a list or mapping was printed as a whole; print its items (or use |and_list)")
    return escape(str(value))


@cache
def shared_environment() -> ClauseEnvironment:
    """One environment per process, in which each wording is compiled once (see :func:`compiled`)."""
    return make_environment()


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


def make_environment() -> ClauseEnvironment:
    env = ClauseEnvironment(
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
) -> list[RawBlock]:
    """A body (starting on line ``first_line`` of its file) rendered and parsed into blocks; :class:`BodyError`.

    Party and pronoun marks name the parties as ``vocabulary`` does (the library's default names when None).
    """
    try:
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
