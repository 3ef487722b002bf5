"""The customer portal: a static site per customer of agreements, achieved service levels and credits owed.

The one room above the features: it publishes what they make (the portfolio's documents, the
reports of measured data) and adds no arithmetic of its own.  :mod:`measured` finds each
document's data, :mod:`views` turns documents and figures into what the pages show, :mod:`pages`
renders the theme's ``portal/`` templates, :mod:`build` lays out and writes the site and
:mod:`serve` previews it on localhost.
"""
