"""``diff REV:path``: the revision never becomes an option of git, the path never leaves the repository.

A revision of ``--output=FILE`` once made ``git show`` write FILE; ``-O/etc/shadow`` made it read a
path. Each case checks that the command is refused (exit 1, no traceback, the argument named) and that
the file outside was neither written nor read into any output or message.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hostile_cli import MINIMAL, assert_refused, files_in, slaforge

MARKER = "MARKER-91be04-outside-the-repository"


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, Path]:
    """A repository holding spec.yaml (committed) and a folder, and a marked file outside it."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    (outside / "secret.yaml").write_text(f"secret: {MARKER}\n", encoding="utf-8")
    shutil.copy(MINIMAL, repo / "spec.yaml")
    (repo / "folder.yaml").mkdir()
    (repo / "folder.yaml" / "x.yaml").write_text("x: 1\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    return repo, outside


def test_a_revision_of_the_committed_spec_is_compared(repository: tuple[Path, Path]) -> None:
    repo, _ = repository
    run = slaforge("diff", "HEAD:spec.yaml", "spec.yaml", cwd=repo)
    assert run.code == 0, run.text
    assert "Traceback" not in run.text


@pytest.mark.parametrize(
    ("revision", "says"),
    [
        ("--output=VICTIM", "cannot start with '-'"),
        ("-O../outside/secret.yaml", "cannot start with '-'"),
        ("--end-of-options", "cannot start with '-'"),
        ("HEAD --output=VICTIM", "spaces or control characters"),
        ("HEAD\x1b[2J", "spaces or control characters"),
        ("no-such-branch", "names no commit"),
        ("HEAD" + "~1" * 200, "characters is not one"),
    ],
)
def test_a_revision_that_is_not_one_is_refused_before_git_sees_it(
    revision: str, says: str, repository: tuple[Path, Path]
) -> None:
    repo, outside = repository
    victim = outside / "victim.txt"
    revision = revision.replace("VICTIM", str(victim))
    run = slaforge("diff", "--", f"{revision}:spec.yaml", "spec.yaml", cwd=repo)
    assert_refused(run, "spec.yaml", out=None)
    assert says in run.err, run.err
    assert not victim.exists()
    assert MARKER not in run.text
    assert [p.name for p in files_in(outside)] == ["secret.yaml"]


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("../outside/secret.yaml", "not inside"),
        ("folder.yaml", "a folder"),
        ("no-such-file.yaml", "there is no"),
    ],
)
def test_a_path_outside_the_repository_or_not_a_file_is_refused(
    path: str, says: str, repository: tuple[Path, Path]
) -> None:
    repo, _ = repository
    run = slaforge("diff", f"HEAD:{path}", "spec.yaml", cwd=repo)
    assert_refused(run, path, out=None)
    assert says in run.err, run.err
    assert MARKER not in run.text
