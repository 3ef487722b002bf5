"""The objectives of a spec: every commitment of every service, read one way by every consumer.

A service writes its commitments as format 1's ``availability`` (one commitment, id
``availability``) or as a list under ``commitments``; :func:`iter_commitments` gives them all,
each with where it was written (to locate problems) and the path a user names it by
(``services[wan].availability``, ``services[ec2].commitments[region-level]``).  Checks, the
clause context, calculators, reports, exports, terms and levels read commitments only here, and the
credit table of each (:func:`credit_table`: its own, else the agreement's).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from slaforge.spec.models import Commitment, CreditTable, Service, Spec
from slaforge.spec.source import Loc


@dataclass(frozen=True)
class PlacedCommitment:
    """A commitment with its service and the place in the spec where it was written."""

    service: Service
    commitment: Commitment
    service_index: int
    loc: Loc  # ("services", 0, "availability") or ("services", 0, "commitments", 1)

    @property
    def format_1(self) -> bool:
        """Written as format 1's ``availability``."""
        return self.loc[2] == "availability"

    @property
    def key(self) -> str:
        """The path a user names it by: ``services[wan].availability``, ``services[ec2].commitments[region-level]``."""
        if self.format_1:
            return f"services[{self.service.id}].availability"
        return f"services[{self.service.id}].commitments[{self.commitment.id}]"

    @property
    def subject(self) -> str:
        """How a problem names it: ``service 'wan'``, or ``commitment 'portal' of service 'gateway'``."""
        if self.only:
            return f"service {self.service.id!r}"
        return f"commitment {self.commitment.id!r} of service {self.service.id!r}"

    @property
    def only(self) -> bool:
        """The service's only commitment: the text and the report name it by its service alone."""
        return len(self.service.all_commitments) == 1


def service_commitments(spec: Spec, index: int) -> list[PlacedCommitment]:
    """The commitments of ``spec.services[index]``, in the order written."""
    service = spec.services[index]
    placed = []
    if service.availability is not None:
        placed.append(PlacedCommitment(service, service.all_commitments[0], index, ("services", index, "availability")))
    offset = len(placed)
    for j, commitment in enumerate(service.all_commitments[offset:]):
        placed.append(PlacedCommitment(service, commitment, index, ("services", index, "commitments", j)))
    return placed


def iter_commitments(spec: Spec) -> Iterator[PlacedCommitment]:
    """Every commitment of every service, services in order, each service's commitments in order."""
    for index in range(len(spec.services)):
        yield from service_commitments(spec, index)


def placed(spec: Spec, service_id: str, commitment_id: str | None = None) -> PlacedCommitment:
    """One commitment by its service id and its id (the only one of the service when ``commitment_id`` is None).

    :class:`KeyError` when there is no such commitment, or when the service has several and none is named.
    """
    index = next((i for i, s in enumerate(spec.services) if s.id == service_id), None)
    if index is None:
        raise KeyError(service_id)
    found = service_commitments(spec, index)
    if commitment_id is None:
        if len(found) == 1:
            return found[0]
        raise KeyError(commitment_id)
    for item in found:
        if item.commitment.id == commitment_id:
            return item
    raise KeyError(commitment_id)


def credit_table(spec: Spec, placed: PlacedCommitment) -> tuple[CreditTable | None, Loc]:
    """The credit table that applies to a commitment and where it is written: its own ``credits``, else the
    table of ``service_credits`` (None when neither gives bands)."""
    own = placed.commitment.credits
    if own is not None:
        return own, (*placed.loc, "credits")
    default = spec.service_credits.table() if spec.service_credits is not None else None
    return default, ("service_credits",)
