"""Progress of a portfolio build on stderr: a line per document, or a bar on a terminal."""

from __future__ import annotations

from typing import TextIO

from slaforge.layers.inherit import PortfolioDocument


class ProgressReport:
    """Call with (event, done, total, document); ``close()`` ends the bar's line."""

    def __init__(self, stream: TextIO, width: int = 28) -> None:
        self.stream = stream
        self.width = width
        self.bar = stream.isatty()
        self.open = False

    def __call__(self, event: str, done: int, total: int, document: PortfolioDocument) -> None:
        agreement = document.spec.agreement
        what = f"{document.id} ({agreement.id} v{agreement.version}): {event}"
        if self.bar:
            filled = round(self.width * done / total) if total else self.width
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r\x1b[K[{bar}] {done}/{total} {what}")
            self.open = True
        else:
            self.stream.write(f"[{done}/{total}] {what}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False
