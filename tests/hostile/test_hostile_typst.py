"""A Typst theme is the user's code too: the compiler runs in a process of its own, within limits.

Typst is native code, which Python cannot interrupt; a theme that loops for hours, fills the memory
or writes a PDF without end must still end as one line naming the cause, exit 1, nothing written.
The limits are lowered here (the real ones are a minute of CPU time and 4 GiB): the same mechanism,
reached in seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import MINIMAL, ROOT, files_in
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.renderers.typst import compile as typst_compile

pytest.importorskip("typst")

BUILTIN = ROOT / "templates" / "default" / "typst" / "agreement.typ"


def typst_theme(tmp_path: Path, code: str) -> Path:
    folder = tmp_path / "theme"
    (folder / "typst").mkdir(parents=True)
    (folder / "typst" / "agreement.typ").write_text(BUILTIN.read_text(encoding="utf-8") + "\n" + code, encoding="utf-8")
    return folder


def build(tmp_path: Path, theme: Path) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    args = ["build", str(MINIMAL), "-f", "pdf,html", "--pdf-engine", "typst", "--theme-dir", str(theme), "-o", str(out)]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output, out


@pytest.mark.parametrize(
    ("limit", "value", "code", "says"),
    [
        (
            "TYPST_SECONDS",
            2.0,
            "#for i in range(100000) { for j in range(100000) { } }",
            "took more than 2 seconds of CPU time",
        ),
        ("TYPST_MEMORY_BYTES", 1024**3, "#let numbers = range(200000000)", "more than 1,024 MiB of memory"),
        ("TYPST_PDF_BYTES", 50_000, "#for i in range(400) { pagebreak(); [page #i] }", "more than the 50,000 bytes"),
    ],
)
def test_a_typst_theme_past_a_limit_is_one_line_and_nothing_is_written(
    limit: str, value: float, code: str, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(typst_compile, limit, value)
    exit_code, output, out = build(tmp_path, typst_theme(tmp_path, code))
    assert exit_code == 1, output
    assert says in output, output
    assert "Traceback" not in output and len(output.splitlines()) <= 3, output
    assert files_in(out) == [], "no HTML without its PDF, no partial PDF"


def test_a_typst_compiler_that_waits_is_ended_by_a_limit_of_wall_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compiler that neither works nor ends (stopped, waiting) is ended by the wall-clock limit too."""
    monkeypatch.setattr(typst_compile, "TYPST_SECONDS", 1.0)
    monkeypatch.setattr(typst_compile, "WALL_SLACK_SECONDS", 1.0)
    monkeypatch.setattr(typst_compile, "CHILD", tmp_path / "sleeper.py")
    (tmp_path / "sleeper.py").write_text("import time\ntime.sleep(600)\n", encoding="utf-8")
    exit_code, output, out = build(tmp_path, typst_theme(tmp_path, ""))
    assert exit_code == 1 and "did not finish within 2 seconds" in output, output
    assert files_in(out) == []
