"""Jinja's sandbox with limits of time, size and number: where a user's template code runs.

Clause and document-text bodies (:mod:`slaforge.compose.environment`) and a theme's page templates
(:mod:`slaforge.renderers.theme`) are code from the user's folders.  Jinja's sandbox keeps them from
Python's internals (and ``range`` to 100,000 items); :class:`BoundedSandbox` adds what it lacks:

- ``**`` with an exponent that would build a number of more than :data:`BIGGEST_NUMBER_DIGITS`
  digits, and ``*`` or ``%`` that would build a text or list longer than the output may be, are
  refused before Python computes them (``{{ 10**(10**10) }}`` never starts);
- a render may take at most ``render_seconds`` of CPU time (nested loops) and produce at most
  ``render_chars`` characters; past either it stops with :class:`RenderLimit`.

The limits are the environment's (:mod:`slaforge.inputs.limits`): a clause body's are small, a page
template's (which lays out a whole document) larger.
"""

from __future__ import annotations

import math
import operator
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from slaforge.inputs.limits import BIGGEST_NUMBER_DIGITS, RENDER_CHARS, RENDER_SECONDS


class RenderLimit(Exception):
    """A template that went past a limit of its rendering (time, size, a number too large to compute)."""


_WIDTH = re.compile(r"%[-+ #0]*(\d+)")


def _whole(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


class BoundedTemplate(Template):
    """A template whose :meth:`render` keeps to its environment's limits of time and size."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        limit = getattr(self.environment, "render_chars", RENDER_CHARS)
        seconds = getattr(self.environment, "render_seconds", RENDER_SECONDS)
        what = getattr(self.environment, "what", "the template")
        parts: list[str] = []
        size = 0
        with time_limit(seconds, what):
            for chunk in self.generate(*args, **kwargs):
                size += len(chunk)
                if size > limit:
                    raise RenderLimit(f"{what} renders to more than {limit:,} characters")
                parts.append(chunk)
        return "".join(parts)


@contextmanager
def time_limit(seconds: float = RENDER_SECONDS, what: str = "the template") -> Iterator[None]:
    """At most ``seconds`` of CPU time for what runs inside (SIGPROF, so in the main thread only).

    Inside a limited render (a body that renders a text, a page that renders a clause) the outer
    limit holds for both."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    if signal.getitimer(signal.ITIMER_PROF)[0]:
        yield
        return

    def timed_out(signum: int, frame: Any) -> None:
        raise RenderLimit(f"{what} took more than {seconds:g} seconds to render (a loop too long?)")

    previous = signal.signal(signal.SIGPROF, timed_out)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the limits above; subclasses set their own."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"**", "*", "%"})
    render_seconds: float = RENDER_SECONDS
    render_chars: int = RENDER_CHARS
    what = "the template"

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            return self._power(left, right)
        if operator_ == "*":
            return self._times(left, right)
        if operator_ == "%":
            return self._format(left, right)
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
            if isinstance(sized, str | list | tuple) and _whole(count) and len(sized) * count > self.render_chars:
                raise RenderLimit(f"repeating {len(sized):,} items {count:,} times is longer than {self.what} may be")
        return operator.mul(left, right)

    def _format(self, left: Any, right: Any) -> Any:
        if isinstance(left, str) and any(len(width) > 6 for width in _WIDTH.findall(left)):
            raise RenderLimit(f"a '%' format with a width longer than {self.what} may be")
        return operator.mod(left, right)
