"""Tiered offers: one offer file -> a draft agreement per tier, a comparison matrix, a negotiation sheet.

:mod:`slaforge.layers.offer` reads the offer file into one checked spec per tier (below the
features, so that a portfolio can read its offers too), :mod:`negotiation` reads the
envelopes, :mod:`ordering` checks that every higher tier is at least as good, :mod:`documents`
builds the matrix and the sheet, :mod:`build` runs ``slaforge offers`` top to bottom.
"""
