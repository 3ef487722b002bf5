"""Multi-level portfolios: one file naming the parties, services and documents of a provider.

:mod:`model` reads the portfolio file, :mod:`fragments` the spec fragments it points at
(with ``extends:`` chains), :mod:`inherit` merges corporate -> customer -> service into one
checked Spec per document with the provenance of every value, :mod:`levels` checks the
levels against each other, :mod:`subordination` decides what a lower document leaves to the
documents above it, :mod:`explain` prints where a value comes from, :mod:`build`
renders the whole tree incrementally (with :mod:`progress` on stderr) and :mod:`index`
writes the tree's ``index.html``.
"""
