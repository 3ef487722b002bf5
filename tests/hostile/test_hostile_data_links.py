"""Measured data and theme digests read nothing outside their folders, as the other readers do.

- ``portal --data DIR``: a document's folder ``DIR/contoso-wan`` that is a symbolic link to a folder
  elsewhere is refused (exit 1, the folder named), and nothing of what it leads to is read;
- ``report --data DIR``: an ``outages.csv`` that is a link to a file elsewhere is refused the same way;
- a portfolio build keys its cache on every file of the theme, but a theme file that is a link leading
  outside the theme is keyed by where it leads, never read: changing what it leads to rebuilds nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hostile_cli import SAMPLES, assert_refused, files_in, slaforge

MARKER = "MARKER-51d0e2-outside-the-data-folder"
PORTFOLIO = SAMPLES / "portfolio" / "portfolio.yaml"
PORTAL_DATA = SAMPLES / "portfolio" / "measured"
REPORT_SPEC = SAMPLES / "measurements" / "agreement.yaml"


def test_portal_refuses_a_document_folder_linked_outside_the_data(tmp_path: Path) -> None:
    data, outside = tmp_path / "data", tmp_path / "outside"
    shutil.copytree(PORTAL_DATA, data)
    shutil.move(data / "contoso-wan", outside)
    for csv in outside.glob("*.csv"):
        csv.write_text(csv.read_text(encoding="utf-8").rstrip("\n") + f"\n# {MARKER}\n", encoding="utf-8")
    (data / "contoso-wan").symlink_to(outside, target_is_directory=True)
    run = slaforge("portal", PORTFOLIO, "--data", data, "-o", "site", "--work", "work", cwd=tmp_path)
    assert_refused(run, str(data / "contoso-wan"), out=tmp_path / "site")
    assert "lies outside" in run.err and MARKER not in run.text


def test_report_refuses_a_data_file_linked_outside_the_data(tmp_path: Path) -> None:
    data, outside = tmp_path / "data", tmp_path / "outside"
    shutil.copytree(SAMPLES / "measurements", data)
    outside.mkdir()
    elsewhere = outside / "outages.csv"
    elsewhere.write_text((data / "outages.csv").read_text(encoding="utf-8") + f"# {MARKER}\n", encoding="utf-8")
    (data / "outages.csv").unlink()
    (data / "outages.csv").symlink_to(elsewhere)
    run = slaforge("report", REPORT_SPEC, "--data", data, "-f", "html", "-o", "out", cwd=tmp_path)
    assert_refused(run, str(data / "outages.csv"), out=tmp_path / "out")
    assert "lies outside" in run.err and MARKER not in run.text


def test_a_theme_link_outside_is_never_read_into_the_portfolio_cache(tmp_path: Path) -> None:
    theme, outside = tmp_path / "theme", tmp_path / "outside.txt"
    theme.mkdir()
    outside.write_text(MARKER, encoding="utf-8")
    (theme / "notes.txt").symlink_to(outside)  # a file of the theme no template uses
    build = ("build", PORTFOLIO, "-f", "html", "-o", "out", "--theme-dir", theme)
    first = slaforge(*build, cwd=tmp_path)
    assert first.code == 0, first.text
    manifests = {p: p.read_bytes() for p in files_in(tmp_path / "out") if p.suffix == ".json"}
    assert manifests
    outside.write_text(MARKER + " changed", encoding="utf-8")  # read, it would change the theme's digest
    again = slaforge(*build, cwd=tmp_path)
    assert again.code == 0, again.text
    assert {p: p.read_bytes() for p in manifests} == manifests
    assert MARKER not in first.text + again.text
