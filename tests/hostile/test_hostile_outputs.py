"""Nothing lost, nothing partial, nothing replaced that is not slaforge's own regular file.

- ``-o`` naming a symbolic link, a FIFO or a device is refused: the link's target, the pipe and the
  device are left as they were;
- a build is all or nothing across its formats and, for a portfolio, across its documents and index:
  a write the operating system refuses (RLIMIT_FSIZE, the way a full disk refuses it) leaves the
  previous set of files exactly as it was, and no temporary file;
- the temporary files of a build that was killed are removed by the next build;
- two documents of a portfolio that would write the same files are refused before anything is written;
- the cache never deletes through a symbolic link, outside OUT, or a file the build did not write.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hostile_cli import MINIMAL, SAMPLES, assert_refused, files_in, slaforge

MARKER = "MARKER-c41d77-not-slaforges-file"
STEM = "HBK-SLA-PAY-003-v1.1"  # the minimal spec's agreement id and version


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in files_in(folder)}


def temporaries(folder: Path) -> list[Path]:
    return [p for p in files_in(folder) if p.name.endswith(".tmp")]


# ------------------------------------------------------------------ -o: only regular files are replaced


@pytest.mark.parametrize("what", ["a symbolic link", "a FIFO", "a device"])
def test_an_output_that_is_not_a_regular_file_is_refused(what: str, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(MARKER, encoding="utf-8")
    target = tmp_path / "objectives.yaml"
    if what == "a symbolic link":
        target.symlink_to(outside)
    elif what == "a FIFO":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/null")
        target = Path("/dev/null")
    run = slaforge("export", "openslo", MINIMAL, "-o", target, cwd=tmp_path)
    assert_refused(run, str(target))
    assert "regular files" in run.err
    assert outside.read_text(encoding="utf-8") == MARKER
    if what == "a symbolic link":
        assert (tmp_path / "objectives.yaml").is_symlink()
    if what == "a FIFO":
        assert (tmp_path / "objectives.yaml").is_fifo()
    assert Path("/dev/null").is_char_device()


def test_a_build_over_a_linked_output_file_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.html"
    outside.write_text(MARKER, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / f"{STEM}.html").symlink_to(outside)
    run = slaforge("build", MINIMAL, "-f", "html", "-o", "out", cwd=tmp_path)
    assert_refused(run, f"{STEM}.html")
    assert outside.read_text(encoding="utf-8") == MARKER
    assert temporaries(tmp_path / "out") == []


# ------------------------------------------------------------------ all or nothing


def test_a_refused_write_leaves_the_previous_formats_as_they_were(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    shutil.copy(MINIMAL, spec)
    first = slaforge("build", "spec.yaml", "-f", "docx,html", "-o", "out", cwd=tmp_path)
    assert first.code == 0, first.text
    before = snapshot(tmp_path / "out")
    sizes = sorted(len(data) for data in before.values())
    spec.write_text(spec.read_text(encoding="utf-8").replace("First agreement.", "The first agreement."))
    # the DOCX fits, the HTML (fonts inlined) does not: the DOCX must not be replaced alone
    run = slaforge("build", "spec.yaml", "-f", "docx,html", "-o", "out", cwd=tmp_path, file_bytes=sizes[-1] - 1)
    assert_refused(run, "out")
    assert "File too large" in run.err or "too large" in run.err
    assert snapshot(tmp_path / "out") == before  # the old set, byte for byte, and no temporary file


def test_a_refused_write_leaves_the_whole_previous_portfolio_as_it_was(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES / "portfolio", tmp_path / "portfolio")
    args = ("build", "portfolio/portfolio.yaml", "-f", "docx", "-o", "out")
    first = slaforge(*args, cwd=tmp_path)
    assert first.code == 0, first.text
    before = snapshot(tmp_path / "out")
    sizes = sorted(len(data) for name, data in before.items() if name.endswith(".docx"))
    limit = sizes[len(sizes) // 2]  # about half the documents fit (and the index and manifests), the rest do not
    corporate = tmp_path / "portfolio" / "corporate.yaml"
    corporate.write_text(corporate.read_text(encoding="utf-8") + "\n# a change every document inherits\n")
    for fragment in (tmp_path / "portfolio").rglob("*.yaml"):  # every document changes, so every one is rebuilt
        fragment.write_text(fragment.read_text(encoding="utf-8").replace("2027", "2028"), encoding="utf-8")
    run = slaforge(*args, cwd=tmp_path, file_bytes=limit)
    assert_refused(run, "out")
    assert snapshot(tmp_path / "out") == before  # every document, manifest and the index as they were


def test_the_temporary_files_of_a_killed_build_are_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that no longer runs: the build that left these files was killed
    stale = out / f".{STEM}.html.{dead.pid}.k3x9q2z1.tmp"
    stale.write_bytes(b"<html>half")
    running = out / f".{STEM}.html.{os.getpid()}.a1b2c3d4.tmp"  # a build still running: left alone
    running.write_bytes(b"<html>being written")
    other = out / ".notes.tmp"  # not slaforge's
    other.write_bytes(b"mine")
    run = slaforge("build", MINIMAL, "-f", "html", "-o", "out", cwd=tmp_path)
    assert run.code == 0, run.text
    assert not stale.exists()
    assert running.exists() and other.exists()
    assert (out / f"{STEM}.html").is_file()


# ------------------------------------------------------------------ portfolios


def test_two_documents_writing_the_same_files_are_refused(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES / "portfolio", tmp_path / "portfolio")
    portfolio = tmp_path / "portfolio" / "portfolio.yaml"
    portfolio.write_text(
        portfolio.read_text(encoding="utf-8")
        + "  - id: ola-network-copy\n    kind: ola\n    provider: noc\n    customer: service-management\n"
        "    supports: [wan]\n    spec: operations/ola-network.yaml\n",
        encoding="utf-8",
    )
    run = slaforge("build", "portfolio/portfolio.yaml", "-f", "html", "-o", "out", cwd=tmp_path)
    assert_refused(run, "operations/ola-network.yaml", out=tmp_path / "out")
    assert "ola-network and ola-network-copy" in run.err and "ola/NW-OLA-NET-v1.2" in run.err


@pytest.fixture
def built_portfolio(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES / "portfolio", tmp_path / "portfolio")
    run = slaforge("build", "portfolio/portfolio.yaml", "-f", "html", "-o", "out", cwd=tmp_path)
    assert run.code == 0, run.text
    return tmp_path


def rebuild_after_a_change(work: Path) -> None:
    corporate = work / "portfolio" / "corporate.yaml"
    corporate.write_text(corporate.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    run = slaforge("build", "portfolio/portfolio.yaml", "-f", "html", "-o", "out", cwd=work)
    assert run.code == 0, run.text
    assert "Traceback" not in run.text


def test_a_tampered_manifest_deletes_nothing_but_the_caches_own_files(built_portfolio: Path) -> None:
    work, out = built_portfolio, built_portfolio / "out"
    outside = work / "outside"
    outside.mkdir()
    secret = outside / "secret.html"
    secret.write_text(MARKER, encoding="utf-8")
    (out / "linked").symlink_to(outside)  # a link inside OUT to a folder outside it
    own = out / "notes.html"  # the user's own file inside OUT
    own.write_text(MARKER, encoding="utf-8")
    manifest = out / ".slaforge-cache" / "corporate.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    sha = hashlib.sha256(MARKER.encode()).hexdigest()
    data["outputs"].update(
        {"linked/secret.html": sha, "notes.html": "0" * 64, "../outside/secret.html": sha, str(secret): sha}
    )
    manifest.write_text(json.dumps(data), encoding="utf-8")
    rebuild_after_a_change(work)
    assert secret.read_text(encoding="utf-8") == MARKER
    assert own.read_text(encoding="utf-8") == MARKER


@pytest.mark.parametrize("what", ["a folder", "nested 100,000 deep", "a FIFO", "not JSON"])
def test_a_broken_manifest_is_no_manifest(what: str, built_portfolio: Path) -> None:
    manifest = built_portfolio / "out" / ".slaforge-cache" / "corporate.json"
    manifest.unlink()
    if what == "a folder":
        manifest.mkdir()
        (manifest / "x").write_text("{}")
    elif what == "a FIFO":
        os.mkfifo(manifest)
    elif what == "nested 100,000 deep":
        manifest.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        manifest.write_bytes(b"\xff\xfe{not json")
    if what in ("a folder", "a FIFO"):  # the manifest cannot be replaced: the build says so, in one line
        corporate = built_portfolio / "portfolio" / "corporate.yaml"
        corporate.write_text(corporate.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        run = slaforge("build", "portfolio/portfolio.yaml", "-f", "html", "-o", "out", cwd=built_portfolio)
        assert_refused(run, "corporate.json")
    else:
        rebuild_after_a_change(built_portfolio)


def test_two_specs_of_one_build_never_write_over_each_other(tmp_path: Path) -> None:
    """``build a.yaml b.yaml`` of the same agreement id and version: the first is written, the second refused
    at its id (it would have replaced the first's files in silence, "wrote" printed twice)."""
    text = MINIMAL.read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("Harbour Bank Technology Ltd", "Other Party Ltd"), encoding="utf-8")
    run = slaforge("build", "a.yaml", "b.yaml", "-f", "html", "-o", "out", cwd=tmp_path)
    line = text.split("\n  id: ")[0].count("\n") + 2
    assert run.code == 1, run.text
    assert f"b.yaml:{line}:" in run.err and "one over the other" in run.err, run.err
    (written,) = files_in(tmp_path / "out")
    assert written.name == f"{STEM}.html"
    html = written.read_text(encoding="utf-8")
    assert "Harbour Bank Technology Ltd" in html and "Other Party Ltd" not in html
