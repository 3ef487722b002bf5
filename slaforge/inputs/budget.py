"""A render's budget of CPU time, held by the thread that renders: a limit that holds in any thread or process.

:func:`time_limit` gives the current thread a deadline in its own CPU time (``time.thread_time``);
the sandbox (:mod:`slaforge.inputs.sandbox`) calls :func:`spend` on every call, attribute, item,
operator, filter and turn of a loop a template makes, and the render stops with
:class:`RenderLimit` once the deadline is past.  No signal or timer is involved, so the limit
holds in a worker thread, in a ``--jobs`` worker process and in the main thread alike, and two
threads rendering at once each keep to their own budget.

A template can spend time only through those steps (each bounded in size by the sandbox), so a
render overruns its budget by at most one step.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from slaforge.inputs.limits import RENDER_SECONDS

CHECK_EVERY = 32  # steps between two looks at the clock (a look costs about as much as 15 steps)


class RenderLimit(Exception):
    """A template that went past a limit of its rendering (time, size, a number too large to compute)."""


@dataclass
class Budget:
    ends: float  # in the thread's CPU time
    seconds: float
    what: str
    steps: int = 0


_current = threading.local()


@contextmanager
def time_limit(seconds: float = RENDER_SECONDS, what: str = "the template") -> Iterator[None]:
    """At most ``seconds`` of this thread's CPU time for the templates rendered inside.

    Inside a limited render (a page that renders a clause) the earlier deadline holds for both."""
    outer: Budget | None = getattr(_current, "budget", None)
    ends = time.thread_time() + seconds
    if outer is not None and outer.ends <= ends:
        yield
        return
    _current.budget = Budget(ends, seconds, what)
    try:
        yield
    finally:
        _current.budget = outer


def spend() -> None:
    """One step of a render; past the thread's deadline, :class:`RenderLimit`."""
    budget: Budget | None = getattr(_current, "budget", None)
    if budget is None:
        return
    budget.steps += 1
    if budget.steps % CHECK_EVERY == 0 and time.thread_time() > budget.ends:
        raise RenderLimit(f"{budget.what} took more than {budget.seconds:g} seconds to render (a loop too long?)")
