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
from slaforge.diff.versions import read_both, read_version
from slaforge.errors import InvalidArgument, UsageError
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
    document: str | None = None  # portfolios: compare only this document
    author: str | None = None  # whose changes the redline's tracked changes are (default: the document owner)
    internal: bool = False  # the redline's summary says what each change means for the Customer

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
    return compare(*read_both(old, new, lambda argument: read_version(argument, options.build)))


def render_comparison(comparison: Comparison, fmt: str, options: DiffOptions) -> bytes:
    if fmt in REPORTS:
        return REPORTS[fmt](comparison).encode("utf-8")
    from slaforge.diff.redline import redline
    from slaforge.library.texts import texts_for

    # the DOCX is the tracked body alone (accept all: the new agreement; reject all: the old), its
    # summary a document beside it (:func:`redline_files`)
    document = redline(
        comparison, texts_for(options.theme_dir), options.author, summary=fmt != "docx", internal=options.internal
    )
    return render_formats(document, (fmt,), options.theme_dir, pdf_engine=options.pdf_engine)[fmt]


def redline_files(comparison: Comparison, fmt: str, options: DiffOptions, target: Path) -> dict[Path, bytes]:
    """The redline at ``target``; a DOCX redline's summary of changes beside it (``...-summary.docx``)."""
    files = {target: render_comparison(comparison, fmt, options)}
    if fmt == "docx":
        from slaforge.diff.redline import redline_summary
        from slaforge.library.texts import texts_for

        summary = redline_summary(comparison, texts_for(options.theme_dir), internal=options.internal)
        data = render_formats(summary, (fmt,), options.theme_dir)[fmt]
        files[target.with_name(f"{target.stem}-summary{target.suffix}")] = data
    return files


def default_name(comparison: Comparison, fmt: str) -> str:
    """``NWN-SLA-WAN-014-v2.1-to-v2.2-redline.pdf``, or ``...-changes.md`` for a change list."""
    old, new = comparison.old.document.meta, comparison.new.document.meta
    stem = f"{new.agreement_id}-v{old.version}-to-v{new.version}"
    if fmt in REDLINES:
        return f"{stem}-redline.{fmt}"
    return f"{stem}-changes.{ {'text': 'txt'}.get(fmt, fmt) }"


def run_diff(old: str, new: str, options: DiffOptions) -> tuple[bytes, list[Path]]:
    """Compare and render; write the files when there are files to write.  Returns the change list (or
    the one redline) and the files written.

    Two portfolios compare document by document; ``options.document`` keeps one document, whose
    comparison is then written as that of two spec files."""
    from slaforge.diff.portfolios import is_portfolio_argument

    fmt = check_format(options.format)
    portfolios = [is_portfolio_argument(argument) for argument in (old, new)]
    if any(portfolios):
        if not all(portfolios):
            plain = old if portfolios[1] else new
            raise InvalidArgument(f"{plain} is a spec file and the other side a portfolio: compare like with like")
        return _portfolio_diff(old, new, fmt, options)
    if options.document is not None:
        raise InvalidArgument("--document chooses a document of a portfolio; these are spec files")
    return _write_one(compare_versions(old, new, options), fmt, options)


def _write_one(comparison: Comparison, fmt: str, options: DiffOptions) -> tuple[bytes, list[Path]]:
    target = options.output
    if (target is None and fmt in REDLINES) or (target is not None and (options.into_folder or target.is_dir())):
        target = (target or Path(".")) / default_name(comparison, fmt)
    if fmt in REDLINES:
        assert target is not None
        files = redline_files(comparison, fmt, options, target)
        return files[target], write_all(files)
    data = render_comparison(comparison, fmt, options)
    if target is None:
        return data, []
    return data, write_all({target: data})


def _portfolio_diff(old: str, new: str, fmt: str, options: DiffOptions) -> tuple[bytes, list[Path]]:
    from slaforge.diff.change_list import portfolio_json, portfolio_markdown, portfolio_text
    from slaforge.diff.portfolios import compare_portfolios

    comparison = compare_portfolios(old, new, options.build, options.document)
    if options.document is not None and len(comparison.pairs) == 1 and not (comparison.added or comparison.removed):
        return _write_one(comparison.pairs[0], fmt, options)
    if fmt in REPORTS:
        writer = {"text": portfolio_text, "md": portfolio_markdown, "json": portfolio_json}[fmt]
        data = writer(comparison).encode("utf-8")
        if options.output is None:
            return data, []
        target = options.output
        if options.into_folder or target.is_dir():
            target = target / f"portfolio-changes.{ {'text': 'txt'}.get(fmt, fmt) }"
        return data, write_all({target: data})
    # a redline per changed document, all into one folder
    folder = options.output or Path(".")
    if options.output is not None and not (options.into_folder or folder.is_dir()):
        raise UsageError(f"a portfolio's redlines are one file per changed document: name a folder, -o {folder}/")
    files = {
        path: data
        for pair in comparison.changed
        for path, data in redline_files(pair, fmt, options, folder / default_name(pair, fmt)).items()
    }
    from slaforge.diff.change_list import portfolio_text

    return portfolio_text(comparison).encode("utf-8"), write_all(files)
