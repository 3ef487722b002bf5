"""``slaforge report``, top to bottom: load the spec and the measured data, compute, compose, render, write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slaforge.arithmetic.achievement import Achievement, achievement
from slaforge.arithmetic.measurements import load_measurements
from slaforge.document import Document
from slaforge.layers.documents import load_document
from slaforge.library.texts import texts_for
from slaforge.reports.facts import window_facts
from slaforge.reports.report import report_document
from slaforge.spec.models import Window
from slaforge.writers import DEFAULT_PDF_ENGINE, render_all, write_all


@dataclass(frozen=True)
class ReportResult:
    outputs: list[Path]
    document: Document
    achievement: Achievement


def file_stem(result: Achievement) -> str:
    period = result.current.period
    if result.window == Window.calendar_month:
        label = f"{period.start:%Y-%m}"
    elif result.window == Window.calendar_quarter:
        label = f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    else:
        label = period.start.isoformat()
    return f"{result.spec.agreement.id}-report-{label}"


def build_report(
    spec_path: Path,
    data_path: Path,
    *,
    period: str | None = None,
    formats: Sequence[str] = ("pdf", "docx", "html"),
    out_dir: Path = Path("out"),
    theme_dir: Path | None = None,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
    document: str | None = None,
) -> ReportResult:
    """Load, compute, compose and render every format in memory, then write every file at once.

    ``spec_path`` is a spec file, or a portfolio and ``document`` the id of one of its documents.
    """
    loaded = load_document(spec_path, document)
    data = load_measurements(data_path, loaded.spec)
    result, document = report_document(loaded.spec, data, period, texts_for(theme_dir))
    files = render_all({out_dir / file_stem(result): document}, formats, theme_dir, pdf_engine=pdf_engine)
    return ReportResult(write_all(files), document, result)


def report_facts(
    spec_path: Path, data_path: Path, *, period: str | None = None, document: str | None = None
) -> dict[str, Any]:
    """The figures of one window as JSON values (``slaforge report --json``): computed, never rendered."""
    loaded = load_document(spec_path, document)
    return window_facts(achievement(loaded.spec, load_measurements(data_path, loaded.spec), period))
