"""The agreement spec: models, units, the position-keeping loader and semantic checks."""

from slaforge.spec.loader import LoadedSpec, SourceMap, load_spec
from slaforge.spec.models import Spec

__all__ = ["LoadedSpec", "SourceMap", "Spec", "load_spec"]
