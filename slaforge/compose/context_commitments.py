"""The values clauses read for commitments: each commitment's view, with what is computed from it.

Every service view gets ``commitments`` (its own, in the order written) and the context gets
``commitments``: every commitment of the agreement, services in order.  A commitment's view holds
its fields (as the spec's paths name them, for error messages) and:

- ``title``: how the text names it: its service's name when that service makes one commitment,
  else the service's and the commitment's name ("Amazon EC2: Region-Level SLA");
- ``service``: the service's view; ``calendar``: the service's hours;
- ``window_name``: "calendar month", ...; ``allowed_downtime``: the downtime the target allows.

A service view keeps ``window_name`` (the window its fee is for) and, when the service makes one
commitment, that commitment's ``allowed_downtime``.
"""

from __future__ import annotations

from typing import Any

from slaforge.arithmetic.downtime import allowed_downtime, window_name
from slaforge.compose.views import PathList, path_view
from slaforge.library.texts import label
from slaforge.spec.models import Spec
from slaforge.spec.objectives import PlacedCommitment, service_commitments
from slaforge.spec.source import dotted


def commitment_name(placed: PlacedCommitment) -> str:
    """Its service's name, when the service makes one commitment; else the service's and the commitment's name."""
    if placed.only:
        return placed.service.name
    commitment = placed.commitment.name or placed.commitment.id
    return label("commitment_name").format(service=placed.service.name, commitment=commitment)


def add_commitments(view: dict[str, Any], spec: Spec) -> None:
    """Add ``services[i].commitments`` and ``commitments`` to a clause context ``view``."""
    every = PathList()
    every.path = "commitments"
    for index, (service, svc) in enumerate(zip(spec.services, view["services"], strict=True)):
        own = PathList()
        own.path = f"services[{index}].commitments"
        for placed in service_commitments(spec, index):
            commitment = placed.commitment
            item = path_view(commitment, dotted(placed.loc))
            item["title"] = commitment_name(placed)
            item["service"] = svc
            item["calendar"] = svc["calendar"]
            item["window_name"] = window_name(commitment.window)
            item["allowed_downtime"] = allowed_downtime(spec, service, commitment)
            own.append(item)
            every.append(item)
        svc["commitments"] = own
        svc["window_name"] = window_name(service.fee_window)
        if len(own) == 1:  # what clauses written for one commitment per service read
            svc["allowed_downtime"] = own[0]["allowed_downtime"]
    view["commitments"] = every
