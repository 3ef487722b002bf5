"""SLA arithmetic, exact and pure: downtime budgets, business time, credits, measurement periods.

:mod:`downtime` (what a target allows in a window), :mod:`business_time` (prime hours, deadlines),
:mod:`credits` (bands, worked examples, the credit for a measured period), :mod:`periods`
(measurement windows and the service time inside them), :mod:`answers` (``slaforge calc``),
:mod:`measurements` (the outage and ticket CSV files), :mod:`spans` (union, intersection and
difference of spans of real time) and :mod:`achievement` (what was achieved, window by window: the
report's figures and the offers' exposure), made of :mod:`availability` (each commitment's),
:mod:`attainment` (support, from the tickets) and :mod:`credits_owed` (the credits they earn).
"""
