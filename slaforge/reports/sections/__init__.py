"""The figures each part of the service level report prints, one module per part.

:mod:`availability` (every commitment: achieved, budget, outages, excluded time, trend),
:mod:`support` (attainment per severity, tickets outside target or filed out of hours),
:mod:`credits` (credits owed, caps, the claim, chronic failure).  Each returns plain values for
the theme's report texts (``text/report/``); :mod:`slaforge.reports.report` puts them together.
"""
