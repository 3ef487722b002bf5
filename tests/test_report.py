"""The service level report, checked against figures worked out by hand from the sample CSV files.

Facts of the sample (samples/measurements/): two 24x7 services in Europe/Berlin, both with a 99.9%
target over a calendar month; fees EUR 9,200 (einvoicing) and EUR 2,400 (archive); credit bands of
the saas-platform sample, EUR 150 per missed P1 response, a 40% monthly cap, EUR 50 minimum.
"""

from __future__ import annotations

import json
import re
import zipfile
from fractions import Fraction
from math import floor
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from shared import pdf_pages
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "measurements"
SPEC = SAMPLE / "agreement.yaml"
DAY = 86400

# ---- the hand arithmetic --------------------------------------------------------------------------
# window lengths in real seconds (Berlin): January 31 days, February 28 days, March 31 days less the
# hour the clocks went forward on 28 March 2027
WINDOW = {"2027-01": 31 * DAY, "2027-02": 28 * DAY, "2027-03": 31 * DAY - 3600}
# outages.csv, minute by minute (UTC timestamps in the file)
DOWNTIME = {  # counted downtime per service and month, in seconds
    ("einvoicing", "2027-01"): 17 * 60,  # 09:02-09:19 on 14 January
    ("einvoicing", "2027-02"): 95 * 60 + 30 * 60,  # 08:12-09:47 and 13:05-13:35 on 11 February
    ("einvoicing", "2027-03"): 12 * 60,  # 15:40-15:52 on 22 March
    ("archive", "2027-01"): 0,
    ("archive", "2027-02"): 15 * 60,  # 02:10-02:25 on 3 February
    ("archive", "2027-03"): 8 * 60,  # 09:00-09:08 on 30 March
}
EXCLUDED = {  # scheduled maintenance, seconds
    ("archive", "2027-01"): 90 * 60,  # Saturday 23 January 22:00-23:30 CET
    ("einvoicing", "2027-03"): 100 * 60,  # Saturday 13 March 22:00-23:40 CET
}


def measured(service: str, month: str) -> int:
    return WINDOW[month] - EXCLUDED.get((service, month), 0)


def availability(service: str, month: str) -> Fraction:
    m = measured(service, month)
    return Fraction(m - DOWNTIME[(service, month)], m) * 100


def allowed(service: str, month: str) -> Fraction:
    return Fraction(1, 1000) * measured(service, month)  # 0.1% of the measured time


def shown(value: Fraction) -> str:
    """Three decimals, rounded down, as the report promises."""
    thousandths = floor(value * 1000)
    return f"{thousandths // 1000}.{thousandths % 1000:03d}%"


def short(seconds: Fraction) -> str:
    """Hand-written h/min/s for figures under a day."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{int(hours)} h")
    if minutes:
        parts.append(f"{int(minutes)} min")
    if secs:
        parts.append(f"{float(secs):g} s")
    return " ".join(parts) or "none"


# February credit: 99.689...% lies in [99.5%, 99.9%) -> 5% of EUR 9,200 = EUR 460; ticket LDG-0001023 (P1,
# reported 09:15, responded 09:52, due 09:45 = 30 clock minutes) missed its response -> EUR 150; 610 < cap 3,680
FEB_CREDIT = Fraction(9200 * 5, 100) + 150


def normal(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    for period in ("2027-02", "2027-03"):
        result = CliRunner().invoke(
            app, ["report", str(SPEC), "--data", str(SAMPLE), "--period", period, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
    return out


def html_text(reports: Path, month: str) -> str:
    page = (reports / f"LDG-SLA-VDB-2027-report-{month}.html").read_text(encoding="utf-8")
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    page = re.sub(r"</?(?:strong|em|span|a|ins|del)\b[^>]*>", "", page)  # inline marks join their text
    return normal(re.sub(r"<[^>]+>", " ", page).replace("&nbsp;", " "))


def pdf_text(reports: Path, month: str) -> str:
    return normal(" ".join(pdf_pages(reports / f"LDG-SLA-VDB-2027-report-{month}.pdf")))


def docx_tables(reports: Path, month: str) -> list[list[list[str]]]:
    document = docx.Document(str(reports / f"LDG-SLA-VDB-2027-report-{month}.docx"))
    return [[[normal(c.text) for c in row.cells] for row in table.rows] for table in document.tables]


def row_of(tables: list[list[list[str]]], first: str, header: str) -> list[str]:
    for table in tables:
        if table[0] and table[0][0] == header.split("|")[0] and "|".join(table[0]).startswith(header):
            for row in table[1:]:
                if row[0] == first:
                    return row
    raise AssertionError(f"no row {first!r} in a table headed {header!r}")


def test_the_sample_arithmetic_is_what_the_comments_say() -> None:
    assert shown(availability("einvoicing", "2027-02")) == "99.689%"
    assert short(allowed("einvoicing", "2027-02")) == "40 min 19.2 s"
    assert short(allowed("einvoicing", "2027-03")) == "44 min 28.8 s"
    assert short(allowed("archive", "2027-03")) == "44 min 34.8 s"


@pytest.mark.parametrize("month", ["2027-02", "2027-03"])
@pytest.mark.parametrize("service", [("einvoicing", "E-Invoicing Platform"), ("archive", "Document Archive")])
def test_availability_rows_in_docx_html_and_pdf(reports: Path, month: str, service: tuple[str, str]) -> None:
    sid, name = service
    achieved = availability(sid, month)
    expected = [
        name,
        "99.9%",
        shown(achieved),
        short(allowed(sid, month)),
        short(Fraction(DOWNTIME[(sid, month)])),
        short(Fraction(EXCLUDED.get((sid, month), 0))),
        "Met" if DOWNTIME[(sid, month)] <= allowed(sid, month) else "Missed",
    ]
    assert row_of(docx_tables(reports, month), name, "Service|Target|Achieved|Downtime allowed") == expected
    assert " ".join(expected) in html_text(reports, month)
    assert shown(achieved) in pdf_text(reports, month)


def test_february_breach_and_credit(reports: Path) -> None:
    tables = docx_tables(reports, "2027-02")
    credit = row_of(tables, "E-Invoicing Platform", "Service|Band|Band credit")
    assert credit[1] == "at least 99.5% but below 99.9% (5%)"
    assert credit[2] == f"EUR {Fraction(9200 * 5, 100)}"
    assert credit[3] == "1 × missed-response P1 (EUR 150)"
    assert credit[5] == "EUR 3,680"  # the 40% cap, not reached
    assert credit[6] == f"EUR {FEB_CREDIT}"
    assert row_of(tables, "Document Archive", "Service|Band|Band credit")[6] == "EUR 0"
    p1 = row_of(tables, "P1 Critical", "Severity|Tickets")
    assert p1[1:] == ["1", "0% (0 of 1)", "100% (1 of 1)", "95%", "Missed"]
    for text in (html_text(reports, "2027-02"), pdf_text(reports, "2027-02")):
        assert "Service credits of EUR 610 for the E-Invoicing Platform are owed" in text
        assert "availability target of the E-Invoicing Platform was missed" in text
        assert "Ticket LDG-0001023 (P1, E-Invoicing Platform): response due 11 Feb 09:45, given 11 Feb 09:52." in text
        assert "Total owed for February 2027: EUR 610." in text


def test_march_summary_exclusions_and_ticket_outside_hours(reports: Path) -> None:
    text = html_text(reports, "2027-03")
    assert (
        f"In March 2027 the E-Invoicing Platform was available {shown(availability('einvoicing', '2027-03'))} "
        f"of the time against a target of 99.9% and the Document Archive was available "
        f"{shown(availability('archive', '2027-03'))} of the time against a target of 99.9%: every availability "
        "target was met." in text
    )
    assert "No service credits are owed for March 2027." in text
    assert "No target was missed in March 2027." in text
    # the maintenance on Saturday 13 March, 22:00-23:40 CET, is excluded and named as such
    assert "E-Invoicing Platform 13 Mar 22:00 13 Mar 23:40 1 h 40 min scheduled maintenance" in text
    # 30 days 23 hours: March less the hour the clocks went forward
    assert "March 2027 lasted 30 days 23 hours (the clocks changed)" in text
    # LDG-0001043 (P3) was reported on Friday 19 March at 20:30, after Support Hours (Mon-Fri 08:00-19:00):
    # the clock starts on Monday 22 March at 08:00; 4 business hours -> 12:00; 5 business days of 11 hours
    # -> Mon 22, Tue 23, Wed 24, Thu 25 (44 h), Friday 26 is Good Friday and Monday 29 Easter Monday, so
    # the last 11 hours end on Tuesday 30 March at 19:00
    tables = docx_tables(reports, "2027-03")
    late_start = row_of(tables, "LDG-0001043", "Ticket|Severity|Reported|Business clock started")
    assert late_start == ["LDG-0001043", "P3", "19 Mar 20:30", "22 Mar 08:00", "22 Mar 12:00", "30 Mar 19:00"]
    # the P4 ticket still open on 1 April is not yet due, so it is not counted
    p4 = row_of(tables, "P4 Request", "Severity|Tickets")
    assert p4[1:4] == ["2", "100% (2 of 2)", "100% (1 of 1; 1 open, not yet due)"]
    assert "22 Mar 08:00" in pdf_text(reports, "2027-03")


def test_trend_across_the_quarter(reports: Path) -> None:
    rows = [
        row_of(docx_tables(reports, "2027-03"), label, "Window|E-Invoicing Platform")
        for label in ("January 2027", "February 2027", "March 2027")
    ]
    months = ("2027-01", "2027-02", "2027-03")
    assert [r[1] for r in rows] == [shown(availability("einvoicing", m)) for m in months]
    assert [r[2] for r in rows] == [shown(availability("archive", m)) for m in months]
    assert rows[0][2] == "100.000%"  # January: only excluded maintenance on the archive


def test_the_chart_is_drawn_in_every_format(reports: Path) -> None:
    page = (reports / "LDG-SLA-VDB-2027-report-2027-03.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg.*?</svg>", page, flags=re.S)
    assert svg is not None
    # one dot per service and month, plus the legend's "target missed" dot; February's einvoicing dot is hollow
    assert svg[0].count("<circle") == 2 * 3 + 1
    assert svg[0].count('fill="#ffffff"') == 2
    for label in ("Jan 2027", "Feb 2027", "Mar 2027", "99.9%"):
        assert f">{label}</text>" in svg[0]
    pdf = PdfReader(reports / "LDG-SLA-VDB-2027-report-2027-03.pdf")
    assert "Jan 2027" in pdf_text(reports, "2027-03")
    # the tagged PDF gives the chart the description as its alternative text
    figures: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object()  # type: ignore[attr-defined]
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                if hasattr(kid, "get_object"):
                    walk(kid)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    expected_alt = f"E-Invoicing Platform January 2027 {shown(availability('einvoicing', '2027-01'))}, February 2027"
    assert any(expected_alt in alt for alt in figures), figures
    with zipfile.ZipFile(reports / "LDG-SLA-VDB-2027-report-2027-03.docx") as package:
        images = [n for n in package.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        assert len(images) == 1
        png = package.read(images[0])
        body = package.read("word/document.xml").decode("utf-8")
    assert png.startswith(b"\x89PNG")
    assert int.from_bytes(png[16:20], "big") == 520 * 3  # the chart's layout width, painted at 3x
    assert 'descr="Line chart of availability per month: E-Invoicing Platform January 2027' in body


def test_reports_are_reproducible(tmp_path: Path, reports: Path) -> None:
    args = ["report", str(SPEC), "--data", str(SAMPLE), "--period", "2027-03", "-f", "pdf,docx", "-o", str(tmp_path)]
    assert CliRunner().invoke(app, args).exit_code == 0
    for fmt in ("pdf", "docx"):
        name = f"LDG-SLA-VDB-2027-report-2027-03.{fmt}"
        assert (tmp_path / name).read_bytes() == (reports / name).read_bytes()


def test_the_default_period_is_the_latest_and_a_period_before_the_data_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(SPEC), "--data", str(SAMPLE), "-f", "html", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "LDG-SLA-VDB-2027-report-2027-03.html").is_file()
    result = CliRunner().invoke(app, ["report", str(SPEC), "--data", str(SAMPLE), "--period", "2026-12"])
    assert result.exit_code == 1  # a period before the data: the command line parses
    assert "covers January 2027 to" in result.output


def test_a_window_without_outages_or_tickets_is_reported_as_a_good_one() -> None:
    # June 2027 has no row in the data (which ends in March): nothing went down and nothing was reported
    result = CliRunner().invoke(app, ["report", str(SPEC), "--data", str(SAMPLE), "--period", "2027-06", "--json"])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    assert facts["period"] == {"label": "June 2027", "first_day": "2027-06-01", "last_day": "2027-06-30"}
    for service in facts["services"]:
        assert service["met"] is True and service["achieved"] == "100" and service["downtime_seconds"] == 0
        assert service["window_seconds"] == 30 * 86400 and service["outages"] == []
    assert all(s["tickets"] == 0 for s in facts["severities"])
    assert facts["credits"]["total_owed"] is None


def test_input_a_report_cannot_cover_is_invalid_input_not_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"  # the two files with their header rows only
    empty.mkdir()
    for name in ("outages.csv", "tickets.csv"):
        header = (SAMPLE / name).read_text(encoding="utf-8").splitlines()[0]
        (empty / name).write_text(header + "\n", encoding="utf-8")
    mixed = ROOT / "samples" / "internal-service-desk.yaml"  # monthly and fiscal-quarter windows
    result = CliRunner().invoke(app, ["report", str(mixed), "--data", str(empty), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "a report covers one measurement window" in result.output
    result = CliRunner().invoke(app, ["report", str(SPEC), "--data", str(empty), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "holds no outages and no tickets" in result.output
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ bad data

OUTAGE_HEADER = "service,start,end,cause,exclusion,reference\n"
TICKET_HEADER = "id,service,severity,reported,responded,resolved\n"


def write_data(folder: Path, outages: str, tickets: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "outages.csv").write_text(OUTAGE_HEADER + outages, encoding="utf-8")
    (folder / "tickets.csv").write_text(TICKET_HEADER + tickets, encoding="utf-8")
    return folder


def test_rows_the_csv_module_or_the_calendar_cannot_take_are_reported_not_raised(tmp_path: Path) -> None:
    huge = "x" * 140_000  # over the csv module's field limit
    data = write_data(
        tmp_path / "data",
        "archive,2027-02-01T10:00:00Z,9999-12-31T23:59:00-01:00,Far future,,\n"  # line 2
        f'archive,2027-02-01T10:00:00Z,2027-02-01T11:00:00Z,"{huge}",,\n',  # line 3
        'T-1,einvoicing,P2,2027-02-01T10:00:00+01:00,,"resolved\u2028on a new line"\n',  # line 2
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(SPEC), "--data", str(data), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    outages, tickets = data / "outages.csv", data / "tickets.csv"
    assert f"{outages}:2: error: end: end is out of range" in result.output
    assert f"{outages}:3: error: the row is not valid CSV: field larger than field limit" in result.output
    # a line separator inside a quoted field is part of the field: one row, one reason, at line 2
    assert f"{tickets}:2: error: resolved: resolved is not a date and time" in result.output
    assert f"{tickets}:3" not in result.output
    assert not out.exists()


def test_every_malformed_row_is_reported_with_file_line_and_reason(tmp_path: Path) -> None:
    data = write_data(
        tmp_path / "data",
        "einvoicing,2027-02-01T10:00:00Z,2027-02-01T10:10:00Z,Fine,,\n"  # line 2: good
        "einvoicing,2027-02-01T10:00:00,2027-02-01T10:10:00Z,No zone,,\n"  # line 3
        "einvoicing,2027-02-01T10:00:00Z,2027-02-01T09:00:00Z,Backwards,,\n"  # line 4
        "payroll,2027-02-01T10:00:00Z,2027-02-01T11:00:00Z,Unknown service,,\n"  # line 5
        "\n"  # line 6: blank, no row
        "archive,2027-02-01T10:00:00Z,2027-02-01T11:00:00Z,Not excludable,beta-features,\n"  # line 7
        "einvoicing,2027-02-01T10:00:00Z\n",  # line 8: too few fields
        "T-1,einvoicing,P9,2027-02-01T10:00:00+01:00,,\n"  # line 2
        "T-2,archive,P2,2027-02-01T10:00:00+01:00,2027-02-01T09:00:00+01:00,\n"  # line 3
        "T-3,archive,P2,yesterday,,\n"  # line 4
        "T-3,archive,P2,2027-02-01T10:00:00+01:00,,\n",  # line 5: good (the bad T-3 above was not read)
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(SPEC), "--data", str(data), "-o", str(out)])
    assert result.exit_code == 1
    outages, tickets = data / "outages.csv", data / "tickets.csv"
    expected = [
        f"{outages}:3: error: start: start has no time zone",
        f"{outages}:4: error: end: the outage ends before it starts",
        f"{outages}:5: error: service: no service 'payroll' in the agreement",
        f"{outages}:7: error: exclusion: the agreement does not exclude 'beta-features' outages of service 'archive'",
        f"{outages}:8: error: the row has 2 fields but the header has 6",
        f"{tickets}:2: error: severity: no severity 'P9' in the agreement",
        f"{tickets}:3: error: responded: responded is before the ticket was reported",
        f"{tickets}:4: error: reported: reported is not a date and time",
    ]
    for line in expected:
        assert line in result.output
    assert f"{outages}:2:" not in result.output and f"{outages}:6:" not in result.output
    assert "8 problems in the measured data" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()  # nothing written


def test_a_duplicate_ticket_and_a_missing_file_kind(tmp_path: Path) -> None:
    row = "T-1,archive,P2,2027-02-01T10:00:00+01:00,2027-02-01T10:10:00+01:00,\n"
    data = write_data(tmp_path / "dup", "", row + row)
    result = CliRunner().invoke(app, ["report", str(SPEC), "--data", str(data), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (
        f"{data / 'tickets.csv'}:3: error: id: ticket T-1 appears twice (first at {data / 'tickets.csv'}:2)"
        in result.output
    )
    (data / "tickets.csv").unlink()
    result = CliRunner().invoke(app, ["report", str(SPEC), "--data", str(data), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no file of tickets among outages.csv" in result.output


def test_overlapping_outages_count_once_and_exclusions_win(tmp_path: Path) -> None:
    from slaforge.arithmetic.achievement import achievement
    from slaforge.arithmetic.measurements import load_measurements
    from slaforge.spec import load_spec

    data = write_data(
        tmp_path / "overlap",
        "archive,2027-04-06T08:00:00Z,2027-04-06T08:30:00Z,First alarm,,\n"
        "archive,2027-04-06T08:20:00Z,2027-04-06T08:40:00Z,Second alarm,,\n"  # overlaps the first by 10 min
        "archive,2027-04-06T08:35:00Z,2027-04-06T08:50:00Z,Customer load test,customer-caused,\n"
        "archive,2027-04-30T21:50:00Z,2027-05-01T00:10:00Z,Crosses the month end (Berlin 23:50-02:10),,\n",
        "",
    )
    spec = load_spec(SPEC).spec
    result = achievement(spec, load_measurements(data, spec), "2027-04")
    april = result.current.availability("archive")
    # 08:00-08:40 less the excluded 08:35-08:40 -> 35 min; the month-end outage: 21:50Z-22:00Z is
    # 23:50-24:00 CEST, the rest falls in May -> 10 min
    assert april.downtime_seconds == (35 + 10) * 60
    assert april.excluded_seconds == 15 * 60
    assert april.window_seconds == 30 * DAY
    assert abs(Fraction(april.achieved) - Fraction(30 * DAY - 900 - 2700, 30 * DAY - 900) * 100) < Fraction(1, 10**20)
    assert len(result.windows) == 1  # the data starts in April
    latest = achievement(spec, load_measurements(data, spec))  # by default the latest window: May
    assert [w.period.label for w in latest.windows] == ["April 2027", "May 2027"]
    may = latest.current.availability("archive")
    assert may.downtime_seconds == 130 * 60  # 00:00-02:10 CEST on 1 May


def test_availability_within_service_hours_only(tmp_path: Path) -> None:
    from slaforge.arithmetic.achievement import achievement
    from slaforge.arithmetic.measurements import load_measurements
    from slaforge.spec import load_spec

    text = SPEC.read_text(encoding="utf-8")
    marker = "      target: 99.9%\n      window: calendar-month\n      measured_at: the Provider's external synthetic"
    assert text.count(marker) == 2
    text = text.replace(
        marker, marker.replace("window: calendar-month", "window: calendar-month\n      service_hours_only: true")
    )
    text = text.replace("    hours: always\n", "    hours: office\n")
    spec_path = tmp_path / "office.yaml"
    spec_path.write_text(text, encoding="utf-8")
    data = write_data(
        tmp_path / "hours",
        # Thursday 4 March 2027, 18:30-19:30 CET: only the 30 minutes before 19:00 are service hours
        "archive,2027-03-04T17:30:00Z,2027-03-04T18:30:00Z,Evening outage,,\n"
        # Saturday 6 March: no service hours at all
        "archive,2027-03-06T10:00:00Z,2027-03-06T12:00:00Z,Weekend outage,,\n",
        "",
    )
    spec = load_spec(spec_path).spec
    march = achievement(spec, load_measurements(data, spec), "2027-03").current.availability("archive")
    # 23 weekdays in March 2027 less 8 March, Good Friday and Easter Monday = 20 days of 11 hours
    assert march.window_seconds == 20 * 11 * 3600
    assert march.downtime_seconds == 30 * 60
    assert [share.seconds for share in march.downtime] == [30 * 60]


def test_a_single_file_of_outages_is_enough(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["report", str(SPEC), "--data", str(SAMPLE / "outages.csv"), "-f", "html", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = html_text(out, "2027-03")
    assert "Data: outages.csv and no ticket data was given." in text
    assert "No ticket data was given, so this report says nothing of support responsiveness." in text
    assert "support tickets were reported" not in text and "Every severity met" not in text
    assert shown(availability("einvoicing", "2027-03")) in text


def test_chart_text_is_escaped_in_the_svg() -> None:
    from xml.etree import ElementTree

    from slaforge.document import Chart, ChartSeries
    from slaforge.renderers.chart import svg

    chart = Chart(
        caption='<b>"caption"</b>',
        description='a & b <script>alert("x")</script>',
        categories=("Jan & Feb", "<Mar>"),
        series=(ChartSeries('<img src=x onerror="y">', (99.5, None), 99.9),),
    )
    drawn = svg(chart)
    root = ElementTree.fromstring(drawn)  # well-formed: nothing was let through as markup
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Jan & Feb" in texts and "<Mar>" in texts
    assert root.get("aria-label") == 'a & b <script>alert("x")</script>'
    assert "<script" not in drawn and "<img" not in drawn


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_report_formats_agree_with_the_tree_clause_by_clause(fmt: str) -> None:
    """The report passes the agreements' parity check: same headings and the same words per clause."""
    from collections import Counter

    from test_parity import docx_clauses, expected_text, html_clauses, pdf_clauses, words

    from slaforge.arithmetic.measurements import load_measurements
    from slaforge.document import Chart
    from slaforge.renderers import RenderOptions, render
    from slaforge.renderers.chart import layout
    from slaforge.renderers.theme import Theme
    from slaforge.reports.report import report_document
    from slaforge.spec import load_spec

    spec = load_spec(SPEC).spec
    _, document = report_document(spec, load_measurements(SAMPLE, spec), "2027-02")
    data = render(document, fmt, RenderOptions(theme=Theme.load()))
    headings, found = {"html": html_clauses, "docx": docx_clauses, "pdf": pdf_clauses}[fmt](data, document)
    assert headings == [" ".join(words(f"{n} {t}")) for _, n, t, _ in document.outline()]
    checked = 0
    drawn: Counter[str] = Counter()  # letters of the chart just passed, which the PDF may place later
    for clause in document.clauses():
        charts = [b for b in clause.blocks if isinstance(b, Chart)]
        if charts:  # the chart's words are drawn (SVG) or painted (PNG), not written
            drawn = Counter("".join(words(" ".join(t.text for c in charts for t in layout(c).texts))))
            drawn += Counter("".join(words(" ".join(c.caption for c in charts))))
            continue
        want, got = Counter(expected_text(clause)), Counter(found[clause.id])
        if fmt == "pdf" and want != got:  # a long reference may wrap inside a word
            want, got = Counter("".join(want.elements())), Counter("".join(got.elements()))
            assert not (got - want) - drawn, (clause.id, got - want - drawn)
            got -= (got - want) & drawn
            drawn = Counter()
        assert want == got, (clause.id, want - got, got - want)
        checked += 1
    assert checked >= 8


def test_text_from_the_data_never_becomes_markup(tmp_path: Path) -> None:
    data = write_data(
        tmp_path / "markup",
        'archive,2027-03-02T10:00:00Z,2027-03-02T10:05:00Z,"<script>alert(1)</script> & <b>bold</b>",,<i>REF</i>\n',
        "",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(SPEC), "--data", str(data), "-f", "html,docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "LDG-SLA-VDB-2027-report-2027-03.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>bold" not in page and "<i>REF" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    row = row_of(docx_tables(out, "2027-03"), "Document Archive", "Service|Reference|From")
    assert row[1] == "<i>REF</i>" and row[5] == "<script>alert(1)</script> & <b>bold</b>"


@pytest.mark.parametrize("services", [1, 2, 4])
def test_every_word_of_the_chart_legend_lies_inside_the_picture(services: int) -> None:
    """Measured with the theme's own font, not the layout's estimate: long names wrap into more rows."""
    from xml.etree import ElementTree

    from PIL import ImageFont

    from slaforge.document import Chart, ChartSeries
    from slaforge.renderers.chart import svg

    names = ["E-Invoicing Platform", "Document Archive and Retention Service", "Peppol Access Point", "Reporting"]
    series = tuple(ChartSeries(name, (99.95, 99.7), 99.9) for name in names[:services])
    root = ElementTree.fromstring(svg(Chart("Trend", "Availability per month", ("Jan 2027", "Feb 2027"), series)))
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    font = ImageFont.truetype(str(ROOT / "templates" / "default" / "fonts" / "Caladea-Regular.ttf"), 95)
    legend = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if "dashed" in (t.text or "")]
    assert len(legend) == services
    for text in root.iter("{http://www.w3.org/2000/svg}text"):
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        measured = font.getlength(text.text or "") / 10
        start = {"end": x - measured, "middle": x - measured / 2}.get(text.get("text-anchor", ""), x)
        assert start >= 0 and start + measured <= width, (text.text, start, measured, width)
        assert 0 < y <= height
