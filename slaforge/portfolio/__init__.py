"""Multi-level portfolios: the commands that work on a whole portfolio.

The portfolio's documents are read, merged and checked below the features
(:mod:`slaforge.spec.portfolio_file`, :mod:`slaforge.spec.fragments`, :mod:`slaforge.layers`);
here :mod:`explain` prints where a value comes from, :mod:`build` renders the whole tree
incrementally (with :mod:`progress` on stderr) and :mod:`index` writes the tree's ``index.html``.
"""
