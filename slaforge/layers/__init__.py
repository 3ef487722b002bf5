"""Specs made of layers of files, each value remembering the file, line and layer that set it.

A portfolio's documents (:mod:`inherit`: the portfolio and its service catalogue, then corporate ->
customer -> service, one checked Spec per document), the checks across its levels (:mod:`levels`),
what a lower document leaves to the documents above it (:mod:`subordination`), and an offer's
tiers (:mod:`offer`: base -> envelope -> tier, one checked Spec per tier).  Every feature that works
on a portfolio's document or an offer's tier reads it from here.
"""
