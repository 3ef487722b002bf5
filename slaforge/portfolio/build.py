"""``slaforge build PORTFOLIO``: every document of a portfolio, incrementally and in parallel.

1. Read the portfolio, merge and check every document (:mod:`inherit`), check
   the levels against each other (:mod:`levels`) — every problem at once,
   nothing written when there is one.
2. Plan each document (:mod:`subordination`) and compute its key: a hash of
   everything that feeds its bytes (the merged spec, its place in the
   portfolio, the clause files it uses and every clause that defines a term,
   the theme's files, the logo, the formats and PDF variant, the timestamp and
   slaforge's version).
3. A document whose key and output files match its manifest in
   ``OUT/.slaforge-cache/`` is up to date; every other one is composed and
   rendered, in ``jobs`` worker processes (results are collected in document
   order, so the bytes never depend on ``jobs``).
4. Write every output, every manifest and ``index.html`` at once, all or none
   (:func:`slaforge.writers.write_all`); then remove the files of earlier
   versions, only those the cache wrote and that are unchanged since.

Tree: ``corporate/``, ``customers/<customer>/``, ``services/<service>/``
(service SLAs), ``ola/``, ``underpinning/``, and ``index.html``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from slaforge import __version__
from slaforge.build import BuildOptions
from slaforge.document import Document
from slaforge.errors import ClauseError, InputError, Problem, Problems, SlaforgeError, as_errors
from slaforge.inputs.files import file_digest, is_inside, read_text
from slaforge.inputs.limits import MANIFEST_BYTES
from slaforge.layers.documents import document_clause_dirs
from slaforge.layers.inherit import Portfolio, PortfolioDocument, read_portfolio
from slaforge.layers.levels import LevelReport, check_levels
from slaforge.layers.subordination import Plan, plan_documents
from slaforge.library.clauses import Library, load_library
from slaforge.library.texts import texts_for
from slaforge.portfolio.issued import ISSUED, REGISTER, Archive, Issue
from slaforge.spec.portfolio_file import Kind
from slaforge.writers import is_plain_name, own_file, render_formats, write_all

CACHE = ".slaforge-cache"


@dataclass(frozen=True)
class PortfolioOptions(BuildOptions):
    """A build's options, and how a portfolio is built: documents in full, in how many processes."""

    standalone: bool = False
    jobs: int = 1
    prune: bool = False  # move the files of documents no longer in the portfolio to issued/
    scheduler: str | None = None  # a Dask scheduler's address: render on that cluster (portfolio/cluster.py)


@dataclass
class PortfolioResult:
    path: Path
    rendered: list[str] = field(default_factory=list)  # document ids, in portfolio order
    up_to_date: list[str] = field(default_factory=list)
    # rendered again (an input changed) to the very bytes already written: nothing in them changed
    unchanged: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    index: Path | None = None
    warnings: list[Problem] = field(default_factory=list)
    # earlier versions moved to issued/ (document id, version), and documents no longer in the portfolio
    archived: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)


# progress(event, done, total, document): event is "up to date", "rendered" or "failed"
Progress = Callable[[str, int, int, PortfolioDocument], None]


def folder_of(document: PortfolioDocument) -> Path:
    entry = document.entry
    if entry.kind == Kind.corporate:
        return Path("corporate")
    if entry.kind == Kind.customer:
        return Path("customers") / str(entry.customer)
    if entry.kind == Kind.service:
        return Path("services") / str(entry.service)
    return Path("ola" if entry.kind == Kind.ola else "underpinning")


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to compose and render one document (picklable)."""

    document_id: str
    kind: str
    plan: Plan
    clause_dirs: tuple[Path, ...]
    theme_dir: Path | None
    formats: tuple[str, ...]
    pdf_variant: str
    pdf_engine: str


def check_portfolio(path: Path, options: PortfolioOptions) -> tuple[Portfolio, LevelReport]:
    """Read and check a portfolio; :class:`SpecError` with every problem (warnings too with ``strict``)."""
    portfolio = read_portfolio(path, strict=options.strict)
    report = check_levels(portfolio)
    Problems([*report.errors, *(as_errors(report.warnings) if options.strict else ())]).raise_errors()
    return portfolio, report


def plans_for(portfolio: Portfolio, report: LevelReport, options: PortfolioOptions) -> dict[str, Plan]:
    libraries: dict[tuple[Path, ...], Library] = {}

    def library(document: PortfolioDocument) -> Library:
        dirs = clause_dirs(document, options)
        if dirs not in libraries:
            libraries[dirs] = load_library(list(dirs))
        return libraries[dirs]

    return plan_documents(portfolio, report, library, options.standalone)


def clause_dirs(document: PortfolioDocument, options: PortfolioOptions) -> tuple[Path, ...]:
    """The command line's clause folders, then the spec's, each relative to the file that names it."""
    return document_clause_dirs(document, options.clause_dirs)


def stem_of(out: Path, document: PortfolioDocument) -> Path:
    """Where a document's files go, without the format's suffix: OUT/<folder>/<id>-v<version>."""
    agreement = document.spec.agreement
    return out / folder_of(document) / f"{agreement.id}-v{agreement.version}"


def check_outputs(portfolio: Portfolio, out: Path) -> None:
    """Refuse two documents that would write the same files (the same agreement id and version in one folder)."""
    seen: dict[Path, PortfolioDocument] = {}
    problems: list[Problem] = []
    for document in portfolio.documents.values():
        stem = stem_of(out, document)
        first = seen.setdefault(stem, document)
        if first is document:
            continue
        problems.append(
            document.source.problem(
                ("agreement", "id"),
                f"documents {first.id} and {document.id} would both be written to {stem.relative_to(out)}.*, "
                "one over the other",
                given=f"{document.spec.agreement.id} version {document.spec.agreement.version}",
                expected="an agreement id and version of its own for each document",
                code="duplicate-output",
            )
        )
    Problems(problems).raise_errors()


def build_portfolio(path: Path, options: PortfolioOptions, progress: Progress | None = None) -> PortfolioResult:
    portfolio, report = check_portfolio(path, options)
    check_outputs(portfolio, options.out_dir)
    plans = plans_for(portfolio, report, options)
    result = PortfolioResult(path=path, warnings=[*portfolio.warnings, *report.warnings])
    out = options.out_dir
    jobs: list[Job] = []
    keys: dict[str, str] = {}
    themes = theme_digest(options.theme_dir)
    total = len(portfolio.documents)
    done = 0
    for document in portfolio.documents.values():
        plan = plans[document.id]
        dirs = clause_dirs(document, options)
        keys[document.id] = document_key(document, plan, dirs, themes, options)
        if _up_to_date(out, document, keys[document.id]):
            result.up_to_date.append(document.id)
            done += 1
            if progress:
                progress("up to date", done, total, document)
            continue
        jobs.append(
            Job(
                document.id,
                document.kind.value,
                plan,
                dirs,
                options.theme_dir,
                options.formats,
                options.pdf_variant,
                options.pdf_engine,
            )
        )
    finished = []
    for job, answer in _run(jobs, options.jobs, options.scheduler):
        finished.append((job, answer))
        done += 1
        if progress:
            progress(
                "rendered" if isinstance(answer, tuple) else "failed", done, total, portfolio.documents[job.document_id]
            )
    # nothing is written unless every document composed and rendered
    Problems([p for _, answer in finished if isinstance(answer, list) for p in answer]).raise_errors(
        ClauseError, "building the portfolio"
    )
    files: dict[Path, bytes] = {}
    manifests: dict[Path, bytes] = {}
    archive = Archive(out)
    kept_versions: list[Problem] = []
    for job, (content, rendered) in finished:
        document = portfolio.documents[job.document_id]
        agreement = document.spec.agreement
        stem = stem_of(out, document)
        written: dict[str, str] = {}
        for fmt, data in rendered.items():
            target = stem.with_name(f"{stem.name}.{fmt}")
            files[target] = data
            written[str(target.relative_to(out))] = hashlib.sha256(data).hexdigest()
        last = _read_manifest(out, document)
        if last.content not in (None, content) and last.version == agreement.version:
            kept_versions.append(_kept_version(document))
        reissued = archive.reissued(document.id, agreement.id, agreement.version, content)
        if reissued is not None:
            archive.problems.append(reissued)
        path, manifest, earlier = _manifest(out, document, keys[document.id], written, content)
        manifests[path] = manifest
        if earlier is not None and archive.keep(earlier):  # the version this one replaces goes to the archive
            result.archived.append((document.id, earlier.version))
        same = all(last.outputs.get(name) == sha and _is_own_file(out, name) for name, sha in written.items())
        if same and last.content == content:
            result.unchanged.append(document.id)
            for name in written:  # the very bytes are there already
                files.pop(out / name)
        else:
            result.rendered.append(document.id)
    # every file a document of the portfolio tracks now: never archived as a removed document's
    tracked = {name for d in result.up_to_date for name in _read_manifest(out, portfolio.documents[d]).outputs}
    tracked.update(name for data in manifests.values() for name in json.loads(data)["outputs"])
    for document_id, last in _removed(out, portfolio, tracked):
        if options.prune:
            archive.keep(last)
            manifests[_manifest_path(out, document_id)] = b""  # marks it for removal below
            result.pruned.append(document_id)
        else:
            result.removed.append(document_id)
            result.warnings.append(_removed_warning(out, last))
    # a document that says something new under the number it was issued with
    Problems(as_errors(kept_versions) if options.strict else []).raise_errors()
    # an issued version is never overwritten with other bytes
    Problems(archive.problems).raise_errors()
    result.warnings.extend(kept_versions)
    from slaforge.portfolio.index import index_html

    files.update(archive.files)
    register = archive.register_bytes()
    if register is not None:
        files[out / ISSUED / REGISTER] = register
    gone = [path for path, data in manifests.items() if not data]
    for path in gone:
        del manifests[path]
    result.index = out / "index.html"
    manifests[result.index] = index_html(
        portfolio, {d: folder_of(portfolio.documents[d]) for d in plans}, options, archive
    )
    write_all({**files, **manifests})  # every document, manifest and the index, or none of them
    result.outputs = list(files)
    for name in archive.remove:  # its copy is in issued/ now
        name.unlink(missing_ok=True)
    for path in gone:
        path.unlink(missing_ok=True)
    return result


def _removed(out: Path, portfolio: Portfolio, tracked: set[str]) -> list[tuple[str, Issue]]:
    """(document id, its last build) of each document built into ``out`` that the portfolio no longer has
    (only its files that no current document tracks)."""
    cache = out / CACHE
    if cache.is_symlink() or not cache.is_dir():
        return []
    found = []
    for path in sorted(cache.glob("*.json")):
        document_id = path.stem
        if document_id in portfolio.documents:
            continue
        last = _read_manifest_file(path)
        outputs = {n: sha for n, sha in last.outputs.items() if n not in tracked and _is_own_file(out, n)}
        if not outputs:
            continue
        agreement = last.agreement or Path(next(iter(outputs))).stem.rpartition("-v")[0]
        version = last.version or Path(next(iter(outputs))).stem.rpartition("-v")[2]
        found.append((document_id, Issue(document_id, agreement, version, outputs, last.content)))
    return found


def _removed_warning(out: Path, last: Issue) -> Problem:
    names = ", ".join(str(out / name) for name in sorted(last.outputs))
    return Problem(
        f"document {last.document} ({last.agreement} v{last.version}) is no longer in the portfolio; its files "
        f"stay where they are: {names} (build with --prune to move them to {out / ISSUED})",
        code="document-removed",
        severity="warning",
    )


def chunk_size(jobs: int, workers: int) -> int:
    """Documents per task: fewer round trips when documents are quick to render, eight tasks a worker."""
    return max(1, jobs // (workers * 8))


# Set when a build ended its workers mid-document.  A worker ended while it wrote a result can leave
# the pool's result pipe half written, and the pool's manager thread, which the interpreter joins at
# exit, then waits for the rest forever: the command-line entry point leaves without that join.
POOL_ABANDONED = threading.Event()


def _run(jobs: list[Job], workers: int, scheduler: str | None = None) -> Any:
    if scheduler is not None and jobs:
        from slaforge.portfolio.cluster import run_on_cluster

        yield from run_on_cluster(jobs, scheduler, render_job, chunk_size)
        return
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job, render_job(job)
        return
    workers = min(workers, len(jobs))
    chunk = chunk_size(len(jobs), workers)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=worker_started, initargs=(os.getpid(),))
    try:
        yield from zip(jobs, pool.map(render_job, jobs, chunksize=chunk), strict=True)
    except BaseException:  # Ctrl-C, a worker that died, a fault: stop the others now, not after their documents
        # the pool starts workers on demand, so one may be starting and not yet in its table: end every child
        for process in {*getattr(pool, "_processes", {}).values(), *multiprocessing.active_children()}:
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        POOL_ABANDONED.set()
        raise
    pool.shutdown()


def worker_started(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and end as soon as the parent is gone (killed, or crashed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="slaforge-parent-watch", daemon=True).start()


# ------------------------------------------------------------------ one document (runs in a worker)

_LIBRARIES: dict[tuple[Path, ...], Library] = {}


def render_job(job: Job) -> tuple[str, dict[str, bytes]] | list[Problem]:
    """(the digest of the document's content, its bytes per format), or the problems that stopped it
    (tagged with the document)."""
    try:
        return _render(job)
    except SlaforgeError as error:
        problems = error.problems or [Problem(error.message)]
        return [replace(p, message=f"document {job.document_id}: {p.message}") for p in problems]


def _render(job: Job) -> tuple[str, dict[str, bytes]]:
    from slaforge.compose import compose

    library = _LIBRARIES.get(job.clause_dirs)
    if library is None:
        library = _LIBRARIES[job.clause_dirs] = load_library(list(job.clause_dirs))
    texts = texts_for(job.theme_dir)
    document = compose(job.plan.agreement, library, omit=job.plan.omit, external=job.plan.external, texts=texts)
    if Kind(job.kind) in (Kind.ola, Kind.underpinning):  # their own subtitle, from the theme's labels
        subtitle = texts.label(f"kind_subtitles.{job.kind}")
        meta = document.meta
        names = " and ".join(p.name for p in meta.parties)
        document = replace(
            document,
            meta=replace(meta, subtitle=subtitle, subject=f"{subtitle} between {names}", keywords=(subtitle.lower(),)),
        )
    return content_digest(document), render_formats(
        document, job.formats, job.theme_dir, job.pdf_variant, job.pdf_engine
    )


def content_digest(document: Document) -> str:
    """A hash of what the document says: every word of its text and of its cover, in every format.

    The build's date, the logo's path and the brand colour are not content: a document whose
    digest is unchanged says exactly what it said, whatever its files look like."""
    from dataclasses import asdict

    meta = replace(document.meta, timestamp=0, logo=None, brand_colour=None)
    text = json.dumps(asdict(replace(document, meta=meta)), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------------ keys and manifests


def document_key(
    document: PortfolioDocument, plan: Plan, dirs: tuple[Path, ...], themes: str, options: PortfolioOptions
) -> str:
    """A hash of everything that feeds the document's bytes."""
    digest = hashlib.sha256()

    def add(label: str, value: str | bytes) -> None:
        data = value.encode() if isinstance(value, str) else value
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    add("slaforge", __version__)
    add("kind", document.kind.value)
    add("spec", document.spec.model_dump_json())
    add("portfolio", json.dumps(plan.agreement.portfolio, sort_keys=True, default=str))
    add("omit", ",".join(sorted(plan.omit)))
    add("external", json.dumps(plan.external, sort_keys=True))  # "clause 6.1 of the Corporate SLA ..."
    add("timestamp", str(plan.agreement.timestamp))
    add("formats", ",".join(options.formats))
    add("pdf", options.pdf_variant)
    if "pdf" in options.formats:  # another engine, other PDF bytes: the documents are rendered again
        add("pdf engine", options.pdf_engine)
    add("theme", themes)
    library = _LIBRARIES.get(dirs) or load_library(list(dirs))
    _LIBRARIES.setdefault(dirs, library)
    for clause in library.ordered():
        if clause.id in plan.clauses or clause.meta.defines:
            add(f"clause {clause.id}", _digest_of(clause.path))
    for folder in library.folders:
        categories = Path(folder) / "categories.yaml"
        if categories.is_file():
            add(f"categories {folder}", _digest_of(categories))
    logo = document.spec.agreement.branding.logo
    if logo:
        origin = document.source.origin(("agreement", "branding", "logo"))
        target = (Path(origin.file).parent if origin else document.loaded.path.parent) / logo
        add("logo", _digest_of(target))
    return digest.hexdigest()


def _digest_of(path: Path) -> bytes:
    """What a file holds, for a cache key: its SHA-256, read in chunks (a regular file only; else "missing")."""
    return (file_digest(path, follow_links=True) or "missing").encode()


def theme_digest(theme_dir: Path | None) -> str:
    from slaforge.renderers.theme import Theme

    digest = hashlib.sha256()
    for folder in Theme.load(theme_dir).folders:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(file.relative_to(folder)).encode())
            if is_inside(file, folder):
                digest.update(_digest_of(file))
            else:  # a link that leads outside the theme: never read (the theme refuses it when it is used)
                digest.update(b"outside " + os.fsencode(os.readlink(file) if file.is_symlink() else file))
    return digest.hexdigest()


def _manifest_path(out: Path, document: PortfolioDocument | str) -> Path:
    name = document if isinstance(document, str) else document.id
    return out / CACHE / f"{name}.json"


@dataclass(frozen=True)
class Manifest:
    """What the last build of a document wrote: its key, its files, its version and its content digest."""

    key: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    content: str | None = None
    agreement: str | None = None


def _read_manifest(out: Path, document: PortfolioDocument) -> Manifest:
    """The document's last build; an empty record for a missing, unreadable or foreign manifest."""
    return _read_manifest_file(_manifest_path(out, document))


def _read_manifest_file(path: Path) -> Manifest:
    """A manifest as :func:`_read_manifest` reads it.

    The manifest is read through :mod:`slaforge.inputs` (a regular file of bounded size; a folder, a
    FIFO, a link or JSON nested thousands deep is no manifest).  Output names are kept only when they
    are plain relative paths inside the output folder, so a tampered manifest can never make the
    build read, move or delete a file elsewhere.
    """
    if path.is_symlink():
        return Manifest()
    try:
        manifest = json.loads(read_text(path, limit=MANIFEST_BYTES, what="cache manifest"))
    except (InputError, ValueError, RecursionError):
        return Manifest()
    if not isinstance(manifest, dict):
        return Manifest()
    outputs = manifest.get("outputs")
    safe = {
        name: sha
        for name, sha in (outputs.items() if isinstance(outputs, dict) else ())
        if isinstance(name, str) and isinstance(sha, str) and is_plain_name(name)
    }

    def text(key: str) -> str | None:
        value = manifest.get(key)
        return value if isinstance(value, str) else None

    return Manifest(text("key"), safe, text("version"), text("content"), text("agreement"))


def _is_own_file(out: Path, name: str) -> bool:
    target = own_file(out, name)
    return target is not None and target.is_file()


def _up_to_date(out: Path, document: PortfolioDocument, key: str) -> bool:
    last = _read_manifest(out, document)
    if last.key != key or not last.outputs:
        return False
    for name, sha in last.outputs.items():
        target = own_file(out, name)
        if target is None or file_digest(target) != sha:
            return False
    return True


def _manifest(
    out: Path, document: PortfolioDocument, key: str, outputs: dict[str, str], content: str
) -> tuple[Path, bytes, Issue | None]:
    """The document's new manifest (where, what) and the earlier version whose files it no longer
    tracks (they go to the archive), if any."""
    path = _manifest_path(out, document)
    last = _read_manifest(out, document)
    current = {Path(name).with_suffix("") for name in outputs}
    # this version's files in formats not built now stay, and stay tracked, so that a later version
    # archives them with the rest
    kept: dict[str, str] = {}
    earlier: dict[str, str] = {}
    for name, sha in last.outputs.items():
        if Path(name).with_suffix("") not in current:
            earlier[name] = sha
        elif name not in outputs and (own := own_file(out, name)) is not None and file_digest(own) == sha:
            kept[name] = sha
    agreement = document.spec.agreement
    replaced = None
    if earlier:
        old_agreement, _, old_version = Path(next(iter(earlier))).stem.rpartition("-v")
        replaced = Issue(
            document.id, last.agreement or old_agreement, last.version or old_version, earlier, last.content
        )
    manifest = {
        "document": document.id,
        "agreement": agreement.id,
        "key": key,
        "version": document.spec.agreement.version,
        "content": content,
        "outputs": dict(sorted({**kept, **outputs}.items())),
    }
    return path, (json.dumps(manifest, indent=2) + "\n").encode(), replaced


def _kept_version(document: PortfolioDocument) -> Problem:
    agreement = document.spec.agreement
    return replace(
        document.source.problem(
            ("agreement", "version"),
            f"document {document.id}: {agreement.id} v{agreement.version} changed but keeps version "
            f"{agreement.version}: give it a new version and a history entry",
            given=agreement.version,
            expected="a version after " + agreement.version,
            code="version-kept",
        ),
        severity="warning",
    )
