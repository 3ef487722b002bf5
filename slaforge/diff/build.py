"""``slaforge diff``, top to bottom: read both versions, compare, render one format, write it.

Text, Markdown and JSON go to standard output unless a file is named; a
redline (HTML, PDF, DOCX) is a file, named after the agreement and the two
versions when no name (or only a folder) is given.  Writing is atomic, as for ``slaforge build``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slaforge.build import BuildOptions
from slaforge.diff.change_list import as_json, as_markdown, as_text
from slaforge.diff.comparison import Comparison, compare
from slaforge.diff.versions import Version, read_version
from slaforge.errors import Problem, Problems, SlaforgeError, UsageError
from slaforge.writers import DEFAULT_PDF_ENGINE, render_formats, write_all

REPORTS = {"text": as_text, "md": as_markdown, "json": as_json}
REDLINES = ("html", "pdf", "docx")
DIFF_FORMATS = (*REPORTS, *REDLINES)


@dataclass(frozen=True)
class DiffOptions:
    format: str = "text"
    output: Path | None = None
    theme_dir: Path | None = None
    clause_dirs: tuple[Path, ...] = ()
    strict: bool = False
    into_folder: bool = False  # ``output`` names a folder even before it exists (``-o out/diff/``)
    pdf_engine: str = DEFAULT_PDF_ENGINE  # a PDF redline's

    @property
    def build(self) -> BuildOptions:
        return BuildOptions(theme_dir=self.theme_dir, clause_dirs=self.clause_dirs, strict=self.strict)


def check_format(fmt: str) -> str:
    name = fmt.strip().lower()
    if name not in DIFF_FORMATS:
        raise UsageError(f"unknown --format {fmt!r}: expected one of {', '.join(DIFF_FORMATS)}")
    return name


def compare_versions(old: str, new: str, options: DiffOptions) -> Comparison:
    """Both versions read and checked: when both are invalid, every problem of both, at once."""
    versions: list[Version] = []
    failed: list[SlaforgeError] = []
    for argument in (old, new):
        try:
            versions.append(read_version(argument, options.build))
        except SlaforgeError as error:
            failed.append(error)
    if len(failed) == 1:
        raise failed[0]
    if failed:
        problems = Problems()
        for error, argument in zip(failed, (old, new), strict=True):
            problems.extend(error.problems or [Problem(error.message, file=argument)])
        raise problems.exception()
    return compare(*versions)


def render_comparison(comparison: Comparison, fmt: str, options: DiffOptions) -> bytes:
    if fmt in REPORTS:
        return REPORTS[fmt](comparison).encode("utf-8")
    from slaforge.diff.redline import redline
    from slaforge.library.texts import texts_for

    document = redline(comparison, texts_for(options.theme_dir))
    return render_formats(document, (fmt,), options.theme_dir, pdf_engine=options.pdf_engine)[fmt]


def default_name(comparison: Comparison, fmt: str) -> str:
    """``NWN-SLA-WAN-014-v2.1-to-v2.2-redline.pdf``, or ``...-changes.md`` for a change list."""
    old, new = comparison.old.document.meta, comparison.new.document.meta
    stem = f"{new.agreement_id}-v{old.version}-to-v{new.version}"
    if fmt in REDLINES:
        return f"{stem}-redline.{fmt}"
    return f"{stem}-changes.{ {'text': 'txt'}.get(fmt, fmt) }"


def run_diff(old: str, new: str, options: DiffOptions) -> tuple[Comparison, bytes, Path | None]:
    """Compare and render; write the file when there is one to write.  Returns what was made and where."""
    fmt = check_format(options.format)
    comparison = compare_versions(old, new, options)
    data = render_comparison(comparison, fmt, options)
    target = options.output
    if (target is None and fmt in REDLINES) or (target is not None and (options.into_folder or target.is_dir())):
        target = (target or Path(".")) / default_name(comparison, fmt)
    if target is not None:
        write_all({target: data})
    return comparison, data, target
