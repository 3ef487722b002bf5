"""Measured data (the CSV files ``report`` and ``portal`` read): a line at a time, within limits.

A file that is not a regular file (a FIFO named ``outages.csv``) is refused without waiting on it; a
byte that is not UTF-8, a NUL and a control character (an escape sequence that would reach a report)
are problems at their line and column; a file past its number of
rows, or with more problems than are worth printing, stops being read at that row.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hostile_cli import SAMPLES, Run, assert_refused, files_in, slaforge

SPEC = SAMPLES / "measurements" / "agreement.yaml"
OUTAGES = "service,start,end,cause,exclusion,reference\n"
TICKETS = "id,service,severity,reported,responded,resolved\n"
ROW = "einvoicing,2027-01-14T09:02:00Z,2027-01-14T09:19:00Z,{cause},,R1\n"


def data(folder: Path, outages: bytes) -> Path:
    folder.mkdir()
    (folder / "outages.csv").write_bytes(outages)
    (folder / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    return folder


PORTFOLIO = SAMPLES / "portfolio" / "portfolio.yaml"
PORTFOLIO_DATA = SAMPLES / "portfolio" / "measured"
WAN_ROW = "wan,2027-04-12T06:40:00Z,2027-04-12T06:52:00Z,{cause},,R1\n"
COMMANDS = ("report", "portal")


def measured(command: str, tmp_path: Path) -> tuple[Path, Path, str]:
    """A copy of the measured data ``command`` reads, the folder of its outages file, and a row for it."""
    if command == "report":
        folder = tmp_path / "data"
        data(folder, OUTAGES.encode())
        return folder, folder, ROW
    shutil.copytree(PORTFOLIO_DATA, tmp_path / "data")
    return tmp_path / "data", tmp_path / "data" / "contoso-wan", WAN_ROW


def run_reading(command: str, data_dir: Path, tmp_path: Path) -> Run:
    """``report`` of the measurements sample, or ``portal`` of the sample portfolio, over ``data_dir``;
    either must have written nothing, in its output folder or (the portal) its work folder."""
    out = tmp_path / "out"
    if command == "report":
        run = slaforge("report", SPEC, "--data", data_dir, "-o", out, cwd=tmp_path)
    else:
        run = slaforge("portal", PORTFOLIO, "--data", data_dir, "-o", out, "-f", "html", cwd=tmp_path)
    for folder in (out, tmp_path / ".out-work"):
        assert files_in(folder) == [], f"{command} wrote {files_in(folder)} although it refused its data"
    return run


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("name", "cause", "says"),
    [
        ("latin-1", "Caf\xe9 outage".encode("latin-1"), "not UTF-8 text: byte 0xe9"),
        ("nul", b"power\x00cut", "a NUL character"),
        ("escape", b"power \x1b[2Jcut", "the control character U+001B"),
        ("surrogate", b"power \xed\xa0\x80cut", "not UTF-8 text: byte 0xed"),
        ("long line", b"x" * (1024 * 1024 + 10), "longer than"),
    ],
)
def test_a_csv_line_that_is_not_text_is_located(
    command: str, name: str, cause: bytes, says: str, tmp_path: Path
) -> None:
    data_dir, folder, row = measured(command, tmp_path)
    good = row.format(cause="fine").encode()
    bad = row.encode().replace(b"{cause}", cause)
    header = (folder / "outages.csv").read_bytes().splitlines(keepends=True)[0]
    (folder / "outages.csv").write_bytes(header + good + good + bad)
    wrong = {"latin-1": b"\xe9", "nul": b"\x00", "escape": b"\x1b", "surrogate": b"\xed"}.get(name, b"x")
    column = bad.index(wrong) + 1  # ASCII before it
    run = run_reading(command, data_dir, tmp_path)
    assert_refused(run, f"{folder / 'outages.csv'}:4" + ("" if name == "long line" else f":{column}"))
    assert says in run.err, run.err


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "link to a fifo"])
def test_an_outages_file_that_is_not_a_regular_file_is_refused_not_waited_on(
    command: str, kind: str, tmp_path: Path
) -> None:
    data_dir, folder, _ = measured(command, tmp_path)
    target = folder / "outages.csv"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)  # nobody ever writes to it: reading it would wait forever
    elif kind == "folder":
        target.mkdir()
    elif kind == "device":
        target.symlink_to("/dev/zero")  # reading it would never end
    else:
        os.mkfifo(tmp_path / "pipe")
        target.symlink_to(tmp_path / "pipe")
    run = run_reading(command, data_dir, tmp_path)
    assert_refused(run, target)
    assert run.seconds < 60


@pytest.mark.parametrize("command", COMMANDS)
def test_an_outages_file_past_its_size_is_refused_unread(command: str, tmp_path: Path) -> None:
    from slaforge.inputs.limits import CSV_FILE_BYTES

    data_dir, folder, _ = measured(command, tmp_path)
    with (folder / "outages.csv").open("r+b") as sparse:  # holes on disk: 257 MiB that cost nothing to write
        sparse.truncate(CSV_FILE_BYTES + 1024 * 1024)
    run = run_reading(command, data_dir, tmp_path)
    assert_refused(run, folder / "outages.csv")
    assert run.seconds < 60


def test_a_file_past_its_rows_stops_at_the_first_row_too_many(tmp_path: Path, monkeypatch) -> None:
    from slaforge.arithmetic import measurements
    from slaforge.errors import DataError
    from slaforge.spec import load_spec

    monkeypatch.setattr(measurements, "CSV_ROWS", 50)  # the real limit (a million) would take a minute to reach
    rows = "".join(ROW.format(cause=f"outage {i}") for i in range(80))
    folder = data(tmp_path / "data", (OUTAGES + rows).encode())
    with pytest.raises(DataError) as raised:
        measurements.load_measurements(folder, load_spec(SPEC).spec)
    problems = raised.value.problems
    assert [(p.line, "more than 50 rows" in p.message) for p in problems] == [(52, True)]  # header + 50 rows


def test_a_file_of_bad_rows_reports_the_first_hundred_and_stops(tmp_path: Path) -> None:
    from slaforge.arithmetic.measurements import load_measurements
    from slaforge.errors import DataError
    from slaforge.inputs.limits import CSV_PROBLEMS
    from slaforge.spec import load_spec

    rows = "".join(f"nosuchservice,2027-01-14T09:02:00Z,2027-01-14T09:19:00Z,x{i},,\n" for i in range(500))
    folder = data(tmp_path / "data", (OUTAGES + rows).encode())
    with pytest.raises(DataError) as raised:
        load_measurements(folder, load_spec(SPEC).spec)
    problems = raised.value.problems
    assert len(problems) == CSV_PROBLEMS + 1
    assert [p.line for p in problems[:CSV_PROBLEMS]] == list(range(2, CSV_PROBLEMS + 2))
    assert "reading stopped" in problems[-1].message and problems[-1].line == CSV_PROBLEMS + 2


def test_every_row_of_a_file_shares_one_string_for_its_file(tmp_path: Path) -> None:
    """Memory per row: a million rows keep one copy of their file's path, not a million (benchmarks/report_rows.py)."""
    from slaforge.arithmetic.measurements import load_measurements
    from slaforge.spec.loader import load_spec

    rows = [ROW.format(cause=f"Fault {i}").replace(":02:", f":{i:02d}:") for i in range(3)]
    folder = data(tmp_path / "data", (OUTAGES + "".join(rows)).encode())
    loaded = load_measurements(folder, load_spec(SPEC).spec)
    outages = loaded.outages
    assert [o.source for o in outages] == [f"{folder / 'outages.csv'}:{line}" for line in (2, 3, 4)]
    assert len({id(o.file) for o in outages}) == 1
