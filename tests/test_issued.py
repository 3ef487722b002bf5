"""Issued versions are kept: `OUT/issued/` holds every version a build replaced, byte for byte.

The portfolio is built from a copy of the sample, a document's version is raised the way a service
level manager raises it (its own file), and the files are compared with the digests this test took
of them before, by hashing them itself.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from portfolio_helpers import SAMPLE, copy_sample, edit, invoke, read

WAN = "customers/contoso-wan.yaml"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): sha(p) for p in sorted(out.rglob("*")) if p.is_file()}


def stem(spec: str) -> str:
    agreement = read(SAMPLE / spec)["agreement"]  # type: ignore[index]
    return f"{agreement['id']}-v{agreement['version']}"


def build(path: Path, out: Path, *extra: object) -> object:
    result = invoke("build", path, "-o", out, *extra)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return result


def register(out: Path) -> list[dict]:
    return json.loads((out / "issued" / "register.json").read_text(encoding="utf-8"))["issued"]


def test_a_new_version_keeps_the_files_of_the_issued_one_byte_for_byte(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    build(path, out, "-f", "docx,html")
    name = stem(WAN)
    agreement_id = name.rpartition("-v")[0]
    issued = {f"services/wan/{name}.{fmt}": sha(out / "services" / "wan" / f"{name}.{fmt}") for fmt in ("docx", "html")}
    # a new version, built in one format only: both files of the old version go to the archive
    edit(path.parent / WAN, 'version: "1.1"', 'version: "1.2"')
    result = build(path, out, "-f", "html")
    assert f"contoso-wan: v1.1 kept in {out / 'issued'}" in result.output  # type: ignore[attr-defined]
    for live, digest in issued.items():
        assert not (out / live).exists()
        assert sha(out / "issued" / live) == digest
    assert (out / "services" / "wan" / f"{agreement_id}-v1.2.html").is_file()
    entries = register(out)
    assert [(e["document"], e["agreement"], e["version"]) for e in entries] == [("contoso-wan", agreement_id, "1.1")]
    assert entries[0]["files"] == issued
    # the index links the current version and the issued one
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="services/wan/{agreement_id}-v1.2.html"' in index
    for live in issued:
        assert f'href="issued/{live}"' in index
    # another version: the register keeps both, oldest first, and the first archive is untouched
    v12 = sha(out / "services" / "wan" / f"{agreement_id}-v1.2.html")
    edit(path.parent / WAN, 'version: "1.2"', 'version: "1.3"')
    build(path, out, "-f", "html")
    assert [e["version"] for e in register(out) if e["document"] == "contoso-wan"] == ["1.1", "1.2"]
    assert sha(out / "issued" / "services" / "wan" / f"{agreement_id}-v1.2.html") == v12
    assert all(sha(out / "issued" / live) == digest for live, digest in issued.items())
    # a build with nothing new leaves the archive as it is
    before = tree(out)
    build(path, out, "-f", "html")
    assert tree(out) == before


def test_a_replaced_version_cannot_come_back_saying_something_else(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    build(path, out, "-f", "html")
    edit(path.parent / WAN, 'version: "1.1"', 'version: "1.2"')
    build(path, out, "-f", "html")
    before = tree(out)
    # back to 1.1, with another term: 1.1 was issued saying something else
    edit(path.parent / WAN, 'version: "1.2"', 'version: "1.1"')
    edit(path.parent / WAN, "credit: 30%}", "credit: 35%}")
    result = invoke("build", path, "-o", out, "-f", "html")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "v1.1 was issued and replaced before" in result.output  # type: ignore[attr-defined]
    assert "give the document a version it has never had" in result.output  # type: ignore[attr-defined]
    assert tree(out) == before  # nothing written


def test_a_document_taken_out_of_the_portfolio_keeps_its_files_until_pruned(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    build(path, out, "-f", "html")
    entry = next(d for d in read(path)["documents"] if d["id"] == "fabrikam-desk")  # type: ignore[index]
    live = f"services/desk/{stem(str(entry['spec']))}.html"
    digest = sha(out / live)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "id: fabrikam-desk" not in line), encoding="utf-8")
    for _ in range(2):  # reported at every build, and left where it is
        result = build(path, out, "-f", "html")
        output = result.output  # type: ignore[attr-defined]
        assert "document fabrikam-desk" in output and "is no longer in the portfolio" in output
        assert "--prune" in output and sha(out / live) == digest
        assert not (out / "issued").exists()
    result = build(path, out, "-f", "html", "--prune")
    assert "fabrikam-desk: no longer in the portfolio, its files moved to" in result.output  # type: ignore[attr-defined]
    assert not (out / live).exists() and sha(out / "issued" / live) == digest
    assert [(e["document"], list(e["files"])) for e in register(out)] == [("fabrikam-desk", [live])]
    result = build(path, out, "-f", "html")
    assert "no longer in the portfolio" not in result.output  # type: ignore[attr-defined]


def test_a_version_whose_files_are_gone_is_not_reported_as_kept(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    out = tmp_path / "out"
    build(path, out, "-f", "html")
    (out / "services" / "wan" / f"{stem(WAN)}.html").unlink()
    edit(path.parent / WAN, 'version: "1.1"', 'version: "1.2"')
    result = build(path, out, "-f", "html")
    assert "kept in" not in result.output  # type: ignore[attr-defined]
    assert not (out / "issued").exists()
