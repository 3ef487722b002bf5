"""The render step of a portfolio build on a Dask cluster (``build --executor dask --scheduler ADDRESS``).

The parent does everything else as for ``--jobs``: it reads and checks the portfolio, works out each
document's cache key, and writes every file at once (all or nothing).  Only :func:`render_job` runs on
the cluster, on the same chunks of documents as a local pool, and the answers come back in the
portfolio's order, so the files are the same bytes as ``--jobs 1``.

A worker renders from the clause and theme folders at the paths the parent names: each worker must
have this version of slaforge and the same files at the same paths (a shared file system, or the same
checkout on every machine).  Both are checked on every worker before any document is sent; a worker
that differs is named and nothing is rendered.

Dask is an optional extra (``pip install 'slaforge[dask]'``): this module imports it only when a build
asks for the cluster, so a plain build never loads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from slaforge import __version__
from slaforge.errors import Problem, SlaforgeError
from slaforge.resources import data_root

Job = Any  # slaforge.portfolio.build.Job: what one document needs, picklable (this module sits below build)
Render = Callable[[Any], Any]  # build.render_job, run on the workers
CONNECT_SECONDS = 10  # how long to wait for the scheduler before saying it cannot be reached
EXTRA = "pip install 'slaforge[dask]'"


class ClusterError(SlaforgeError):
    """The cluster cannot be used: Dask is missing, the scheduler is unreachable, a worker differs (exit 1)."""


Answer = Any  # render_job's answer: (content digest, bytes per format) or the document's problems


def run_on_cluster(
    jobs: Sequence[Job], scheduler: str, render: Render, chunk_size: Callable[[int, int], int]
) -> Iterator[tuple[Job, Answer]]:
    """Render ``jobs`` with ``render`` on the cluster behind ``scheduler``, in chunks of ``chunk_size(jobs,
    workers)`` as a local pool of as many workers as the cluster has threads; yield each job with its
    answer, in the order given."""
    client = _connect(scheduler)
    futures: list[Any] = []
    try:
        _check_workers(client, scheduler, jobs)
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        size = chunk_size(len(jobs), max(1, threads))
        chunks = [list(jobs[i : i + size]) for i in range(0, len(jobs), size)]
        futures = client.map(render_chunk, chunks, render=render, pure=False)
        for chunk, future in zip(chunks, futures, strict=True):
            answers = _result(future, chunk)
            yield from zip(chunk, answers, strict=True)
    except BaseException:  # Ctrl-C or a failure: take the rest of the build off the cluster now
        if futures:
            client.cancel(futures)
        raise
    finally:
        client.close()


def render_chunk(jobs: list[Job], render: Render) -> list[Answer]:
    """On a worker: render a chunk of documents, one answer each."""
    return [render(job) for job in jobs]


def worker_facts(folders: list[tuple[str, ...]]) -> dict[str, Any]:
    """On a worker: its slaforge version, a digest of its built-in clauses and theme (wherever it is
    installed), and a digest of each set of the build's own folders as it sees them."""
    root = data_root()
    return {
        "version": __version__,
        "library": folders_digest([root / "clauses", root / "templates"], root),
        "folders": [folders_digest([Path(p) for p in group]) for group in folders],
    }


def folders_digest(folders: Sequence[Path], root: Path | None = None) -> str:
    """A digest of every file under ``folders`` (names and bytes), as the parent or a worker sees them;
    folders are named relative to ``root`` when given."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(f"folder:{folder.relative_to(root) if root else folder}\n".encode())
        if not folder.is_dir():
            digest.update(b"missing\n")
            continue
        for file in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"{file.relative_to(folder)}\n".encode())
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


# ------------------------------------------------------------------ the parent's side


def _connect(scheduler: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(f"--executor dask needs Dask's distributed scheduler, an optional extra: {EXTRA}") from None
    try:
        return Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {scheduler!r} within {CONNECT_SECONDS} s: {error}"
        ) from None


def _folder_groups(jobs: Sequence[Job]) -> list[tuple[str, ...]]:
    """Each distinct set of folders the jobs read: their clause folders and their theme folder."""
    from slaforge.renderers.theme import Theme

    builtin = data_root()
    groups: dict[tuple[str, ...], None] = {}
    for job in jobs:  # the built-in theme is checked with the built-in clauses, wherever a worker has them
        theme = tuple(str(f) for f in Theme.load(job.theme_dir).folders if not f.is_relative_to(builtin))
        group = (*(str(d) for d in job.clause_dirs), *theme)
        if group:
            groups[group] = None
    return list(groups)


def _check_workers(client: Any, scheduler: str, jobs: Sequence[Job]) -> None:
    """Refuse a cluster whose workers run another slaforge or see other clause or theme files."""
    groups = _folder_groups(jobs)
    expected = worker_facts(groups)
    facts = client.run(worker_facts, groups)
    if not facts:
        raise ClusterError(f"the Dask scheduler at {scheduler!r} has no workers")
    problems = []
    for worker, seen in sorted(facts.items()):
        if seen["version"] != expected["version"]:
            problems.append(
                Problem(
                    f"Dask worker {worker} runs slaforge {seen['version']}; this build is slaforge {__version__}",
                    given=seen["version"],
                    expected=__version__,
                )
            )
            continue
        if seen["library"] != expected["library"]:
            problems.append(
                Problem(
                    f"Dask worker {worker} has other built-in clauses or theme files than this build "
                    f"(slaforge {__version__} installed differently)",
                    code="cluster-files",
                )
            )
        for group, theirs, ours in zip(groups, seen["folders"], expected["folders"], strict=True):
            if theirs != ours:
                problems.append(
                    Problem(
                        f"Dask worker {worker} sees other files than this build in {', '.join(group)}: "
                        "every worker needs the same clause and theme folders at the same paths",
                        code="cluster-files",
                    )
                )
    if problems:
        raise ClusterError("the Dask cluster cannot render this portfolio; nothing was rendered", problems)


def _result(future: Any, chunk: list[Job]) -> list[Answer]:
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        names = ", ".join(job.document_id for job in chunk)
        raise ClusterError(
            f"a Dask worker ended while rendering {names} (killed, or out of memory); nothing was written"
        ) from None


__all__ = ["ClusterError", "folders_digest", "render_chunk", "run_on_cluster", "worker_facts"]
