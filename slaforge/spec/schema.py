"""The JSON Schema of the spec, for editors (YAML language servers) and other tools."""

from __future__ import annotations

from typing import Any

from slaforge import __version__
from slaforge.spec.models import Spec


def spec_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://slaforge.invalid/schema/spec-{__version__}.json",
        "title": "slaforge agreement spec",
        "description": "A service level agreement described once, as data; see the README's spec reference.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }
