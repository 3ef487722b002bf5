"""What a template's filter or string method would build, judged before it is built.

Most of what a template can do makes a value no larger than what it starts from.  A few Jinja
filters and ``str`` methods multiply: ``center``, ``indent``, ``batch`` and ``slice`` take a width
or count, ``replace``, ``join`` and ``translate`` repeat one text for every place or item,
``tojson`` indents every line, ``sum`` concatenates lists.  For these the sandbox asks
:func:`filter_size` or :func:`method_size` first and refuses (:class:`RenderLimit`) what would
exceed the limit, so ``{{ "x"|center(10**9) }}`` never allocates a gigabyte.  Whatever else a
filter or method returns is measured after it returns (a step can at most double what exists).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from itertools import chain
from typing import Any

from jinja2.sandbox import MAX_RANGE

from slaforge.inputs.budget import RenderLimit

WIDEST = MAX_RANGE  # a width or count a filter or method may be given, as ``range`` is limited to
TOJSON_INDENT = 8  # spaces of one level of ``tojson``'s indent
# a "%" conversion with a width or precision given as "*" (taken from the arguments)
STAR = re.compile(r"%[-+ #0]*(\*|\d*\.\*)")
DIGITS = re.compile(r"\d{7,}")


def _width(value: Any, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > WIDEST:
        raise RenderLimit(f"{what} of {value:,} is more than the {WIDEST:,} a template may ask for")
    return value if isinstance(value, int) else 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _replaced(text: str, old: Any, new: Any, count: Any = -1) -> int:
    old, new = _text(old), _text(new)
    places = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        places = min(places, count)
    return len(text) + places * (len(new) - len(old))


def _joined(separator: Any, items: Any) -> int | None:
    if isinstance(items, str):
        return len(items) * (1 + len(_text(separator)))
    if not isinstance(items, list | tuple):
        return None
    texts = sum(len(item) for item in items if isinstance(item, str))
    return texts + max(len(items) - 1, 0) * len(_text(separator))


def _indented(text: Any, width: Any = 4, *args: Any, **kwargs: Any) -> int:
    text = _text(text)
    indent = len(width) if isinstance(width, str) else _width(width, "an indent")
    return len(text) + (text.count("\n") + 1) * indent


def _wrapped(text: Any, width: Any = 79, break_long_words: Any = True, wrapstring: Any = None, *rest: Any) -> int:
    text = _text(text)
    lines = len(text) // max(_width(width, "a width") or 1, 1) + text.count("\n") + 1
    return len(text) + lines * len(_text(wrapstring or "\n"))


def _batched(value: Any, linecount: Any = 1, fill_with: Any = None) -> int:
    _width(linecount, "a batch")
    return 0


def _sliced(value: Any, slices: Any = 1, fill_with: Any = None) -> int:
    _width(slices, "a number of slices")
    return 0


def _summed(iterable: Any, attribute: Any = None, start: Any = 0) -> int:
    if not isinstance(start, int | float | Decimal):
        raise RenderLimit("sum adds numbers; to put lists or texts together use join")
    return 0


def _as_json(value: Any, indent: Any = None) -> int:
    if isinstance(indent, str) or (isinstance(indent, int) and indent > TOJSON_INDENT):
        raise RenderLimit(f"tojson's indent may be at most {TOJSON_INDENT} spaces")
    return 0


def _formatted(fmt: Any, *args: Any, **kwargs: Any) -> int:
    """A ``%`` format (the ``format`` filter): widths in it, and ``*`` widths taken from the arguments."""
    fmt = _text(fmt)
    for width in re.findall(r"%[-+ #0]*(\d+)", fmt):
        _width(int(width), "a '%' format's width")
    if STAR.search(fmt):
        values = args[0] if len(args) == 1 and isinstance(args[0], tuple) else args
        for value in values:
            _width(value, "a '%' format's width")
    return 0


def _braced(fmt: Any, *args: Any, **kwargs: Any) -> int:
    """A ``str.format`` format: widths in its fields, and widths taken from the arguments (``{:{w}}``)."""
    try:
        fields = list(string.Formatter().parse(_text(fmt)))
    except ValueError:
        return 0  # str.format itself says what is wrong
    for _, _, spec, _ in fields:
        if not spec:
            continue
        for width in DIGITS.findall(spec):
            _width(int(width), "a format's width")
        if "{" in spec:
            for value in (*args, *kwargs.values()):
                _width(value, "a format's width")
    return 0


def _translated(text: str, table: Any) -> int:
    if not isinstance(table, Mapping):
        return len(text)
    longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
    return len(text) * max(longest, 1)


def _padded(text: str, width: Any = 0, *args: Any) -> int:
    return max(len(text), _width(width, "a width"))


def _tabs(text: str, tabsize: Any = 8) -> int:
    return len(text) + text.count("\t") * _width(tabsize, "a tab size")


# filter name -> the size of what it would build (given the filter's arguments, without an environment
# or context argument), raising RenderLimit for what it may not be asked
FILTERS: dict[str, Callable[..., int | None]] = {
    "center": lambda value, width=80: _padded(_text(value), width),
    "indent": _indented,
    "wordwrap": _wrapped,
    "replace": lambda value, old, new, count=None: _replaced(_text(value), old, new, -1 if count is None else count),
    "join": lambda value, d="", attribute=None: _joined(d, value) if attribute is None else None,
    "batch": _batched,
    "slice": _sliced,
    "sum": _summed,
    "tojson": _as_json,
    "format": _formatted,
}

# str method name -> the size of what it would build (the text, then the method's arguments)
METHODS: dict[str, Callable[..., int | None]] = {
    "center": _padded,
    "ljust": _padded,
    "rjust": _padded,
    "zfill": _padded,
    "expandtabs": _tabs,
    "replace": lambda text, old, new, count=-1: _replaced(text, old, new, count),
    "join": lambda text, items: _joined(text, items),
    "translate": _translated,
    "format": lambda text, *args, **kwargs: _braced(text, *args, **kwargs),
    "format_map": lambda text, mapping: _braced(text, **(mapping if isinstance(mapping, Mapping) else {})),
}


CONTAINERS = (list, tuple, dict, set, frozenset)
_END = object()


def _scalar(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 1
    return 1


def _members(container: Any) -> Iterator[Any]:
    return chain.from_iterable(container.items()) if isinstance(container, dict) else iter(container)


def footprint(value: Any, limit: int) -> int:
    """About how many characters ``value`` prints as (lists and mappings counted item by item, a list
    that holds itself as ``[...]``), or something over ``limit`` as soon as it is clearly larger: measuring
    costs at most about ``limit`` steps, however the value is nested or shared."""
    if not isinstance(value, CONTAINERS):
        return _scalar(value)
    total = len(value) + 2
    ancestors = {id(value)}
    stack = [(id(value), _members(value))]
    while stack:
        key, members = stack[-1]
        item = next(members, _END)
        if item is _END:
            stack.pop()
            ancestors.discard(key)
            continue
        if not isinstance(item, CONTAINERS):
            total += _scalar(item)
        elif id(item) in ancestors:
            total += 5
        else:
            total += len(item) + 2
            ancestors.add(id(item))
            stack.append((id(item), _members(item)))
        if total > limit:
            return total
    return total


def filter_size(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int | None:
    """What filter ``name`` would build from ``args`` (its value first), or None when it does not grow."""
    measure = FILTERS.get(name)
    if measure is None:
        return None
    try:
        return measure(*args, **kwargs)
    except TypeError:
        return None  # arguments the filter itself refuses: it says what is wrong


def method_size(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int | None:
    """What a call of ``function`` (a bound ``str`` method) would build, or None when it does not grow."""
    owner = getattr(function, "__self__", None)
    if not isinstance(owner, str):
        return None
    measure = METHODS.get(getattr(function, "__name__", ""))
    if measure is None:
        return None
    try:
        return measure(owner, *args, **kwargs)
    except TypeError:
        return None
