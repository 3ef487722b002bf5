"""The references a theme's CSS makes, found by parsing it (tinycss2), and each one rewritten or refused.

A browser fetches what CSS names in many spellings: ``url(x)``, ``URL(x)``, ``u\\72l(x)``,
``\\75 rl(x)``, ``url("x")``, ``src("x")``, ``image-set("x" 1x)``, ``-webkit-image-set(...)``,
``image("x")``, ``cross-fade("x")``, ``@import "x"``.  Matching text finds some of them; parsing
the stylesheet as a browser does (escapes decoded, case ignored) finds all of them.  Each is given
to a ``resolve`` function that returns what to write instead (a ``data:`` URI, a ``file:`` URL) or
raises; after the rewrite the result is parsed again and every reference left is checked once more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import tinycss2
from tinycss2 import ast

# functions whose string arguments are URLs that a browser fetches
URL_FUNCTIONS = ("url", "src")
IMAGE_FUNCTIONS = ("image-set", "-webkit-image-set", "image", "cross-fade", "-webkit-cross-fade")


@dataclass(frozen=True)
class Reference:
    """One URL the stylesheet names, where it names it (1-based line and column)."""

    url: str
    line: int
    column: int


class MalformedURL(ValueError):
    def __init__(self, line: int, column: int) -> None:
        super().__init__(f"a malformed url(...) at line {line}, column {column}")
        self.line = line
        self.column = column


def references(css: str) -> list[Reference]:
    """Every URL ``css`` names, in order."""
    found: list[Reference] = []
    rewrite(css, lambda reference: found.append(reference) or None)
    return found


def rewrite(css: str, resolve: Callable[[Reference], str | None]) -> str:
    """``css`` with each reference replaced by ``url("<what resolve returns>")``; None keeps it as it is.

    Raises :class:`MalformedURL` for a ``url(`` a browser cannot read (it would still try to fetch
    something); whatever ``resolve`` raises passes through.
    """
    nodes = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    changed = False

    def replaced(token: Any, url: str) -> Any:
        nonlocal changed
        new = resolve(Reference(url, token.source_line, token.source_column))
        if new is None:
            return token
        changed = True
        return ast.LiteralToken(token.source_line, token.source_column, f"url({quote(new)})")

    def values(items: Iterable[Any] | None, strings_are_urls: bool = False) -> list[Any]:
        out: list[Any] = []
        for item in items or ():
            if isinstance(item, ast.URLToken):
                out.append(replaced(item, item.value))
            elif isinstance(item, ast.ParseError) and item.kind == "bad-url":
                raise MalformedURL(item.source_line, item.source_column)
            elif isinstance(item, ast.StringToken) and strings_are_urls:
                out.append(replaced(item, item.value))
            elif isinstance(item, ast.FunctionBlock):
                if item.lower_name in URL_FUNCTIONS:
                    strings = [a for a in item.arguments if isinstance(a, ast.StringToken)]
                    if strings:
                        out.append(replaced(item, strings[0].value))
                        continue
                item.arguments = values(item.arguments, item.lower_name in IMAGE_FUNCTIONS)
                out.append(item)
            elif isinstance(item, ast.CurlyBracketsBlock | ast.ParenthesesBlock | ast.SquareBracketsBlock):
                item.content = values(item.content)
                out.append(item)
            else:
                out.append(item)
        return out

    for node in nodes:
        if isinstance(node, ast.QualifiedRule):
            node.prelude = values(node.prelude)
            node.content = values(node.content)
        elif isinstance(node, ast.AtRule):
            node.prelude = values(node.prelude, strings_are_urls=node.lower_at_keyword == "import")
            node.content = values(node.content) if node.content is not None else None
        elif isinstance(node, ast.ParseError) and node.kind == "bad-url":
            raise MalformedURL(node.source_line, node.source_column)
    return tinycss2.serialize(nodes) if changed else css


def quote(url: str) -> str:
    """``url`` as a CSS string: quotes, backslashes and line breaks escaped."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\\n\r\f' or ord(ch) < 0x20 else ch for ch in url)
    return f'"{escaped}"'
