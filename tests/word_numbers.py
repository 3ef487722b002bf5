"""Word numbering worked out from a DOCX's XML, as ECMA-376 Part 1 (17.9) defines it, for tests.

What a reader of the file sees as the number of a paragraph: the ``w:numPr`` of the paragraph or of
its style, the counters of the abstract list behind its ``w:num`` (a ``w:num`` whose
``w:startOverride`` restarts those levels where it is first used), every level restarting after a
higher one, and the level's ``w:lvlText`` with its ``%1``...``%9`` filled in.  Only what slaforge's
documents use is modelled; the LibreOffice tests check the same numbers as an editor lays them out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):  # fmt: skip
        count, n = divmod(n, value)
        out += digits * count
    return out


FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1),  # a .. z, aa, bb
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1),
    "lowerRoman": _roman,
}


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def word_numbers(data: bytes, body: etree._Element | None = None) -> list[tuple[etree._Element, str, str]]:
    """(paragraph, style id, the number or bullet Word shows, "" for none) of every paragraph of ``body``
    (the package's own body unless given), table cells included, in document order."""
    body = part(data, "word/document.xml").find("w:body", NS) if body is None else body
    numbering = part(data, "word/numbering.xml")
    style_num = {}
    for style in part(data, "word/styles.xml").findall("w:style", NS):
        num = style.find("w:pPr/w:numPr", NS)
        if num is not None:
            style_num[style.get(q("styleId"))] = (num.find("w:numId", NS).get(q("val")), num.find("w:ilvl", NS))
    abstracts = {a.get(q("abstractNumId")): a for a in numbering.findall("w:abstractNum", NS)}
    nums = {n.get(q("numId")): n for n in numbering.findall("w:num", NS)}
    counters: dict[str, list[int]] = {}
    used: set[str] = set()
    out = []
    for p in body.iter(q("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        style_id = style.get(q("val")) if style is not None else "Normal"
        num_id, level_el = style_num.get(style_id, ("0", None))
        direct = p.find("w:pPr/w:numPr", NS)
        if direct is not None:
            num_id = direct.find("w:numId", NS).get(q("val"))
            if direct.find("w:ilvl", NS) is not None:
                level_el = direct.find("w:ilvl", NS)
        label = ""
        if num_id != "0":
            level = int(level_el.get(q("val"))) if level_el is not None else 0
            num = nums[num_id]
            abstract_id = num.find("w:abstractNumId", NS).get(q("val"))
            count = counters.setdefault(abstract_id, [0] * 9)
            if num_id not in used:
                used.add(num_id)
                for override in num.findall("w:lvlOverride", NS):
                    if override.find("w:startOverride", NS) is not None:
                        count[int(override.get(q("ilvl")))] = 0
            count[level] += 1
            count[level + 1 :] = [0] * (8 - level)
            levels = abstracts[abstract_id]
            label = levels.find(f"w:lvl[@w:ilvl='{level}']/w:lvlText", NS).get(q("val"))
            for at in range(level + 1):  # %n in the format of level n
                fmt = levels.find(f"w:lvl[@w:ilvl='{at}']/w:numFmt", NS).get(q("val"))
                if fmt in FORMATS:
                    label = label.replace(f"%{at + 1}", FORMATS[fmt](count[at]))
        out.append((p, style_id, label))
    return out
