"""Run the Typst compiler (the ``typst`` package) on a staged project: tagged, archival, deterministic.

* **Standards**: PDF/UA-1 always; a PDF/A variant is written as PDF/A *and*
  PDF/UA-1 in one file (Typst can combine the two up to PDF 1.7).
* **Dates**: ``timestamp`` (the document's, which honours ``SOURCE_DATE_EPOCH``)
  is the file's creation date; Typst would otherwise stamp the clock.
* **Fonts**: the theme's font folders only; no system font is looked at, so
  the same theme gives the same glyphs on every machine.
* **Packages**: the package folders point into the stage, which holds none.
* **Limits**: the compiler is native code that Python cannot interrupt, so it runs in a process of its
  own (:mod:`.child`) with at most :data:`~slaforge.inputs.limits.TYPST_SECONDS` of CPU time,
  :data:`~slaforge.inputs.limits.TYPST_MEMORY_BYTES` of memory and a PDF of
  :data:`~slaforge.inputs.limits.TYPST_PDF_BYTES`; a theme that loops, or builds a PDF without end,
  is one line and exit 1.

``typst`` is an optional dependency (``pip install slaforge[typst]``), imported
on first use only.
"""

from __future__ import annotations

import json
import logging
import math
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from slaforge.errors import RenderError
from slaforge.inputs.files import read_bytes
from slaforge.inputs.limits import TYPST_MEMORY_BYTES, TYPST_PDF_BYTES, TYPST_SECONDS
from slaforge.renderers import PDF_VARIANTS
from slaforge.text import cut

try:
    import resource
except ImportError:  # not on Windows: there the compiler is bounded by wall-clock time only
    resource = None  # type: ignore[assignment]

LOG = logging.getLogger(__name__)
CHILD = Path(__file__).with_name("child.py")
INSTALL_HINT = "the typst engine needs `pip install slaforge[typst]`"
# slaforge's variant -> Typst's pdf_standards
STANDARDS: dict[str, tuple[str, ...]] = {
    "pdf/ua-1": ("ua-1",),
    **{variant: (variant.removeprefix("pdf/"), "ua-1") for variant in PDF_VARIANTS if variant.startswith("pdf/a-")},
}


def standards(variant: str) -> list[str]:
    if variant not in STANDARDS:
        raise RenderError(f"unknown PDF variant {variant!r}: expected one of {', '.join(PDF_VARIANTS)}")
    return list(STANDARDS[variant])


def typst_module() -> ModuleType:
    try:
        import typst
    except ImportError as error:
        raise RenderError(f"{INSTALL_HINT} (the typst package is not installed: {error})") from error
    return typst


def compile_pdf(root: Path, main: str, font_folders: tuple[Path, ...], variant: str, timestamp: int) -> bytes:
    """The PDF of ``root/main``, compiled in a process of its own (:mod:`.child`) within the limits of
    :data:`TYPST_SECONDS` of CPU time, :data:`TYPST_MEMORY_BYTES` of memory and :data:`TYPST_PDF_BYTES` of PDF."""
    typst_module()  # a missing compiler is said here, in words, before a process is started
    output = root / ".slaforge-output.pdf"
    empty = root / ".packages"
    request = {
        "input": str(root / main),
        "root": str(root),
        "fonts": [str(folder) for folder in font_folders],
        "standards": standards(variant),
        "timestamp": timestamp,
        "packages": str(empty),
        "output": str(output),
        "max_bytes": TYPST_PDF_BYTES,
        "parent": os.getpid(),
    }
    answer = _run_child(request)
    if "error" in answer:
        raise RenderError(f"the Typst theme could not be compiled: {answer['error']}")
    for message in answer.get("warnings", ()):
        LOG.warning("Typst: %s", message)
    try:
        return read_bytes(output, limit=TYPST_PDF_BYTES, what="PDF", error=RenderError)
    finally:
        output.unlink(missing_ok=True)


def _run_child(request: dict[str, Any]) -> dict[str, Any]:
    limited = hasattr(os, "fork") and hasattr(resource, "setrlimit")
    try:
        result = subprocess.run(
            [sys.executable, "-P", str(CHILD)],
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            preexec_fn=_limits if limited else None,
            # the CPU limit ends a busy compiler; this one that waits (or, without rlimits, a busy one), with
            # room for a busy machine, where a compilation's CPU seconds take far longer on the clock
            timeout=max(TYPST_SECONDS * 2, TYPST_SECONDS + WALL_SLACK_SECONDS) if limited else TYPST_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        waited = f"the Typst compiler did not finish within {expired.timeout:g} seconds"
        raise RenderError(f"the Typst theme could not be compiled: {waited}") from None
    if result.returncode == 0:
        try:
            answer = json.loads(result.stdout)
        except ValueError:
            answer = None
        if isinstance(answer, dict):
            return answer
    return {"error": _ended(result.returncode, result.stderr.decode("utf-8", "replace"))}


WALL_SLACK_SECONDS = 30.0  # wall-clock time a compilation may take beyond its CPU limit


def _too_long() -> str:
    return f"the Typst compiler took more than {TYPST_SECONDS:g} seconds of CPU time (a loop too long in the theme?)"


def _limits() -> None:
    """In the compiler's process, before it starts: its CPU time, memory and the largest file it may write."""
    cpu = math.ceil(TYPST_SECONDS)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (TYPST_MEMORY_BYTES, TYPST_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (TYPST_PDF_BYTES, TYPST_PDF_BYTES))


def _ended(code: int, stderr: str) -> str:
    """Why the compiler's process ended without an answer, in one line."""
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return _too_long()
    if "MemoryError" in stderr or "memory allocation" in stderr or code == -signal.SIGABRT:
        return f"the Typst compiler needed more than {TYPST_MEMORY_BYTES // 1024**2:,} MiB of memory"
    if "File too large" in stderr or code == -getattr(signal, "SIGXFSZ", 0):
        return f"the PDF would be more than the {TYPST_PDF_BYTES:,} bytes allowed"
    last = next((line for line in reversed(stderr.splitlines()) if line.strip()), "")
    return f"the Typst compiler stopped (exit {code}){': ' + cut(last, 300) if last else ''}"
