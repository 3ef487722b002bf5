"""The document's particulars: title, parties, level, dates and file metadata, from the agreement."""

from __future__ import annotations

from slaforge.compose.resolve import Agreement
from slaforge.document import DocumentMeta, PartyLine
from slaforge.text import and_list, long_date

SUBTITLES = {
    "corporate": "Corporate-level service level agreement",
    "customer": "Customer-level service level agreement",
    "service": "Service-level agreement",
}


def document_meta(agreement: Agreement) -> DocumentMeta:
    spec = agreement.spec
    meta = spec.agreement
    logo = str((agreement.base / meta.branding.logo).resolve()) if meta.branding.logo else None
    return DocumentMeta(
        title=meta.title,
        agreement_id=meta.id,
        version=meta.version,
        status=meta.status.value,
        effective_date=long_date(meta.effective),
        level=spec.level.value,
        parties=(
            PartyLine("Provider", spec.provider.name, spec.provider.address),
            *(PartyLine("Customer", c.name, c.address) for c in spec.customers),
        ),
        author=spec.provider.name,
        subject=f"{SUBTITLES[spec.level.value]} between {spec.provider.name} and "
        + and_list(c.name for c in spec.customers),
        keywords=("service level agreement", spec.level.value, *(s.name for s in spec.services)),
        brand_colour=meta.branding.colour,
        logo=logo,
        subtitle=SUBTITLES[spec.level.value],
        classification=meta.classification,
        timestamp=agreement.timestamp,
    )
