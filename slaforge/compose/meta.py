"""A document's particulars: title, parties, level, dates and file metadata.

:func:`spec_meta` is the one place that turns a spec into the particulars every document of it
shares (its reference, version, parties, dates, brand, classification); an agreement, an offer's
comparison and negotiation sheet, and a service level report each change only what is their own.
"""

from __future__ import annotations

from typing import Any

from slaforge.compose.resolve import Agreement
from slaforge.document import DocumentMeta, Frame, PartyLine
from slaforge.library.texts import Texts, builtin_texts
from slaforge.spec.models import Spec
from slaforge.text import and_list, long_date


def level_name(level: str, texts: Texts | None = None) -> str:
    """An agreement's level as its cover's subtitle names it: "Service-level agreement"."""
    return (texts or builtin_texts()).label(f"levels.{level}")


def frame(texts: Texts | None = None) -> Frame:
    """The words around the text (cover, contents, page frame, signature block) from the theme's labels."""
    labels = (texts or builtin_texts()).labels
    words = labels["frame"]
    return Frame(
        draft=words["draft"],
        draft_note=words["draft_note"],
        between=words["between"],
        joiner=words["joiner"],
        party_role=words["party_role"],
        running_header=words["running_header"],
        particulars=dict(words["particulars"]),
        statuses=dict(labels["statuses"]),
        contents=words["contents"],
        page=words["page"],
        moved_from=words["moved_from"],
        moved_to=words["moved_to"],
        signed_for=words["signed_for"],
        signature_lines=tuple(words["signature_lines"]),
    )


def role(party: str, texts: Texts | None = None) -> str:
    """``provider`` -> ``Provider``: how the cover and the signature blocks name a party's role."""
    return str((texts or builtin_texts()).labels["roles"][party])


def party_lines(spec: Spec, texts: Texts | None = None) -> tuple[PartyLine, ...]:
    """The parties as a document's cover names them: the provider, then each customer."""
    return (
        PartyLine(role("provider", texts), spec.provider.name, spec.provider.address),
        *(PartyLine(role("customer", texts), c.name, c.address) for c in spec.customers),
    )


def spec_meta(spec: Spec, texts: Texts | None = None, **changes: Any) -> DocumentMeta:
    """The particulars of a document about ``spec``; ``changes`` sets the fields that are the document's own."""
    agreement = spec.agreement
    fields: dict[str, Any] = {
        "title": agreement.title,
        "agreement_id": agreement.id,
        "version": agreement.version,
        "status": agreement.status.value,
        "effective_date": long_date(agreement.effective),
        "level": spec.level.value,
        "parties": party_lines(spec, texts),
        "frame": frame(texts),
        "author": spec.provider.name,
        "subject": agreement.title,
        "brand_colour": agreement.branding.colour,
        "classification": agreement.classification,
    }
    return DocumentMeta(**{**fields, **changes})


def document_meta(agreement: Agreement, texts: Texts | None = None) -> DocumentMeta:
    """An agreement's particulars, with its logo and the timestamp of its build."""
    spec = agreement.spec
    branding = spec.agreement.branding
    level = spec.level.value
    subtitle = level_name(level, texts)
    return spec_meta(
        spec,
        texts,
        subject=f"{level_name(level, texts)} between {spec.provider.name} and "
        + and_list(c.name for c in spec.customers),
        keywords=("service level agreement", level, *(s.name for s in spec.services)),
        logo=str((agreement.base / branding.logo).resolve()) if branding.logo else None,
        logo_folder=str(agreement.base.resolve()) if branding.logo else None,
        subtitle=subtitle,
        timestamp=agreement.timestamp,
    )
