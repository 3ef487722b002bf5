"""What the suite builds and reads back once per session, shared by every test module.

The fixtures in ``conftest.py`` hand these out; this module holds the work behind them so that a
test module can also import the plain helpers (``pdf_pages``, ``SAMPLES``) by name.

- :class:`Samples` builds each agreement in ``samples/*.yaml`` once, through the command line
  (``slaforge build SPEC -o FOLDER``, all three formats), on the first request for it, and keeps
  its Document tree and its Typst PDF.
- :func:`pdf_reader`, :func:`pdf_pages` and :func:`pdf_text` read a PDF back with pypdf once per
  content: pypdf takes about 0.2 s a page to extract text from a tagged 36-page agreement and keeps
  nothing between calls, so a file that ten tests read is parsed once, not ten times.  The cache key
  is the file's SHA-256, so a test always reads the bytes it names, never an older file's text.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock
from pypdf import PdfReader
from typer.testing import CliRunner

from slaforge.build import BuildOptions, document_for
from slaforge.cli import app
from slaforge.document import Document
from slaforge.renderers import RenderOptions, render
from slaforge.spec import load_spec
from slaforge.writers import theme_for

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
PORTFOLIO = ROOT / "samples" / "portfolio" / "portfolio.yaml"
FORMATS = ("pdf", "docx", "html")


# ------------------------------------------------------------------ builds shared between test workers


@dataclass(frozen=True)
class Printed:
    """What a command printed and how it ended, kept beside its outputs so every worker reads the same."""

    exit_code: int
    stdout: str
    output: str


def built_once(folder: Path, build: Callable[[Path], Printed]) -> Printed:
    """Run ``build(folder)`` once for the whole test run, whichever worker asks first; the others wait
    for it and read what it printed.  A build that failed is not marked done, so each asker sees it fail."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    done = folder.with_name(folder.name + ".done")
    with FileLock(str(folder.with_name(folder.name + ".lock"))):
        if not done.exists():
            printed = build(folder)
            if printed.exit_code != 0 or "Traceback" in printed.output:
                return printed
            done.write_text(json.dumps(printed.__dict__), encoding="utf-8")
        return Printed(**json.loads(done.read_text(encoding="utf-8")))


def build_with_cli(*args: str) -> Callable[[Path], Printed]:
    """A build for :func:`built_once`: ``slaforge ARGS -o FOLDER`` through typer's runner."""

    def build(folder: Path) -> Printed:
        result = CliRunner().invoke(app, [*args, "-o", str(folder)])
        return Printed(result.exit_code, result.stdout, result.output)

    return build


class Samples:
    """The sample agreements, each built once per session into ``folder/<sample stem>/``."""

    def __init__(self, folder: Path) -> None:
        self.root = folder
        self._built: dict[str, Path] = {}
        self._documents: dict[str, Document] = {}
        self._typst: dict[str, bytes] = {}

    @staticmethod
    def spec(name: str) -> Path:
        path = ROOT / "samples" / f"{name}.yaml"
        assert path.is_file(), f"no sample {name!r} in samples/"
        return path

    def folder(self, name: str) -> Path:
        """The folder ``slaforge build samples/NAME.yaml -o FOLDER`` wrote: one file per format, nothing else."""
        if name not in self._built:
            out = self.root / name
            printed = built_once(out, build_with_cli("build", str(self.spec(name))))
            assert printed.exit_code == 0 and "Traceback" not in printed.output, printed.output
            self._built[name] = out
        return self._built[name]

    def file(self, name: str, fmt: str) -> Path:
        (path,) = self.folder(name).glob(f"*.{fmt}")
        return path

    def data(self, name: str, fmt: str) -> bytes:
        return self.file(name, fmt).read_bytes()

    def document(self, name: str) -> Document:
        """The sample's Document tree, composed through the Python API as the build does."""
        if name not in self._documents:
            _, self._documents[name] = document_for(load_spec(self.spec(name)), BuildOptions())
        return self._documents[name]

    def typst_pdf(self, name: str) -> bytes:
        """The sample's PDF from the second engine (``pdf_engine="typst"``), with the theme the build uses."""
        if name not in self._typst:
            document = self.document(name)
            options = RenderOptions(theme=theme_for(document, None), pdf_engine="typst")
            self._typst[name] = render(document, "pdf", options)
        return self._typst[name]


# ------------------------------------------------------------------ reading PDFs back, once per content

_READERS: dict[str, PdfReader] = {}
_PAGES: dict[str, tuple[str, ...]] = {}
_BY_READER: dict[int, tuple[PdfReader, tuple[str, ...]]] = {}


def _key(source: bytes | Path) -> tuple[str, bytes]:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    return hashlib.sha256(data).hexdigest(), data


def pdf_reader(source: bytes | Path) -> PdfReader:
    """One pypdf reader per PDF content (outline, metadata, destinations); treat it as read-only."""
    key, data = _key(source)
    if key not in _READERS:
        _READERS[key] = PdfReader(io.BytesIO(data))
    return _READERS[key]


def pdf_pages(source: bytes | Path | PdfReader) -> tuple[str, ...]:
    """``page.extract_text()`` of every page, as pypdf gives it, extracted once per PDF content
    (or once per reader, for a reader a test opened itself)."""
    if isinstance(source, PdfReader):
        if id(source) not in _BY_READER:  # the reader is kept with its text, so its id is never reused
            _BY_READER[id(source)] = (source, tuple(page.extract_text() for page in source.pages))
        return _BY_READER[id(source)][1]
    key, data = _key(source)
    if key not in _PAGES:
        _PAGES[key] = tuple(page.extract_text() for page in pdf_reader(data).pages)
    return _PAGES[key]


def pdf_text(source: bytes | Path) -> str:
    """Every page's text joined, runs of white space made single spaces."""
    return " ".join(" ".join(pdf_pages(source)).split())
