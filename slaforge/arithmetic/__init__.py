"""SLA arithmetic, exact and pure: downtime budgets, business time, credits, measurement periods.

:mod:`downtime` (what a target allows in a window), :mod:`business_time` (prime hours, deadlines),
:mod:`credits` (bands, worked examples, the credit for a measured period), :mod:`periods`
(measurement windows and the service time inside them), :mod:`answers` (``slaforge calc``),
:mod:`measurements` (the outage and ticket CSV files) and :mod:`achievement` (what was achieved,
window by window, and the credits it earns: the report's figures and the offers' exposure).
"""
