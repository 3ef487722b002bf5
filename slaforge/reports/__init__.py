"""Service level reports: an agreement and measured data -> the service levels achieved.

The measured data (:mod:`slaforge.arithmetic.measurements`) and what was achieved window by window
(:mod:`slaforge.arithmetic.achievement`) live below the features, which share them (the offers'
credit exposure reads them too); :mod:`report` writes it as a Document (with :mod:`figures` and a module per
part of the report in :mod:`sections`),
:mod:`build` runs ``slaforge report`` top to bottom.
"""
