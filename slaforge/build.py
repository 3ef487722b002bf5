"""The agreement pipeline, top to bottom: load -> resolve -> compose -> render -> write.

Every format is rendered in memory before anything is written, and every file is written through
the output stage (:mod:`slaforge.writers`): a failure leaves earlier outputs untouched and no
partial file behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from slaforge.compose import compose
from slaforge.compose.resolve import Agreement, resolve
from slaforge.document import Document
from slaforge.errors import Problem, SpecError, summary
from slaforge.library.clauses import Library, load_library
from slaforge.library.texts import texts_for
from slaforge.spec.loader import LoadedSpec, load_spec
from slaforge.writers import DEFAULT_PDF_ENGINE, PDF_UA, render_all, write_all


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = ("pdf", "docx", "html")
    out_dir: Path = Path("out")
    theme_dir: Path | None = None
    clause_dirs: tuple[Path, ...] = ()
    pdf_variant: str = PDF_UA
    strict: bool = False
    pdf_engine: str = DEFAULT_PDF_ENGINE
    # output stem -> the spec written there, by every build_spec given these options (one command's): a spec
    # whose files another spec already wrote (the same agreement id and version) is refused, never written over
    claimed: dict[Path, Path] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class BuildResult:
    spec: Path
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def library_for(loaded: LoadedSpec, extra_dirs: tuple[Path, ...] = ()) -> Library:
    """The spec's own clause folders (relative to the spec file) and the command line's come first."""
    spec_dirs = [(loaded.path.parent / d) for d in loaded.spec.clause_dirs]
    return load_library([*extra_dirs, *spec_dirs])


def document_for(loaded: LoadedSpec, options: BuildOptions) -> tuple[Agreement, Document]:
    agreement = resolve(loaded)
    document = compose(agreement, library_for(loaded, options.clause_dirs), texts=texts_for(options.theme_dir))
    return agreement, document


def build_spec(path: Path, options: BuildOptions) -> BuildResult:
    """Build one spec; refused when another spec built with the same ``options`` wrote its files."""
    loaded = load_spec(path, strict=options.strict)
    _, document = document_for(loaded, options)
    stem = options.out_dir / document.meta.file_stem
    _claim(options.claimed, stem, loaded)
    files = render_all({stem: document}, options.formats, options.theme_dir, options.pdf_variant, options.pdf_engine)
    return BuildResult(spec=path, outputs=write_all(files), warnings=list(loaded.warnings))


def _claim(claimed: dict[Path, Path], stem: Path, loaded: LoadedSpec) -> None:
    """Refuse a spec whose files an earlier spec of the command wrote (the same agreement id and version)."""
    first = claimed.setdefault(stem.resolve(), loaded.path)
    if first == loaded.path:
        return
    agreement = loaded.spec.agreement
    problem = loaded.source.problem(
        ("agreement", "id"),
        f"{first} and {loaded.path} would both be written to {stem}.*, one over the other",
        given=f"{agreement.id} version {agreement.version}",
        expected="an agreement id and version of its own for each spec built",
        code="duplicate-output",
    )
    raise SpecError(summary(1), [problem])
