"""Named spans, seasons and regional calendars: deadlines, checks, the text and the report.

Every date and time below is worked out by hand from the calendars this file writes; none is taken from
the code.  The calendars (the minimal spec's term runs from 1 June 2027 to 31 May 2029):

- ``office`` (Europe/London, bank holidays in England and Wales): Core hours (the business span)
  Monday to Friday 09:00-17:00, Extended hours Monday to Friday 17:00-20:00 and Saturday 09:00-13:00;
  in the Winter trading season (1 December to the end of February) Core hours are 08:00-18:00 and
  Extended hours 18:00-20:00 and Saturday 09:00-13:00;
- ``toronto`` (America/Toronto, public holidays in Ontario): Monday to Friday 09:00-18:00.

P3's response target is 4 business hours.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.arithmetic import calendars
from slaforge.cli import app
from slaforge.errors import Problem, SpecError
from slaforge.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "tests" / "specs" / "minimal.yaml").read_text(encoding="utf-8")
OFFICE = MINIMAL[MINIMAL.index("  office:\n") : MINIMAL.index("\nresponsiveness:")]

SPANS = """  office:
    name: Business Hours
    timezone: Europe/London
    spans:
      - id: prime
        name: Core hours
        windows: [{days: mon-fri, from: "09:00", to: "17:00"}]
      - id: non-prime
        name: Extended hours
        windows:
          - {days: mon-fri, from: "17:00", to: "20:00"}
          - {days: sat, from: "09:00", to: "13:00"}
    seasons:
      - id: winter
        name: Winter trading
        from: 12-01
        until: 03-01
        spans:
          - {id: prime, windows: [{days: mon-fri, from: "08:00", to: "18:00"}]}
          - id: non-prime
            windows: [{days: mon-fri, from: "18:00", to: "20:00"}, {days: sat, from: "09:00", to: "13:00"}]
    public_holidays: {country: GB, subdivision: ENG}
    holiday_calendar: bank holidays in England and Wales
  toronto:
    name: North America Hours
    timezone: America/Toronto
    prime: [{days: mon-fri, from: "09:00", to: "18:00"}]
    public_holidays: {country: CA, subdivision: "ON"}
    holiday_calendar: public holidays in Ontario
"""
SITES = """sites:
  - {id: kendal, name: Kendal head office}
  - {id: toronto, name: Toronto store, hours: toronto}

"""


def regional_spec(tmp_path: Path, replace: dict[str, str] | None = None) -> Path:
    text = MINIMAL.replace(OFFICE, SPANS).replace("services:\n", SITES + "services:\n", 1)
    for old, new in (replace or {}).items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "regional.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return regional_spec(tmp_path_factory.mktemp("regional"))


def deadline(path: Path, reported: str, *extra: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["calc", "deadline", str(path), "--severity", "P3", "--reported", reported,
                                      *extra, "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def response_due(path: Path, reported: str, *extra: str) -> str:
    return deadline(path, reported, *extra)["targets"]["response"]["due"]  # type: ignore[index]


# ------------------------------------------------------------------ deadlines


def test_non_prime_hours_do_not_count_towards_business_time(spec_path: Path) -> None:
    # Wednesday 15 September 2027 16:00: 1 hour of Core hours, then Extended hours (not business) until 20:00;
    # 3 hours from Thursday 09:00
    assert response_due(spec_path, "2027-09-15T16:00") == "2027-09-16T12:00:00+01:00"
    # reported in Extended hours (18:30): counting starts at the next Core hours, Thursday 09:00
    assert response_due(spec_path, "2027-09-15T18:30") == "2027-09-16T13:00:00+01:00"
    # Saturday 18 September 11:00 is Extended hours too: Monday 09:00 + 4 hours
    assert response_due(spec_path, "2027-09-18T11:00") == "2027-09-20T13:00:00+01:00"


def test_the_season_begins_and_ends_on_its_dates(spec_path: Path) -> None:
    # Thursday 30 November 2028 15:00 (usual Core hours to 17:00): 2 hours; Friday 1 December is winter,
    # Core hours from 08:00: due 10:00
    assert response_due(spec_path, "2028-11-30T15:00") == "2028-12-01T10:00:00+00:00"
    # Tuesday 29 February 2028 16:00 (winter, to 18:00): 2 hours; Wednesday 1 March is not winter: 09:00 + 2 hours
    assert response_due(spec_path, "2028-02-29T16:00") == "2028-03-01T11:00:00+00:00"
    # 17:30 on a winter weekday is Core hours (not Extended hours as it is in summer)
    office = load_spec(spec_path).spec.service_hours["office"]
    winter = dt.datetime(2028, 1, 12, 17, 30, tzinfo=dt.UTC)
    summer = dt.datetime(2028, 6, 14, 16, 30, tzinfo=dt.UTC)  # 17:30 in London
    assert (calendars.span_at(office, winter), calendars.span_at(office, summer)) == ("prime", "non-prime")


def test_a_site_counts_in_its_own_calendar_and_time_zone(spec_path: Path) -> None:
    reported = "2028-02-18T16:00-05:00"  # Friday 18 February 2028, 16:00 in Toronto, 21:00 in London
    # Toronto: 2 hours on Friday (to 18:00); Monday 21 February is Family Day in Ontario; Tuesday 09:00 + 2 hours
    toronto = deadline(spec_path, reported, "--site", "toronto")
    assert toronto["targets"]["response"]["due"] == "2028-02-22T11:00:00-05:00"  # type: ignore[index]
    assert (toronto["calendar"], toronto["timezone"], toronto["site"]) == (
        "North America Hours", "America/Toronto", "toronto",
    )  # fmt: skip
    # the head office has no calendar of its own: the service's support hours (London, winter): Monday 08:00 + 4 h
    assert response_due(spec_path, reported, "--site", "kendal") == "2028-02-21T12:00:00+00:00"
    assert response_due(spec_path, reported) == "2028-02-21T12:00:00+00:00"


def test_customer_local_hours_come_before_the_service_support_hours(tmp_path: Path) -> None:
    path = regional_spec(tmp_path, {"    name: Fellside Outdoor Retail Ltd\n":
                                    "    name: Fellside Outdoor Retail Ltd\n    hours: toronto\n"})  # fmt: skip
    # no site named: the customer's local hours (Toronto) apply; the head office (no calendar) takes them too
    assert response_due(path, "2028-02-18T16:00-05:00") == "2028-02-22T11:00:00-05:00"
    assert response_due(path, "2028-02-18T16:00-05:00", "--site", "kendal") == "2028-02-22T11:00:00-05:00"


def test_an_unknown_site_is_refused_with_the_known_ones(spec_path: Path) -> None:
    result = CliRunner().invoke(app, ["calc", "deadline", str(spec_path), "--severity", "P3",
                                      "--reported", "2028-02-18T16:00", "--site", "leeds"])  # fmt: skip
    assert result.exit_code == 1
    assert "--site 'leeds': no site of that id" in result.output and "kendal, toronto" in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ checks


def errors(path: Path) -> list[Problem]:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return [p for p in caught.value.problems if p.severity == "error"]


def test_the_regional_spec_is_valid(spec_path: Path) -> None:
    assert list(load_spec(spec_path).warnings) == []


def test_spans_that_share_a_minute(tmp_path: Path) -> None:
    path = regional_spec(tmp_path, {'          - {days: mon-fri, from: "17:00", to: "20:00"}\n':
                                    '          - {days: mon-fri, from: "16:30", to: "20:00"}\n'})  # fmt: skip
    (error,) = errors(path)
    assert (error.code, error.path) == ("span-overlap", "service_hours.office.spans[1]")
    assert error.message == "the spans 'prime' and 'non-prime' of Business Hours are both open on mon 16:30\u201317:00"


def test_spans_that_share_a_minute_only_in_the_season(tmp_path: Path) -> None:
    path = regional_spec(tmp_path, {'{days: mon-fri, from: "18:00", to: "20:00"}':
                                    '{days: mon-fri, from: "17:00", to: "20:00"}'})  # fmt: skip
    (error,) = errors(path)
    assert (error.code, error.path) == ("span-overlap", "service_hours.office.seasons[0].spans")
    assert "Winter trading" in error.message and "17:00\u201318:00" in error.message


def test_a_season_that_changes_an_unknown_span_and_overlapping_seasons(tmp_path: Path) -> None:
    extra = (
        "      - id: sale\n        name: January sale\n        from: 2028-01-02\n        until: 2028-01-09\n"
        '        spans: [{id: weekend, windows: [{days: sun, from: "10:00", to: "16:00"}]}]\n'
    )
    path = regional_spec(tmp_path, {"    public_holidays: {country: GB, subdivision: ENG}\n":
                                    extra + "    public_holidays: {country: GB, subdivision: ENG}\n"})  # fmt: skip
    found = {(e.code, e.path) for e in errors(path)}
    assert found == {
        ("season-unknown-span", "service_hours.office.seasons[1].spans[0].id"),
        ("season-overlap", "service_hours.office.seasons[1]"),
    }
    overlap = next(e for e in errors(path) if e.code == "season-overlap")
    assert overlap.message == (
        "the seasons 'Winter trading' and 'January sale' of Business Hours both include 2 January 2028"
    )


def test_sites_refer_to_calendars_and_customers_that_exist(tmp_path: Path) -> None:
    path = regional_spec(tmp_path, {"hours: toronto}": "hours: montreal}",
                                    "  - {id: kendal, name: Kendal head office}":
                                    "  - {id: kendal, name: Kendal head office, customer: acme}"})  # fmt: skip
    assert {(e.code, e.path, e.given) for e in errors(path)} == {
        ("unknown-reference", "sites[1].hours", "montreal"),
        ("unknown-reference", "sites[0].customer", "acme"),
    }


def test_business_targets_need_a_business_span(tmp_path: Path) -> None:
    path = regional_spec(tmp_path, {"      - id: prime\n        name: Core hours\n":
                                    "      - id: core\n        name: Core hours\n",
                                    "          - {id: prime, windows:": "          - {id: core, windows:"})  # fmt: skip
    (error,) = [e for e in errors(path) if e.code == "calendar-no-business-span"]
    assert error.path == "responsiveness.hours"
    assert "P3 response, P3 resolution" in error.message


# ------------------------------------------------------------------ the text


def agreement_text(spec: Path, out: Path) -> str:
    result = CliRunner().invoke(app, ["build", str(spec), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    return page.read_text(encoding="utf-8")


def rows(page: str, caption: str) -> list[list[str]]:
    """The cells of the table with this caption, as text."""
    start = page.index(f">{caption}<")
    table = page[page.rindex("<table", 0, start) : page.index("</table>", start)]
    cells = (re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in re.findall(r"<tr.*?</tr>", table, re.S))
    return [[html.unescape(re.sub(r"<[^>]+>|\s+", lambda m: " " if m.group().isspace() else "", c)).strip()
             for c in row] for row in cells]  # fmt: skip


def test_the_text_states_the_hours_of_each_span_and_season(spec_path: Path, tmp_path: Path) -> None:
    page = agreement_text(spec_path, tmp_path / "out")
    assert rows(page, "Hours of the Business Hours calendar") == [
        ["Span", "Usual hours", "Winter trading: 1 December to the end of February each year"],
        ["Core hours (Prime Hours)", "Monday to Friday 09:00\u201317:00", "Monday to Friday 08:00\u201318:00"],
        ["Extended hours", "Monday to Friday 17:00\u201320:00; Saturday 09:00\u201313:00",
         "Monday to Friday 18:00\u201320:00; Saturday 09:00\u201313:00"],
    ]  # fmt: skip
    sites = rows(page, "Sites and their support hours")
    assert [row[:2] for row in sites] == [
        ["Site", "Customer"], ["Kendal head office", "Fellside Outdoor Retail Ltd"],
        ["Toronto store", "Fellside Outdoor Retail Ltd"],
    ]  # fmt: skip
    assert sites[1][2] == "the Support Hours of the Service"
    assert sites[2][2].startswith("North America Hours: Monday to Friday 09:00\u201318:00 (America/Toronto time)")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    # the Toronto calendar's own holidays, for information: Ontario's, in Canadian English
    assert "Labour Day, 6 September 2027" in text and "Family Day, 21 February 2028" in text
    assert "the targets for an Incident are counted in the calendar of the site from which it is reported" in (
        re.sub(r"\s+", " ", text).replace("The targets", "the targets")
    )


# ------------------------------------------------------------------ the report


def test_the_report_counts_each_ticket_in_its_site_calendar(spec_path: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "outages.csv").write_text("service,start,end,cause,exclusion,reference\n", encoding="utf-8")
    # both reported Friday 18 February 2028 21:00 UTC and responded Monday 21 February 13:00 UTC (08:00 Toronto):
    # the London ticket was due Monday 12:00 UTC (missed), the Toronto one Tuesday 16:00 UTC (met)
    (data / "tickets.csv").write_text(
        "id,service,severity,reported,responded,resolved,site\n"
        "T-1,gateway,P3,2028-02-18T21:00:00Z,2028-02-21T13:00:00Z,2028-02-21T14:00:00Z,kendal\n"
        "T-2,gateway,P3,2028-02-18T21:00:00Z,2028-02-21T13:00:00Z,2028-02-21T14:00:00Z,toronto\n",
        encoding="utf-8",
    )
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(spec_path), "--data", str(data), "--period", "2028-02",
                                      "-f", "html", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))))
    assert "T-1" in text and "T-2" not in text  # only the missed response is listed
    bad = data / "tickets.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace(",toronto\n", ",leeds\n"), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(spec_path), "--data", str(data), "--period", "2028-02",
                                      "-f", "html", "-o", str(tmp_path / "again")])  # fmt: skip
    assert result.exit_code == 1
    assert "tickets.csv:3" in result.output and "no site 'leeds'" in result.output
    assert not (tmp_path / "again").exists() or not any((tmp_path / "again").iterdir())
