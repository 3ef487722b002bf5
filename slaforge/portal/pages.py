"""The portal's pages: the theme's ``portal/*.html.j2`` templates, rendered in its sandboxed environment.

The environment autoescapes, so every value from a spec or the measured data reaches the page as
text; the only markup handed in is the chart's SVG, which :mod:`slaforge.renderers.chart` builds
from escaped text.  The stylesheet is the theme's ``portal/portal.css``, shipped in the site: the
pages fetch nothing from anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slaforge.renderers.theme import Theme


@dataclass(frozen=True)
class Pages:
    theme: Theme

    @classmethod
    def load(cls, theme_dir: Path | None = None) -> Pages:
        return cls(Theme.load(theme_dir))

    def render(self, template: str, context: dict[str, Any]) -> bytes:
        return self.theme.render(template, context).encode()

    def stylesheet(self) -> bytes:
        return self.theme.read_bytes(self.theme.find("portal/portal.css"))
