"""Documents for a supplier or an internal team name customers only where the author asks.

The underpinning contract of the sample portfolio supports the Managed WAN, which customer-specific
SLAs cover; its outputs (HTML, every XML part of the DOCX, the PDF's text) must
not carry any customer's name, short name or the references of those customers' agreements, which
the test reads from the sample's own files. With `names_customers` (as the sample's OLA has), they do.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from portfolio_helpers import SAMPLE, copy_sample, covering, edit, invoke, line_of, read
from pypdf import PdfReader
from shared import Printed, pdf_text

PORTFOLIO = SAMPLE / "portfolio.yaml"


def entries() -> list[dict]:
    return read(PORTFOLIO)["documents"]  # type: ignore[index,return-value]


def agreement(entry: dict, base: Path = SAMPLE) -> dict:
    return read(base / str(entry["spec"]))["agreement"]  # type: ignore[index,return-value]


def secrets() -> list[str]:
    """Every customer's name and short name, and the references of each customer's own agreements."""
    data = read(PORTFOLIO)
    names = [str(c[k]) for c in data["customers"] for k in ("name", "short_name") if c.get(k)]  # type: ignore[index]
    own = [str(agreement(e)["id"]) for e in entries() if e.get("customer") and e["kind"] in ("customer", "service")]
    return names + own


def supporting() -> list[dict]:
    """The OLAs and contracts whose author did not ask them to name customers (the sample's contract)."""
    return [e for e in entries() if e["kind"] in ("ola", "underpinning") and not e.get("names_customers")]


def texts(stem: Path) -> dict[str, str]:
    html = re.sub(r"<[^>]+>", " ", Path(f"{stem}.html").read_text(encoding="utf-8"))
    with zipfile.ZipFile(f"{stem}.docx") as archive:
        xml = " ".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".xml", ".rels")))
    pdf = Path(f"{stem}.pdf")
    info = " ".join(str(v) for v in (PdfReader(pdf).metadata or {}).values())
    return {"html": html, "docx": xml, "pdf": pdf_text(pdf), "pdf information": info}


def stem_of(out: Path, entry: dict, base: Path = SAMPLE) -> Path:
    folder = "ola" if entry["kind"] == "ola" else "underpinning"
    found = agreement(entry, base)
    return out / folder / f"{found['id']}-v{found['version']}"


def test_contracts_with_suppliers_and_teams_name_no_customer(portfolio_build: tuple[Path, Printed]) -> None:
    out, _ = portfolio_build
    hidden = secrets()
    assert "Contoso Logistics plc" in hidden and "NW-SVC-CONTOSO-WAN" in hidden  # what the test looks for
    corporate = next(str(agreement(e)["id"]) for e in entries() if e["kind"] == "corporate")
    assert [e["id"] for e in supporting()] == ["uc-metrolink"]
    for entry in supporting():
        withheld = [d for d in covering(PORTFOLIO, "wan") if next(e for e in entries() if e["id"] == d).get("customer")]
        for fmt, text in texts(stem_of(out, entry)).items():
            plain = " ".join(text.split())
            found = [name for name in hidden if name.casefold() in plain.casefold()]
            assert found == [], (entry["id"], fmt, found)
            if fmt != "pdf information":
                assert corporate in plain  # the SLAs that name no single customer are still listed
            if fmt in ("html", "pdf"):
                assert f"and {len(withheld)} service level agreements with individual customers" in plain, fmt


def test_names_customers_names_the_customers_the_author_lists(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    edit(path, "    supplier: metrolink\n", "    supplier: metrolink\n    names_customers: [contoso]\n")
    out = tmp_path / "out"
    result = invoke("build", path, "-o", out, "-f", "html")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    entry = next(e for e in read(path)["documents"] if e["id"] == "uc-metrolink")  # type: ignore[index]
    page = " ".join(Path(f"{stem_of(out, entry, path.parent)}.html").read_text(encoding="utf-8").split())
    wan = covering(path, "wan")  # the SLAs the contract supports: Contoso's are named now
    contoso = [str(agreement(e)["id"]) for e in entries() if e.get("customer") == "contoso" and e["id"] in wan]
    assert len(contoso) == 2 and all(ref in page for ref in contoso)
    assert "Contoso Logistics" in page and "with individual customers" not in page
    # an id the registry does not list is a located error naming the customers it has
    edit(path, "names_customers: [contoso]", "names_customers: [contoso-holdings]")
    result = invoke("validate", path)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert f"portfolio.yaml:{line_of(path, 'names_customers: [contoso-holdings]')}:" in output
    assert "no customer called 'contoso-holdings'" in output and "contoso, fabrikam" in output
