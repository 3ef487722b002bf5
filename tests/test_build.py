"""`slaforge build` through the CLI: outputs, determinism, nothing half-written, clear failures."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from shared import Samples, pdf_pages, pdf_reader
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "managed-network.yaml"
STEM = "NWN-SLA-WAN-014-v2.1"


def run(*args: str | Path, env: dict[str, str] | None = None) -> object:
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def built(samples: Samples) -> Path:
    """The folder of the session's ``slaforge build samples/managed-network.yaml -o FOLDER``."""
    return samples.folder("managed-network")


def test_build_writes_three_formats_named_by_id_and_version(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == [f"{STEM}.docx", f"{STEM}.html", f"{STEM}.pdf"]
    reader = pdf_reader(built / f"{STEM}.pdf")
    assert reader.metadata.title == "Managed Wide Area Network Service Level Agreement"
    assert reader.metadata.author == "Northwind Networks Ltd"
    first_page = pdf_pages(built / f"{STEM}.pdf")[0]
    assert "NWN-SLA-WAN-014" in first_page and "Contoso Logistics plc" in first_page
    properties = docx.Document(str(built / f"{STEM}.docx")).core_properties
    assert properties.title == "Managed Wide Area Network Service Level Agreement"
    assert (built / f"{STEM}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_seven_core_areas_carry_the_spec_values(built: Path) -> None:
    text = " ".join(pdf_pages(built / f"{STEM}.pdf")[i] for i in range(3, 36))
    text = " ".join(text.split())
    for needle in [
        "Managed WAN",  # service description
        "99.95%",  # reliability: the target
        "21 minutes 36 seconds in a 30-day month",  # and the downtime it allows (computed)
        "15 minutes",  # responsiveness: P1 response
        "NWN-INC-nnnnnn",  # problem reporting: reference format
        "https://portal.northwind-networks.co.uk/contoso",  # monitoring: customer access
        "Suspended",  # restrictions
        "GBP 38,500",  # penalties: the fee in the worked example
    ]:
        assert needle.casefold() in text.casefold(), needle


def test_two_builds_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    result = run("build", SAMPLE, "-f", "pdf,docx", "-o", tmp_path)
    assert result.exit_code == 0  # type: ignore[attr-defined]
    for ext in ("pdf", "docx"):
        assert (tmp_path / f"{STEM}.{ext}").read_bytes() == (built / f"{STEM}.{ext}").read_bytes(), ext


def test_source_date_epoch_sets_the_file_dates(tmp_path: Path) -> None:
    result = run("build", SAMPLE, "-f", "docx,pdf", "-o", tmp_path, env={"SOURCE_DATE_EPOCH": "1893456000"})
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    data = (tmp_path / f"{STEM}.docx").read_bytes()
    stamp = docx.Document(io.BytesIO(data)).core_properties.modified
    assert stamp is not None and stamp.year == 2030 and (stamp.month, stamp.day) == (1, 1)
    assert {info.date_time[:3] for info in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(2030, 1, 1)}
    assert PdfReader(tmp_path / f"{STEM}.pdf").metadata["/CreationDate"].startswith("D:20300101")


def test_a_failed_build_leaves_earlier_outputs_and_no_partial_file(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    earlier = {f"{STEM}.{ext}": (built / f"{STEM}.{ext}").read_bytes() for ext in ("pdf", "docx", "html")}
    for name, data in earlier.items():
        (out / name).write_bytes(data)
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "extra.css").write_text('body { background: url("http://example.com/track.png"); }', encoding="utf-8")
    result = run("build", SAMPLE, "-o", out, "--theme-dir", theme)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "http://example.com/track.png" in result.output  # type: ignore[attr-defined]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier  # untouched, nothing else


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["build", "missing.yaml"], 1, "missing.yaml: no such file"),
        (["build", SAMPLE, "-f", "pdf,odt"], 2, "unknown format odt"),
        (["build", SAMPLE, "--pdf-variant", "pdf/x-9"], 2, "unknown --pdf-variant"),
        (["build"], 2, "Missing argument"),
    ],
)
def test_bad_invocations(args: list[str | Path], code: int, fragment: str, tmp_path: Path) -> None:
    result = run(*args, "-o", tmp_path) if args[1:] else run(*args)
    assert result.exit_code == code  # type: ignore[attr-defined]
    assert fragment in result.output  # type: ignore[attr-defined]
    assert not list(tmp_path.iterdir())


def test_invalid_spec_builds_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(SAMPLE.read_text(encoding="utf-8").replace("target: 99.95%", "targt: 99.95%"), encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", spec, "-o", out)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "unknown key 'targt'; did you mean 'target'?" in result.output  # type: ignore[attr-defined]
    assert not out.exists()


def test_an_output_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a folder", encoding="utf-8")
    for out in (blocker, blocker / "nested"):
        result = run("build", SAMPLE, "-f", "html", "-o", out)
        assert result.exit_code == 1  # type: ignore[attr-defined]
        assert result.exception is None or isinstance(result.exception, SystemExit)  # type: ignore[attr-defined]
        assert f"cannot write {out / STEM}.html: {blocker} is a file, not a folder" in result.output  # type: ignore[attr-defined]
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_help_does_not_import_renderers() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from typer.testing import CliRunner; from slaforge.cli import app; "
        "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0; "
        "heavy = [m for m in ('weasyprint', 'docx', 'pydantic', 'ruamel.yaml') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_signature_page_keeps_the_words_of_execution_with_the_blocks(built: Path) -> None:
    pages = list(pdf_pages(built / f"{STEM}.pdf"))
    signing = [i for i, text in enumerate(pages) if "Signed for and on behalf of" in text]
    assert signing == [len(pages) - 1]
    last = " ".join(pages[-1].split()).casefold()
    assert "signatures" in last and "execution signed by the authorised representatives" in last
    document = docx.Document(str(built / f"{STEM}.docx"))
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1" and "Signatures" in p.text)
    assert heading.paragraph_format.page_break_before is True
