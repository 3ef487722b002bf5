"""The customer portal: the sample site built once, read back as files, as JSON and in a real browser.

Figures are checked against values computed here from the sample's CSV files and YAML (window
lengths, downtime, the WAN's credit bands and fee), never against the portal's own arithmetic.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from ruamel.yaml import YAML
from shared import build_with_cli, built_once
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.portal.serve import QuietHandler

ROOT = Path(__file__).resolve().parent.parent
PORTFOLIO = ROOT / "samples" / "portfolio"
DATA = PORTFOLIO / "measured"
FORMATS = "html,docx"
AXE = Path(__file__).parent / "browser" / "axe.min.js"
LONDON = ZoneInfo("Europe/London")  # the portfolio's calendars
CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")

needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.exists() and DRIVER.exists()), reason="Chromium is not installed (apt: chromium chromium-driver)"
)


def portal(*args: Any) -> Any:
    return CliRunner().invoke(app, ["portal", *map(str, args)])


@pytest.fixture(scope="session")
def site(session_out: Path) -> Path:
    """The sample portal in HTML and DOCX (the PDF path is the portfolio build's, tested there)."""
    out = session_out / "portal" / "site"
    printed = built_once(
        out, build_with_cli("portal", str(PORTFOLIO / "portfolio.yaml"), "--data", str(DATA), "-f", FORMATS)
    )
    assert printed.exit_code == 0 and "Traceback" not in printed.output, printed.output
    return out


def raw(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def customers() -> list[dict[str, Any]]:
    return raw(PORTFOLIO / "portfolio.yaml")["customers"]


# ------------------------------------------------------------------ independent arithmetic


def months() -> list[tuple[dt.datetime, dt.datetime]]:
    edges = [dt.datetime(2027, m, 1, tzinfo=LONDON).astimezone(dt.UTC) for m in (4, 5, 6, 7)]
    return list(itertools.pairwise(edges))


def downtime(folder: Path, start: dt.datetime, end: dt.datetime) -> int:
    """Seconds of unexcluded outage inside [start, end)."""
    total = 0
    with (folder / "outages.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            if row["exclusion"]:
                continue
            a, b = dt.datetime.fromisoformat(row["start"]), dt.datetime.fromisoformat(row["end"])
            overlap = (min(b, end) - max(a, start)).total_seconds()
            total += max(0, int(overlap))
    return total


def excluded(folder: Path, start: dt.datetime, end: dt.datetime) -> int:
    total = 0
    with (folder / "outages.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            if row["exclusion"]:
                a, b = dt.datetime.fromisoformat(row["start"]), dt.datetime.fromisoformat(row["end"])
                total += max(0, int((min(b, end) - max(a, start)).total_seconds()))
    return total


def wan_windows() -> list[dict[str, Any]]:
    """The WAN of Contoso (measured around the clock): achieved availability and credit owed, per month."""
    spec = raw(PORTFOLIO / "customers" / "contoso-wan.yaml")
    fee = Decimal(
        str(
            next(s for s in raw(PORTFOLIO / "customers" / "contoso.yaml")["services"] if s["id"] == "wan")["fee"]
        ).split()[0]
    )
    bands = spec["service_credits"]["bands"]
    out = []
    for start, end in months():
        measured = int((end - start).total_seconds()) - excluded(DATA / "contoso-wan", start, end)
        achieved = Fraction(measured - downtime(DATA / "contoso-wan", start, end), measured) * 100
        band = Decimal(0)
        for b in bands:
            low = Fraction(b.get("at_least", "0%").rstrip("%"))
            high = Fraction(b["below"].rstrip("%"))
            if low <= achieved < high:
                band = Decimal(b["credit"].rstrip("%"))
        owed = fee * band / 100
        local = start.astimezone(LONDON)
        if local.month == 5:  # the P1 of 9 May was answered 24 minutes after it was reported: a 250 GBP credit
            owed += Decimal(250)
        out.append(
            {"label": f"{local:%B %Y}", "achieved": achieved, "owed": owed, "end": end.astimezone(LONDON).date()}
        )
    return out


def rounded_down(value: Fraction, places: int = 3) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)}%"


def gbp(amount: Decimal) -> str:
    return f"GBP {int(amount):,}" if amount == amount.to_integral() else f"GBP {amount:,.2f}"


# ------------------------------------------------------------------ the files


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("a", "link") and values.get("href"):
            self.hrefs.append(str(values["href"]))
        if tag in ("img", "script") and values.get("src"):
            self.hrefs.append(str(values["src"]))
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "script":
            self.scripts += 1


def parsed(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def pages(site: Path) -> list[Path]:
    return [site / "index.html", *sorted((site / "customers").glob("*/index.html"))]


def test_the_site_has_an_overview_and_a_self_contained_folder_per_customer(site: Path) -> None:
    assert (site / "index.html").is_file() and (site / "portal.json").is_file()
    assert sorted(p.name for p in (site / "customers").iterdir()) == sorted(c["id"] for c in customers())
    for page in pages(site):
        links = parsed(page)
        assert links.scripts == 0
        for href in links.hrefs:
            if href.startswith(("mailto:", "data:")):
                continue
            assert not re.match(r"^[a-z]+://|^//", href), f"{page}: {href} fetches from elsewhere"
            target, _, anchor = href.partition("#")
            resolved = (page.parent / target).resolve() if target else page
            assert resolved.is_file(), f"{page}: {href} does not resolve"
            if anchor:
                assert anchor in parsed(resolved).ids, f"{page}: no #{anchor}"
            if page.parent != site:  # a customer's page links only inside its own folder
                assert resolved.is_relative_to(page.parent.resolve()), f"{page}: {href} leaves the folder"


def test_a_customer_folder_holds_nothing_of_another_customer(site: Path) -> None:
    everyone = customers()
    portfolio = raw(PORTFOLIO / "portfolio.yaml")
    documents = {d["id"]: d for d in portfolio["documents"]}
    for customer in everyone:
        others = [c for c in everyone if c["id"] != customer["id"]]
        words = {w for c in others for w in (c["id"], c["name"], c.get("short_name", c["name"]))}
        for doc_id, entry in documents.items():
            if entry.get("customer") in {c["id"] for c in others}:
                words.add(raw(PORTFOLIO / entry["spec"])["agreement"]["id"])
                words.add(doc_id)
        folder = site / "customers" / customer["id"]
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert any(p.suffix == ".docx" for p in files) and any(p.suffix == ".json" for p in files)
        for file in files:
            if file.suffix == ".docx":
                with zipfile.ZipFile(file) as docx:
                    text = " ".join(docx.read(n).decode("utf-8") for n in docx.namelist() if n.endswith(".xml"))
            else:
                text = file.read_text(encoding="utf-8")
            for word in words:
                assert word.lower() not in text.lower(), f"{file} names {word!r}"


def test_the_json_twin_gives_the_exact_figures_of_every_window(site: Path) -> None:
    twin = json.loads((site / "customers" / "contoso" / "portal.json").read_text(encoding="utf-8"))
    (wan,) = [m for m in twin["measured"] if m["document"] == "contoso-wan"]
    expected = wan_windows()
    assert [w["period"]["label"] for w in wan["windows"]] == [e["label"] for e in expected]
    for window, facts in zip(wan["windows"], expected, strict=True):
        (service,) = window["services"]
        assert abs(Fraction(service["achieved"]) - facts["achieved"]) < Fraction(1, 10**20)  # 28 digits
        assert service["met"] is (facts["achieved"] >= Fraction("99.95"))
        owed = window["credits"]["services"][0]["owed"]
        assert Decimal(owed["amount"]) == facts["owed"] and owed["currency"] == "GBP"
        claim = window["credits"]["claim"]
        assert dt.datetime.fromisoformat(claim["due"]) == dt.datetime.combine(
            facts["end"] + dt.timedelta(days=30), dt.time(), LONDON
        )  # "30 days" after the window ends, in the calendar's time zone
        assert dt.date.fromisoformat(claim["last_day"]) == facts["end"] + dt.timedelta(days=29)


def test_report_json_prints_the_same_facts_as_the_portal_for_a_spec(tmp_path: Path) -> None:
    """``report --json`` on the measurements sample: exact figures computed here from its CSV."""
    sample = ROOT / "samples" / "measurements"
    result = CliRunner().invoke(
        app, ["report", str(sample / "agreement.yaml"), "--data", str(sample), "--json", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)
    assert list(tmp_path.iterdir()) == []  # --json writes no file
    assert facts["period"] == {"label": "March 2027", "first_day": "2027-03-01", "last_day": "2027-03-31"}
    zone = ZoneInfo("Europe/Berlin")
    start, end = (dt.datetime(2027, m, 1, tzinfo=zone).astimezone(dt.UTC) for m in (3, 4))
    for service in facts["services"]:
        window = int((end - start).total_seconds())  # 31 days less the hour the clocks go forward
        assert service["window_seconds"] == window == 31 * 86400 - 3600
        rows = [
            r for r in csv.DictReader((sample / "outages.csv").open(encoding="utf-8")) if r["service"] == service["id"]
        ]
        down = sum(
            max(
                0,
                int(
                    (
                        min(dt.datetime.fromisoformat(r["end"]), end)
                        - max(dt.datetime.fromisoformat(r["start"]), start)
                    ).total_seconds()
                ),
            )
            for r in rows
            if not r["exclusion"]
        )
        assert service["downtime_seconds"] == down
        measured = window - service["excluded_seconds"]
        assert abs(Fraction(service["achieved"]) - Fraction(measured - down, measured) * 100) < Fraction(1, 10**20)


def text_of(page: Path) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))).split())


def test_the_customer_page_states_what_was_met_what_is_owed_and_by_when(site: Path) -> None:
    text = text_of(site / "customers" / "contoso" / "index.html")
    expected = wan_windows()
    missed = [w for w in expected if w["achieved"] < Fraction("99.95")]
    assert len(missed) == 1 and missed[0]["label"] == "May 2027"
    assert f"{len(missed)} target missed" in text
    for w in expected:
        assert rounded_down(w["achieved"]) in text
    may = missed[0]
    claim_by = may["end"] + dt.timedelta(days=29)  # the claim must arrive before 1 July begins
    assert f"{gbp(may['owed'])} for May 2027 (Managed WAN): claim by {claim_by.day} {claim_by:%B %Y}" in text
    for evidence in raw(PORTFOLIO / "corporate.yaml")["service_credits"]["claim"]["evidence"]:
        assert evidence in text
    calm = text_of(site / "customers" / "fabrikam" / "index.html")
    assert "Every target met" in calm and "None owed" in calm


def test_the_overview_shows_each_customers_exposure_this_quarter(site: Path) -> None:
    text = text_of(site / "index.html")
    owed = sum(w["owed"] for w in wan_windows())
    assert "Credit exposure, Q2 2027" in text
    assert f"Contoso Logistics plc 3 {gbp(owed)}" in text
    assert "Fabrikam Dental Group Ltd 3 none" in text


def test_user_text_reaches_the_pages_as_text(tmp_path: Path) -> None:
    copy = tmp_path / "portfolio"
    shutil.copytree(PORTFOLIO, copy)
    path = copy / "portfolio.yaml"
    source = path.read_text(encoding="utf-8")
    hostile = '<script>alert("x")</script> & <b>Co</b>'
    assert "    name: Fabrikam Dental Group Ltd\n" in source
    path.write_text(
        source.replace("    name: Fabrikam Dental Group Ltd\n", f"    name: '{hostile}'\n", 1), encoding="utf-8"
    )
    out = tmp_path / "site"
    result = portal(path, "--data", copy / "measured", "-o", out, "-f", "html")
    assert result.exit_code == 0, result.output
    for page in (out / "index.html", out / "customers" / "fabrikam" / "index.html"):
        source = page.read_text(encoding="utf-8")
        assert parsed(page).scripts == 0 and "<b>Co</b>" not in source
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in source


def test_bad_data_is_an_error_naming_the_folder_and_nothing_is_written(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "nobody").mkdir()
    out = tmp_path / "site"
    result = portal(PORTFOLIO / "portfolio.yaml", "--data", data, "-o", out, "-f", "html", "--work", tmp_path / "w")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "nobody" in result.output and "contoso-wan" in result.output
    assert not out.exists()


def test_a_rebuild_renders_only_what_the_new_data_changes(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    shutil.copytree(site.parent / f".{site.name}-work", tmp_path / f".{copy.name}-work")
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    again = portal(PORTFOLIO / "portfolio.yaml", "--data", data, "-o", copy, "-f", FORMATS)
    assert again.exit_code == 0, again.output
    assert "0 documents and 0 reports rendered, 0 files written" in again.output
    contoso = {p: p.read_bytes() for p in (copy / "customers" / "contoso").rglob("*") if p.is_file()}
    with (data / "fabrikam-desk" / "outages.csv").open("a", encoding="utf-8") as rows:
        rows.write("desk,2027-06-09T10:00:00Z,2027-06-09T10:20:00Z,Telephony fault,,NWN-INC-270609\n")
    changed = portal(PORTFOLIO / "portfolio.yaml", "--data", data, "-o", copy, "-f", FORMATS)
    assert changed.exit_code == 0, changed.output
    assert "0 documents and 1 reports rendered" in changed.output
    assert {p: p.read_bytes() for p in contoso} == contoso
    assert "1 target missed" in text_of(copy / "customers" / "fabrikam" / "index.html")


# ------------------------------------------------------------------ in a real browser


@pytest.fixture(scope="module")
def served(site: Path) -> Any:
    """The site behind a real web server on localhost (as it is hosted; file:// pages behave differently)."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def viewport(driver: Any, width: int) -> None:
    """The page as a screen ``width`` CSS pixels wide sees it (a phone at 390)."""
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


@pytest.fixture(scope="module")
def browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    yield driver
    driver.quit()


def failed_requests(driver: Any) -> list[str]:
    failed = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.loadingFailed":
            failed.append(str(message["params"]))
        if message["method"] == "Network.responseReceived" and message["params"]["response"]["status"] >= 400:
            failed.append(message["params"]["response"]["url"])
    return failed


def axe(driver: Any) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.2 level A and AA rules on the loaded page."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'wcag22aa']}}).then(r => done({violations: r.violations.map(v => ({id: v.id, nodes:"
        " v.nodes.map(n => n.target.join(' '))})), passes: r.passes.length}))"
    )
    assert result["passes"] > 10  # axe ran its rules
    return result["violations"]


@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_loads_cleanly_and_passes_axe_at_level_aa(site: Path, served: str, browser: Any, width: int) -> None:
    viewport(browser, width)
    for page in pages(site):
        browser.get_log("performance")
        browser.get_log("browser")
        browser.get(served + page.relative_to(site).as_posix())
        errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert errors == [], f"{page}: {errors}"
        assert failed_requests(browser) == [], page
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert browser.execute_script("return window.innerWidth") == width
        assert overflow <= 0, f"{page} is {overflow} px wider than a {width} px screen"
        assert axe(browser) == [], f"{page} at {width} px"
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == [], page


@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_the_portfolio_index_passes_axe_at_level_aa(site: Path, browser: Any, width: int) -> None:
    """The ``index.html`` of a portfolio build (here the portal's own, in its work folder)."""
    viewport(browser, width)
    browser.get((site.parent / f".{site.name}-work" / "documents" / "index.html").as_uri())
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the index is {overflow} px wider than a {width} px screen"
    assert axe(browser) == []


@needs_chromium
def test_the_figures_in_the_page_equal_the_json_twin(site: Path, served: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    page = site / "customers" / "contoso" / "index.html"
    viewport(browser, 1280)
    browser.get(served + "customers/contoso/index.html")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.windows tbody tr")
    twin = json.loads((page.parent / "portal.json").read_text(encoding="utf-8"))
    windows = [w for m in twin["measured"] for w in m["windows"]]
    assert len(rows) == sum(len(w["services"]) for w in windows)
    for row, window in zip(rows, windows, strict=True):
        (service,) = window["services"]
        cells = row.find_elements(By.CSS_SELECTOR, "th, td")
        assert cells[0].text == window["period"]["label"]
        assert cells[2].text == rounded_down(Fraction(service["achieved"]))
        owed = window["credits"]["services"][0]["owed"]
        assert cells[6].text == (gbp(Decimal(owed["amount"])) if Decimal(owed["amount"]) else "none")
    (chart,) = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg[role=img]")
    alternative = chart.get_attribute("aria-label") or ""
    for window in windows:
        assert rounded_down(Fraction(window["services"][0]["achieved"])) in alternative


# ------------------------------------------------------------------ the live preview


def test_serve_shows_a_data_change_in_the_browser_a_moment_later(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    out = tmp_path / "site"
    command = [sys.executable, "-m", "slaforge", "serve", str(PORTFOLIO / "portfolio.yaml"), "--data", str(data)]
    command += ["-o", str(out), "-f", "html", "--port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    try:
        assert server.stdout is not None
        address = None
        for line in server.stdout:
            found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
            if found:
                address = found.group(1)
                break
        assert address, "serve never said where it serves"
        url = f"{address}customers/fabrikam/index.html"
        before = urllib.request.urlopen(url, timeout=10).read().decode()
        assert "Every target met" in before
        with (data / "fabrikam-desk" / "outages.csv").open("a", encoding="utf-8") as rows:
            rows.write("desk,2027-06-09T10:00:00Z,2027-06-09T12:00:00Z,Telephony fault,,NWN-INC-270609\n")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            page = urllib.request.urlopen(url, timeout=10).read().decode()
            if "1 target missed" in page:
                break
            time.sleep(0.5)
        else:
            pytest.fail("the page never showed the new outage")
    finally:
        server.terminate()
        server.wait(timeout=30)
