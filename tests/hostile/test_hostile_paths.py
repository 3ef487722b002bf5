"""No file outside its folder is read: theme templates, stylesheets, clauses and the logo may be symbolic
links, but only to files inside their own folder; a self-contained HTML file names no URL a browser would
fetch, however the CSS spells it.

Each case puts a unique marker in a file outside the working folder and checks that the build is refused
(exit 1, the file named, no traceback, nothing written) and that the marker appears in no output and no
message: nothing of the file outside was read into the result.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile_cli import MINIMAL, ROOT, assert_refused, files_in, slaforge

MARKER = "MARKER-7f3c2a-outside-the-folder"
BUILD = ["build", "spec.yaml", "-f", "html", "-o", "out"]


def workspace(tmp_path: Path, logo: str | None = None) -> tuple[Path, Path]:
    """A working folder with the minimal spec, and a folder outside it holding the marked secrets."""
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    text = MINIMAL.read_text(encoding="utf-8")
    if logo is not None:
        text = text.replace("agreement:\n", f"agreement:\n  branding:\n    logo: {logo}\n", 1)
    (work / "spec.yaml").write_text(text, encoding="utf-8")
    for name in ("secret.html.j2", "secret.css", "secret.md", "secret.yaml"):
        (outside / name).write_text(f"{MARKER}\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + MARKER.encode() * 10)
    return work, outside


def assert_untouched(run_text: str, work: Path, outside: Path) -> None:
    assert MARKER not in run_text
    for path in files_in(work):
        if path.is_symlink():
            continue  # the hostile link itself
        assert MARKER.encode() not in path.read_bytes(), f"{path} holds what lies outside"
    assert sorted(p.name for p in outside.iterdir()) == [
        "secret.css",
        "secret.html.j2",
        "secret.md",
        "secret.png",
        "secret.yaml",
    ]


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("document.html.j2", "secret.html.j2"),  # the page template
        ("cover.html.j2", "secret.html.j2"),  # a template the page includes
        ("style.css", "secret.css"),  # the stylesheet
        ("extra.css", "secret.css"),  # a user's extra stylesheet
        ("labels.yaml", "secret.yaml"),  # the document's words
    ],
)
def test_a_theme_file_linked_outside_its_folder_is_refused(name: str, secret: str, tmp_path: Path) -> None:
    work, outside = workspace(tmp_path)
    (work / "theme").mkdir()
    (work / "theme" / name).symlink_to(outside / secret)
    run = slaforge(*BUILD, "--theme-dir", "theme", cwd=work)
    assert_refused(run, name, out=work / "out")
    assert "outside" in run.err
    assert_untouched(run.text, work, outside)


def test_a_clause_linked_outside_its_folder_is_refused(tmp_path: Path) -> None:
    work, outside = workspace(tmp_path)
    (work / "clauses").mkdir()
    shutil.copy(ROOT / "clauses" / "change" / "amendment.md", work / "clauses" / "own.md")
    (work / "clauses" / "linked.md").symlink_to(outside / "secret.md")
    run = slaforge(*BUILD, "--clauses", "clauses", cwd=work)
    assert_refused(run, "linked.md", out=work / "out")
    assert_untouched(run.text, work, outside)


@pytest.mark.parametrize(
    "logo",
    ["../outside/secret.png", "linked.png", "LINKED_ABSOLUTE"],
    ids=["through ..", "through a symbolic link", "an absolute path"],
)
@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_logo_outside_the_specs_folder_is_refused(logo: str, command: str, tmp_path: Path) -> None:
    logo = str(tmp_path / "outside" / "secret.png") if logo == "LINKED_ABSOLUTE" else logo
    work, outside = workspace(tmp_path, logo)
    (work / "linked.png").symlink_to(outside / "secret.png")
    args = ["validate", "spec.yaml"] if command == "validate" else BUILD
    run = slaforge(*args, cwd=work)
    assert_refused(run, "spec.yaml", out=work / "out")
    assert "branding.logo" in run.err and "outside" in run.err
    assert_untouched(run.text, work, outside)


@pytest.mark.parametrize(
    "css",
    [
        "body { background: url(http://example.invalid/a.png) }",
        "body { background: URL(http://example.invalid/a.png) }",
        "body { background: u\\72l(http://example.invalid/a.png) }",
        "body { background: \\75 rl(http://example.invalid/a.png) }",
        'body { background: image-set("http://example.invalid/a.png" 1x) }',
        'body { background: -webkit-image-set("http://example.invalid/a.png" 1x) }',
        '@import "http://example.invalid/a.css";',
        "@import url(//example.invalid/a.css);",
        '@font-face { font-family: x; src: url("file:///etc/hostname") }',
    ],
)
def test_a_self_contained_html_file_names_no_url_outside(css: str, tmp_path: Path) -> None:
    work, _ = workspace(tmp_path)
    (work / "theme").mkdir()
    (work / "theme" / "extra.css").write_text(f"/* a user's stylesheet */\n\n{css}\n", encoding="utf-8")
    run = slaforge(*BUILD, "--theme-dir", "theme", cwd=work)
    assert_refused(run, "extra.css:3:", out=work / "out")
