"""Jinja's sandbox with limits of time, size and number: where a user's template code runs.

Clause and document-text bodies (:mod:`slaforge.compose.environment`) and a theme's page templates
(:mod:`slaforge.renderers.theme`) are code from the user's folders.  Jinja's sandbox keeps them from
Python's internals (and ``range`` to 100,000 items); :class:`BoundedSandbox` adds what it lacks:

- time: every call, attribute, item, operator, filter and turn of a loop is a step of the
  thread's budget (:mod:`slaforge.inputs.budget`), so a render takes at most ``render_seconds``
  of CPU time, in whichever thread or process it runs;
- size: ``**`` with an exponent that would build a number of more than
  :data:`BIGGEST_NUMBER_DIGITS` digits, ``*`` or ``%`` that would build a text or list longer than
  the output may be, and the filters and ``str`` methods that multiply (:mod:`slaforge.inputs.growth`)
  are refused before Python computes them (``{{ 10**(10**10) }}`` never starts); every other value
  a step builds (``+``, ``~``, a filter's result, a list written in the template) is measured, and
  the output may be at most ``render_chars`` characters, and holds no control character or lone
  surrogate (a template can build them from escapes: ``"\\x1b"``, ``"%c" % 55296``);
- words: ``lipsum`` (text that is in no clause) and the ``random`` filter (a different document
  on every run) are not there.

Past a limit the render stops with :class:`RenderLimit`.  The limits are the environment's
(:mod:`slaforge.inputs.limits`): a clause body's are small, a page template's (which lays out a
whole document) larger.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment

from slaforge.inputs.budget import RenderLimit, spend, time_limit
from slaforge.inputs.files import UNPRINTABLE
from slaforge.inputs.growth import filter_size, footprint, method_size
from slaforge.inputs.limits import BIGGEST_NUMBER_DIGITS, RENDER_CHARS, RENDER_SECONDS

__all__ = ["BoundedSandbox", "BoundedTemplate", "RenderLimit", "time_limit"]

_WIDTH = re.compile(r"%[-+ #0]*(\d+)")
# Jinja's defaults a document has no use for: words from no clause, and a different document each run
UNUSED_GLOBALS = ("lipsum",)
UNUSED_FILTERS = ("random",)


def _whole(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


class BoundedTemplate(Template):
    """A template whose :meth:`render` keeps to its environment's limits of time and size."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        env = self.environment
        limit = getattr(env, "render_chars", RENDER_CHARS)
        what = getattr(env, "what", "the template")
        parts: list[str] = []
        size = 0
        with time_limit(getattr(env, "render_seconds", RENDER_SECONDS), what):
            for chunk in self.generate(*args, **kwargs):
                spend()
                size += len(chunk)
                if size > limit:
                    raise RenderLimit(f"{what} renders to more than {limit:,} characters")
                bad = UNPRINTABLE.search(chunk)
                if bad is not None:  # built by the template itself: "\x00", "\ud800", "%c" % 27
                    raise RenderLimit(f"{what} prints {_unprintable(bad[0])}, which no document holds")
                parts.append(chunk)
        return "".join(parts)


def _unprintable(character: str) -> str:
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X} (not a character)"
    return f"the control character U+{code:04X}"


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's compiler, with the values a template builds itself (``~``, lists, mappings) measured."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self._measured(super().visit_Concat, node, frame)

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._measured(super().visit_List, node, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._measured(super().visit_Dict, node, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # the names of a loop's or an assignment's targets
            super().visit_Tuple(node, frame)
        else:
            self._measured(super().visit_Tuple, node, frame)

    def _measured(self, visit: Callable[[Any, Frame], None], node: nodes.Node, frame: Frame) -> None:
        self.write("environment.measured(")
        visit(node, frame)
        self.write(")")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the limits above; subclasses set their own."""

    template_class = BoundedTemplate
    code_generator_class = BoundedCodeGenerator
    intercepted_binops = frozenset({"**", "*", "%", "+"})
    render_seconds: float = RENDER_SECONDS
    render_chars: int = RENDER_CHARS
    what = "the template"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in UNUSED_GLOBALS:
            self.globals.pop(name, None)
        for name in UNUSED_FILTERS:
            self.filters.pop(name, None)
        self.filters = BoundedFilters(self, self.filters)

    # ------------------------------------------------------------ every step spends time

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's tree, each loop's body starting with a step (a loop spends time on every turn)."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            turn = nodes.Call(nodes.EnvironmentAttribute("turn"), [], [], None, None, lineno=loop.lineno)
            loop.body.insert(0, nodes.ExprStmt(turn, lineno=loop.lineno))
        tree.set_environment(self)
        return tree

    def turn(self) -> str:
        spend()
        return ""

    def getattr(self, obj: Any, attribute: str) -> Any:
        spend()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        spend()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        spend()
        size = method_size(__obj, args, kwargs)
        if size is not None and size > __self.render_chars:
            called = getattr(__obj, "__name__", "a call")
            raise RenderLimit(f"{called} would build a text longer than {__self.what} may be")
        return __self.measured(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's sandboxed ``str.format``, its widths judged first (``"{:>999999999}".format(1)``)."""
        sandboxed = super().wrap_str_format(value)
        if sandboxed is None:
            return None

        @wraps(sandboxed)
        def judged(*args: Any, **kwargs: Any) -> str:
            method_size(value, args, kwargs)
            return self.measured(sandboxed(*args, **kwargs))

        return judged

    def measured(self, value: Any) -> Any:
        """``value``, when it is no larger than what a render may produce."""
        if footprint(value, self.render_chars) > self.render_chars:
            raise RenderLimit(f"a value of more than {self.render_chars:,} characters: longer than {self.what} may be")
        return value

    # ------------------------------------------------------------ operators that build large values

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        spend()
        if operator_ == "**":
            return self._power(left, right)
        if operator_ == "*":
            return self._times(left, right)
        if operator_ == "%":
            return self.measured(self._format(left, right))
        if operator_ == "+":
            return self.measured(operator.add(left, right))
        return super().call_binop(context, operator_, left, right)

    @staticmethod
    def _power(left: Any, right: Any) -> Any:
        if (
            _whole(left, right)
            and abs(left) > 1
            and right > 0
            and right * math.log10(abs(left)) > BIGGEST_NUMBER_DIGITS
        ):
            raise RenderLimit(f"a power of more than {BIGGEST_NUMBER_DIGITS:,} digits is not a number a text needs")
        return operator.pow(left, right)

    def _times(self, left: Any, right: Any) -> Any:
        if _whole(left, right) and left.bit_length() + right.bit_length() > BIGGEST_NUMBER_DIGITS * 4:
            raise RenderLimit(f"a product of more than {BIGGEST_NUMBER_DIGITS:,} digits is not a number a text needs")
        for sized, count in ((left, right), (right, left)):
            if (
                isinstance(sized, str | list | tuple)
                and _whole(count)
                and footprint(sized, self.render_chars) * count > self.render_chars
            ):
                raise RenderLimit(f"repeating {len(sized):,} items {count:,} times is longer than {self.what} may be")
        return operator.mul(left, right)

    def _format(self, left: Any, right: Any) -> Any:
        if isinstance(left, str):
            if any(len(width) > 6 for width in _WIDTH.findall(left)):
                raise RenderLimit(f"a '%' format with a width longer than {self.what} may be")
            filter_size("format", (left, right), {})  # widths given as '*'
        return operator.mod(left, right)


class BoundedFilters(dict[str, Any]):
    """The environment's filters, each a step of the budget, judged before (what multiplies) and measured after."""

    def __init__(self, env: BoundedSandbox, filters: dict[str, Any]) -> None:
        super().__init__()
        self.env = env
        for name, function in filters.items():
            self[name] = function

    def __setitem__(self, name: str, function: Any) -> None:
        super().__setitem__(name, _bounded_filter(self.env, name, function))


def _bounded_filter(env: BoundedSandbox, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    if getattr(function, "slaforge_bounded", False):
        return function
    passes = getattr(function, "jinja_pass_arg", None)  # Jinja passes a context or environment first

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        spend()
        given = args[1:] if passes is not None else args
        if name == "join" and given and not isinstance(given[0], str | list | tuple):
            given = (list(given[0]), *given[1:])  # join lists them anyway: measured before it is joined
            args = (*args[: len(args) - len(given)], *given)
        size = filter_size(name, given, kwargs)
        if size is not None and size > env.render_chars:
            raise RenderLimit(f"the filter {name} would build a text longer than {env.what} may be")
        result = function(*args, **kwargs)
        return result if isinstance(result, Iterator) else env.measured(result)

    bounded.slaforge_bounded = True  # type: ignore[attr-defined]
    return bounded
