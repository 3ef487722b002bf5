"""Dropping a clause is a spec entry with a recorded reason: ``omit: [{clause: ID, reason: ...}]``.

The sample e-invoicing agreement, version 3.0, against a version 3.1 that leaves out the clause on
access to measurement data: the built documents lack it, ``diff`` and the redline show the entry
with its reason, and an id the library does not have is refused with a located error.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import docx
import pytest
from shared import ROOT, Printed, build_with_cli, built_once
from typer.testing import CliRunner

from slaforge.cli import app

SAMPLE = ROOT / "samples" / "saas-platform.yaml"
OMITTED = "monitoring.customer-access"
TITLE = "Access to measurement data"  # the clause's title in clauses/monitoring/customer-access.md
REASON = "The Customer reads the status page under the platform terms, not under this agreement."


def with_omit(clause: str, reason: str | None = REASON) -> str:
    entry = f"  - clause: {clause}\n" + (f"    reason: {reason}\n" if reason is not None else "")
    text = SAMPLE.read_text(encoding="utf-8")
    changed = text.replace("\npolicies:\n", f"\nomit:\n{entry}\npolicies:\n", 1)
    assert changed != text
    return changed


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> Printed:
    result = CliRunner().invoke(app, list(args))
    return Printed(result.exit_code, result.stdout, result.output)


def html_text(data: bytes) -> str:
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", data.decode("utf-8"))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture(scope="session")
def omitted_build(session_out: Path) -> Path:
    spec = write(session_out / "omit-spec", "omitted.yaml", with_omit(OMITTED))
    folder = session_out / "omit-build"
    printed = built_once(folder, build_with_cli("build", str(spec), "-f", "html,docx"))
    assert printed.exit_code == 0 and "Traceback" not in printed.output, printed.output
    return folder


def test_the_sample_has_the_clause_that_is_omitted(samples: object) -> None:
    text = html_text(samples.data("saas-platform", "html"))  # type: ignore[attr-defined]
    assert TITLE in text


def test_the_omitted_clause_is_in_no_format(omitted_build: Path) -> None:
    page = html_text(next(omitted_build.glob("*.html")).read_bytes())
    document = docx.Document(io.BytesIO(next(omitted_build.glob("*.docx")).read_bytes()))
    words = " ".join(p.text for p in document.paragraphs)
    assert TITLE not in page and TITLE not in words
    assert "Service reports" in page and "Service reports" in words  # the rest of the section stays


def test_diff_and_the_redline_show_the_omission_with_its_reason(tmp_path: Path) -> None:
    new = write(tmp_path, "new.yaml", with_omit(OMITTED))
    printed = run("diff", str(SAMPLE), str(new), "--format", "json")
    assert printed.exit_code == 0, printed.output
    changes = json.loads(printed.stdout)["changes"]
    (value,) = [c for c in changes if c["type"] == "value" and c["path"] == f"omit[{OMITTED}]"]
    assert value["change"] == "added" and REASON in value["new"]
    assert any(c["type"] == "clause" and c["clause"] == OMITTED and c["change"] == "removed" for c in changes)
    out = tmp_path / "redline.html"
    printed = run("diff", str(SAMPLE), str(new), "--format", "html", "-o", str(out))
    assert printed.exit_code == 0, printed.output
    text = html_text(out.read_bytes())
    summary = text[text.find("Changed terms") :]
    assert REASON in summary and OMITTED in summary


def test_an_unknown_clause_id_is_refused_where_the_spec_names_it(tmp_path: Path) -> None:
    typo = OMITTED.replace("access", "acess")
    text = with_omit(typo)
    spec = write(tmp_path, "spec.yaml", text)
    line = text.splitlines().index(f"  - clause: {typo}") + 1
    printed = run("build", str(spec), "-f", "html", "-o", str(tmp_path / "out"))
    assert printed.exit_code == 1 and "Traceback" not in printed.output
    assert f"{spec}:{line}:" in printed.output and "omit[0].clause" in printed.output
    assert typo in printed.output and OMITTED in printed.output  # given, and the id it is close to
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_omission_needs_its_reason(tmp_path: Path) -> None:
    spec = write(tmp_path, "spec.yaml", with_omit(OMITTED, reason=None))
    printed = run("validate", str(spec))
    assert printed.exit_code == 1 and "Traceback" not in printed.output
    assert "omit[0].reason" in printed.output or "omit.0.reason" in printed.output, printed.output
