"""Session fixtures: what the suite builds once and every module shares.

Rendering is the expensive part of the suite, so each sample agreement and the sample portfolio is
built once per session, into one shared folder under pytest's session temporary directory, and
each PDF is read back once per content (``shared.pdf_pages``).  Treat what they hand out as
read-only: a test that changes a file copies it into its own ``tmp_path`` first.

Fixtures (session-scoped; name one as a test argument):

- ``session_out``: the shared output folder; each fixture below writes a subfolder of its own.
- ``samples``: :class:`shared.Samples`, every ``samples/*.yaml`` built through the command line
  on first use, all three formats: ``samples.folder("managed-network")`` (the build's output
  folder), ``samples.file(name, "pdf")``, ``samples.data(name, "docx")``,
  ``samples.document(name)`` (the Document tree) and ``samples.typst_pdf(name)``.
- ``portfolio_build``: ``(folder, printed)`` (:class:`shared.Printed`, what the command printed) of
  ``slaforge build samples/portfolio/portfolio.yaml -f pdf,docx,html --jobs 1``: the suite's one
  build of the whole portfolio in PDF.  Tests that need another format, option or edit build a copy
  (``portfolio_helpers.copy_sample``) in DOCX or HTML, and render PDF only for the documents they need.
- ``office``: :class:`office.Office`, one headless LibreOffice for every test that opens, edits or
  lays out a document in it (starting one costs a second or two); skipped, with the reason, only
  where LibreOffice is not installed.

Adding a sample: put ``NAME.yaml`` in ``samples/``; ``shared.SAMPLES`` lists it, so the modules
parametrized over it (parity, core areas) pick it up and ``samples`` builds it once for all.
Adding a shared build: a session fixture here that writes under ``session_out`` through
``shared.built_once`` (so that, with ``-n``, one worker builds it and the others wait and share it)
and a line above.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from office import SOFFICE, Office
from shared import PORTFOLIO, Printed, Samples, build_with_cli, built_once


@pytest.fixture(scope="session")
def session_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole run: with ``-n``, every worker's base folder is a child of the run's own,
    so the workers share it and each shared build is made once (``shared.built_once``)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.getbasetemp().parent / "built"
        folder.mkdir(exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("built")


@pytest.fixture(scope="session")
def samples(session_out: Path) -> Samples:
    return Samples(session_out / "samples")


@pytest.fixture(scope="session")
def portfolio_build(session_out: Path) -> tuple[Path, Printed]:
    out = session_out / "portfolio"
    printed = built_once(out, build_with_cli("build", str(PORTFOLIO), "-f", "pdf,docx,html", "--jobs", "1"))
    assert printed.exit_code == 0 and "Traceback" not in printed.output, printed.output
    return out, printed


@pytest.fixture(scope="session")
def office() -> Iterator[Office]:
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed (apt: libreoffice-writer-nogui python3-uno)")
    instance = Office()
    yield instance
    instance.close()
