"""``slaforge init``: a commented starter spec that validates as written.

The spec is the built-in theme's ``starter.yaml.j2``: its comments are words for the person who
fills it in, so they live with the other texts, not here.
"""

from __future__ import annotations

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from slaforge.resources import theme_folders

TEMPLATE = "starter.yaml.j2"
KINDS = ("service", "customer", "corporate")


def starter_spec(kind: str) -> str:
    """The starter spec of an agreement of level ``kind`` (service, customer or corporate)."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader([str(folder) for folder in theme_folders()]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not markup: the values are this module's own words
    )
    return env.get_template(TEMPLATE).render(kind=kind)
