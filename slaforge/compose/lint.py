"""``slaforge clauses check``: lint a clause library.

Front matter is validated on load; here: every name a body reads is declared in
``params`` and every declared one is read, every cross-reference and defined
term resolves, each term is defined once and used somewhere, and every wording
renders against the sample specs and the documents of the sample portfolios.

What a sample file gives to render against is a list of :class:`Sample`: a spec gives its one
agreement (:func:`spec_samples`); the command line passes a reader that also knows portfolios,
whose documents are composed as their build composes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from jinja2 import TemplateSyntaxError, meta, nodes
from pydantic import TypeAdapter, ValidationError

from slaforge.compose.assembly import Composition, compose, render_wording, selected
from slaforge.compose.environment import make_environment, shared_environment, template_context
from slaforge.compose.resolve import Agreement, resolve
from slaforge.errors import ClauseError, Problem, SlaforgeError
from slaforge.inputs.files import read_text
from slaforge.library.clauses import ClauseSource, Library, load_library
from slaforge.library.texts import TEXT_FOLDER, Texts, builtin_texts
from slaforge.library.vocabulary import default_vocabulary
from slaforge.resources import samples_dir
from slaforge.spec.loader import load_spec
from slaforge.spec.models import Spec
from slaforge.spec.paths import PathError, model_field

_XREF = re.compile(r"\[\[#([^\]|]+)")
_TERM = re.compile(r"\[\[([^#\]|\\][^\]|\\]*)")
# names every body may use without declaring them (Jinja built-ins)
_BUILTINS = {"range", "loop", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false", "none"}


@dataclass(frozen=True)
class Sample:
    """An agreement every clause is rendered against, composed as its build composes it."""

    name: str  # as messages name it: managed-network.yaml, portfolio.yaml#contoso-wan
    agreement: Agreement
    omit: frozenset[str] = frozenset()  # clauses a lower document of a portfolio leaves to the one above
    external: Mapping[str, str] = field(default_factory=dict)  # their references: "clause 5.2 of ..."


SampleReader = Callable[[Path, Library], list[Sample]]


def spec_samples(path: Path, library: Library) -> list[Sample]:
    """A spec file: its one agreement."""
    return [Sample(path.name, resolve(load_spec(path)))]


@dataclass
class LintReport:
    clauses: int = 0
    samples: int = 0
    texts: int = 0
    problems: list[Problem] = field(default_factory=list)


def _source(path: Path) -> str:
    """A clause file's text, read again through the boundary (it was read through it when the library loaded)."""
    return read_text(path, what="clause file", error=ClauseError)


def _line_of(path: Path, needle: str) -> int | None:
    for number, line in enumerate(_source(path).splitlines(), start=1):
        if needle in line:
            return number
    return None


def check_library(
    folder: Path | None, samples: list[Path], read: SampleReader = spec_samples, texts: Texts | None = None
) -> LintReport:
    """Lint the clauses of ``folder`` (the built-in library when None), rendering them against ``samples``,
    and the document texts of the theme (``texts``: the built-in theme's when None)."""
    library = load_library([folder] if folder else [])
    targets = [c for c in library.ordered() if folder is None or c.path.is_relative_to(folder.resolve())]
    report = LintReport(clauses=len(targets))
    if not targets:  # a check that checked nothing never passes
        where = str(folder) if folder else "the built-in library"
        report.problems.append(
            Problem(
                f"no clause files in {where}",
                file=where,
                expected="clause files: <category>/<name>.md",
                code="nothing-to-check",
            )
        )
    for clause in targets:
        report.problems.extend(_check_params(clause))
        report.problems.extend(_check_references(clause, library))
        report.problems.extend(_check_persons(clause))
        report.problems.extend(_check_defaults(clause))
    report.problems.extend(_check_terms(library, targets))
    if not samples:
        found = samples_dir()
        # the agreements, and every portfolio's documents
        samples = sorted([*found.glob("*.yaml"), *found.glob("*/portfolio.yaml")]) if found else []
    report.samples = len(samples)
    if not samples:
        report.problems.append(
            Problem(
                "no sample spec to render the clauses against: this installation has no samples folder",
                expected="--sample SPEC (a spec or a portfolio file; repeatable)",
                code="nothing-to-check",
            )
        )
    if targets:
        report.problems.extend(_check_rendering(library, targets, samples, read))
    report.texts, problems = check_texts(texts or builtin_texts())
    report.problems.extend(problems)
    return report


def _assigned_names(tree: nodes.Template) -> set[str]:
    """Names a body assigns itself ({% set %}, loop targets, macro arguments): never spec parameters."""
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for macro in tree.find_all(nodes.Macro):
        names |= {a.name for a in macro.args}
    return names


def _check_params(clause: ClauseSource) -> list[Problem]:
    sources = [(w.text, w.line) for w in clause.wordings.values()]
    if clause.meta.when:
        sources.append((f"{{{{ {clause.meta.when} }}}}", _line_of(clause.path, "when:") or 1))
    for term, text in clause.meta.defines.items():
        sources.append((text, _line_of(clause.path, f"{term}:") or 1))
    return _params_problems(f"clause {clause.id}", clause.path, sources, clause.meta.params)


def _params_problems(what: str, path: Path, sources: list[tuple[str, int]], params: Iterable[str]) -> list[Problem]:
    """Jinja syntax errors, names a body reads that ``params`` does not declare, and declared names it never reads."""
    env = make_environment()
    used: set[str] = set()
    problems = []
    for text, line in sources:
        try:
            tree = env.parse(text)
        except TemplateSyntaxError as exc:
            problems.append(
                Problem(
                    f"{what}: Jinja syntax error: {exc.message}",
                    file=str(path),
                    line=line - 1 + (exc.lineno or 1),
                    code="template-syntax",
                )
            )
            continue
        used |= meta.find_undeclared_variables(tree) - _assigned_names(tree)
    used -= _BUILTINS
    declared = set(params)
    for name in sorted(used - declared):
        problems.append(
            Problem(
                f"{what}: the body reads {name!r} but 'params' does not declare it",
                file=str(path),
                line=_line_of(path, name),
                path="params",
                code="undeclared-param",
            )
        )
    for name in sorted(declared - used):
        problems.append(
            Problem(
                f"{what}: 'params' declares {name!r} but the body never reads it",
                file=str(path),
                line=_line_of(path, "params:"),
                path="params",
                code="unused-param",
            )
        )
    return problems


# ------------------------------------------------------------------ the theme's document texts


def check_texts(texts: Texts) -> tuple[int, list[Problem]]:
    """(texts checked, problems) for the document texts of a theme (``text/`` of each folder, user's first).

    Each text is read (front matter, its file and line on a problem), its body, title and condition
    parsed, and its ``params`` held against what they read; each outline's clauses must exist, and a
    text that no outline names is a warning.
    """
    problems: list[Problem] = []
    names: dict[str, Path] = {}
    outlines: set[str] = set()
    for folder in texts.folders:
        root = folder / TEXT_FOLDER
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            name = path.relative_to(root).with_suffix("").as_posix()
            if path.suffix == ".md":
                names.setdefault(name, path)
            elif path.suffix == ".yaml":
                outlines.add(name)
    used: set[str] = set()
    for name in sorted(outlines):
        try:
            outline = texts.outline(name)
        except SlaforgeError as error:
            problems.extend(error.problems or [Problem(error.message, file=name, code="bad-outline")])
            continue
        particulars = [
            (template, _line_of(outline.path, f"{key}:") or 1) for key, template in outline.particulars.items()
        ]
        problems.extend(
            p
            for p in _params_problems(f"outline {name}", outline.path, particulars, ())
            if p.code != "undeclared-param"
        )
        for section in outline.sections:
            for clause in section.clauses:
                used.add(clause)
                if clause not in names:
                    problems.append(
                        Problem(
                            f"outline {name}: section {section.id} names the text {clause!r}, which does not exist",
                            file=str(outline.path),
                            line=_line_of(outline.path, section.id),
                            code="missing-text",
                        )
                    )
    for name in sorted(names):
        try:
            text = texts.text(name)
        except ClauseError as error:
            problems.extend(error.problems)
            continue
        sources = [(text.body, text.line), (text.meta.title, _line_of(text.path, "title:") or 1)]
        if text.meta.when:
            sources.append((f"{{{{ {text.meta.when} }}}}", _line_of(text.path, "when:") or 1))
        problems.extend(_params_problems(f"text {name}", text.path, sources, text.meta.params))
        if name not in used:
            problems.append(
                Problem(
                    f"text {name} is named by no outline, so no document prints it",
                    file=str(text.path),
                    line=1,
                    severity="warning",
                    code="unused-text",
                )
            )
    return len(names), problems


def _check_references(clause: ClauseSource, library: Library) -> list[Problem]:
    problems = []
    text = _source(clause.path)
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _XREF.finditer(line):
            target = match.group(1).strip()
            if target not in library.clauses and target not in library.category_ids:
                problems.append(
                    Problem(
                        f"clause {clause.id}: cross-reference to {target!r}, which is not in the library",
                        file=str(clause.path),
                        line=number,
                        column=match.start() + 1,
                        given=target,
                        code="dangling-reference",
                    )
                )
    return problems


def _check_persons(clause: ClauseSource) -> list[Problem]:
    """A clause written for any person names a party only in marks every person can say: "the [[Provider]]"
    is "we" or "us" in the first person, so such a clause writes [[we]] or [[us]]."""
    if clause.meta.persons != "any":
        return []
    words = default_vocabulary().words
    problems = []
    for term, party in words.parties.items():
        forms = words.pronouns[party.pronoun]
        if forms.subject == forms.object:
            continue
        mark = re.compile(rf"(?<![\w\\]){re.escape(words.article)} \[\[{re.escape(term)}\]\](?!'s|\u2019s)")
        for number, line in enumerate(_source(clause.path).splitlines(), start=1):
            for match in mark.finditer(line):
                problems.append(
                    Problem(
                        f"clause {clause.id}: is written for any person (persons: any), where "
                        f"'{match.group(0)}' is '{forms.subject}' or '{forms.object}'",
                        file=str(clause.path),
                        line=number,
                        column=match.start() + 1,
                        given=match.group(0),
                        expected=f"[[{forms.subject}]] or [[{forms.object}]]",
                        code="ambiguous-party-mark",
                    )
                )
    return problems


def _check_defaults(clause: ClauseSource) -> list[Problem]:
    """A clause that relies on the default of an optional field declares it (``defaults:``); the declaration
    must be the spec model's default, so a changed default cannot silently change what the clause says."""
    problems = []
    for key, declared in clause.meta.defaults.items():
        line = _line_of(clause.path, f"{key}:")
        where = {"file": str(clause.path), "line": line, "path": f"defaults.{key}", "code": "clause-default"}
        try:
            info = model_field(Spec, key)
        except PathError as exc:
            problems.append(
                Problem(
                    f"clause {clause.id}: declares the default of a field the spec does not have: {exc}",
                    given=key,
                    expected="a field of the spec",
                    **where,
                )
            )
            continue
        if info.is_required():
            problems.append(
                Problem(
                    f"clause {clause.id}: declares the default of {key}, which the spec requires and has no default",
                    given=key,
                    expected="an optional field",
                    **where,
                )
            )
            continue
        default = info.get_default(call_default_factory=True)
        try:
            kind = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
            value = TypeAdapter(kind).validate_python(declared)
        except ValidationError as exc:
            value = exc
        if value != default:
            problems.append(
                Problem(
                    f"clause {clause.id}: declares a default of {key} that is not the spec's default",
                    given=repr(declared),
                    expected=repr(_plain(default)),
                    **where,
                )
            )
    return problems


def _plain(value: object) -> object:
    """A default as a spec would write it (a model as its mapping, an enum as its value)."""
    return TypeAdapter(type(value)).dump_python(value, mode="json", by_alias=True, exclude_none=True)


def _check_terms(library: Library, targets: list[ClauseSource]) -> list[Problem]:
    problems = []
    vocabulary = default_vocabulary()
    definers: dict[str, list[ClauseSource]] = {}
    for clause in library.ordered():
        for term in clause.meta.defines:
            definers.setdefault(term, []).append(clause)
    used: set[str] = set()
    for clause in library.ordered():
        texts = [_source(clause.path)]
        for text in texts:
            used |= {m.group(1).strip() for m in _TERM.finditer(text)}
    for clause in targets:
        for number, line in enumerate(_source(clause.path).splitlines(), start=1):
            for match in _TERM.finditer(line):
                term = match.group(1).strip()
                if term not in definers and not vocabulary.is_mark(term):
                    problems.append(
                        Problem(
                            f"clause {clause.id}: uses the term {term!r}, which no clause defines",
                            file=str(clause.path),
                            line=number,
                            column=match.start() + 1,
                            given=term,
                            code="undefined-term",
                        )
                    )
        for term in clause.meta.defines:
            others = [c for c in definers[term] if c is not clause]
            same_folder = [c for c in others if c.builtin == clause.builtin]
            if same_folder:
                problems.append(
                    Problem(
                        f"clause {clause.id}: the term {term!r} is also defined by "
                        f"{', '.join(c.id for c in same_folder)}",
                        file=str(clause.path),
                        line=_line_of(clause.path, f"{term}:"),
                        code="duplicate-term",
                    )
                )
            if term not in used:
                problems.append(
                    Problem(
                        f"clause {clause.id}: defines {term!r}, but no clause uses it",
                        file=str(clause.path),
                        line=_line_of(clause.path, f"{term}:"),
                        severity="warning",
                        code="unused-term",
                    )
                )
    return problems


def _check_rendering(
    library: Library, targets: list[ClauseSource], samples: list[Path], read: SampleReader
) -> list[Problem]:
    problems: list[Problem] = []
    rendered: set[str] = set()
    wanted = {c.id for c in targets}
    env = shared_environment()  # one environment for every sample, so that each wording compiles once
    for sample in samples:
        try:
            agreements = read(sample, library)
        except SlaforgeError as error:
            problems.append(
                Problem(f"sample {sample} is invalid: {error.message}", file=str(sample), code="invalid-sample")
            )
            continue
        for each in agreements:
            context = template_context(each.agreement, env)
            work = Composition()
            for clause in selected(library, each.agreement, env, context, work):
                if clause.id not in wanted:
                    continue
                rendered.add(clause.id)
                for position in clause.wordings:
                    render_wording(env, clause, position, context, work)
            try:
                compose(each.agreement, library, omit=each.omit, external=each.external)
            except ClauseError as error:
                work.problems.extend(p for p in error.problems if p not in work.problems)
            for problem in work.problems:
                if problem.code == "undefined-term" or "not in the clause library" in problem.message:
                    continue  # reported once, with its exact line, by the static checks above
                tagged = Problem(
                    f"{problem.message} (rendering against {each.name})",
                    file=problem.file,
                    line=problem.line,
                    column=problem.column,
                    path=problem.path,
                    given=problem.given,
                    expected=problem.expected,
                    code=problem.code,
                )
                if tagged not in problems:
                    problems.append(tagged)
    if samples:
        for clause in targets:
            if clause.id not in rendered:
                problems.append(
                    Problem(
                        f"clause {clause.id} is not used by any sample, so its body was never rendered",
                        file=str(clause.path),
                        line=1,
                        severity="warning",
                        code="never-rendered",
                    )
                )
    return problems
