"""Hostile file contents, generated when the tests run (nothing large is committed).

Each payload is the whole text (bytes) of a YAML file, broken at the layer every file kind shares:
decoding, YAML, the limits of :mod:`slaforge.inputs`.  Each comes with the line and column
(1-based) where the problem must be reported, computed here from the text itself, or None
where no one position is right (a file too large is refused before it is read).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    data: bytes
    line: int | None
    column: int | None
    says: str  # a phrase the message must contain


def _at(text: str, needle: str) -> tuple[int, int]:
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _text(text: str, needle: str, says: str) -> Payload:
    line, column = _at(text, needle)
    return Payload(text.encode("utf-8", "surrogatepass"), line, column, says)


def alias_bomb() -> Payload:
    """Nine aliases of nine aliases, nine levels: 9**9 (387 million) values from a 1 KB file."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    text = "slaforge: 1\n" + "\n".join(lines) + "\n"
    return Payload(text.encode(), None, None, "values")


def deep_nesting(levels: int = 400) -> Payload:
    text = "slaforge: 1\nnested: " + "[" * levels + "]" * levels + "\n"
    return Payload(text.encode(), 2, None, "levels deep")


def aliased_text() -> Payload:
    """An alias of a 1 MB text, 1,000 times: a 1 MB file whose values would print a gigabyte."""
    text = 'slaforge: 1\nbig: &big "' + "x" * 1_000_000 + '"\nmany: [' + ", ".join(["*big"] * 1000) + "]\n"
    return _text(text, "[*big", "characters")


PAYLOADS = {
    "alias bomb": alias_bomb,
    "an aliased 1 MB text": aliased_text,
    "nesting 400 deep": deep_nesting,
    "!!int abc": lambda: _text("slaforge: 1\nversion: !!int abc\n", "!!int", "not a whole number"),
    "!!float abc": lambda: _text("slaforge: 1\nversion: !!float abc\n", "!!float", "not a number"),
    "a 5000-digit integer": lambda: _text("slaforge: 1\ncount: " + "7" * 5000 + "\n", "777", "digits"),
    "1e999999999": lambda: _text("slaforge: 1\nfactor: 1e999999999\n", "1e9", "out of range"),
    "a lone surrogate": lambda: _text('slaforge: 1\nname: "\\ud800"\n', '"\\ud800"', "surrogate"),
    "a NUL byte": lambda: _text("slaforge: 1\nname: Tom\x00asz\n", "\x00", "NUL"),
    "an escape sequence": lambda: _text('slaforge: 1\nname: "x\\e[2J\\e]0;owned\\a"\n', '"x', "control character"),
    "a date near 9999": lambda: _text("slaforge: 1\neffective: 9999-12-31\n", "9999", "out of range"),
    # an impossible date is kept as the text written, so that the file's own checks report it at its field
    # with every other problem (tests/test_one_run.py); at a key no file kind has, that key is refused
    "an impossible date": lambda: _text("slaforge: 1\neffective: 2027-02-30\n", "effective", "effective"),
    "Latin-1 bytes": lambda: Payload("slaforge: 1\nname: Tomás\n".encode("latin-1"), 2, 10, "not UTF-8"),
    "over 2 MiB": lambda: Payload(b"slaforge: 1\n" + b"# padding\n" * 220_000, None, None, "larger than"),
}
