"""`slaforge build PORTFOLIO`: the tree, the index, incremental rebuilds, parallel builds, read back."""

from __future__ import annotations

import hashlib
import html
import io
import re
import shutil
from pathlib import Path

import docx
import pytest
from portfolio_helpers import SAMPLE, copy_sample, covering, edit, invoke, read
from pypdf import PdfReader
from shared import Printed, pdf_text

PORTFOLIO = SAMPLE / "portfolio.yaml"


def documents() -> list[dict[str, object]]:
    return read(PORTFOLIO)["documents"]  # type: ignore[index,return-value]


def expected_paths() -> dict[str, str]:
    """Document id -> output path stem, from the portfolio file and each document's own fragment."""
    out = {}
    for doc in documents():
        agreement = read(SAMPLE / str(doc["spec"]))["agreement"]  # type: ignore[index]
        folder = {
            "corporate": "corporate",
            "customer": f"customers/{doc.get('customer')}",
            "service": f"services/{doc.get('service')}",
            "ola": "ola",
            "underpinning": "underpinning",
        }[str(doc["kind"])]
        out[str(doc["id"])] = f"{folder}/{agreement['id']}-v{agreement['version']}"
    return out


def build(path: Path, out: Path, *extra: object) -> tuple[list[str], list[str], str]:
    """(rendered ids, up-to-date ids, output) of one build; the rendered ones in portfolio order, with
    those rendered again to the same bytes ("unchanged by the change")."""
    result = invoke("build", path, "-o", out, *extra)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    rendered, fresh = summary(result.stdout.strip().splitlines()[-1])  # type: ignore[attr-defined]
    return rendered, fresh, result.output  # type: ignore[attr-defined]


def digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".slaforge-cache" not in p.parts
    }


def summary(output: str) -> tuple[list[str], list[str]]:
    """(rendered ids, up-to-date ids) from a build's closing line; the rendered ones in portfolio order,
    with those rendered again to the same bytes ("unchanged by the change")."""
    match = re.search(
        r"(\d+) document\(s\) rendered(?: \(([^)]*)\))?, (\d+) up to date(?: \(([^)]*)\))?"
        r"(?:, (\d+) unchanged by the change \(([^)]*)\))?$",
        output,
    )
    assert match, output
    rendered = match[2].split(", ") if match[2] else []
    fresh = match[4].split(", ") if match[4] else []
    again = set(match[6].split(", ")) if match[6] else set()
    order = [str(d["id"]) for d in documents()]
    return [d for d in order if d in set(rendered) | again], fresh


@pytest.fixture(scope="module")
def built(portfolio_build: tuple[Path, Printed]) -> Path:
    """The session's one build of the whole portfolio in PDF (and DOCX and HTML), with one job."""
    out, result = portfolio_build
    rendered, fresh = summary(result.stdout.strip().splitlines()[-1])
    assert rendered == [str(d["id"]) for d in documents()] and fresh == []
    assert result.output.count("]") >= len(rendered)  # a progress line per document
    return out


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return " ".join(" ".join(parts).split())


def test_the_tree_holds_every_document_in_pdf_and_docx(built: Path) -> None:
    for stem in expected_paths().values():
        assert (built / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
        assert (built / f"{stem}.docx").is_file()
    index = (built / "index.html").read_text(encoding="utf-8")
    for doc_id, stem in expected_paths().items():
        assert f'href="{stem}.pdf"' in index and f'href="{stem}.docx"' in index, doc_id
    corporate = read(SAMPLE / "corporate.yaml")["agreement"]  # type: ignore[index]
    assert f"under Corporate SLA {corporate['id']} v{corporate['version']}" in index
    tiered = [s for s in read(PORTFOLIO)["subscriptions"] if s.get("tier")]  # type: ignore[index]
    assert tiered and all(f"({s['tier']} tier)" in index for s in tiered)


def test_two_jobs_give_the_same_bytes_as_one(built: Path, tmp_path: Path) -> None:
    # every document in DOCX and HTML, from scratch
    rendered, _, _ = build(PORTFOLIO, tmp_path / "fresh", "-f", "docx,html", "--jobs", "2")
    assert len(rendered) == len(documents())
    one_job = digests(built)
    fresh_files = digests(tmp_path / "fresh")
    assert ".pdf" not in (tmp_path / "fresh" / "index.html").read_text(encoding="utf-8")
    del fresh_files["index.html"]  # the index links the formats built; it is compared in full below
    assert fresh_files == {k: v for k, v in one_job.items() if not k.endswith(".pdf") and k != "index.html"}
    # and in PDF: the one-job build with three documents' files lost, rendered again by two workers (one of them
    # renders two documents in a row); the suite renders the whole portfolio in PDF only once, in ``built``
    again = tmp_path / "again"
    shutil.copytree(built, again)
    lost = ["corporate", "fabrikam-desk", "uc-metrolink"]
    for doc_id in lost:
        (again / f"{expected_paths()[doc_id]}.pdf").unlink()
    rendered, fresh, _ = build(PORTFOLIO, again, "-f", "pdf,docx,html", "--jobs", "2")
    assert rendered == lost and len(fresh) == len(documents()) - len(lost)
    assert digests(again) == one_job


def test_another_pdf_engine_renders_every_document_again(built: Path, tmp_path: Path) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(built, out)
    ids = [str(d["id"]) for d in documents()]
    rendered, fresh, _ = build(PORTFOLIO, out, "-f", "pdf,docx", "--pdf-engine", "typst")
    assert (rendered, fresh) == (ids, [])
    creators = {str(PdfReader(p).metadata["/Creator"]).split()[0] for p in out.rglob("*.pdf")}
    assert creators == {"Typst"}
    assert build(PORTFOLIO, out, "-f", "pdf,docx", "--pdf-engine", "typst")[:2] == ([], ids)
    assert build(PORTFOLIO, out, "-f", "docx", "--pdf-engine", "typst")[0] == ids  # other formats
    assert build(PORTFOLIO, out, "-f", "docx")[:2] == ([], ids), "without a PDF the engine changes nothing"


def test_a_service_sla_names_the_documents_above_it_and_keeps_their_values(built: Path) -> None:
    stems = expected_paths()
    corporate = read(SAMPLE / "corporate.yaml")["agreement"]  # type: ignore[index]
    customer = read(SAMPLE / "customers" / "contoso.yaml")["agreement"]  # type: ignore[index]
    text = pdf_text(built / f"{stems['contoso-wan']}.pdf")
    assert (
        f"This Agreement is subordinate to the Corporate SLA {corporate['id']} v{corporate['version']} "
        f'("{corporate["title"]}") and the Customer SLA {customer["id"]} v{customer["version"]}'
    ) in text
    assert "99.95%" in text  # its own target
    assert "GBP 250" in text  # the per-event credit, inherited from the corporate SLA
    # the severity definitions are the customer SLA's: named there, not repeated here
    p4 = read(SAMPLE / "corporate.yaml")["responsiveness"]["severities"][3]["definition"]  # type: ignore[index]
    assert p4 not in text and p4 in pdf_text(built / f"{stems['contoso']}.pdf")
    assert f"in the Customer SLA {customer['id']} v{customer['version']}: " in text
    assert "severity levels" in text.split(f"in the Customer SLA {customer['id']}")[1][:2000]
    words = docx_text(built / f"{stems['contoso-wan']}.docx")
    assert f"This Agreement is subordinate to the Corporate SLA {corporate['id']} v{corporate['version']}" in words
    # the customer SLA shows the inherited P2 target beside its own tighter P1 response
    customer_words = docx_text(built / f"{stems['contoso']}.docx")
    assert "10 minutes" in customer_words and "30 minutes" in customer_words


def test_an_agreed_exception_is_stated_in_the_document(built: Path) -> None:
    text = pdf_text(built / f"{expected_paths()['fabrikam']}.pdf")
    assert "By agreed exception to the Corporate SLA NW-CORP-SLA v2.1" in text
    assert "Service reports: quarterly instead of monthly." in text


def test_olas_and_contracts_list_the_slas_they_support(built: Path) -> None:
    stems = expected_paths()
    assert "This Agreement is an underpinning contract" in docx_text(built / f"{stems['uc-metrolink']}.docx")
    # the OLA names its customers' SLAs (names_customers: true); the supplier's contract only those
    # that name no single customer (tests/test_confidentiality.py)
    words = docx_text(built / f"{stems['ola-network']}.docx")
    wan_slas = [d for d in documents() if d["kind"] in ("corporate",) or d.get("service") == "wan"]
    wan_slas += [d for d in documents() if d["kind"] == "customer" and d["customer"] == "contoso"]
    for doc in wan_slas:
        agreement = read(SAMPLE / str(doc["spec"]))["agreement"]  # type: ignore[index]
        assert agreement["id"] in words, doc["id"]
    assert "NW-CUS-FABRIKAM" not in words  # Fabrikam does not take the WAN
    ola = pdf_text(built / f"{stems['ola-network']}.pdf")
    assert "operational level agreement between two parts of Northwind Networks Ltd" in ola


def test_standalone_repeats_the_inherited_terms(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    build(path, tmp_path / "short", "-f", "docx")
    build(path, tmp_path / "full", "-f", "docx", "--standalone")
    stem = expected_paths()["contoso-email"]
    short = docx_text(tmp_path / "short" / f"{stem}.docx")
    full = docx_text(tmp_path / "full" / f"{stem}.docx")
    corporate = read(SAMPLE / "corporate.yaml")
    definition = corporate["policies"][0]["requirements"][0]  # type: ignore[index]
    assert definition.lower()[1:] not in short.lower() and definition.lower()[1:] in full.lower()
    assert "This Agreement does not repeat the following terms" in short
    assert "reproduces in full the terms that it takes from those agreements" in full
    assert len(full) > 1.5 * len(short)


def test_rebuilds_render_exactly_the_documents_a_change_feeds(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    every = [str(d["id"]) for d in documents()]
    rendered, fresh, _ = build(path, out, "-f", "docx")
    assert rendered == every and fresh == []
    before = digests(out)
    rendered, fresh, _ = build(path, out, "-f", "docx")
    assert rendered == [] and fresh == every
    assert digests(out) == before
    # a corporate term: every document that inherits from the corporate SLA, and no OLA or contract
    edit(path.parent / "corporate.yaml", "    after: 2h", "    after: 90m")
    rendered, fresh, output = build(path, out, "-f", "docx")
    slas = [str(d["id"]) for d in documents() if d["kind"] in ("corporate", "customer", "service")]
    assert rendered == slas and fresh == [d for d in every if d not in slas]
    # the escalation clause is the corporate SLA's alone: the documents below say what they said
    assert "1 document(s) rendered (corporate)" in output
    assert output.count("changed but keeps version") == 1 and "document corporate: NW-CORP-SLA" in output
    # one service's file: the documents that cover that service
    edit(path.parent / "services" / "email.yaml", "calendars and shared files", "calendars and shared drives")
    rendered, _, _ = build(path, out, "-f", "docx")
    assert rendered == covering(path, "email")
    # one service SLA's own file: only that document
    edit(path.parent / "customers" / "fabrikam-desk.yaml", "Saturday morning cover", "Saturday cover")
    assert build(path, out, "-f", "docx")[0] == ["fabrikam-desk"]
    # a lost or changed output file is rendered again; a new version moves the old file to issued/
    stem = expected_paths()["contoso-wan"]
    (out / f"{stem}.docx").unlink()
    assert build(path, out, "-f", "docx")[0] == ["contoso-wan"]
    edit(path.parent / "customers" / "contoso-wan.yaml", 'version: "1.1"', 'version: "1.2"')
    # the documents that support the WAN and name the customers' SLAs list its version (the supplier's
    # contract names no customer's SLA, so it says what it said)
    supporting = [str(d["id"]) for d in documents() if "wan" in d.get("supports", []) and d.get("names_customers")]
    assert supporting == ["ola-network"]
    assert build(path, out, "-f", "docx")[0] == ["contoso-wan", *supporting]
    assert not (out / f"{stem}.docx").exists() and (out / f"{stem.removesuffix('-v1.1')}-v1.2.docx").exists()
    assert (out / "issued" / f"{stem}.docx").is_file()  # the issued version is kept
    # another format is another build, and it leaves the files of the formats it was not asked for
    docx_files = sorted(out.rglob("*.docx"))
    assert len(build(path, out, "-f", "html")[0]) == len(every)
    assert sorted(out.rglob("*.docx")) == docx_files and len(list(out.rglob("*.html"))) == len(every) + 1
    # and a new version then archives the files of every format of the old one
    edit(path.parent / "customers" / "contoso-wan.yaml", 'version: "1.2"', 'version: "1.3"')
    build(path, out, "-f", "html")
    old_stem = f"{stem.removesuffix('-v1.1')}-v1.2"
    assert not (out / f"{old_stem}.docx").exists() and not (out / f"{old_stem}.html").exists()
    assert (out / "issued" / f"{old_stem}.docx").is_file() and (out / "issued" / f"{old_stem}.html").is_file()


def test_a_damaged_cache_manifest_is_ignored_and_never_deletes_outside_the_output(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    build(path, out, "-f", "html")
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    cache = out / ".slaforge-cache"
    (cache / "corporate.json").write_text("[1]", encoding="utf-8")
    (cache / "contoso.json").write_text('{"key": "x", "outputs": {"../precious.txt": "0", "/etc/hostname": "0"}}')
    rendered, fresh, _ = build(path, out, "-f", "html")
    assert rendered == ["corporate", "contoso"] and len(fresh) == len(documents()) - 2
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_the_index_escapes_user_text(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    edit(path, "name: Fabrikam Dental Group Ltd", 'name: Fabrikam <b>Dental</b> & "Co"')
    edit(
        path.parent / "customers" / "fabrikam.yaml",
        "title: Customer Service",
        "title: <script>x</script> Customer Service",
    )
    build(path, tmp_path / "out", "-f", "html")
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index and "<b>Dental" not in index
    assert html.escape('Fabrikam <b>Dental</b> & "Co"') in index
    assert "&lt;script&gt;x&lt;/script&gt; Customer Service" in index


def test_a_failed_build_writes_nothing(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    edit(path.parent / "customers" / "contoso.yaml", "      response: 10m", "      response: 20m")
    result = invoke("build", path, "-o", tmp_path / "out", "-f", "docx")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "a lower level may tighten a commitment but not weaken it" in result.output  # type: ignore[attr-defined]
    assert not (tmp_path / "out").exists()
    assert io.StringIO(result.output).read().count("Traceback") == 0  # type: ignore[attr-defined]
