"""The DOCX can name the spec value behind each value it prints (``RenderOptions.content_controls``, as absorb
renders the agreement as sent): an inline content control (``w:sdt``)
whose ``w:tag`` is the value's dotted spec path, around the runs that print it.

Read back from the built sample's XML and compared with the spec read on its own (PyYAML), so a
tag that names the wrong value, or wraps the wrong text, fails.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree
from ruamel.yaml import YAML

from slaforge.renderers import RenderOptions, render
from slaforge.writers import theme_for
from tests.shared import Samples

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tagged(docx: bytes) -> list[tuple[str, str, etree._Element]]:
    """(tag, text inside, the w:sdt) of every content control with a tag in document.xml."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    out = []
    for sdt in root.iter(f"{W}sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        if tag is not None:
            text = "".join(t.text or "" for t in sdt.iter(f"{W}t"))
            out.append((tag.get(f"{W}val"), text, sdt))
    return out


def _tagging(samples: Samples, name: str) -> bytes:
    """The sample's DOCX as absorb renders the agreement as sent: with its content controls."""
    document = samples.document(name)
    return render(document, "docx", RenderOptions(theme=theme_for(document, None), content_controls=True))


def test_a_built_docx_has_no_content_controls(samples: Samples) -> None:
    """Off in builds: python-docx's paragraph text skips the runs inside an inline w:sdt."""
    assert _tagged(samples.data("managed-network", "docx")) == []


def _spec_value(spec: dict, path: str) -> object:
    value: object = spec
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        value = value[int(index)] if index else value[key]  # type: ignore[index]
    return value


def test_the_availability_target_is_tagged_with_its_path(samples: Samples) -> None:
    spec = YAML(typ="safe").load(samples.spec("managed-network").read_text())
    tagged = _tagged(_tagging(samples, "managed-network"))
    targets = [(text, sdt) for tag, text, sdt in tagged if tag == "services[0].availability.target"]
    assert targets, "the availability table's target carries no content control"
    written = str(spec["services"][0]["availability"]["target"]).strip()
    for text, sdt in targets:
        assert text == written
        assert sdt.getparent().tag == f"{W}p"  # inline, in the paragraph: w:sdt > w:sdtPr + w:sdtContent > w:r
        assert [child.tag for child in sdt] == [f"{W}sdtPr", f"{W}sdtContent"]
        assert all(child.tag == f"{W}r" for child in sdt.find(f"{W}sdtContent"))


def test_every_tag_names_a_spec_value_and_wraps_its_text(samples: Samples) -> None:
    """Each tag is a path of the spec as written, and what it wraps is that value as printed (strings
    exactly; numbers and durations begin with the digits written)."""
    for name in ("managed-network", "saas-platform"):
        spec = YAML(typ="safe").load(samples.spec(name).read_text())
        tagged = _tagged(_tagging(samples, name))
        assert len(tagged) > 20
        checked = 0
        for tag, text, _ in tagged:
            try:
                value = _spec_value(spec, tag)
            except (KeyError, IndexError, TypeError):
                continue  # a default the spec leaves out, or a field the loader derives
            if isinstance(value, str) and not re.match(r"^\d", value) and "_" not in value and "-" not in value:
                assert text == " ".join(value.split()), (tag, text, value)
                checked += 1
        assert checked > 10


def test_values_are_not_tagged_where_the_words_are_the_renderers_own(samples: Samples) -> None:
    """Only values: no tag wraps a whole sentence of clause wording."""
    for _, text, _ in _tagged(_tagging(samples, "managed-network")):
        assert len(text.split()) <= 30, text
