"""Word-level comparison of two versions of one clause, as blocks carrying insert/delete marks.

Inline text is cut into words (each keeps the whitespace after it); a
cross-reference is one word whose identity is the clause it points to, not the
number it prints, so a reference that only got a new number because clauses
were inserted above its target is not a change.  Blocks are aligned first
(paragraphs, lists, tables, definitions), then the words inside each pair.

Everything here is pure: two tuples of blocks in, one tuple of marked blocks
(the new version with the old words struck in place) and word counts out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from slaforge.document import (
    Block,
    BulletList,
    Change,
    Definition,
    DefinitionList,
    Inline,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    SignatureBlock,
    Table,
    merge_runs,
)

# a word (letters/digits, with inner . , ' - : / as in 99.95%, e.g. 08:00, and/or) or one other
# character, followed by its whitespace; or whitespace alone
WORD = re.compile(r"(?:[^\W_]+(?:[.,'\u2019:/\-][^\W_]+)*%?|[\W_])\s*|\s+", re.UNICODE)


@dataclass(frozen=True)
class Token:
    key: tuple[Any, ...]  # what is compared
    piece: str  # the text it shows
    source: Run  # the run it comes from (its marks)

    @property
    def is_word(self) -> bool:
        return bool(self.piece.strip())

    @property
    def run(self) -> Run:
        return self.source if self.piece == self.source.text else replace(self.source, text=self.piece)


@dataclass
class WordCount:
    inserted: int = 0
    deleted: int = 0

    def add(self, other: WordCount) -> None:
        self.inserted += other.inserted
        self.deleted += other.deleted

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted)


def tokens(runs: Inline) -> list[Token]:
    out: list[Token] = []
    for run in _unsourced(runs):
        if not run.text:
            continue
        if run.xref is not None:
            trailing = " " if run.text != run.text.rstrip() else ""
            out.append(Token(("xref", run.xref, trailing), run.text, run))
            continue
        for match in WORD.finditer(run.text):
            piece = match.group(0)
            word = piece.rstrip()
            out.append(Token((word, " " if len(word) < len(piece) else "", run.bold, run.italic), piece, run))
    return out


def _unsourced(runs: Inline) -> list[Run]:
    """The runs as they read without spec paths: a value's run joined again to its neighbours with the same
    marks, so that words are cut as in the text around it."""
    out: list[Run] = []
    after_value = False  # the last run is, or ends with, a value's
    for run in runs:
        last = out[-1] if out else None
        if (
            last is not None
            and (after_value or run.source is not None)
            and run.xref is None
            and last.xref is None
            and replace(last, text="") == replace(run, text="")
        ):
            out[-1] = replace(last, text=last.text + run.text, source=None)
        else:
            out.append(run)
        after_value = run.source is not None
    return out


@lru_cache(maxsize=65536)
def inline_key(runs: Inline) -> tuple[tuple[Any, ...], ...]:
    """What two inlines must share to count as the same text (numbers in cross-references aside)."""
    return tuple(token.key for token in tokens(runs))


def marked(runs: Inline, change: Change) -> Inline:
    return tuple(replace(run, change=change) for run in runs)


def compare_inline(old: Inline, new: Inline, count: WordCount) -> Inline:
    """The new text with the old words that went struck in place; ``count`` gains the changed words."""
    before, after = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, [t.key for t in before], [t.key for t in after], autojunk=False)
    out: list[Run] = []
    for op, i1, i2, j1, j2 in readable(matcher.get_opcodes(), before, after):
        if op == "equal":
            out.extend(t.run for t in after[j1:j2])
            continue
        gone, came = before[i1:i2], after[j1:j2]
        count.deleted += sum(1 for t in gone if t.is_word)
        count.inserted += sum(1 for t in came if t.is_word)
        out.extend(replace(t.run, change="del") for t in gone)
        out.extend(replace(t.run, change="ins") for t in came)
    return merge_runs(out)


Opcode = tuple[str, int, int, int, int]


def readable(opcodes: list[Opcode], before: list[Token], after: list[Token]) -> list[Opcode]:
    """Fold a word or two left unchanged between two changes into them.

    "[-43-]{+21+} minutes [-12-]{+36+} seconds" reads better as
    "[-43 minutes 12-]{+21 minutes 36+} seconds": the reader sees the old and the new phrase whole.
    """

    def words(tokens_: list[Token], a: int, b: int) -> int:
        return sum(1 for t in tokens_[a:b] if t.is_word)

    ops = list(opcodes)
    changed = True
    while changed:
        changed = False
        for k in range(1, len(ops) - 1):
            tag, i1, i2 = ops[k][:3]
            left, right = ops[k - 1], ops[k + 1]
            if tag != "equal" or left[0] == "equal" or right[0] == "equal":
                continue
            kept = words(before, i1, i2)
            around = sum(words(before, o[1], o[2]) + words(after, o[3], o[4]) for o in (left, right))
            if kept <= 2 and around >= 2 * kept:
                ops[k - 1 : k + 2] = [("replace", left[1], right[2], left[3], right[4])]
                changed = True
                break
    return ops


# ------------------------------------------------------------------ blocks


def block_key(block: Block) -> tuple[Any, ...]:
    match block:
        case Paragraph():
            return ("p", inline_key(block.runs))
        case NumberedList() | BulletList():
            return (type(block).__name__, tuple(_item_key(item) for item in block.items))
        case Table():
            return (
                "table",
                block.caption,
                tuple(inline_key(c) for c in block.header),
                tuple(_row_key(row) for row in block.rows),
            )
        case DefinitionList():
            return ("definitions", tuple((d.term, inline_key(d.runs)) for d in block.items))
        case SignatureBlock():
            return ("signatures", block.signatories)
    raise TypeError(f"no comparison rule for {type(block).__name__}")


def _item_key(item: ListItem) -> tuple[Any, ...]:
    return (inline_key(item.runs), tuple(_item_key(child) for child in item.children))


def _row_key(row: tuple[Inline, ...]) -> tuple[Any, ...]:
    return tuple(inline_key(cell) for cell in row)


def mark_block(block: Block, change: Change) -> Block:
    """``block`` inserted or deleted whole."""
    match block:
        case Paragraph():
            return replace(block, change=change)
        case NumberedList() | BulletList():
            return type(block)(tuple(replace(item, change=change) for item in block.items))
        case Table():
            return replace(block, change=change)
        case DefinitionList():
            return DefinitionList(tuple(replace(d, change=change) for d in block.items))
    return block  # a signature block is drawn as it is: the parties' names are compared as values


def compare_blocks(old: Sequence[Block], new: Sequence[Block], count: WordCount) -> tuple[Block, ...]:
    """The new blocks with insertions and deletions marked; deleted blocks stay where they were."""

    def pair(a: Block, b: Block) -> list[Block] | None:
        return [compare_block(a, b, count)] if _same_kind(a, b) else None

    def whole(block: Block, change: Change) -> list[Block]:
        return _counted(mark_block(block, change), block, change, count)

    return tuple(_align(old, new, block_key, pair, whole, words=_block_words, fits=_same_kind))


def _counted(result: Block, block: Block, change: Change, count: WordCount) -> list[Block]:
    words = count_words(block)
    if change == "ins":
        count.inserted += words
    else:
        count.deleted += words
    return [result]


def _same_kind(a: Block, b: Block) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, Table) and isinstance(b, Table):
        return len(a.header) == len(b.header)
    return not isinstance(a, SignatureBlock)


def compare_block(old: Block, new: Block, count: WordCount) -> Block:
    if block_key(old) == block_key(new):
        return new
    match old, new:
        case Paragraph(), Paragraph():
            return replace(new, runs=compare_inline(old.runs, new.runs, count))
        case (NumberedList(), NumberedList()) | (BulletList(), BulletList()):
            return type(new)(compare_items(old.items, new.items, count))
        case Table(), Table():
            return compare_tables(old, new, count)
        case DefinitionList(), DefinitionList():
            return DefinitionList(compare_definitions(old.items, new.items, count))
    return new


def compare_items(old: Sequence[ListItem], new: Sequence[ListItem], count: WordCount) -> tuple[ListItem, ...]:
    def pair(a: ListItem, b: ListItem) -> list[ListItem]:
        return [
            replace(
                b,
                runs=compare_inline(a.runs, b.runs, count),
                children=compare_items(a.children, b.children, count),
            )
        ]

    def whole(item: ListItem, change: Change) -> list[ListItem]:
        words = _item_words(item)
        if change == "ins":
            count.inserted += words
        else:
            count.deleted += words
        return [replace(item, change=change)]

    return tuple(_align(old, new, _item_key, pair, whole, words=lambda item: _words(_item_inlines([item]))))


def _unmarked_row(row: tuple[Inline, ...]) -> tuple[tuple[Inline, ...], Change]:
    return row, None


def _words(parts: Iterable[Inline]) -> list[Any]:
    return [key for runs in parts for key in inline_key(runs)]


def _block_words(block: Block) -> list[Any]:
    return _words(inlines(block))


def compare_tables(old: Table, new: Table, count: WordCount) -> Table:
    header = tuple(compare_inline(a, b, count) for a, b in zip(old.header, new.header, strict=True))
    rows: list[tuple[Inline, ...]] = []
    changes: list[Change] = []

    def pair(a: tuple[Inline, ...], b: tuple[Inline, ...]) -> list[tuple[tuple[Inline, ...], Change]] | None:
        if len(a) != len(b):
            return None
        return [(tuple(compare_inline(x, y, count) for x, y in zip(a, b, strict=True)), None)]

    def whole(row: tuple[Inline, ...], change: Change) -> list[tuple[tuple[Inline, ...], Change]]:
        words = sum(1 for cell in row for t in tokens(cell) if t.is_word)
        if change == "ins":
            count.inserted += words
        else:
            count.deleted += words
        return [(tuple(marked(cell, change) for cell in row), change)]

    for row, change in _align(
        old.rows, new.rows, _row_key, pair, whole, words=_words, fits=lambda a, b: len(a) == len(b), keep=_unmarked_row
    ):
        rows.append(row)
        changes.append(change)
    return replace(new, header=header, rows=tuple(rows), row_changes=tuple(changes))


def compare_definitions(
    old: Sequence[Definition], new: Sequence[Definition], count: WordCount
) -> tuple[Definition, ...]:
    def pair(a: Definition, b: Definition) -> list[Definition] | None:
        if a.term != b.term:
            return None
        return [replace(b, runs=compare_inline(a.runs, b.runs, count))]

    def whole(item: Definition, change: Change) -> list[Definition]:
        words = 1 + sum(1 for t in tokens(item.runs) if t.is_word)
        if change == "ins":
            count.inserted += words
        else:
            count.deleted += words
        return [replace(item, change=change)]

    return tuple(
        _align(
            old, new, lambda d: (d.term, inline_key(d.runs)), pair, whole, words=lambda d: [], pair_key=lambda d: d.term
        )
    )


def _align(
    old: Sequence[Any],
    new: Sequence[Any],
    key: Callable[[Any], Any],
    pair: Callable[[Any, Any], list[Any] | None],
    whole: Callable[[Any, Change], list[Any]],
    *,
    words: Callable[[Any], list[Any]],
    fits: Callable[[Any, Any], bool] = lambda a, b: True,
    pair_key: Callable[[Any], Any] | None = None,
    keep: Callable[[Any], Any] = lambda item: item,
) -> list[Any]:
    """Merge two sequences: equal items kept, changed ones paired, the rest deleted or inserted.

    Items whose ``pair_key`` matches are paired first (definitions by term).  Otherwise, inside
    a stretch that changed, items are paired in order so that the paired items share as many
    words as possible (an item sharing fewer than a third of its words is deleted and inserted).
    """
    matcher = SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    out: list[Any] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(keep(item) for item in new[j1:j2])
            continue
        gone, came = list(old[i1:i2]), list(new[j1:j2])
        if pair_key is not None:
            out.extend(_pair_by_key(gone, came, pair_key, pair, whole))
            continue
        for a, b in _best_pairs(gone, came, words, fits):
            result = pair(a, b) if a is not None and b is not None else None
            if result is not None:
                out.extend(result)
                continue
            if a is not None:
                out.extend(whole(a, "del"))
            if b is not None:
                out.extend(whole(b, "ins"))
    return out


SIMILAR = 1 / 3


def _best_pairs(
    gone: list[Any], came: list[Any], words: Callable[[Any], list[Any]], fits: Callable[[Any, Any], bool]
) -> list[tuple[Any, Any]]:
    """An order-keeping pairing of two short lists that maximises the words the pairs share."""
    if len(gone) * len(came) > 400:  # a long rewrite: pair in order
        pairs = [(a, b) for a, b in zip(gone, came, strict=False)]
        pairs += [(a, None) for a in gone[len(came) :]] + [(None, b) for b in came[len(gone) :]]
        return pairs
    gone_words, came_words = [words(a) for a in gone], [words(b) for b in came]
    score: dict[tuple[int, int], float] = {}
    for i, a in enumerate(gone):
        for j, b in enumerate(came):
            if fits(a, b):
                ratio = SequenceMatcher(None, gone_words[i], came_words[j], autojunk=False).ratio()
                if ratio >= SIMILAR or not (gone_words[i] or came_words[j]):
                    score[i, j] = ratio + 0.001  # an empty pair still beats two whole changes
    n, m = len(gone), len(came)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if (i, j) in score:
                options.append(score[i, j] + best[i + 1][j + 1])
            best[i][j] = max(options)
    pairs: list[tuple[Any, Any]] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and (i, j) in score and best[i][j] == score[i, j] + best[i + 1][j + 1]:
            pairs.append((gone[i], came[j]))
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            pairs.append((gone[i], None))
            i += 1
        else:
            pairs.append((None, came[j]))
            j += 1
    return pairs


def _pair_by_key(
    gone: list[Any],
    came: list[Any],
    pair_key: Callable[[Any], Any],
    pair: Callable[[Any, Any], list[Any] | None],
    whole: Callable[[Any, Change], list[Any]],
) -> list[Any]:
    olds = {pair_key(a): a for a in gone}
    news = {pair_key(b) for b in came}
    out: list[Any] = []
    for a in gone:
        if pair_key(a) not in news:
            out.extend(whole(a, "del"))
    for b in came:
        a = olds.get(pair_key(b))
        result = pair(a, b) if a is not None else None
        out.extend(result if result is not None else whole(b, "ins"))
    return out


# ------------------------------------------------------------------ counting


def count_words(block: Block) -> int:
    match block:
        case Paragraph():
            return sum(1 for t in tokens(block.runs) if t.is_word)
        case NumberedList() | BulletList():
            return sum(_item_words(item) for item in block.items)
        case Table():
            cells = [*block.header, *(cell for row in block.rows for cell in row)]
            return sum(1 for cell in cells for t in tokens(cell) if t.is_word)
        case DefinitionList():
            return sum(1 + sum(1 for t in tokens(d.runs) if t.is_word) for d in block.items)
    return 0


def _item_words(item: ListItem) -> int:
    return sum(1 for t in tokens(item.runs) if t.is_word) + sum(_item_words(c) for c in item.children)


def mark_all(blocks: Sequence[Block], change: Change) -> tuple[Block, ...]:
    return tuple(mark_block(block, change) for block in blocks)


def inlines(block: Block) -> Iterator[Inline]:
    """Every inline of a block, in reading order."""
    match block:
        case Paragraph():
            yield block.runs
        case NumberedList() | BulletList():
            yield from _item_inlines(block.items)
        case Table():
            yield from block.header
            for row in block.rows:
                yield from row
        case DefinitionList():
            for item in block.items:
                yield (Run(item.term),)
                yield item.runs


def _item_inlines(items: Sequence[ListItem]) -> Iterator[Inline]:
    for item in items:
        yield item.runs
        yield from _item_inlines(item.children)
