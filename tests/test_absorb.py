"""``slaforge absorb``: the counterparty's markup read back, clause by clause, and --apply.

The other side's edits are made on the sample's DOCX as Word writes them (``w:ins`` / ``w:del`` with
an author and a date, a paragraph mark deleted, a comment in ``comments.xml`` anchored by a range),
and through LibreOffice with change tracking on.  The expectations come from the spec (read with a
YAML reader of its own) and the Document tree (clause numbers and headings), never from absorb.
"""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from ruamel.yaml import YAML
from typer.testing import CliRunner

from slaforge.cli import app
from tests.office import needs_libreoffice
from tests.shared import Samples, pdf_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
AUTHOR, DATE = "Counterparty Legal", "2027-02-03T10:00:00Z"
SAMPLE = "saas-platform"
COMMENT = "Can the Provider commit to 99.99% for the archive?"
NEW_HEADING, NEW_TEXT = "Service improvement", "The Provider shall publish a plan to improve the Service."


def el(tag: str, **attrs: str) -> etree._Element:
    return etree.Element(W + tag, {W + k: v for k, v in attrs.items()})


class Markup:
    """A DOCX being edited as Word records a reviewer's edits."""

    def __init__(self, data: bytes) -> None:
        self.package = zipfile.ZipFile(io.BytesIO(data))
        self.root = etree.fromstring(self.package.read("word/document.xml"))
        self.next_id = 9000
        self.comments: list[tuple[str, str]] = []

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def revision(self, kind: str) -> etree._Element:
        return el(kind, id=self._id(), author=AUTHOR, date=DATE)

    def heading(self, number_title: str) -> etree._Element:
        """The heading paragraph whose text is the clause's title."""
        for p in self.root.iter(W + "p"):
            style = p.find(f"{W}pPr/{W}pStyle")
            if style is not None and style.get(W + "val") == "Heading2" and text_of(p) == number_title:
                return p
        raise AssertionError(f"no heading {number_title!r}")

    def clause_paragraphs(self, title: str) -> list[etree._Element]:
        """The heading of a clause and the paragraphs after it, to the next heading (tables' included)."""
        body = self.root.find(W + "body")
        start = self.heading(title)
        out, inside = [], False
        for child in body:
            if child is start:
                inside = True
            elif inside and child.tag == W + "p" and _style(child) in ("Heading1", "Heading2"):
                break
            if inside:
                out.extend([child] if child.tag == W + "p" else list(child.iter(W + "p")))
        return out

    def replace(self, run: etree._Element, old: str, new: str) -> None:
        """``old`` in ``run`` struck and ``new`` inserted after it, as Word marks a typed-over word."""
        t = run.find(W + "t")
        text = t.text or ""
        at = text.index(old)
        parent = run.getparent()
        index = parent.index(run)
        pieces: list[etree._Element] = []
        if text[:at]:
            pieces.append(_run_like(run, text[:at]))
        deletion = self.revision("del")
        deletion.append(_run_like(run, old, deleted=True))
        pieces.append(deletion)
        if new:
            insertion = self.revision("ins")
            insertion.append(_run_like(run, new))
            pieces.append(insertion)
        if text[at + len(old) :]:
            pieces.append(_run_like(run, text[at + len(old) :]))
        parent.remove(run)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)

    def delete_paragraph(self, p: etree._Element) -> None:
        for run in list(p.iter(W + "r")):
            for t in run.iter(W + "t"):
                t.tag = W + "delText"
            for instr in run.iter(W + "instrText"):
                instr.tag = W + "delInstrText"
            parent = run.getparent()
            if parent.tag == W + "del":
                continue
            deletion = self.revision("del")
            parent.replace(run, deletion)
            deletion.append(run)
        self.mark_paragraph(p, "del")

    def mark_paragraph(self, p: etree._Element, kind: str) -> None:
        ppr = p.find(W + "pPr")
        rpr = ppr.find(W + "rPr")
        if rpr is None:
            rpr = etree.SubElement(ppr, W + "rPr")
        rpr.append(self.revision(kind))

    def insert_after(self, anchor: etree._Element, style: str, text: str) -> etree._Element:
        p = el("p")
        ppr = etree.SubElement(p, W + "pPr")
        etree.SubElement(ppr, W + "pStyle", {W + "val": style})
        p.append(ppr)
        self.mark_paragraph(p, "ins")
        insertion = self.revision("ins")
        run = etree.SubElement(insertion, W + "r")
        etree.SubElement(run, W + "t").text = text
        p.append(insertion)
        anchor.addnext(p)
        return p

    def comment(self, run: etree._Element, text: str) -> None:
        cid = str(len(self.comments))
        run.addprevious(el("commentRangeStart", id=cid))
        run.addnext(el("commentRangeEnd", id=cid))
        reference = el("r")
        etree.SubElement(reference, W + "commentReference", {W + "id": cid})
        run.getnext().addnext(reference)
        self.comments.append((cid, text))

    def save(self, path: Path) -> Path:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in self.package.infolist():
                data = self.package.read(info.filename)
                if info.filename == "word/document.xml":
                    data = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
                elif self.comments and info.filename == "[Content_Types].xml":
                    data = data.replace(
                        b"</Types>",
                        b'<Override PartName="/word/comments.xml" ContentType="application/'
                        b'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
                    )
                elif self.comments and info.filename == "word/_rels/document.xml.rels":
                    data = data.replace(
                        b"</Relationships>",
                        b'<Relationship Id="rIdAbsorb1" Type="http://schemas.openxmlformats.org/officeDocument/'
                        b'2006/relationships/comments" Target="comments.xml"/></Relationships>',
                    )
                target.writestr(info, data)
            if self.comments and "word/comments.xml" not in self.package.namelist():
                root = el("comments")
                for cid, text in self.comments:
                    comment = etree.SubElement(
                        root, W + "comment", {W + "id": cid, W + "author": AUTHOR, W + "date": DATE}
                    )
                    etree.SubElement(etree.SubElement(etree.SubElement(comment, W + "p"), W + "r"), W + "t").text = text
                target.writestr("word/comments.xml", etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        path.write_bytes(out.getvalue())
        return path


def _style(p: etree._Element) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    return None if style is None else style.get(W + "val")


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def _run_like(run: etree._Element, text: str, *, deleted: bool = False) -> etree._Element:
    out = el("r")
    rpr = run.find(W + "rPr")
    if rpr is not None:
        out.append(copy.deepcopy(rpr))
    t = etree.SubElement(out, W + ("delText" if deleted else "t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return out


def _run_with(paragraphs: list[etree._Element], words: str) -> etree._Element:
    for p in paragraphs:
        for run in p.iter(W + "r"):
            t = run.find(W + "t")
            if t is not None and words in (t.text or ""):
                return run
    raise AssertionError(f"no run with {words!r}")


def _target_cell_run(markup: Markup, samples: Samples) -> etree._Element:
    """The run of the first service's availability target in the table of its clause."""
    spec = YAML(typ="safe").load(samples.spec(SAMPLE).read_text(encoding="utf-8"))
    target = str(spec["services"][0]["availability"]["target"]).strip()
    paragraphs = markup.clause_paragraphs(_title(samples, "reliability.availability-target")[1])
    return next(r for p in paragraphs for r in p.iter(W + "r") if (r.findtext(W + "t") or "") == target)


def _title(samples: Samples, clause_id: str) -> tuple[str, str]:
    clause = samples.document(SAMPLE).clause(clause_id)
    return clause.number, clause.title


@pytest.fixture(scope="module")
def returned(samples: Samples, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The sample's DOCX with six edits of the other side's, made on its XML as Word writes them."""
    spec = YAML(typ="safe").load(samples.spec(SAMPLE).read_text(encoding="utf-8"))
    target = str(spec["services"][0]["availability"]["target"]).strip()
    markup = Markup(samples.data(SAMPLE, "docx"))
    facts: dict[str, object] = {"target": target}
    # a value: the availability target in the table of 4.1
    sdt = _target_cell_run(markup, samples)
    markup.replace(sdt, target, "99.95%")
    # a reworded sentence in the same clause
    availability = markup.clause_paragraphs(_title(samples, "reliability.availability-target")[1])
    markup.replace(_run_with(availability, "decided only by"), "only", "solely")
    # a clause inserted after the last paragraph of 4.5
    maintenance = markup.clause_paragraphs(_title(samples, "reliability.maintenance")[1])
    heading = markup.insert_after(maintenance[-1], "Heading2", NEW_HEADING)
    markup.insert_after(heading, "ClauseBody", NEW_TEXT)
    # a clause deleted whole
    for p in markup.clause_paragraphs(_title(samples, "policies.compliance")[1]):
        markup.delete_paragraph(p)
    # a comment on the first words of 12.1
    credits = markup.clause_paragraphs(_title(samples, "penalties.service-credits")[1])
    first = next(run for run in credits[1].iter(W + "r") if (run.findtext(W + "t") or "").strip())
    facts["anchor"] = first.findtext(W + "t")
    markup.comment(first, COMMENT)
    # one deletion from the last word of 11.3 into the heading of 11.4
    caused = markup.clause_paragraphs(_title(samples, "restrictions.customer-caused")[1])
    last = [run for run in caused[-1].iter(W + "r") if run.find(W + "t") is not None][-1]
    last_word = (last.findtext(W + "t") or "").rsplit(" ", 1)[-1]
    markup.replace(last, last_word, "")
    markup.mark_paragraph(caused[-1], "del")
    suspension = markup.heading(_title(samples, "restrictions.suspension")[1])
    heading_run = next(r for r in suspension.iter(W + "r") if r.find(W + "t") is not None)
    first_word = (heading_run.findtext(W + "t") or "").split(" ", 1)[0]
    markup.replace(heading_run, first_word, "")
    facts.update(last_word=last_word, first_word=first_word)
    path = markup.save(tmp_path_factory.mktemp("absorb") / "returned.docx")
    return path, facts


def _absorb(*args: str) -> tuple[int, str]:
    printed = CliRunner().invoke(app, ["absorb", *args])
    return printed.exit_code, printed.output


def _by_kind(report: dict, kind: str) -> list[tuple[dict, dict]]:
    return [(c, e) for c in report["clauses"] for e in c["edits"] if e["kind"] == kind]


def test_every_edit_is_reported_by_clause(samples: Samples, returned: tuple[Path, dict]) -> None:
    path, facts = returned
    code, output = _absorb(str(samples.spec(SAMPLE)), str(path), "--json")
    assert code == 0, output
    report = json.loads(output)
    edits = [e for c in report["clauses"] for e in c["edits"]]
    assert len(edits) == 6, json.dumps(edits, indent=1)
    assert all(e["author"] == AUTHOR for e in edits)

    (clause, value), (clause2, reworded) = _by_kind(report, "replaced")
    assert (clause["number"], clause["title"]) == _title(samples, "reliability.availability-target")
    assert (value["path"], value["value"], value["new_value"]) == (
        "services[0].availability.target",
        facts["target"],
        "99.95%",
    )
    assert clause2["number"] == clause["number"]
    assert (reworded["old"], reworded["new"], reworded["path"]) == ("only", "solely", None)

    ((clause, inserted),) = _by_kind(report, "clause-inserted")
    assert clause["title"] == NEW_HEADING and NEW_TEXT in inserted["new"]
    assert clause["number"] == f"after {_title(samples, 'reliability.maintenance')[0]}"

    ((clause, deleted),) = _by_kind(report, "clause-deleted")
    assert (clause["number"], clause["title"]) == _title(samples, "policies.compliance")
    compliance = samples.document(SAMPLE).clause("policies.compliance")
    assert compliance.title in deleted["old"]

    ((clause, comment),) = _by_kind(report, "comment")
    assert clause["number"] == _title(samples, "penalties.service-credits")[0]
    assert (comment["new"], comment["anchor"]) == (COMMENT, facts["anchor"])

    ((clause, spanning),) = _by_kind(report, "deleted")
    numbers = [c["number"] for c in spanning["clauses"]]
    assert numbers == [
        _title(samples, "restrictions.customer-caused")[0],
        _title(samples, "restrictions.suspension")[0],
    ]
    assert spanning["old"].startswith(str(facts["last_word"])) and spanning["old"].endswith(str(facts["first_word"]))
    assert spanning["not_applied"] == "spans-clauses"


def test_the_text_report_names_clauses_and_values(samples: Samples, returned: tuple[Path, dict]) -> None:
    path, facts = returned
    code, output = _absorb(str(samples.spec(SAMPLE)), str(path))
    assert code == 0, output
    number, title = _title(samples, "reliability.availability-target")
    assert f"\n{number} {title}\n" in output
    assert f"value services[0].availability.target: {facts['target']} -> 99.95%" in output
    assert COMMENT in output and "6 changes" in output.splitlines()[0]
    assert "&#" not in output and "&quot;" not in output  # plain text, not HTML


def test_apply_writes_the_value_and_the_wording(samples: Samples, returned: tuple[Path, dict], tmp_path: Path) -> None:
    path, facts = returned
    spec = tmp_path / f"{SAMPLE}.yaml"
    shutil.copy(samples.spec(SAMPLE), spec)
    before = spec.read_text(encoding="utf-8")
    code, output = _absorb(str(spec), str(path), "--json", "--apply")
    assert code == 0, output
    report = json.loads(output)
    after = spec.read_text(encoding="utf-8")
    data = YAML(typ="safe").load(after)
    assert str(data["services"][0]["availability"]["target"]) == "99.95%"
    # comments and layout kept: only the target's line differs
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=False) if a != b]
    assert len(changed) == 1 and facts["target"] in changed[0][0] and "99.95%" in changed[0][1]
    assert after.count("\n#") == before.count("\n#") and len(after.splitlines()) == len(before.splitlines()) + 2
    assert data["clause_dirs"] == ["negotiated-clauses"]
    override = tmp_path / "negotiated-clauses" / "reliability" / "availability-target.md"
    assert "decided solely by" in override.read_text(encoding="utf-8")
    applied = [e for c in report["clauses"] for e in c["edits"] if e["applied"]]
    assert len(applied) == 2
    # the changed spec builds, and its documents say what the other side wrote
    out = tmp_path / "out"
    build = CliRunner().invoke(app, ["build", str(spec), "-o", str(out)])
    assert build.exit_code == 0, build.output
    text = " ".join(pdf_text(next(out.glob("*.pdf"))).split())
    assert "99.95%" in text and "decided solely by" in text
    assert "decided only by" not in text


def test_a_docx_of_another_agreement_is_refused(samples: Samples, tmp_path: Path) -> None:
    other = tmp_path / "other.docx"
    other.write_bytes(samples.data("managed-network", "docx"))
    code, output = _absorb(str(samples.spec(SAMPLE)), str(other))
    assert code == 1 and "Traceback" not in output
    assert str(other) in output and "is not a copy of" in output


@pytest.mark.parametrize("kind", ["missing", "not-a-zip", "no-document", "bomb"])
def test_bad_returned_files_are_located_errors(samples: Samples, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "returned.docx"
    if kind == "not-a-zip":
        path.write_text("this is not a document", encoding="utf-8")
    elif kind == "no-document":
        with zipfile.ZipFile(path, "w") as package:
            package.writestr("hello.txt", "hello")
    elif kind == "bomb":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("word/document.xml", b"<" + b" " * (300 * 1024 * 1024))
    spec_before = samples.spec(SAMPLE).read_bytes()
    code, output = _absorb(str(samples.spec(SAMPLE)), str(path), "--apply")
    assert code == 1, output
    assert "Traceback" not in output and str(path) in output
    assert re.search(r"not found|no such|not a DOCX|zip bomb|does not exist", output, re.IGNORECASE), output
    assert samples.spec(SAMPLE).read_bytes() == spec_before


@needs_libreoffice
def test_edits_made_in_libreoffice_are_read_back(samples: Samples, office, tmp_path: Path) -> None:
    """Change tracking on, the target retyped and a phrase reworded through UNO: LibreOffice 7.4 keeps the
    clause bookmarks but not the content controls' tags, and absorb still maps the value, from the
    paragraph as it was sent.  (A comment added through UNO makes LibreOffice 7.4 crash on saving a
    DOCX, so comments are tested on the XML only.)"""
    spec = YAML(typ="safe").load(samples.spec(SAMPLE).read_text(encoding="utf-8"))
    target = str(spec["services"][0]["availability"]["target"]).strip()
    source = tmp_path / "sent.docx"
    source.write_bytes(samples.data(SAMPLE, "docx"))
    document = office.open(source)
    try:
        document.setPropertyValue("RecordChanges", True)
        for old, new in ((target, "99.95%"), ("decided only by", "decided solely by")):
            search = document.createSearchDescriptor()
            search.SearchString = old
            found = document.findFirst(search)
            assert found is not None, old
            found.setString(new)
        edited = office.save(document, tmp_path / "returned.docx")
    finally:
        document.close(True)
    code, output = _absorb(str(samples.spec(SAMPLE)), str(edited), "--json")
    assert code == 0, output
    report = json.loads(output)
    edits = [e for c in report["clauses"] for e in c["edits"]]
    values = [e for e in edits if e["path"]]
    assert [(e["path"], e["new_value"]) for e in values] == [("services[0].availability.target", "99.95%")]
    assert len(edits) == 2
    number = _title(samples, "reliability.availability-target")[0]
    words = [e for c in report["clauses"] for e in c["edits"] if c["number"] == number and not e["path"]]
    assert any("solely" in e["new"] for e in words), words


def _value_edited(samples: Samples, new: str, path: Path) -> Path:
    spec = YAML(typ="safe").load(samples.spec(SAMPLE).read_text(encoding="utf-8"))
    markup = Markup(samples.data(SAMPLE, "docx"))
    sdt = _target_cell_run(markup, samples)
    markup.replace(sdt, str(spec["services"][0]["availability"]["target"]).strip(), new)
    return markup.save(path)


def test_apply_writes_nothing_when_the_changed_spec_is_invalid(samples: Samples, tmp_path: Path) -> None:
    spec = tmp_path / f"{SAMPLE}.yaml"
    shutil.copy(samples.spec(SAMPLE), spec)
    before = spec.read_bytes()
    returned = _value_edited(samples, "ninety-nine", tmp_path / "returned.docx")
    code, output = _absorb(str(spec), str(returned), "--apply")
    assert code == 1 and "Traceback" not in output, output
    assert "wrote nothing" in output and "services[0].availability.target" in output
    assert spec.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([spec.name, "returned.docx"])


def test_apply_without_changes_writes_nothing(samples: Samples, tmp_path: Path) -> None:
    spec = tmp_path / f"{SAMPLE}.yaml"
    shutil.copy(samples.spec(SAMPLE), spec)
    before = spec.read_bytes()
    code, output = _absorb(str(spec), str(samples.file(SAMPLE, "docx")), "--apply", "--json")
    assert code == 0, output
    assert json.loads(output)["counts"]["edits"] == 0
    assert spec.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == [spec.name]


def test_moved_text_is_reported_where_it_went_and_where_it_was(samples: Samples, tmp_path: Path) -> None:
    """Word marks a dragged sentence as w:moveFrom where it stood and w:moveTo where it went."""
    markup = Markup(samples.data(SAMPLE, "docx"))
    availability = markup.clause_paragraphs(_title(samples, "reliability.availability-target")[1])
    run = _run_with(availability, "decided only by")
    words = run.findtext(W + "t") or ""
    gone = markup.revision("moveFrom")
    run.addprevious(gone)
    gone.append(_run_like(run, words, deleted=True))
    run.getparent().remove(run)
    claims = markup.clause_paragraphs(_title(samples, "penalties.claims")[1])
    came = markup.revision("moveTo")
    came.append(_run_like(run, words))
    claims[1].append(came)
    code, output = _absorb(str(samples.spec(SAMPLE)), str(markup.save(tmp_path / "moved.docx")), "--json")
    assert code == 0, output
    moved = _by_kind(json.loads(output), "moved")
    assert [(c["number"], e["old"], e["new"], e["path"]) for c, e in moved] == [
        (_title(samples, "reliability.availability-target")[0], words, "", None),
        (_title(samples, "penalties.claims")[0], "", words, None),
    ]
    assert all(e["not_applied"] == "moved" for _, e in moved)


def test_an_edit_of_the_cover_is_listed_not_dropped(samples: Samples, tmp_path: Path) -> None:
    markup = Markup(samples.data(SAMPLE, "docx"))
    title = samples.document(SAMPLE).meta.title
    cover = next(p for p in markup.root.iter(W + "p") if text_of(p) == title)
    first_word = title.split()[0]
    markup.replace(_run_with([cover], first_word), first_word, "Amended")
    code, output = _absorb(str(samples.spec(SAMPLE)), str(markup.save(tmp_path / "cover.docx")), "--json")
    assert code == 0, output
    (clause,) = json.loads(output)["clauses"]
    (edit,) = clause["edits"]
    assert clause["id"] == "" and (edit["old"], edit["new"]) == (first_word, "Amended")
    assert edit["not_applied"] == "outside-clauses"
