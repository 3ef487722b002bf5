"""Measured data: outages and support tickets, read from CSV files (format: docs/measurements.md).

A data folder holds any number of ``*.csv`` files; each file's header says
what it holds (outages have ``start`` and ``end``, tickets have ``reported``).
Every timestamp carries its UTC offset (``2027-02-11T09:12:00+01:00`` or
``...Z``): measurements come from monitoring systems in many zones, so none
is guessed.  Each row is checked against the agreement (known service,
severity, allowed exclusion); every bad row of every file is reported at once,
with its file, line and field, and nothing is read from a file with errors.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from slaforge.errors import DataError, InvalidArgument, Problem, Problems, SlaforgeError
from slaforge.inputs.files import confined, read_lines
from slaforge.inputs.limits import CSV_FILE_BYTES, CSV_LINE_BYTES, CSV_PROBLEMS, CSV_ROWS
from slaforge.spec.models import Exclusion, Spec

OUTAGE_COLUMNS = ("service", "start", "end", "cause", "exclusion", "reference")
OUTAGE_REQUIRED = ("service", "start", "end", "cause")
TICKET_COLUMNS = ("id", "service", "severity", "reported", "responded", "resolved", "site")
TICKET_REQUIRED = ("id", "service", "severity", "reported", "responded", "resolved")
TIMESTAMP_EXPECTED = "an ISO 8601 date and time with its UTC offset, e.g. 2027-02-11T09:12:00+01:00 or ...Z"


LAST_YEAR = 9000  # measured data lies long before the end of Python's calendar (9999)


@dataclass(frozen=True, slots=True)
class Outage:
    service: str
    start: dt.datetime  # aware
    end: dt.datetime  # aware, after start
    cause: str
    exclusion: Exclusion | None  # None: the outage counts as downtime
    reference: str | None
    file: str  # the file it was read from: one string shared by every row of the file
    line: int

    @property
    def source(self) -> str:
        """Where the row was read: ``outages.csv:7``."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Ticket:
    id: str
    service: str
    severity: str
    reported: dt.datetime
    responded: dt.datetime | None  # None: not yet responded to
    resolved: dt.datetime | None  # None: still open
    file: str  # the file it was read from: one string shared by every row of the file
    line: int
    site: str | None = None  # the site it was reported from: its calendar applies

    @property
    def source(self) -> str:
        """Where the row was read: ``tickets.csv:7``."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Measurements:
    outages: tuple[Outage, ...]
    tickets: tuple[Ticket, ...]
    files: tuple[Path, ...]
    kinds: frozenset[str] = frozenset({"outages", "tickets"})  # what the files hold (a single file: one kind)

    def instants(self) -> Iterator[dt.datetime]:
        for outage in self.outages:
            yield outage.start
            yield outage.end - dt.timedelta(microseconds=1)
        for ticket in self.tickets:
            yield ticket.reported


def data_files(path: Path) -> list[Path]:
    if path.is_dir():
        # a folder, a FIFO or a device named x.csv is refused when it is read, never skipped in silence
        files = sorted(path.glob("*.csv"))
        for file in files:  # a link to a file elsewhere on the disk is refused, never read
            confined(file, path, what="CSV file of measured data", error=InvalidArgument)
        if files:
            return files
        raise InvalidArgument(f"{path} holds no .csv files of outages or tickets (see docs/measurements.md)")
    if path.exists() or path.is_symlink():
        return [path]  # a file: read, or refused when it is not a regular one
    raise InvalidArgument(f"measured data {path} does not exist")


def load_measurements(path: Path, spec: Spec) -> Measurements:
    """Every outage and ticket under ``path`` (a CSV file or a folder of them), checked against ``spec``.

    A folder must hold both kinds of file (tickets only when the agreement sets support targets); a single file
    holds one kind, and the other is taken as none.
    """
    files = data_files(path)
    problems: list[Problem] = []
    outages: list[Outage] = []
    tickets: list[Ticket] = []
    kinds: set[str] = set()
    for file in files:
        reader = RowReader(file, spec, problems)
        kind = reader.read(outages, tickets)
        if kind:
            kinds.add(kind)
    if not problems and path.is_dir():
        for kind, columns in (("outages", OUTAGE_COLUMNS), ("tickets", TICKET_COLUMNS)):
            if kind == "tickets" and spec.responsiveness is None:
                continue  # an agreement without support targets has no tickets to measure
            if kind not in kinds:
                problems.append(
                    Problem(
                        f"no file of {kind} among {', '.join(f.name for f in files)}",
                        file=str(path),
                        expected=f"a CSV file with the header {','.join(columns)} (it may have no rows)",
                        code="missing-data",
                    )
                )
    _duplicate_tickets(tickets, problems)
    Problems(problems).raise_errors(DataError, f"in the measured data {path}")
    return Measurements(tuple(outages), tuple(tickets), tuple(files), frozenset(kinds))


def _duplicate_tickets(tickets: list[Ticket], problems: list[Problem]) -> None:
    seen: dict[str, Ticket] = {}
    for ticket in tickets:
        first = seen.setdefault(ticket.id, ticket)
        if first is not ticket:
            problems.append(
                Problem(
                    f"ticket {ticket.id} appears twice (first at {first.source})",
                    file=ticket.file,
                    line=ticket.line,
                    path="id",
                    given=ticket.id,
                    expected="each ticket once",
                    code="duplicate",
                )
            )


class RowReader:
    """Reads one CSV file, appending rows to the right list and every problem to ``problems``."""

    def __init__(self, file: Path, spec: Spec, problems: list[Problem]) -> None:
        self.file = file
        self.name = str(file)  # the one string every row of the file names its file by
        self.spec = spec
        self.problems = problems
        self.line = 1
        self.services = {s.id: s for s in spec.services}
        self.severities = [s.id for s in spec.severities]
        self.sites = [s.id for s in spec.sites]
        self.effective = spec.agreement.effective

    def problem(
        self, message: str, field: str | None = None, given: str | None = None, expected: str | None = None
    ) -> None:
        self.problems.append(
            Problem(message, file=str(self.file), line=self.line, path=field, given=given, expected=expected)
        )

    def read(self, outages: list[Outage], tickets: list[Ticket]) -> str | None:
        lines = read_lines(
            self.file,
            limit=CSV_FILE_BYTES,
            line_chars=CSV_LINE_BYTES,
            what="CSV file of measured data",
            error=DataError,
        )
        reader = csv.reader(lines)  # lines keep their endings: quoted fields may hold any line break
        try:
            header_row = next(reader, None)
        except SlaforgeError as error:
            self.failed(error)
            return None
        except csv.Error as error:
            self.problem(
                f"the header row is not valid CSV: {error}", expected="a header row (see docs/measurements.md)"
            )
            return None
        if header_row is None:
            self.problem("the file is empty", expected="a header row (see docs/measurements.md)")
            return None
        header = [h.strip().lower() for h in header_row]
        kind, columns, required = self.kind_of(header)
        if kind is None:
            return None
        before = len(self.problems)
        for unknown in (h for h in header if h not in columns):
            self.problem(f"unknown column {unknown!r}", given=unknown, expected=", ".join(columns))
        for missing in (c for c in required if c not in header):
            self.problem(f"missing column {missing!r}", given=",".join(header), expected=",".join(columns))
        if len(self.problems) > before:
            return kind
        rows = 0
        for values in _rows(reader, self):
            self.line = reader.line_num
            rows += 1
            if rows > CSV_ROWS:
                self.problem(
                    f"the file holds more than {CSV_ROWS:,} rows; reading stopped here",
                    expected=f"at most {CSV_ROWS:,} rows in one file (see docs/limits.md); split it by period",
                )
                return kind
            if len(self.problems) - before >= CSV_PROBLEMS:
                self.problem(
                    f"{CSV_PROBLEMS} problems in this file; reading stopped here",
                    expected="a file whose rows follow docs/measurements.md",
                )
                return kind
            if not any(v.strip() for v in values):
                continue  # a blank line holds no row
            if len(values) != len(header):
                self.problem(
                    f"the row has {len(values)} fields but the header has {len(header)}",
                    given=",".join(values),
                    expected=",".join(header),
                )
                continue
            row = {name: value.strip() for name, value in zip(header, values, strict=True)}
            if kind == "outages":
                outage = self.outage(row)
                if outage:
                    outages.append(outage)
            else:
                ticket = self.ticket(row)
                if ticket:
                    tickets.append(ticket)
        return kind

    def failed(self, error: SlaforgeError) -> None:
        """A problem of the file itself (not UTF-8, too large, a NUL, a line too long), at its line."""
        self.problems.extend(error.problems or [Problem(error.message, file=str(self.file), line=self.line)])

    def kind_of(self, header: list[str]) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
        if "start" in header or "end" in header:
            return "outages", OUTAGE_COLUMNS, OUTAGE_REQUIRED
        if "reported" in header:
            return "tickets", TICKET_COLUMNS, TICKET_REQUIRED
        self.problem(
            "the header names neither outages (start, end) nor tickets (reported)",
            given=",".join(header),
            expected=f"{','.join(OUTAGE_COLUMNS)} or {','.join(TICKET_COLUMNS)}",
        )
        return None, (), ()

    # ------------------------------------------------------------ fields

    def required(self, row: dict[str, str], field: str) -> str | None:
        value = row.get(field, "")
        if not value:
            self.problem(f"{field} is empty", field, expected=f"a value for {field}")
            return None
        return value

    def timestamp(self, row: dict[str, str], field: str, *, optional: bool = False) -> dt.datetime | None:
        value = row.get(field, "")
        if not value:
            if not optional:
                self.problem(f"{field} is empty", field, expected=TIMESTAMP_EXPECTED)
            return None
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            self.problem(f"{field} is not a date and time", field, given=value, expected=TIMESTAMP_EXPECTED)
            return None
        if when.tzinfo is None or when.utcoffset() is None:
            self.problem(
                f"{field} has no time zone, so the moment it names is unknown",
                field,
                given=value,
                expected=TIMESTAMP_EXPECTED,
            )
            return None
        if when.year >= LAST_YEAR:  # the calendar arithmetic of a window around it would overflow
            self.problem(f"{field} is out of range", field, given=value, expected=f"a moment before {LAST_YEAR}")
            return None
        if when.date() < self.effective:
            self.problem(
                f"{field} is before the agreement took effect on {self.effective.isoformat()}",
                field,
                given=value,
                expected=f"a moment on or after {self.effective.isoformat()}",
            )
            return None
        return when

    def service(self, row: dict[str, str]) -> str | None:
        value = self.required(row, "service")
        if value is not None and value not in self.services:
            self.problem(f"no service {value!r} in the agreement", "service", value, ", ".join(self.services))
            return None
        return None if value is None else self.services[value].id  # the spec's own string: one for a million rows

    def outage(self, row: dict[str, str]) -> Outage | None:
        before = len(self.problems)
        service = self.service(row)
        start = self.timestamp(row, "start")
        end = self.timestamp(row, "end")
        cause = self.required(row, "cause")
        exclusion = None
        flag = row.get("exclusion", "")
        if flag and service is not None:
            commitments = self.services[service].all_commitments
            allowed = [e.value for e in Exclusion if any(e in c.exclusions for c in commitments)]
            if flag not in allowed:
                self.problem(
                    f"the agreement does not exclude {flag!r} outages of service {service!r}",
                    "exclusion",
                    flag,
                    f"empty (the outage counts as downtime) or one of {', '.join(allowed)}",
                )
            else:
                exclusion = Exclusion(flag)
        if start and end and end <= start:
            self.problem("the outage ends before it starts", "end", row["end"], f"a moment after {row['start']}")
        if len(self.problems) > before:
            return None
        assert service and start and end and cause
        return Outage(service, start, end, cause, exclusion, row.get("reference") or None, self.name, self.line)

    def ticket(self, row: dict[str, str]) -> Ticket | None:
        before = len(self.problems)
        ticket_id = self.required(row, "id")
        service = self.service(row)
        severity = self.required(row, "severity")
        if severity is not None and severity not in self.severities:
            self.problem(f"no severity {severity!r} in the agreement", "severity", severity, ", ".join(self.severities))
        reported = self.timestamp(row, "reported")
        responded = self.timestamp(row, "responded", optional=True)
        resolved = self.timestamp(row, "resolved", optional=True)
        for field, when in (("responded", responded), ("resolved", resolved)):
            if reported and when and when < reported:
                self.problem(
                    f"{field} is before the ticket was reported", field, row[field], f"on or after {row['reported']}"
                )
        if resolved and not responded and not row.get("responded"):
            self.problem(
                "the ticket is resolved but has no response time",
                "responded",
                "",
                "the moment of the first response (at the latest, the resolution)",
            )
        site = row.get("site") or None
        if site is not None and site not in self.sites:
            self.problem(
                f"no site {site!r} in the agreement",
                "site",
                site,
                "empty, or one of " + ", ".join(self.sites) if self.sites else "empty (the agreement lists no sites)",
            )
        if len(self.problems) > before:
            return None
        assert ticket_id and service and severity and reported
        return Ticket(ticket_id, service, severity, reported, responded, resolved, self.name, self.line, site)


def _rows(reader: Iterator[list[str]], file: RowReader) -> Iterator[list[str]]:
    """The rows of a CSV file; a row the csv module cannot read is reported at its line, and reading stops."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except SlaforgeError as error:
            file.failed(error)
            return
        except csv.Error as error:
            file.line = getattr(reader, "line_num", file.line + 1)
            file.problem(f"the row is not valid CSV: {error}", expected="a CSV row (see docs/measurements.md)")
            return
        yield values
