"""One party registry for the whole portfolio: no document gives a party another identity.

Each case changes a copy of the sample the way an author might (a customer's address written again
in its customer SLA, another company number in the corporate SLA, a customer the registry does not
know, one company listed twice), and checks that `validate` stops with both places named: the line
the test finds in each file itself.
"""

from __future__ import annotations

from pathlib import Path

from portfolio_helpers import copy_sample, edit, invoke, line_of

REGISTERED = "3 Queen Square, Bath BA1 2HJ, United Kingdom"


def validate(path: Path) -> str:
    result = invoke("validate", path)
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    return result.output  # type: ignore[attr-defined]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_customer_sla_cannot_give_its_customer_another_address(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    fabrikam = path.parent / "customers" / "fabrikam.yaml"
    append(fabrikam, "\ncustomers:\n  - id: fabrikam\n    address: 9 Milsom Street, Bath BA1 1DA, United Kingdom\n")
    output = validate(path)
    here = f"{fabrikam.relative_to(Path.cwd()) if fabrikam.is_relative_to(Path.cwd()) else fabrikam}"
    assert f"{here}:{line_of(fabrikam, 'address: 9 Milsom')}:5" in output
    registry = line_of(path, f"address: {REGISTERED}")
    assert f"portfolio.yaml:{registry}:5: {REGISTERED!r}" in output
    assert "the address of fabrikam differs from the portfolio's party registry" in output
    assert "given: 9 Milsom Street" in output and f"expected: {REGISTERED}" in output
    assert "Traceback" not in output


def test_the_corporate_sla_cannot_give_a_customer_another_company_number(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    corporate = path.parent / "corporate.yaml"
    append(corporate, "\ncustomers:\n  - id: contoso\n    registration: company number 04417790\n")
    output = validate(path)
    assert f":{line_of(corporate, 'registration: company number 04417790')}:5" in output
    assert f"portfolio.yaml:{line_of(path, 'company number 04417789')}:5" in output
    assert "the registration of contoso differs from the portfolio's party registry" in output
    # the same value as the registry is no second identity
    edit(corporate, "company number 04417790", "registered in England and Wales, company number 04417789")
    assert invoke("validate", path).exit_code == 0  # type: ignore[attr-defined]


def test_a_document_cannot_bring_in_a_party_the_registry_does_not_know(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    fabrikam = path.parent / "customers" / "fabrikam.yaml"
    append(fabrikam, "\ncustomers:\n  - id: fabrikam-labs\n    name: Fabrikam Labs Ltd\n    address: Bath\n")
    output = validate(path)
    assert f":{line_of(fabrikam, 'id: fabrikam-labs')}:" in output
    assert "customer 'fabrikam-labs' is not in the portfolio's party registry" in output
    assert "expected: one of: fabrikam" in output
    # a document may name its own contacts for a registered party (the sample's Contoso SLA does)
    assert "contacts:" in (path.parent / "customers" / "contoso.yaml").read_text(encoding="utf-8")


def test_one_company_listed_twice_in_the_registry_must_agree(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    # a supplier with Contoso's company number but another address
    edit(
        path,
        "suppliers:\n",
        "suppliers:\n"
        "  - id: contoso-fleet\n"
        "    name: Contoso Logistics plc\n"
        "    address: 1 Dock Road, Avonmouth BS11 9AA, United Kingdom\n"
        "    registration: registered in England and Wales, company number 04417789\n",
    )
    output = validate(path)
    first = line_of(path, "address: Unit 4, Severn Distribution Park")
    second = line_of(path, "address: 1 Dock Road")
    assert f"portfolio.yaml:{second}:5: error: suppliers[0].address:" in output
    assert "contoso-fleet has the registration of contoso (" in output and f"portfolio.yaml:{first}:5)" in output
    assert output.count("one party is listed twice") == 1  # the same address, reported once
