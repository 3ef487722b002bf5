"""The agreement spec: models, units, where each value was written, checks, and the loader.

:mod:`models` and :mod:`units` (what a spec may say), :mod:`source` (where each value was written),
:mod:`loader` (a YAML file with positions), :mod:`problems` (validation errors in the user's words),
:mod:`checks` (rules across fields), :mod:`validate` (located data -> a checked Spec), :mod:`paths`
(the dotted-path language), :mod:`merge` (merging located data), :mod:`schema` and :mod:`reference`
(the JSON Schema and the Markdown reference), :mod:`starter` (``slaforge init``),
:mod:`fragments` (files that hold part of a spec and extend others), :mod:`portfolio_file` (the
portfolio file: parties, catalogue, subscriptions, documents).
"""

from slaforge.spec.loader import LoadedSpec, load_spec
from slaforge.spec.models import Spec
from slaforge.spec.source import SourceMap

__all__ = ["LoadedSpec", "SourceMap", "Spec", "load_spec"]
