"""Comparable terms of an agreement and which way is better for the customer.

:mod:`comparable` lists the terms a customer weighs (availability, hours, targets, credits, caps,
wording, price); :mod:`ordering` says which of two values of a term is better.  Offers order
their tiers with them, portfolios their levels, and version comparison the changes it lists.
"""
