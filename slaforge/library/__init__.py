"""The clause library: clause files and their discovery, front matter, and the clause markup.

:mod:`clauses` finds and reads the clause files (user folders first, then the built-in ones);
:mod:`markup` parses the Markdown subset their bodies are written in.
"""

from slaforge.library.clauses import ClauseSource, Library, load_library

__all__ = ["ClauseSource", "Library", "load_library"]
