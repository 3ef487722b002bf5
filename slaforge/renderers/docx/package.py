"""The DOCX package around the body: page setup, settings, file properties and reproducible bytes.

python-docx stamps the clock into core properties and zip entries; here every
date comes from ``DocumentMeta.timestamp`` and the zip is rewritten with fixed
entry dates, order, compression and attributes, so equal trees give equal bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml import etree

from slaforge.document import DocumentMeta
from slaforge.renderers.docx.ooxml import Element, safe_text, w
from slaforge.renderers.docx.styles import HEADER_DISTANCE, MARGIN, PAGE_HEIGHT, PAGE_WIDTH

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
ZIP_LAST = datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC)
FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
RT_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
RT_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
# CT_Settings children that must follow w:updateFields
_AFTER_UPDATE_FIELDS = {
    w(name)
    for name in (
        "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "attachedSchema",
        "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
        "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "shapeDefaults",
        "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
    )
} | {
    "{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr",
    "{http://schemas.openxmlformats.org/schemaLibrary/2006/main}schemaLibrary",
}  # fmt: skip

_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>Normal.dotm</Template><TotalTime>0</TotalTime><Application>slaforge</Application>"
    "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><Company></Company>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>"
)


def utc(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def set_page(word: WordDocument) -> None:
    """A4 portrait, 2.5 cm margins, a header/footer distance of 1.25 cm, no header on the cover."""
    from docx.shared import Twips

    section = word.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin = section.bottom_margin = Twips(MARGIN)
    section.left_margin = section.right_margin = Twips(MARGIN)
    section.header_distance = section.footer_distance = Twips(HEADER_DISTANCE)
    section.gutter = Twips(0)
    section.different_first_page_header_footer = True


def set_settings(settings: Element) -> None:
    """Ask Word to refresh fields (TOC, page numbers) on open; modern layout; no preview picture."""
    for name in ("updateFields", "savePreviewPicture"):
        for old in settings.findall(w(name)):
            settings.remove(old)
    update = etree.Element(w("updateFields"), {w("val"): "true"})
    successor = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
    if successor is None:
        settings.append(update)
    else:
        successor.addprevious(update)
    for setting in settings.iter(w("compatSetting")):
        if setting.get(w("name")) == "compatibilityMode":
            setting.set(w("val"), "15")


CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def set_properties(word: WordDocument, meta: DocumentMeta) -> None:
    """Core properties from the meta, every date from ``meta.timestamp``; slaforge as the application."""
    props = word.core_properties
    stamp = utc(meta.timestamp).replace(tzinfo=None)
    props.title = _property(meta.title)
    props.subject = _property(meta.subject)
    props.author = props.last_modified_by = _property(meta.author)
    props.keywords = _property(", ".join(meta.keywords))
    props.category = safe_text(meta.level)
    props.comments = ""
    props.content_status = safe_text(meta.status.capitalize())
    props.identifier = safe_text(meta.agreement_id)
    props.version = safe_text(meta.version)
    props.revision = revision_number(meta.version)
    props.created = props.modified = stamp
    printed = props._element.find(f"{{{CP_NS}}}lastPrinted")
    if printed is not None:  # a generated file has never been printed
        props._element.remove(printed)


def _property(text: str) -> str:
    """A core property as Word stores it: at most 255 characters (a corporate SLA may name 20 customers)."""
    text = safe_text(text)
    return text if len(text) <= 255 else text[:254].rstrip() + "\u2026"


def trim_package(word: WordDocument) -> None:
    """Drop template leftovers that would contradict this document.

    The thumbnail shows an empty page; ``stylesWithEffects.xml`` is a stale copy of
    the template's styles that Word 2010 may prefer over ours; ``app.xml`` names
    Microsoft Word as the application.
    """
    package = word.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT_THUMBNAIL:
            package.rels.pop(rel_id)
        elif rel.reltype == RT_EXTENDED and not rel.is_external:
            rel.target_part._blob = _APP_XML.encode("utf-8")  # python-docx keeps unmodelled parts as blobs
    for rel_id, rel in list(word.part.rels.items()):
        if rel.reltype == RT_STYLES_WITH_EFFECTS:
            word.part.rels.pop(rel_id)


def revision_number(version: str) -> int:
    """The major part of ``"3.1"`` (at least 1): Word's revision counter is an integer."""
    head = version.strip().lstrip("vV").split(".")[0]
    return max(int(head), 1) if head.isdigit() else 1


def normalise_zip(data: bytes, timestamp: int) -> bytes:
    """Rewrite a zip with fixed dates (from ``timestamp``), order, compression and attributes."""
    stamp = min(max(utc(timestamp), ZIP_EPOCH), ZIP_LAST)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    rank = {name: index for index, name in enumerate(FIRST_ENTRIES)}
    order = sorted(entries, key=lambda name: (rank.get(name, len(rank)), name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
