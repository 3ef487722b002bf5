"""Service level reports: an agreement and measured data -> the service levels achieved.

:mod:`measurements` reads the outage and ticket CSV files, :mod:`achievement` computes what was
achieved window by window, :mod:`report` writes it as a Document (with :mod:`figures`),
:mod:`build` runs ``slaforge report`` top to bottom.
"""
