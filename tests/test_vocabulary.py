"""Party marks, pronoun marks and the clause front matter of forms and persons.

The expected runs are written out by hand here: a party mark in the library's default vocabulary reads
exactly as the clause is written, and a renamed party or a pronoun reads as an English sentence would.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.compose import compose
from slaforge.compose.resolve import resolve
from slaforge.document import Run, plain
from slaforge.errors import ClauseError
from slaforge.library.clauses import load_library
from slaforge.library.markup import MarkupError, parse_blocks, parse_inline
from slaforge.library.vocabulary import Vocabulary, builtin_words, read_words
from slaforge.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "managed-network.yaml"


def vocabulary(**names: str) -> Vocabulary:
    return Vocabulary.of(builtin_words(), names)


def test_party_marks_in_the_default_vocabulary_read_as_written() -> None:
    text = "The [[Provider]] shall credit the [[Customer]]'s account; the [[Provider]]'s records decide."
    assert parse_inline(text) == (
        Run("The "),
        Run("Provider", term="Provider"),
        Run(" shall credit the "),
        Run("Customer", term="Customer"),
        Run("'s account; the "),
        Run("Provider", term="Provider"),
        Run("'s records decide."),
    )


def test_an_article_that_ends_another_word_is_no_party_mark() -> None:
    runs = parse_inline("A lathe [[Provider]] and a [[Customer]].", vocabulary=vocabulary(Provider="we"))
    assert plain(runs) == "A lathe Provider and a Customer."
    assert [r.term for r in runs if r.term] == ["Provider", "Customer"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ({}, "The Provider shall credit the Customer's account and tell the Customer."),
        ({"Provider": "Google", "Customer": "Customer"}, "Google shall credit Customer's account and tell Customer."),
        ({"Provider": "the Supplier"}, "The Supplier shall credit the Customer's account and tell the Customer."),
        ({"Provider": "we", "Customer": "you"}, "We shall credit your account and tell you."),
    ],
)
def test_a_party_mark_prints_as_the_document_names_the_party(names: dict[str, str], expected: str) -> None:
    text = "The [[Provider]] shall credit the [[Customer]]'s account and tell the [[Customer]]."
    assert plain(parse_inline(text, vocabulary=vocabulary(**names))) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ({}, "The Provider will credit the Customer's account if the Customer is eligible; the Provider has 30 days."),
        ({"Provider": "GitHub"}, "GitHub will credit the Customer's account if the Customer is eligible; GitHub has 30 days."),  # noqa: E501
        ({"Provider": "we", "Customer": "you"}, "We will credit your account if you are eligible; we have 30 days."),
    ],
)  # fmt: skip
def test_pronoun_marks_agree_with_the_party_named(names: dict[str, str], expected: str) -> None:
    text = "[[We]] will credit [[your]] account if [[you are]] eligible; [[we have]] 30 days."
    assert plain(parse_inline(text, vocabulary=vocabulary(**names))) == expected


def test_a_named_party_is_still_the_defined_term_and_keeps_the_emphasis_around_it() -> None:
    runs = parse_inline("**The [[Provider]]** may not", vocabulary=vocabulary(Provider="Northwind"))
    assert runs == (Run("Northwind", bold=True, term="Provider"), Run(" may not"))
    pronoun = parse_inline("*[[our]]* records", vocabulary=vocabulary(Provider="we"))
    assert pronoun == (Run("our", italic=True), Run(" records"))


def test_the_provider_as_subject_or_object_cannot_be_a_pronoun() -> None:
    with pytest.raises(MarkupError) as caught:
        parse_blocks("First line.\n\nThen the [[Provider]] pays.", vocabulary=vocabulary(Provider="we"))
    assert caught.value.line == 3
    assert "write [[we]] or [[us]]" in str(caught.value)
    # "you" is both, so the Customer's mark reads in the second person
    assert plain(parse_inline("tell the [[Customer]]", vocabulary=vocabulary(Customer="you"))) == "tell you"


def test_a_broken_vocabulary_file_is_located(tmp_path: Path) -> None:
    builtin = (ROOT / "clauses" / "vocabulary.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "vocabulary.yaml"
    broken.write_text(
        builtin.replace("  we: {party: Provider, form: subject}", "  we: {party: Supplier, form: subject}")
    )
    with pytest.raises(ClauseError) as caught:
        read_words(broken)
    problem = caught.value.problems[0]
    assert (problem.file, problem.path) == (str(broken), "marks.we.party")
    assert problem.line == builtin.splitlines().index("  we: {party: Provider, form: subject}") + 1
    assert "'Supplier' is not one of the parties" in problem.message
    broken.write_text(builtin.replace("article: the", "article: [the]"))
    with pytest.raises(ClauseError) as caught:
        read_words(broken)
    assert [(p.path, p.line) for p in caught.value.problems] == [("article", 15)]


# ------------------------------------------------------------------ front matter


def clause_file(folder: Path, name: str, front: str, body: str) -> Path:
    path = folder / "service-description" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n{body}\n", encoding="utf-8")
    return path


def test_a_clause_of_another_form_is_not_composed_into_a_bilateral_agreement(tmp_path: Path) -> None:
    own = tmp_path / "own"
    front = "id: service-description.{name}\ntitle: {name}\ncategory: service-description\norder: 99\nforms: [{forms}]"
    clause_file(own, "published", front.format(name="published", forms="standard-terms"), "Published words.")
    clause_file(own, "both", front.format(name="both", forms="bilateral, standard-terms"), "Bespoke words.")
    document = compose(resolve(load_spec(SAMPLE)), load_library([own]))
    ids = [c.id for s in document.sections for c in s.clauses]
    assert "service-description.both" in ids
    assert "service-description.published" not in ids
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("line", "key", "given"),
    [
        ("forms: [bilateral, published]", "forms", "'published'"),
        ("forms: []", "forms", "[]"),
        ("persons: first", "persons", "'first'"),
        ("topic: notice", "topic", "'notice'"),
        ("part: annex", "part", "'annex'"),
    ],
)
def test_front_matter_keys_of_forms_and_persons_are_checked(tmp_path: Path, line: str, key: str, given: str) -> None:
    own = tmp_path / "own"
    path = clause_file(
        own, "bad", f"id: service-description.bad\ntitle: Bad\ncategory: service-description\n{line}", "Text."
    )
    with pytest.raises(ClauseError) as caught:
        load_library([own])
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.path) == (str(path), 5, key)
    assert given in (problem.given or "")


def test_the_front_matter_keys_are_listed_and_shown() -> None:
    import json

    result = CliRunner().invoke(app, ["clauses", "list", "--json"])
    row = next(r for r in json.loads(result.output) if r["id"] == "parties.parties")
    assert (row["forms"], row["persons"], row["topic"], row["part"]) == (
        ["bilateral", "service-based"],
        "third",
        None,
        None,
    )
    shown = CliRunner().invoke(app, ["clauses", "show", "parties.parties"])
    assert "forms: bilateral, service-based; persons: third" in shown.output


def test_clauses_check_accepts_pronoun_marks_and_finds_ambiguous_party_marks(tmp_path: Path) -> None:
    own = tmp_path / "own"
    front = "id: service-description.{name}\ntitle: T\ncategory: service-description\norder: 99\npersons: {persons}"
    clause_file(own, "third", front.format(name="third", persons="third"), "Then the [[Provider]] and [[we]] pay.")
    path = clause_file(
        own,
        "any",
        front.format(name="any", persons="any"),
        "[[We]] pay.\n\nThe [[Provider]]'s fees; the [[Provider]] pays.",
    )
    result = CliRunner().invoke(app, ["clauses", "check", str(own), "--sample", str(SAMPLE)])
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert "uses the term 'we'" not in result.output and "uses the term 'We'" not in result.output
    text = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if "fees" in t)
    column = text[line - 1].index("the [[Provider]] pays") + 1
    assert f"{path}:{line}:{column}: error: clause service-description.any: is written for any person" in result.output
    assert "'the [[Provider]]' is 'we' or 'us'" in result.output
    assert result.output.count("is written for any person") == 1  # not "The [[Provider]]'s", not the third person


def test_clauses_check_holds_a_clause_to_the_defaults_it_declares(tmp_path: Path) -> None:
    own = tmp_path / "own"
    front = "id: service-description.{name}\ntitle: T\ncategory: service-description\norder: 99\ndefaults:\n  {line}"
    cases = {
        "right": "structure: service-based",  # Spec.structure defaults to service-based
        "nested": "disputes.negotiation_period: 20 business days",  # nested, read as the model reads it
        "wrong": "structure: customer-based",
        "unknown": "agreement.colour: blue",
        "required": "agreement.title: SLA",
    }
    paths = {name: clause_file(own, name, front.format(name=name, line=line), "Words.") for name, line in cases.items()}
    result = CliRunner().invoke(app, ["clauses", "check", str(own), "--sample", str(SAMPLE)])
    assert isinstance(result.exception, SystemExit), result.exception  # an error report, not a crash
    assert result.exit_code == 1, result.output
    found = [line for line in result.output.splitlines() if ": error: defaults." in line]
    assert len(found) == 3, result.output
    assert (
        f"{paths['wrong']}:7:" in result.output
        and "declares a default of structure that is not the spec's default" in result.output
    )
    assert "'customer-based'" in result.output and "'service-based'" in result.output
    assert f"{paths['unknown']}:7:" in result.output and "agreement has no field 'colour'" in result.output
    assert f"{paths['required']}:7:" in result.output and "agreement.title, which the spec requires" in result.output
    assert str(paths["right"]) not in result.output and str(paths["nested"]) not in result.output
