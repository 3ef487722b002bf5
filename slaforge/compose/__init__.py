"""Agreement -> Document: the spec resolved into clause values, the clause library rendered and numbered.

:mod:`resolve` (Spec -> Agreement and the view clauses read), :mod:`environment` (the sandboxed
Jinja environment), :mod:`assembly` (choosing, rendering and numbering the clauses), :mod:`meta`
(the document's particulars), :mod:`lint` (``slaforge clauses check``).
"""

from slaforge.compose.assembly import compose

__all__ = ["compose"]
