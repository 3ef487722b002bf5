"""Portfolio -> one checked Spec per document, inheriting corporate -> customer -> service.

Each document's spec is merged, as plain data before validation, from layers:

1. the portfolio itself: the provider, the document's customers (all of them for
   the corporate SLA, one for a customer or service SLA) and its services, each
   defined by its catalogue file (level ``corporate``);
2. for a customer SLA, the corporate SLA's fragments; for a service SLA, the
   corporate SLA's and then the customer SLA's (when the portfolio has one);
   items of ``services`` and ``customers`` outside the document's scope are left
   out, and so are the upper document's own ``agreement`` id, title, version and
   history;
3. the document's own fragments, in the order the portfolio lists them.

Merging is :class:`slaforge.spec.merge.Merger`, as for the tiers of an offer: mappings key by
key, lists of items with ``id`` item by item, other lists replaced whole, ``~``
removes.  Every value keeps the :class:`~slaforge.spec.fragments.Origin`
it was written at; a snapshot after each layer gives, for every value, the
chain of values it overrode (:meth:`PortfolioDocument.chain`).  The merged
data then validates as an ordinary Spec and passes every spec check.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from slaforge.errors import InvalidArgument, Problem, Problems, SpecError, in_order, merge_repeats
from slaforge.inputs.files import present, read_text
from slaforge.inputs.yaml import parse_yaml
from slaforge.layers.parties import document_party_problems, registry_problems
from slaforge.library.texts import label
from slaforge.spec.fragments import Fragment, FragmentReader, LayeredSourceMap, Origin, origins
from slaforge.spec.loader import LoadedSpec, read_yaml
from slaforge.spec.merge import Merger
from slaforge.spec.models import Spec
from slaforge.spec.paths import value_at
from slaforge.spec.portfolio_file import (
    SPEC_LEVELS,
    DocumentEntry,
    Kind,
    PortfolioFile,
    is_portfolio_data,
    validate_portfolio_file,
)
from slaforge.spec.source import Loc, SourceMap
from slaforge.spec.validate import check_data

# an OLA or underpinning contract covers every service its provider gives one internal customer
STRUCTURES = {kind: "customer-based" if kind in (Kind.ola, Kind.underpinning) else "multi-level" for kind in Kind}


def structure_of(entry: DocumentEntry) -> str:
    """The ITIL structure of a document: a service SLA without a customer is service-based."""
    if entry.kind == Kind.service and entry.customer is None:
        return "service-based"
    return STRUCTURES[entry.kind]


IDENTITY_KEYS = ("id", "title", "version", "history")  # of `agreement`: every document has its own
Positions = dict[Loc, Any]


def display(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when it is below it."""
    text = os.path.relpath(path)
    return str(path) if text.startswith("..") else text


@dataclass(frozen=True)
class Layer:
    label: str  # e.g. "corporate SLA corporate" or "catalogue: email"
    data: dict[str, Any]  # the merged data after this layer
    positions: Positions


@dataclass
class PortfolioDocument:
    entry: DocumentEntry
    index: int  # in the portfolio's documents list
    loaded: LoadedSpec
    data: dict[str, Any]
    layers: list[Layer]
    above: tuple[str, ...]  # ids of the documents this one sits under, top first
    exceptions: tuple[dict[str, Any], ...]  # agreed exceptions written at this document's own level
    files: tuple[Path, ...]  # every fragment file that feeds it
    removed: dict[tuple[str, ...], Origin] = field(default_factory=dict)  # ``~`` in its own files, by id path

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def kind(self) -> Kind:
        return self.entry.kind

    @property
    def kind_name(self) -> str:
        """How the texts name the document's kind: "Corporate SLA" (the theme's labels)."""
        return label(f"document_kinds.{self.kind.value}")

    @property
    def spec(self) -> Spec:
        return self.loaded.spec

    @property
    def source(self) -> LayeredSourceMap:
        return self.loaded.source  # type: ignore[return-value]

    def chain(self, loc: Loc) -> list[tuple[Any, Origin]]:
        """The values written at ``loc``, oldest first; the last one is in effect."""
        out: list[tuple[Any, Origin]] = []
        for layer in self.layers:
            origin = layer.positions.get(loc)
            if isinstance(origin, Origin) and (not out or out[-1][1] != origin):
                out.append((value_at(layer.data, loc), origin))
        return out


@dataclass
class Portfolio:
    path: Path
    file: PortfolioFile
    source: SourceMap
    documents: dict[str, PortfolioDocument]
    warnings: list[Problem] = field(default_factory=list)

    def above(self, document: PortfolioDocument) -> list[PortfolioDocument]:
        return [self.documents[i] for i in document.above]

    def supporting(self, document: PortfolioDocument) -> list[PortfolioDocument]:
        """The OLAs and underpinning contracts that support a service of ``document``."""
        if document.kind in (Kind.ola, Kind.underpinning):
            return []
        ids = {s.id for s in document.spec.services}
        return [
            d
            for d in self.documents.values()
            if d.kind in (Kind.ola, Kind.underpinning) and ids & set(d.entry.supports)
        ]

    def supported(self, document: PortfolioDocument) -> list[PortfolioDocument]:
        """For an OLA or underpinning contract: the SLAs that cover a service it supports."""
        wanted = set(document.entry.supports)
        return [
            d
            for d in self.documents.values()
            if d.kind not in (Kind.ola, Kind.underpinning) and wanted & {s.id for s in d.spec.services}
        ]


# ------------------------------------------------------------------ reading


def is_portfolio_file(path: Path) -> bool:
    """True when ``path`` is a readable YAML mapping with ``portfolio`` at the top.

    Anything else (no file, not a regular file, too large, not YAML) is not a portfolio: it is read
    again as a spec, which says what is wrong with it.
    """
    try:
        text = read_text(path, what="YAML file", error=SpecError)
        if "portfolio" not in text:
            return False  # a spec, read once as a spec
        data, _ = parse_yaml(text, str(path), error=SpecError)
    except SpecError:
        return False
    return is_portfolio_data(data)


def not_a_portfolio(path: Path) -> InvalidArgument:
    """The error for ``--document`` given with a file that is no portfolio.

    A file that cannot be read as YAML at all (a NUL, an alias bomb, not UTF-8) is no portfolio
    either; what is wrong with it is said first, at its line, rather than calling it a spec.
    """
    read_yaml(path)
    return InvalidArgument(f"{path} is a single spec, not a portfolio: --document does not apply")


def read_portfolio(path: Path | str, strict: bool = False) -> Portfolio:
    """Read a portfolio and every fragment; merge, validate and check each document's spec.

    Raises :class:`SpecError` with every problem found (cross-level checks are
    :func:`slaforge.layers.levels.check_levels`).
    """
    path = Path(path)
    data, raw = read_yaml(path)
    raw.file = display(path)
    file = validate_portfolio_file(data, raw)
    source = origins(raw, "portfolio")
    problems: list[Problem] = registry_problems(
        {"provider": [file.provider], "customers": file.customers, "teams": file.teams, "suppliers": file.suppliers},
        source,
    )
    warnings: list[Problem] = []
    builder = _Builder(path, file, source, problems)
    documents: dict[str, PortfolioDocument] = {}
    for index, entry in enumerate(file.documents):
        built = builder.document(entry, index, documents, warnings, strict)
        if built is not None:
            documents[entry.id] = built
    problems.extend(builder.readers_problems())
    Problems(merge_repeats(problems, "document")).raise_errors()
    return Portfolio(path, file, source, documents, in_order(merge_repeats(warnings, "document")))


class _Builder:
    def __init__(self, path: Path, file: PortfolioFile, source: SourceMap, problems: list[Problem]) -> None:
        self.path = path
        self.base = path.parent
        self.file = file
        self.source = source
        self.problems = problems
        self.readers = {level: FragmentReader(level, display) for level in (*(k.value for k in Kind), "catalogue")}
        self.catalogue = {s.id: (i, s) for i, s in enumerate(file.services)}
        self.entries = {e.id: e for e in file.documents}

    def readers_problems(self) -> list[Problem]:
        return [p for r in self.readers.values() for p in r.problems]

    def fragments(self, entry: DocumentEntry, index: int, level: str) -> list[Fragment]:
        reader = self.readers[level]
        out: list[Fragment] = []
        for i, name in enumerate(entry.spec):
            target = self.base / name
            if not present(target):
                self.problems.append(
                    self.source.problem(
                        ("documents", index, "spec", i) if len(entry.spec) > 1 else ("documents", index, "spec"),
                        f"document {entry.id}: no such file {name!r} (paths are relative to the portfolio file)",
                        given=name,
                        code="missing-fragment",
                    )
                )
                continue
            fragment = reader.read(target)
            if fragment is not None:
                for item in fragment.chain():
                    if item not in out:
                        out.append(item)
        return out

    def catalogue_fragment(self, service_id: str) -> Fragment | None:
        index, service = self.catalogue[service_id]
        target = self.base / service.spec
        if not present(target):
            self.problems.append(
                self.source.problem(
                    ("services", index, "spec"),
                    f"service {service_id}: no such file {service.spec!r} (paths are relative to the portfolio file)",
                    given=service.spec,
                    code="missing-fragment",
                )
            )
            return None
        return self.readers["catalogue"].read(target)

    # -------------------------------------------------------------- scope

    def parents(self, entry: DocumentEntry) -> list[DocumentEntry]:
        corporate = [e for e in self.file.documents if e.kind == Kind.corporate]
        if entry.kind == Kind.customer:
            return corporate[:1]
        if entry.kind == Kind.service and entry.customer is None:
            return corporate[:1]  # service-based: the same terms for every customer, under the corporate SLA
        if entry.kind == Kind.service:
            customer = [e for e in self.file.documents if e.kind == Kind.customer and e.customer == entry.customer]
            return corporate[:1] + customer[:1]
        return []

    def scope(self, entry: DocumentEntry) -> tuple[list[str], list[str]]:
        """(customer ids, catalogue service ids) the document covers."""
        every = [c.id for c in self.file.customers]
        if entry.kind == Kind.corporate:
            return every, list(self.catalogue)
        if entry.kind == Kind.customer:
            taken = {s.service for s in self.file.subscriptions if s.customer == entry.customer}
            return [entry.customer or ""], [s for s in self.catalogue if s in taken]
        if entry.kind == Kind.service and entry.customer is None:
            takers = {s.customer for s in self.file.subscriptions if s.service == entry.service}
            return [c for c in every if c in takers], [entry.service or ""]
        if entry.kind == Kind.service:
            return [entry.customer or ""], [entry.service or ""]
        return [], []

    # -------------------------------------------------------------- merging

    def document(
        self,
        entry: DocumentEntry,
        index: int,
        done: dict[str, PortfolioDocument],
        warnings: list[Problem],
        strict: bool,
    ) -> PortfolioDocument | None:
        positions: Positions = {}
        layers: list[Layer] = []
        level = entry.kind.value
        customers, services = self.scope(entry)
        merger = Merger(self.source, positions, self.problems)
        data: dict[str, Any] = {}
        data["level"] = merger.take(SPEC_LEVELS[entry.kind], ("documents", index, "kind"), ("level",))
        data["structure"] = merger.take(structure_of(entry), ("documents", index, "kind"), ("structure",))
        data["provider"], data["customers"] = self._parties(entry, index, customers, merger)
        files: list[Path] = [self.path]
        if services:
            data["services"] = []
        for service_id in services:
            position = len(data["services"])
            index_in_catalogue, _ = self.catalogue[service_id]
            data["services"].append({"id": service_id})
            for loc in (("services", position), ("services", position, "id")):
                positions[loc] = self.source.positions.get(("services", index_in_catalogue, "id"))
            fragment = self.catalogue_fragment(service_id)
            if fragment is None:
                continue
            for item in fragment.chain():
                files.append(item.path)
                catalogue_source = SourceMap(
                    item.source.file,
                    {
                        loc: Origin(o[0], o[1], o.file, "corporate")
                        for loc, o in item.source.positions.items()
                        if isinstance(o, Origin)
                    },
                )
                body = {k: v for k, v in item.data.items() if k != "id"}
                item_merger = Merger(catalogue_source, positions, self.problems)
                data["services"][position] = item_merger.merge(
                    data["services"][position], body, (), ("services", position)
                )
        layers.append(Layer("portfolio and service catalogue", copy.deepcopy(data), dict(positions)))
        above: list[str] = []
        for parent in self.parents(entry):
            above.append(parent.id)
            parent_index = next(i for i, e in enumerate(self.file.documents) if e is parent)
            for fragment in self.fragments(parent, parent_index, parent.kind.value):
                files.append(fragment.path)
                body, fragment_source = _inherited(fragment, customers, services)
                data = Merger(fragment_source, positions, self.problems).merge(data, body, (), ())
                layers.append(Layer(f"{parent.kind.value}: {display(fragment.path)}", data, dict(positions)))
        own = self.fragments(entry, index, level)
        exceptions: list[dict[str, Any]] = []
        removed: dict[tuple[str, ...], Origin] = {}
        for fragment in own:
            files.append(fragment.path)
            data = Merger(fragment.source, positions, self.problems).merge(data, fragment.data, (), ())
            layers.append(Layer(f"{level}: {display(fragment.path)}", data, dict(positions)))
            exceptions.extend(fragment.exceptions)
            removed.update(_removals(fragment.data, fragment.source, (), ()))
        if not own:
            return None
        # the document's kind decides its level, whatever a fragment says
        data["level"], data["structure"] = SPEC_LEVELS[entry.kind], structure_of(entry)
        for key in ("level", "structure"):
            positions[(key,)] = self.source.positions.get(("documents", index, "kind"))
        missing = [k for k in IDENTITY_KEYS[:3] if k not in (own_agreement := _own_agreement(own))]
        if missing:
            self.problems.append(
                self.source.problem(
                    ("documents", index, "spec"),
                    f"document {entry.id}: its own spec files do not set agreement.{', agreement.'.join(missing)}; "
                    "every document has its own id, title and version (they are not inherited)",
                    given=", ".join(display(f.path) for f in own),
                    expected="agreement: {id: ..., title: ..., version: ...} in one of them",
                    code="missing-identity",
                )
            )
            return None
        del own_agreement
        main = own[-1].path if entry.spec else self.path
        layered = LayeredSourceMap(display(main), positions)
        # the parties are the registry's, in every document
        registry = layers[0]
        parties = document_party_problems(registry.data, registry.positions, data, layered, entry.id)
        if parties:
            self.problems.extend(parties)
            return None
        checked = check_data(data, layered, self.base, strict)
        self.problems.extend(_in_document(p, entry) for p in checked.errors)
        warnings.extend(_in_document(p, entry) for p in checked.warnings)
        if checked.spec is None:
            return None
        loaded = LoadedSpec(spec=checked.spec, path=main, source=layered, warnings=())
        return PortfolioDocument(
            entry, index, loaded, data, layers, tuple(above), tuple(exceptions), tuple(dict.fromkeys(files)), removed
        )

    def _parties(
        self, entry: DocumentEntry, index: int, customers: list[str], merger: Merger
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        file = self.file
        provider_src: Loc = ("provider",)
        provider = file.provider.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        parties = {c.id: (("customers", i), c) for i, c in enumerate(file.customers)}
        teams = {t.id: (("teams", i), t) for i, t in enumerate(file.teams)}
        suppliers = {s.id: (("suppliers", i), s) for i, s in enumerate(file.suppliers)}
        chosen: list[tuple[Loc, Any]] = []
        if entry.kind == Kind.ola:
            provider_src, party = teams[entry.provider or ""]
            provider = party.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            chosen = [teams[entry.customer or ""]]
        elif entry.kind == Kind.underpinning:
            provider_src, party = suppliers[entry.supplier or ""]
            provider = party.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            chosen = [(("provider",), file.provider)]
        else:
            chosen = [parties[c] for c in customers]
        taken = merger.take(provider, provider_src, ("provider",))
        listed = []
        for i, (loc, party) in enumerate(chosen):
            value = party.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            listed.append(merger.take(value, loc, ("customers", i)))
        return taken, listed


def _removals(value: Any, source: SourceMap, loc: Loc, path: tuple[str, ...]) -> dict[tuple[str, ...], Origin]:
    """Where a fragment removes a value with ``~``, by path with list items named by id."""
    out: dict[tuple[str, ...], Origin] = {}
    if value is None and isinstance(source.positions.get(loc), Origin):
        out[path] = source.positions[loc]
    elif isinstance(value, dict):
        for key, item in value.items():
            out.update(_removals(item, source, (*loc, key), (*path, str(key))))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            name = str(item["id"]) if isinstance(item, dict) and "id" in item else str(i)
            out.update(_removals(item, source, (*loc, i), (*path, name)))
    return out


def _own_agreement(own: list[Fragment]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for fragment in own:
        agreement = fragment.data.get("agreement")
        if isinstance(agreement, dict):
            merged.update({k: v for k, v in agreement.items() if v is not None})
    return merged


def _inherited(fragment: Fragment, customers: list[str], services: list[str]) -> tuple[dict[str, Any], SourceMap]:
    """An upper document's fragment as a lower one inherits it: its own identity and out-of-scope items left out."""
    data = dict(fragment.data)
    moves: dict[Loc, Loc] = {}
    agreement = data.get("agreement")
    if isinstance(agreement, dict):
        data["agreement"] = {k: v for k, v in agreement.items() if k not in IDENTITY_KEYS}
    for key, keep in (("services", services), ("customers", customers)):
        items = data.get(key)
        if isinstance(items, list):
            kept = []
            for i, item in enumerate(items):
                if isinstance(item, dict) and item.get("id") not in keep:
                    continue
                moves[(key, i)] = (key, len(kept))
                kept.append(item)
            data[key] = kept
    if not moves:
        return data, fragment.source
    positions: Positions = {}
    for loc, origin in fragment.source.positions.items():
        if len(loc) >= 2 and loc[0] in ("services", "customers") and isinstance(loc[1], int):
            target = moves.get(loc[:2])
            if target is None:
                continue
            loc = (*target, *loc[2:])
        positions[loc] = origin
    return data, SourceMap(fragment.source.file, positions)


# ------------------------------------------------------------------ problems


def _in_document(problem: Problem, entry: DocumentEntry) -> Problem:
    return replace(problem, message=f"document {entry.id}: {problem.message}")
