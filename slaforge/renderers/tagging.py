"""The PDF's structure tree made to conform to PDF/UA-1 (ISO 14289-1), and PDF/A files identified as PDF/UA too.

WeasyPrint 70 writes a tagged PDF whose tree falls short of PDF/UA in a few known ways.  This
post-process (pikepdf, on the finished file) changes exactly those, and nothing when a later
WeasyPrint gets them right:

* **Running headers and footers are artifacts.**  The text of the page margin boxes is marked
  content whose structure elements are not linked into the tree; it becomes
  ``/Artifact <</Type /Pagination>>`` content and leaves the parent tree.
* **Every link annotation sits in a Link element, and says where it goes in words.**  WeasyPrint
  gives every box inside an ``<a>`` an annotation of its own (a TOC entry has five); those inside a
  Link element that already holds the link's annotation are dropped, an annotation with no Link
  around it makes its element the Link, and each annotation's ``/Contents`` becomes the words of
  its destination (``12.2 Service credits``, given by the caller) instead of the anchor name.
  Annotations carry the Print flag.
* **Lists are L / LI / Lbl / LBody.**  A definition (``<dl><div><dt><dd>``, which WeasyPrint tags
  as a ``Div`` of two items) becomes one item: the term its ``Lbl``, the meaning its ``LBody``; a
  lettered item's label (the first ``<span>`` of the item, ``(a)``) becomes its ``Lbl``; a nested
  list, which WeasyPrint places beside its item, moves into that item's body, where the HTML has it.
* **Table header cells have a Scope**: ``Column`` in the head, ``Row`` in the body.
* Structure elements left with no content are removed (a table cell keeps its place), with the
  annotation of a link that has nothing to click on; ``/ParentTreeNextKey`` is set.
* **PDF/A and PDF/UA together**: for a PDF/A variant, the XMP metadata gains ``pdfuaid:part 1``
  with the extension schema PDF/A requires for it (stored unfiltered, as PDF/A wants), and images
  lose ``/Interpolate``, which PDF/A forbids.

pikepdf is imported inside :func:`conform`, with WeasyPrint, only when a PDF is rendered.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

from slaforge.errors import RenderError

# marked content as WeasyPrint writes it: /Span <</MCID 12>> BDC
_MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"
_PRINT = 4  # the annotation flag "Print"
# elements that keep their place when empty
_CELLS = ("/TD", "/TH", "/TR")
# the PDF/UA identification, and the PDF/A extension schema that declares it (ISO 14289-1, 5)
_PDFUA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates which part of ISO 14289 the document conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
"""


def conform(data: bytes, link_words: Mapping[str, str], *, archival: bool) -> bytes:
    """``data`` (a tagged PDF from WeasyPrint) with the changes above; ``link_words`` maps a named
    destination to the words that describe it; ``archival`` for a PDF/A variant."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = Tree(pdf)
        tree.make_orphans_artifacts()
        tree.put_links_in_link_elements(link_words)
        tree.shape_lists()
        tree.scope_table_headers()
        tree.remove_empty_elements()
        tree.finish_parent_tree()
        if archival:
            identify_pdfua(pdf)
            for image in images(pdf):
                if "/Interpolate" in image:
                    del image["/Interpolate"]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


class Tree:
    """The structure tree of one PDF, changed in place."""

    def __init__(self, pdf: Any) -> None:
        import pikepdf

        self.pikepdf = pikepdf
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        self.nums = self.root.ParentTree.Nums

    # ---------------------------------------------------------------- walking

    def kids(self, element: Any) -> list[Any]:
        kids = element.get("/K")
        if kids is None:
            return []
        return list(kids) if isinstance(kids, self.pikepdf.Array) else [kids]

    def set_kids(self, element: Any, kids: list[Any]) -> None:
        element.K = self.pikepdf.Array(kids)

    def is_element(self, node: Any) -> bool:
        return isinstance(node, self.pikepdf.Dictionary) and node.get("/Type") not in ("/OBJR", "/MCR")

    def tag(self, node: Any) -> str | None:
        return str(node.get("/S")) if self.is_element(node) else None

    def elements(self) -> Iterator[tuple[Any, list[Any]]]:
        """Every structure element with its ancestors (nearest last), parents before children."""
        stack: list[tuple[Any, list[Any]]] = [(kid, []) for kid in reversed(self.kids(self.root))]
        while stack:
            element, ancestors = stack.pop()
            if not self.is_element(element):
                continue
            yield element, ancestors
            below = [*ancestors, element]
            stack.extend((kid, below) for kid in reversed(self.kids(element)))

    def adopt(self, parent: Any, kids: list[Any]) -> list[Any]:
        """``kids`` with their ``/P`` set to ``parent`` (marked-content ids and references stay as they are)."""
        for kid in kids:
            if self.is_element(kid):
                kid.P = parent
        return kids

    # ---------------------------------------------------------------- artifacts

    def make_orphans_artifacts(self) -> None:
        """Marked content whose element is not in the tree (the page margin boxes) becomes an artifact."""
        reached = {element.objgen for element, _ in self.elements()}
        pages = {page.objgen: page for page in self.pdf.pages}
        for index in range(0, len(self.nums), 2):
            mapping = self.nums[index + 1]
            if not isinstance(mapping, self.pikepdf.Array):
                continue  # an annotation's entry
            orphans = {
                mcid
                for mcid, element in enumerate(mapping)
                if isinstance(element, self.pikepdf.Dictionary) and element.objgen not in reached
            }
            if not orphans:
                continue
            page = self._page_of(int(self.nums[index]), pages)
            self._mark_as_artifacts(page, orphans)
            for mcid in orphans:
                mapping[mcid] = None

    def _page_of(self, key: int, pages: dict[Any, Any]) -> Any:
        for page in pages.values():
            if int(page.get("/StructParents", -1)) == key:
                return page
        raise RenderError(f"the tagged PDF has no page with the parent tree key {key}")

    def _mark_as_artifacts(self, page: Any, mcids: set[int]) -> None:
        contents = page.Contents
        streams = list(contents) if isinstance(contents, self.pikepdf.Array) else [contents]
        for stream in streams:
            data = stream.read_bytes()
            changed = _MARKED.sub(lambda m: _ARTIFACT if int(m[1]) in mcids else m[0], data)
            if changed != data:
                stream.write(changed)

    # ---------------------------------------------------------------- links

    def put_links_in_link_elements(self, words: Mapping[str, str]) -> None:
        dropped: set[Any] = set()  # the annotations of boxes inside a link
        dropped_keys: set[int] = set()  # and their parent tree keys
        for element, ancestors in list(self.elements()):
            references = [kid for kid in self.kids(element) if self._is_link_reference(kid)]
            if not references:
                continue
            if self.tag(element) != "/Link" and any(self.tag(a) == "/Link" for a in ancestors):
                # the Link element around this box already holds the link's annotation
                for reference in references:
                    dropped.add(reference.Obj.objgen)
                    if "/StructParent" in reference.Obj:
                        dropped_keys.add(int(reference.Obj.StructParent))
                self.set_kids(element, [kid for kid in self.kids(element) if not self._is_link_reference(kid)])
                continue
            element.S = self.pikepdf.Name.Link
            for reference in references:
                annotation = reference.Obj
                annotation.F = _PRINT
                destination = annotation.get("/Dest")
                if destination is not None and str(destination) in words:
                    annotation.Contents = self.pikepdf.String(words[str(destination)])
        self._drop_annotations(dropped, dropped_keys)

    def _drop_annotations(self, dropped: set[Any], keys: set[int]) -> None:
        """The link annotations ``dropped`` leave their pages, and their ``keys`` the parent tree."""
        if not dropped:
            return
        for page in self.pdf.pages:
            if "/Annots" in page:
                page.Annots = self.pikepdf.Array([a for a in page.Annots if a.objgen not in dropped])
        kept: list[Any] = []
        for index in range(0, len(self.nums), 2):
            if int(self.nums[index]) not in keys:
                kept += [self.nums[index], self.nums[index + 1]]
        self.root.ParentTree.Nums = self.nums = self.pikepdf.Array(kept)

    def _is_link_reference(self, kid: Any) -> bool:
        return (
            isinstance(kid, self.pikepdf.Dictionary)
            and kid.get("/Type") == "/OBJR"
            and kid.Obj.get("/Subtype") == "/Link"
        )

    # ---------------------------------------------------------------- lists

    def shape_lists(self) -> None:
        for element, _ in list(self.elements()):
            if self.tag(element) == "/L":
                self._shape_list(element)

    def _shape_list(self, listing: Any) -> None:
        kids: list[Any] = []
        for kid in self.kids(listing):
            tag = self.tag(kid)
            if tag == "/Div":
                self._definition(kid)
            elif tag == "/LI":
                self._label_of_item(kid)
            elif tag == "/L" and kids and self.tag(kids[-1]) == "/LI":
                self._nest(kid, kids[-1])
                continue
            kids.append(kid)
        self.set_kids(listing, kids)

    def _definition(self, group: Any) -> None:
        """``Div(LI(LBody term), LI(LBody meaning)...)`` -> ``LI(Lbl term, LBody meaning)``."""
        items = [kid for kid in self.kids(group) if self.tag(kid) == "/LI"]
        if len(items) != len(self.kids(group)) or not items:
            return
        contents = [self._body_of(item) for item in items]
        group.S = self.pikepdf.Name.LI
        if len(items) == 1:  # a term or a meaning alone (split by a page): its body
            items[0].S = self.pikepdf.Name.LBody
            self.set_kids(items[0], self.adopt(items[0], contents[0]))
            return
        label, body = items[0], items[1]
        label.S = self.pikepdf.Name.Lbl
        self.set_kids(label, self.adopt(label, contents[0]))
        body.S = self.pikepdf.Name.LBody
        self.set_kids(body, self.adopt(body, [kid for content in contents[1:] for kid in content]))
        self.set_kids(group, [label, body])

    def _body_of(self, item: Any) -> list[Any]:
        """What an item holds: its LBody's kids (the item's own kids when it has no LBody)."""
        kids = self.kids(item)
        if len(kids) == 1 and self.tag(kids[0]) == "/LBody":
            return self.kids(kids[0])
        return kids

    def _label_of_item(self, item: Any) -> None:
        """An item without a label whose body starts with a ``<span>`` element (``(a)``): that span is its Lbl."""
        kids = self.kids(item)
        if any(self.tag(kid) == "/Lbl" for kid in kids) or len(kids) != 1 or self.tag(kids[0]) != "/LBody":
            return
        body = kids[0]
        content = self.kids(body)
        if len(content) < 2 or self.tag(content[0]) != "/Span":
            return
        label = content[0]
        if not all(self.is_element(kid) for kid in self.kids(label)):
            return  # marked content of its own: text of the item, not a <span> around its label
        label.S = self.pikepdf.Name.Lbl
        label.P = item
        self.set_kids(body, content[1:])
        self.set_kids(item, [label, body])

    def _nest(self, inner: Any, item: Any) -> None:
        """A list WeasyPrint placed beside its item goes into the item's body."""
        kids = self.kids(item)
        bodies = [kid for kid in kids if self.tag(kid) == "/LBody"]
        if bodies:
            body = bodies[-1]
        else:
            body = self.pdf.make_indirect(
                self.pikepdf.Dictionary(Type=self.pikepdf.Name.StructElem, S=self.pikepdf.Name.LBody, P=item)
            )
            self.set_kids(body, [])
            self.set_kids(item, [*kids, body])
        inner.P = body
        self.set_kids(body, [*self.kids(body), inner])

    # ---------------------------------------------------------------- tables

    def scope_table_headers(self) -> None:
        for element, ancestors in self.elements():
            if self.tag(element) != "/TH":
                continue
            attributes = element.get("/A")
            if not isinstance(attributes, self.pikepdf.Dictionary):
                attributes = element.A = self.pikepdf.Dictionary(O=self.pikepdf.Name.Table)
            if "/Scope" not in attributes:
                head = any(self.tag(a) == "/THead" for a in ancestors)
                attributes.Scope = self.pikepdf.Name.Column if head else self.pikepdf.Name.Row

    # ---------------------------------------------------------------- tidying

    def remove_empty_elements(self) -> None:
        """Elements with no content left in them go: a span whose link annotation went, the body of a
        signature line with nothing written on it, the fragment of a contents entry that a page break
        left empty at the foot of a page (a Link with only its annotation: the annotation goes too).
        An empty table cell stays: it has its place in the table."""
        dropped: set[Any] = set()
        keys: set[int] = set()

        def prune(element: Any) -> bool:
            """False when ``element`` holds no content (and so goes)."""
            kids = self.kids(element)
            kept = [kid for kid in kids if not self.is_element(kid) or prune(kid)]
            if len(kept) != len(kids):
                self.set_kids(element, kept)
            if any(not self._is_link_reference(kid) for kid in kept) or "/Alt" in element:
                return True
            if self.tag(element) in _CELLS:
                return True
            for reference in kept:  # a link with nothing to click on
                dropped.add(reference.Obj.objgen)
                if "/StructParent" in reference.Obj:
                    keys.add(int(reference.Obj.StructParent))
            return False

        for kid in self.kids(self.root):
            prune(kid)
        self._drop_annotations(dropped, keys)

    def finish_parent_tree(self) -> None:
        keys = [int(self.nums[index]) for index in range(0, len(self.nums), 2)]
        self.root.ParentTreeNextKey = max(keys, default=-1) + 1


def identify_pdfua(pdf: Any) -> None:
    """Add ``pdfuaid:part 1`` and its PDF/A extension schema to the XMP, stored unfiltered."""
    import pikepdf

    xmp = pdf.Root.Metadata.read_bytes()
    if b"pdfuaid" in xmp:
        return
    if xmp.count(b"</rdf:RDF>") != 1:
        raise RenderError("the PDF's XMP metadata has no single rdf:RDF element")
    xmp = xmp.replace(b"</rdf:RDF>", _PDFUA_XMP + b"</rdf:RDF>")
    pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


def images(pdf: Any) -> Iterator[Any]:
    import pikepdf

    for candidate in pdf.objects:
        if isinstance(candidate, pikepdf.Stream) and candidate.get("/Subtype") == "/Image":
            yield candidate
