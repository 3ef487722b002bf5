"""``slaforge init``: commented starter files that validate as written.

A spec of each level, a portfolio (with the fragment files it names), a fragment and a tiered offer.
The texts are the built-in theme's ``starter.yaml.j2`` and ``starters/``: their comments are words for
the person who fills them in, so they live with the other texts, not here.  Each starter names its
JSON Schema on a ``yaml-language-server`` modeline, and the schema is written beside it (in ``schemas/``),
so an editor checks and completes the file from the first keystroke.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from slaforge.resources import theme_folders

TEMPLATE = "starter.yaml.j2"
SPEC_KINDS = ("service", "customer", "corporate")
KINDS = (*SPEC_KINDS, "portfolio", "fragment", "offer")
SCHEMAS = "schemas"
# the files of the starter portfolio beside the portfolio file: template, schema kind
PORTFOLIO_FILES = {
    "corporate.yaml": (TEMPLATE, "fragment"),
    "services/app.yaml": ("starters/service.yaml.j2", "service-fragment"),
    "customers/customer.yaml": ("starters/fragment.yaml.j2", "fragment"),
}


def _environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        loader=FileSystemLoader([str(folder) for folder in theme_folders()]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not markup: the values are this module's own words
    )


def starter_spec(kind: str, schema: str | None = None) -> str:
    """The starter spec of an agreement of level ``kind`` (service, customer or corporate); ``schema`` is the
    path its modeline gives for the spec schema (none without it)."""
    return _environment().get_template(TEMPLATE).render(kind=kind, schema=schema, in_portfolio=False)


def _schema_path(file: PurePath, root: PurePath, schema_kind: str) -> str:
    """The path from ``file`` to the schema of ``schema_kind`` in ``root``/schemas, as a modeline writes it."""
    target = root / SCHEMAS / f"{schema_kind}.schema.json"
    return PurePath(os.path.relpath(target, file.parent)).as_posix()


def starter_files(kind: str, path: Path) -> dict[Path, str]:
    """Every file ``slaforge init --kind KIND PATH`` writes, with its text: the starter at ``path`` (for a
    portfolio, also the fragments it names, beside it) and the JSON Schemas their modelines name."""
    from slaforge.spec.schema import text as schema_text

    env = _environment()
    root = path.parent
    files: dict[Path, str] = {}
    schema_kinds: set[str] = set()

    def add(file: Path, template: str, schema_kind: str, **context: object) -> None:
        schema_kinds.add(schema_kind)
        files[file] = env.get_template(template).render(schema=_schema_path(file, root, schema_kind), **context)

    if kind in SPEC_KINDS:
        add(path, TEMPLATE, "spec", kind=kind, in_portfolio=False)
    elif kind == "portfolio":
        add(path, "starters/portfolio.yaml.j2", "portfolio")
        for name, (template, schema_kind) in PORTFOLIO_FILES.items():
            add(root / name, template, schema_kind, kind="corporate", in_portfolio=True)
    elif kind == "fragment":
        add(path, "starters/fragment.yaml.j2", "fragment")
    elif kind == "offer":
        add(path, "starters/offer.yaml.j2", "offer", base=starter_spec("service"))
    else:
        raise ValueError(f"unknown starter kind {kind!r}")
    for schema_kind in sorted(schema_kinds):
        files[root / SCHEMAS / f"{schema_kind}.schema.json"] = schema_text(schema_kind)
    return files
