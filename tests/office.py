"""Open a DOCX the way a reviewer would: LibreOffice converts it to PDF, or the test says why not."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

needs_libreoffice = pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed (apt: libreoffice-writer-nogui)"
)


def convert_to_pdf(source: Path, timeout: int = 240) -> tuple[Path, str]:
    """(the PDF LibreOffice wrote beside ``source``, its stderr); fails the test when no PDF appears.

    A profile folder of its own beside the file keeps runs independent of each other and of the user's.
    """
    folder = source.parent
    result = subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    pdf = source.with_suffix(".pdf")
    assert pdf.is_file(), result.stdout + result.stderr
    return pdf, result.stderr
