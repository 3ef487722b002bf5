"""How a document names its parties: the party marks and pronoun marks of clause bodies.

The words are data (``clauses/vocabulary.yaml``): the article, the possessive, each party's default
name and pronoun, the pronoun forms, the verbs that agree with a party and the closed list of pronoun
marks.  A :class:`Vocabulary` is those words plus how one document names each party (a
:class:`PartyName`); the markup parser asks it for the runs of a party mark (``the [[Provider]]``,
``The [[Customer]]``, ``the [[Provider]]'s``) and of a pronoun mark (``[[we]]``, ``[[You are]]``).

With the default names a party mark prints exactly what it says ("the Provider", the term marked as a
defined term), so the library's third-person clauses read as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from slaforge.document import Run
from slaforge.errors import ClauseError, Problem
from slaforge.inputs.files import read_text
from slaforge.inputs.yaml import parse_yaml
from slaforge.resources import clauses_dir

VOCABULARY_FILE = "vocabulary.yaml"
Form = Literal["subject", "object", "possessive"]
PLAIN = Run("")  # the marks of words with no emphasis and no change


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartyWords(_Strict):
    default: str = Field(min_length=1, description="how a document names the party unless it says otherwise")
    pronoun: str = Field(min_length=1, description="the pronoun the party may speak or be spoken to in")


class PronounForms(_Strict):
    subject: str
    object: str
    possessive: str


class VerbForms(_Strict):
    plural: str = Field(description="after we / you")
    singular: str = Field(description="after a name or a defined term")


class MarkWords(_Strict):
    party: str
    form: Form
    verb: str | None = None


class Words(_Strict):
    """The contents of ``clauses/vocabulary.yaml``."""

    article: str = Field(min_length=1)
    possessive: str = Field(min_length=1)
    parties: dict[str, PartyWords]
    pronouns: dict[str, PronounForms]
    verbs: dict[str, VerbForms]
    marks: dict[str, MarkWords]

    def inconsistencies(self) -> list[tuple[str, str]]:
        """(dotted key, message) for every name that refers to nothing."""
        found = []
        for term, party in self.parties.items():
            if party.pronoun not in self.pronouns:
                found.append((f"parties.{term}.pronoun", f"{party.pronoun!r} is not one of the pronouns"))
            if not party.default.startswith(f"{self.article} "):
                found.append((f"parties.{term}.default", f"must start with the article {self.article!r}"))
        for mark, words in self.marks.items():
            if mark != mark.lower():
                found.append((f"marks.{mark}", "write a mark in lower case (a clause may start it with a capital)"))
            if words.party not in self.parties:
                found.append((f"marks.{mark}.party", f"{words.party!r} is not one of the parties"))
            if words.verb is not None and words.verb not in self.verbs:
                found.append((f"marks.{mark}.verb", f"{words.verb!r} is not one of the verbs"))
        return found


@dataclass(frozen=True)
class PartyName:
    """How one document names a party: a defined term with its article, a bare name, or a pronoun."""

    term: str  # the library's term for the party: "Provider", "Customer"
    kind: Literal["term", "name", "pronoun"]
    name: str  # the printed term ("Provider"), the name ("Google") or the pronoun ("we")


@dataclass(frozen=True)
class Vocabulary:
    words: Words
    parties: dict[str, PartyName]

    @classmethod
    def of(cls, words: Words, names: dict[str, str] | None = None) -> Vocabulary:
        """The vocabulary naming each party by ``names`` (party term -> "the Supplier" / "Google" / "we")."""
        names = names or {}
        unknown = sorted(set(names) - set(words.parties))
        if unknown:
            raise ValueError(f"not a party of the vocabulary: {', '.join(unknown)}")
        parties = {}
        for term, party in words.parties.items():
            value = names.get(term, party.default)
            article = f"{words.article} "
            if value == party.pronoun:
                parties[term] = PartyName(term, "pronoun", value)
            elif value.startswith(article) and len(value) > len(article):
                parties[term] = PartyName(term, "term", value[len(article) :])
            else:
                parties[term] = PartyName(term, "name", value)
        return cls(words, parties)

    def is_mark(self, inner: str) -> bool:
        """Whether ``[[inner]]`` is a pronoun mark (``we``, ``We``, ``you are`` ...)."""
        return _lower_first(inner) in self.words.marks

    def mark_runs(self, inner: str, style: Run = PLAIN) -> list[Run]:
        """The runs of the pronoun mark ``[[inner]]``, each with the emphasis and change marks of ``style``."""
        words = self.words.marks[_lower_first(inner)]
        verb = self.words.verbs[words.verb] if words.verb else None
        return self._runs(words.party, words.form, inner[:1].isupper(), verb, self.words.possessive, style)

    def party_runs(self, term: str, start: bool, possessive: str | None, style: Run = PLAIN) -> list[Run]:
        """The runs of the party mark ``the [[term]]`` (``The`` when ``start``), followed by ``possessive``
        ("'s" as written) when given; :class:`ValueError` when the document's name for the party cannot say it.
        """
        form: Form = "possessive" if possessive else "subject"
        party = self.parties[term]
        if party.kind == "pronoun" and not possessive and not start:
            pronoun = self.words.pronouns[party.name]
            if pronoun.subject != pronoun.object:
                raise ValueError(
                    f"'{self.words.article} [[{term}]]' is '{pronoun.subject}' or '{pronoun.object}' when the "
                    f"{term} is named '{party.name}': write [[{pronoun.subject}]] or [[{pronoun.object}]]"
                )
        return self._runs(term, form, start, None, possessive or self.words.possessive, style)

    def _runs(
        self, term: str, form: Form, start: bool, verb: VerbForms | None, possessive: str, style: Run
    ) -> list[Run]:
        party = self.parties[term]
        runs: list[Run] = []
        if party.kind == "pronoun":
            word = getattr(self.words.pronouns[party.name], form)
            runs.append(replace(style, text=_capital(word) if start else word))
            tail = f" {verb.plural}" if verb else ""
        else:
            if party.kind == "term":
                article = self.words.article
                runs.append(replace(style, text=f"{_capital(article) if start else article} "))
            runs.append(replace(style, text=party.name, term=term))
            tail = possessive if form == "possessive" else ""
            if verb:
                tail += f" {verb.singular}"
        if tail:
            runs.append(replace(style, text=tail))
        return runs


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def read_words(path: Path) -> Words:
    """The words of a vocabulary file; :class:`ClauseError` naming the file, line and key when invalid."""
    text = read_text(path, what="vocabulary file", error=ClauseError)
    data = parse_yaml(text, str(path), error=ClauseError)[0] or {}
    lines = text.splitlines()
    try:
        words = Words.model_validate(data)
    except ValidationError as exc:
        found = [(".".join(str(part) for part in e["loc"]), e["msg"]) for e in exc.errors()]
    else:
        found = words.inconsistencies()
        if not found:
            return words
    problems = [
        Problem(message, file=str(path), line=_key_line(lines, key), path=key or None, code="invalid-vocabulary")
        for key, message in found
    ]
    raise ClauseError(f"{len(problems)} problem(s) in {path.name}", problems) from None


def _key_line(lines: list[str], key: str) -> int | None:
    """The line (1-based) of a dotted key of a YAML file: each part searched for from the line of the one before."""
    line: int | None = None
    for part in key.split(".") if key else []:
        pattern = re.compile(rf"(?:^|[\s{{,]){re.escape(part)}:")
        found = next(
            (n for n in range(line or 0, len(lines)) if pattern.search(lines[n].split("#", 1)[0])),
            None,
        )
        if found is None:
            break
        line = found
    return None if line is None else line + 1


@cache
def builtin_words() -> Words:
    return read_words(clauses_dir() / VOCABULARY_FILE)


@cache
def default_vocabulary() -> Vocabulary:
    """Every party named by its default term: the library's clauses print as written."""
    return Vocabulary.of(builtin_words())
