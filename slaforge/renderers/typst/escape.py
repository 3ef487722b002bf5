"""Values of the document tree as Typst code literals, so that no text is ever read as markup.

Every text of an agreement reaches the Typst source as a string literal in
code mode (``"..."``).  Inside a string literal only the backslash and the
double quote mean anything to Typst; both are escaped, and every control or
line-separator character is written as a ``\\u{...}`` escape, so the literal
always ends where this module ends it and always stands for exactly the text
it was given.  ``#``, ``$``, ``*``, ``_``, ``@``, ``<``, backticks, ``//`` and
``=`` are plain characters inside a string and are printed as they are.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

# code literals the markup writer passes through as they are
Code = str


def string(text: str) -> Code:
    """``a "b" \\ c`` -> ``"a \\"b\\" \\\\ c"``: a Typst string literal that evaluates to ``text``."""
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif _escaped(ch):
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _escaped(ch: str) -> bool:
    """Control characters, line and paragraph separators, lone surrogates: escapes, never raw in the source."""
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs")


def optional(text: str | None) -> Code:
    return "none" if text is None else string(text)


def boolean(value: bool) -> Code:
    return "true" if value else "false"


def number(value: float) -> Code:
    """A float literal (Typst has no fractions): ``1`` -> ``1.0``, never an exponent."""
    text = f"{float(value):.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def array(items: Iterable[Code]) -> Code:
    """``(a, b,)``: a Typst array literal; the trailing comma keeps a one-item array an array."""
    body = ", ".join(items)
    return f"({body},)" if body else "()"


def dictionary(fields: Mapping[str, Code]) -> Code:
    """``(name: value, ...)``: keys are this module's own identifiers, values already literals."""
    if not fields:
        return "(:)"
    return "(" + ", ".join(f"{key}: {value}" for key, value in fields.items()) + ")"


def call(function: str, *positional: Code, **named: Code | None) -> Code:
    """``function(a, key: b)``; named arguments given as ``None`` are left out (the theme's default)."""
    args = [*positional]
    args += [f"{key.replace('_', '-')}: {value}" for key, value in named.items() if value is not None]
    return f"{function}({', '.join(args)})"
