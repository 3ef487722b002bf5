"""Version comparison: two versions of an agreement -> one change tree, as a change list or a redline.

:mod:`versions` reads each side (a file or a git revision), :mod:`values` compares the specs value
by value, :mod:`clauses` the documents clause by clause, :mod:`words` the words inside a clause,
:mod:`comparison` ties them together, :mod:`change_list` writes text, Markdown and JSON,
:mod:`redline` the marked document, :mod:`build` runs ``slaforge diff`` top to bottom.
"""
