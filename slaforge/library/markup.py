"""The Markdown subset of clause bodies, parsed into document blocks.

Blocks: paragraphs, lettered lists (``1.`` items, nested by indenting three spaces), bullet
lists (``-``), tables (``|`` rows with a ``|---|`` separator whose dash counts set relative
widths, one dash per cell leaving them to the renderer; an optional ``Table: caption`` line
before it, whose ``Table[kind]:`` form names the table's kind, with or without a caption), and
directive lines (``::definitions``, ``::signatures`` in clauses, ``::chart`` in a report).

Inline: ``**bold**``, ``*italic*``, ``[[Term]]`` / ``[[Term|shown]]`` defined terms, party marks
``the [[Provider]]`` / ``The [[Customer]]`` / ``the [[Provider]]'s`` and pronoun marks ``[[we]]`` /
``[[You are]]`` (printed as the document's vocabulary names the party, see
:mod:`slaforge.library.vocabulary`), ``[[#clause.id]]`` cross-references (``[[#clause.id|4.1]]``
with the text to show where nothing numbers them, as in a redline's summary), ``++inserted++`` and
``~~deleted~~`` words (the marks of a redline), ``\\`` escapes the next character.

Spec values reach this text through :func:`escape`, so no value can form markup.  A value read
straight from the spec may also come tagged with its path (:func:`tag_value`): the run that prints
it then knows where it came from (``Run.source``), and the DOCX names it in a content control.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from slaforge.document import BulletList, Change, Inline, ListItem, NumberedList, Paragraph, Run, Table, merge_runs
from slaforge.library.vocabulary import Vocabulary, default_vocabulary

_SPECIALS = set("\\*[]|+~")
_ORDERED = re.compile(r"^(?P<indent> *)(?P<n>\d+)\. +(?P<text>.*)$")
_BULLET = re.compile(r"^(?P<indent> *)- +(?P<text>.*)$")
_CAPTION = re.compile(r"^Table(?:\[(?P<kind>[a-z-]+)\])?:(?: *(?P<text>.+))?$")
_DIRECTIVE = re.compile(r"^::(?P<name>[a-z-]+) *$")
_SEPARATOR_CELL = re.compile(r"^ *:?-+:? *$")


class MarkupError(ValueError):
    """A body the subset cannot read; ``line`` is 1-based within the rendered body."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Directive:
    name: str
    line: int


RawBlock = Paragraph | NumberedList | BulletList | Table | Directive


# a tagged value: OPEN, its spec path in hex (no character of it can mean markup), SEP, its text, CLOSE
_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_TAG = re.compile(f"{_OPEN}[0-9a-f]*{_SEP}|{_CLOSE}")


def tag_value(text: str, path: str) -> str:
    """The escaped ``text`` of a value, marked as the value at spec ``path`` (nothing to mark when empty)."""
    if not text:
        return text
    return f"{_OPEN}{path.encode('utf-8', 'surrogatepass').hex()}{_SEP}{text}{_CLOSE}"


def untag(text: str) -> str:
    """``text`` without the marks of tagged values."""
    return _TAG.sub("", text) if _OPEN in text or _CLOSE in text else text


def escape(text: str) -> str:
    """Make a spec value inert: it prints exactly as written and never becomes markup."""
    text = " ".join(text.split())  # no line breaks: a value cannot start a list item or a table row
    out = "".join("\\" + ch if ch in _SPECIALS else ch for ch in text)
    if re.match(r"^(\d+\.|-|::|Table)", out):
        out = "\\" + out
    return out


# ------------------------------------------------------------------ inline


def parse_inline(text: str, line: int = 1, vocabulary: Vocabulary | None = None) -> Inline:
    """The runs of one line of inline markup; party and pronoun marks name the parties as ``vocabulary`` does
    (the library's default names when None)."""
    words = vocabulary or default_vocabulary()
    runs: list[Run] = []
    buffer: list[str] = []
    bold = italic = False
    change: Change = None
    source: str | None = None
    i = 0

    def flush() -> None:
        if buffer:
            runs.append(Run(untag("".join(buffer)), bold=bold, italic=italic, change=change, source=source))
            buffer.clear()

    while i < len(text):
        ch = text[i]
        if ch == _OPEN and (tag := _TAG.match(text, i)) is not None:
            flush()
            source = bytes.fromhex(tag.group()[1:-1]).decode("utf-8", "surrogatepass")
            i = tag.end()
            continue
        if ch == _CLOSE:
            flush()
            source = None
            i += 1
            continue
        if ch == "\\" and i + 1 < len(text):
            buffer.append(text[i + 1])
            i += 2
            continue
        if text.startswith("[[", i):
            end = _find_close(text, i + 2)
            if end < 0:
                raise MarkupError("'[[' without a closing ']]'", line)
            inner = _unescape(untag(text[i + 2 : end]))
            i = end + 2
            style = Run("", bold=bold, italic=italic, change=change)
            term, bar, shown = inner.partition("|")
            term = term.strip()
            article = None if bar else _article_before(buffer, words.words.article)
            if article and term in words.parties:  # a party mark: "the [[Provider]]", "The [[Customer]]'s"
                del buffer[-len(article) :]
                flush()
                possessive = _possessive_at(text, i)
                i += len(possessive or "")
                try:
                    runs.extend(words.party_runs(term, article[0].isupper(), possessive, style))
                except ValueError as exc:
                    raise MarkupError(str(exc), line) from None
                continue
            flush()
            if inner.startswith("#"):
                target, _, shown = inner[1:].partition("|")
                runs.append(replace(style, text=shown.strip(), xref=target.strip()))
            elif not bar and words.is_mark(term):  # a pronoun mark: "[[we]]", "[[You are]]"
                runs.extend(words.mark_runs(term, style))
            else:
                runs.append(replace(style, text=(shown or term).strip(), term=term))
            continue
        if text.startswith("**", i):
            flush()
            bold = not bold
            i += 2
            continue
        if text.startswith(("++", "~~"), i):
            flush()
            mark: Change = "ins" if text[i] == "+" else "del"
            change = None if change == mark else mark
            i += 2
            continue
        if ch == "*":
            flush()
            italic = not italic
            i += 1
            continue
        buffer.append(ch)
        i += 1
    flush()
    if bold or italic:
        raise MarkupError(f"unclosed {'**' if bold else '*'} emphasis", line)
    if change:
        raise MarkupError(f"unclosed {'++' if change == 'ins' else '~~'} mark", line)
    return merge_runs(runs, sources=True)


def _article_before(buffer: list[str], article: str) -> str | None:
    """The article and space ("the ", "The ") that end ``buffer`` as a word of its own, or None."""
    tail = "".join(buffer[-len(article) - 2 :])
    for word in (article, article[:1].upper() + article[1:]):
        written = f"{word} "
        if tail.endswith(written) and not tail[: -len(written)][-1:].isalnum():
            return written
    return None


def _possessive_at(text: str, index: int) -> str | None:
    """The possessive "'s" (or "’s") written at ``index`` as the end of a word, or None."""
    suffix = text[index : index + 2]
    if suffix in ("'s", "’s") and not text[index + 2 : index + 3].isalnum():
        return suffix
    return None


def _find_close(text: str, start: int) -> int:
    i = start
    while i < len(text) - 1:
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith("]]", i):
            return i
        i += 1
    return -1


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


# ------------------------------------------------------------------ blocks


CLAUSE_DIRECTIVES = ("definitions", "signatures")


def parse_blocks(
    body: str, directives: tuple[str, ...] = CLAUSE_DIRECTIVES, vocabulary: Vocabulary | None = None
) -> list[RawBlock]:
    """The blocks of a rendered body; a ``::name`` line is a :class:`Directive` when ``directives`` allows it.
    Party and pronoun marks name the parties as ``vocabulary`` does (:func:`parse_inline`)."""
    lines = body.splitlines()
    blocks: list[RawBlock] = []
    i = 0
    caption: tuple[str, str, int] | None = None
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped:
            i += 1
            continue
        number = i + 1
        if caption and not stripped.startswith("|"):
            raise MarkupError("a 'Table:' caption line must come right before a table", caption[2])
        if match := _CAPTION.match(stripped):
            caption = (untag(match["text"] or ""), match["kind"] or "data", number)
            i += 1
            continue
        if match := _DIRECTIVE.match(stripped):
            if match["name"] not in directives:
                expected = " or ".join(f"::{d}" for d in directives) or "none here"
                raise MarkupError(f"unknown directive '::{match['name']}' (expected {expected})", number)
            blocks.append(Directive(match["name"], number))
            i += 1
            continue
        if stripped.startswith("|"):
            end = i
            while end < len(lines) and lines[end].strip().startswith("|"):
                end += 1
            blocks.append(_table(lines[i:end], number, caption, vocabulary))
            caption = None
            i = end
            continue
        if _ORDERED.match(raw) or _BULLET.match(raw):
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            blocks.append(_list(lines[i:end], number, vocabulary))
            i = end
            continue
        end = i
        while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]):
            end += 1
        text = " ".join(line.strip() for line in lines[i:end])
        blocks.append(Paragraph(parse_inline(text, number, vocabulary)))
        i = end
    if caption:
        raise MarkupError("a 'Table:' caption line must come right before a table", caption[2])
    return blocks


def _starts_block(line: str) -> bool:
    stripped = line.strip()
    return bool(
        _ORDERED.match(line)
        or _BULLET.match(line)
        or stripped.startswith("|")
        or _DIRECTIVE.match(stripped)
        or _CAPTION.match(stripped)
    )


def _cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if text.startswith("[[", i):  # a term or reference may hold a '|' of its own
            end = _find_close(text, i + 2)
            if end >= 0:
                current.append(text[i : end + 2])
                i = end + 2
                continue
        if text[i] == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(text[i])
        i += 1
    cells.append("".join(current).strip())
    return cells


def _table(
    lines: list[str], first_line: int, caption: tuple[str, str, int] | None, vocabulary: Vocabulary | None
) -> Table:
    if len(lines) < 2 or not all(_SEPARATOR_CELL.match(c) for c in _cells(lines[1])):
        raise MarkupError("a table needs a header row and a |---| separator row", first_line)
    header = _cells(lines[0])
    dashes = [max(1, c.count("-")) for c in _cells(lines[1])]
    widths = None if set(dashes) == {1} else tuple(float(d) for d in dashes)  # |-|-| leaves them to the renderer
    if len(dashes) != len(header):
        raise MarkupError(f"the separator row has {len(dashes)} cells, the header {len(header)}", first_line + 1)
    rows = []
    for offset, line in enumerate(lines[2:], start=2):
        cells = _cells(line)
        if len(cells) != len(header):
            raise MarkupError(f"a table row has {len(cells)} cells, the header has {len(header)}", first_line + offset)
        rows.append(tuple(parse_inline(c, first_line + offset, vocabulary) for c in cells))
    return Table(
        header=tuple(parse_inline(c, first_line, vocabulary) for c in header),
        rows=tuple(rows),
        caption=(caption[0] or None) if caption else None,
        widths=widths,
        kind=caption[1] if caption else "data",
    )


def _list(lines: list[str], first_line: int, vocabulary: Vocabulary | None) -> NumberedList | BulletList:
    """Items at the first line's indent; deeper-indented items nest under the previous item."""
    entries: list[tuple[int, bool, str, int]] = []  # indent, ordered, text, line
    for offset, line in enumerate(lines):
        number = first_line + offset
        match = _ORDERED.match(line) or _BULLET.match(line)
        if match:
            entries.append((len(match["indent"]), bool(_ORDERED.match(line)), match["text"], number))
        elif entries:  # continuation of the previous item's text
            indent, ordered, text, start = entries[-1]
            entries[-1] = (indent, ordered, f"{text} {line.strip()}", start)
        else:
            raise MarkupError("expected a list item", number)
    block, rest = _build_list(entries, entries[0][0], vocabulary)
    if rest:
        raise MarkupError("list items are indented inconsistently", rest[0][3])
    return block


def _build_list(
    entries: list[tuple[int, bool, str, int]], indent: int, vocabulary: Vocabulary | None
) -> tuple[NumberedList | BulletList, list[tuple[int, bool, str, int]]]:
    ordered = entries[0][1]
    items: list[ListItem] = []
    rest = entries
    while rest and rest[0][0] == indent:
        _, item_ordered, text, line = rest[0]
        if item_ordered != ordered:
            raise MarkupError("a list mixes numbered and bulleted items at one level", line)
        rest = rest[1:]
        children: tuple[ListItem, ...] = ()
        if rest and rest[0][0] > indent:
            child, rest = _build_list(rest, rest[0][0], vocabulary)
            children = child.items
        items.append(ListItem(parse_inline(text, line, vocabulary), children=children))
    if rest and rest[0][0] > indent:
        raise MarkupError("list items are indented inconsistently", rest[0][3])
    kind = NumberedList if ordered else BulletList
    return kind(tuple(items)), rest
