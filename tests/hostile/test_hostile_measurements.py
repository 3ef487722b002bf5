"""Measured data (the CSV files ``report`` and ``portal`` read): a line at a time, within limits.

A file that is not a regular file (a FIFO named ``outages.csv``) is refused without waiting on it; a
byte that is not UTF-8, a NUL and a control character (an escape sequence that would reach a report)
are problems at their line and column; a file past its number of
rows, or with more problems than are worth printing, stops being read at that row.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile_cli import SAMPLES, assert_refused, slaforge

SPEC = SAMPLES / "measurements" / "agreement.yaml"
OUTAGES = "service,start,end,cause,exclusion,reference\n"
TICKETS = "id,service,severity,reported,responded,resolved\n"
ROW = "einvoicing,2027-01-14T09:02:00Z,2027-01-14T09:19:00Z,{cause},,R1\n"


def data(folder: Path, outages: bytes) -> Path:
    folder.mkdir()
    (folder / "outages.csv").write_bytes(outages)
    (folder / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "cause", "says"),
    [
        ("latin-1", "Caf\xe9 outage".encode("latin-1"), "not UTF-8 text: byte 0xe9"),
        ("nul", b"power\x00cut", "a NUL character"),
        ("escape", b"power \x1b[2Jcut", "the control character U+001B"),
    ],
)
def test_a_csv_line_that_is_not_text_is_located(name: str, cause: bytes, says: str, tmp_path: Path) -> None:
    good = ROW.format(cause="fine").encode()
    bad = ROW.encode().replace(b"{cause}", cause)
    folder = data(tmp_path / "data", OUTAGES.encode() + good + good + bad)
    column = bad.index({"latin-1": b"\xe9", "nul": b"\x00", "escape": b"\x1b"}[name]) + 1  # ASCII before it
    out = tmp_path / "out"
    run = slaforge("report", SPEC, "--data", folder, "-o", out, cwd=tmp_path)
    assert_refused(run, f"{folder / 'outages.csv'}:4:{column}", out=out)
    assert says in run.err


def test_a_fifo_named_like_a_csv_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    os.mkfifo(folder / "outages.csv")  # nobody ever writes to it: reading it would wait forever
    run = slaforge("report", SPEC, "--data", folder, cwd=tmp_path)
    assert_refused(run, folder / "outages.csv")
    assert "FIFO" in run.err and run.seconds < 60


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
