"""Screenshots of the sample portal for people to look at (not a test): the overview and a customer page,
at 1280 px and at 390 px (a phone), in headless Chromium.

    python3 benchmarks/portal_screenshots.py [SITE] [OUT]

SITE defaults to out/portal (``python3 dev.py samples`` builds it), OUT to /tmp/portal-screenshots.
Needs the Debian packages chromium and chromium-driver, and selenium (the test extra).
"""

from __future__ import annotations

import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PAGES = {
    "overview": "index.html",
    "contoso": "customers/contoso/index.html",
    "fabrikam": "customers/fabrikam/index.html",
}
WIDTHS = (1280, 390)


def browser(width: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "out/portal").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/portal-screenshots")
    out.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        driver = browser(width)
        try:
            for name, page in PAGES.items():
                metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
                driver.get((site / page).as_uri())
                height = int(driver.execute_script("return document.documentElement.scrollHeight"))
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": min(height, 8000)})
                target = out / f"portal-{name}-{width}.png"
                driver.save_screenshot(str(target))
                print(f"wrote {target}")
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
