"""Open a DOCX the way a reviewer would: in LibreOffice, driven through its UNO bridge.

One headless ``soffice`` serves the whole test session (the ``office`` fixture of ``conftest.py``):
starting it costs one or two seconds.  Through it a test opens a document, edits it as a lawyer
would, updates its fields and indexes, reads each paragraph with the number LibreOffice gives it,
and exports a PDF.

The UNO bridge is Debian's ``python3-uno`` (``uno.py`` beside ``pyuno.so``).  It targets the
system's Python 3; the test environment's Python imports it when it is the same minor version
(3.11 on Debian 12) and was built with a shared libpython.  :func:`load_uno` finds the two
modules wherever the system keeps them and imports them by path, without putting the system's
other packages on ``sys.path``.  Tests that need LibreOffice are skipped only where LibreOffice is
not installed; where it is, a missing or unusable bridge fails them with the reason.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt: libreoffice-writer-nogui python3-uno)"
)
# where python3-uno puts uno.py and unohelper.py (Debian, Ubuntu, Fedora, the LibreOffice bundle)
UNO_FOLDERS = (
    "/usr/lib/python3/dist-packages",
    f"/usr/lib/python3.{sys.version_info.minor}/site-packages",
    f"/usr/lib64/python3.{sys.version_info.minor}/site-packages",
    "/usr/lib/libreoffice/program",
    "/opt/libreoffice/program",
)


def load_uno() -> ModuleType:
    """The ``uno`` module: imported normally when it can be, else from the system's python3-uno by path."""
    try:
        import uno

        return uno
    except ImportError:
        pass
    folder = next((Path(f) for f in UNO_FOLDERS if (Path(f) / "uno.py").is_file()), None)
    if folder is None:
        pytest.fail("LibreOffice is installed but its Python bridge is not: apt-get install python3-uno")
    for name in ("uno", "unohelper"):
        spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except ImportError as error:  # pyuno.so built for another Python
            del sys.modules[name]
            pytest.fail(
                f"LibreOffice's Python bridge ({folder / 'uno.py'}) does not load in Python "
                f"{sys.version.split()[0]}: {error}"
            )
    import uno

    return uno


def convert_to_pdf(source: Path, timeout: int = 240) -> tuple[Path, str]:
    """(the PDF LibreOffice wrote beside ``source``, its stderr); fails the test when no PDF appears.

    A profile folder of its own beside the file keeps runs independent of each other and of the user's.
    """
    folder = source.parent
    result = subprocess.run(
        [
            str(SOFFICE),
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


@dataclass(frozen=True)
class Para:
    """A paragraph as LibreOffice lays it out: its style, the number it shows, its text."""

    style: str
    label: str
    text: str


class Office:
    """A private headless soffice, connected over a named pipe; ``close()`` ends it."""

    def __init__(self, author: str = "Counterparty Legal") -> None:
        self.uno = load_uno()
        self.profile = Path(tempfile.mkdtemp(prefix="slaforge-office-"))
        pipe = f"slaforge_tests_{os.getpid()}"
        self.process = subprocess.Popen(
            [
                str(SOFFICE),
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={self.profile.as_uri()}",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        local = self.uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        no_connection = self.uno.getClass("com.sun.star.connection.NoConnectException")
        deadline = time.monotonic() + 90
        while True:
            try:
                self.context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except no_connection:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    pytest.fail("LibreOffice (soffice --headless) did not start")
                time.sleep(0.1)
        self.desktop = self._create("com.sun.star.frame.Desktop")
        # a stale lock file beside a document makes a headless load return None: neither write nor honour them
        self.configure("/org.openoffice.Office.Common/Misc", UseDocumentOOoLockFile=False)
        self.configure("/org.openoffice.UserProfile/Data", givenname=author, sn="")

    def _create(self, service: str) -> Any:
        return self.context.ServiceManager.createInstanceWithContext(service, self.context)

    def props(self, **values: Any) -> tuple[Any, ...]:
        out = []
        for name, value in values.items():
            prop = self.uno.createUnoStruct("com.sun.star.beans.PropertyValue")
            prop.Name, prop.Value = name, value
            out.append(prop)
        return tuple(out)

    def configure(self, node: str, **values: Any) -> None:
        provider = self._create("com.sun.star.configuration.ConfigurationProvider")
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess", self.props(nodepath=node)
        )
        for name, value in values.items():
            access.setPropertyValue(name, value)
        access.commitChanges()

    def open(self, path: Path) -> Any:
        url = self.uno.systemPathToFileUrl(str(path.resolve()))
        document = self.desktop.loadComponentFromURL(url, "_blank", 0, self.props(Hidden=True))
        if document is None:
            raise AssertionError(f"LibreOffice could not open {path}")
        return document

    def save(self, document: Any, path: Path, kind: str = "docx") -> Path:
        filters = {"docx": "MS Word 2007 XML", "pdf": "writer_pdf_Export"}
        url = self.uno.systemPathToFileUrl(str(path.resolve()))
        document.storeToURL(url, self.props(FilterName=filters[kind], Overwrite=True))
        return path

    def to_pdf(self, source: Path, target: Path | None = None, *, update: bool = False) -> Path:
        """``source`` exported to PDF as LibreOffice lays it out (fields and indexes updated first when asked)."""
        document = self.open(source)
        try:
            if update:
                update_all(document)
            return self.save(document, target or source.with_suffix(".pdf"), "pdf")
        finally:
            document.close(True)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the bridge drops as soffice exits: DisposedException is expected
            self.desktop.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


# ------------------------------------------------------------------ reading and editing an open document


def body_paragraphs(document: Any) -> Iterator[Any]:
    """The paragraphs of the body in order, the paragraphs of each table cell included (row by row)."""
    yield from _paragraphs(document.getText())


def _paragraphs(text: Any) -> Iterator[Any]:
    items = text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.Paragraph"):
            yield item
        elif item.supportsService("com.sun.star.text.TextTable"):
            for name in _cell_names(item):
                yield from _paragraphs(item.getCellByName(name))


def _cell_names(table: Any) -> list[str]:
    names = list(table.getCellNames())

    def key(name: str) -> tuple[int, str]:
        letters = name.rstrip("0123456789")
        return int(name[len(letters) :]), letters.rjust(3)

    return sorted(names, key=key)


def paragraphs(document: Any) -> list[Para]:
    return [
        Para(p.ParaStyleName, p.getPropertyValue("ListLabelString"), p.getString()) for p in body_paragraphs(document)
    ]


def find(document: Any, starts: str, style: str | None = None) -> Any:
    """The first body paragraph whose text starts with ``starts`` (and has ``style``, when given)."""
    for p in body_paragraphs(document):
        if p.getString().startswith(starts) and (style is None or p.ParaStyleName == style):
            return p
    raise AssertionError(f"no paragraph starts with {starts!r}")


def update_all(document: Any) -> None:
    """What "Update all" does: fields, then the indexes (the table of contents), then fields again."""
    document.getTextFields().refresh()
    indexes = document.getDocumentIndexes()
    for index in range(indexes.getCount()):
        indexes.getByIndex(index).update()
    document.getTextFields().refresh()


def insert_paragraph_before(document: Any, target: Any, text: str) -> Any:
    """A new paragraph in ``target``'s style right before it, as a lawyer makes one: Enter at the start of
    ``target`` (its text and its bookmark move down with it), then the words in the empty paragraph above.

    (Enter at the end of the paragraph before and a change of style would keep that paragraph's list
    level in LibreOffice: a heading typed after sub-clause 4.1.3 would read 4.1.4.)"""
    office_text = target.getText()
    cursor = office_text.createTextCursorByRange(target.getStart())
    paragraph_break = 0  # com.sun.star.text.ControlCharacter.PARAGRAPH_BREAK
    office_text.insertControlCharacter(cursor, paragraph_break, False)
    cursor.gotoPreviousParagraph(False)
    office_text.insertString(cursor, text, False)
    return cursor


def delete_range(first: Any, following: Any) -> None:
    """Delete the paragraphs from ``first`` up to (not including) ``following``, marks and all."""
    cursor = first.getText().createTextCursorByRange(first.getStart())
    cursor.gotoRange(following.getStart(), True)
    cursor.setString("")


def dispatch(office: Office, document: Any, command: str) -> None:
    """A menu command on an open document, e.g. ``.uno:AcceptAllTrackedChanges``."""
    helper = office._create("com.sun.star.frame.DispatchHelper")
    helper.executeDispatch(document.getCurrentController().getFrame(), command, "", 0, ())
