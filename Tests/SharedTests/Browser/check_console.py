"""Opens the web console's pages in headless Chromium and checks what they drew.

Run by WebConsoleTests with a plan (a JSON file) naming the pages and what each must show:

    python check_console.py --chromium PATH --chromedriver PATH --plan plan.json --screenshots DIR

The plan is a list of pages:

    {"url": "http://127.0.0.1:PORT/lessons/05-histogram-buckets", "kind": "dashboard",
     "name": "lesson-05", "panels": 6, "states": {"Broken query": "error"},
     "texts": {"Average latency (lesson 6)": "lesson serve 6"},
     "allowed_errors": ["status of 400"]}

kind is "index", "dashboard" or "query". On a dashboard every panel must reach the state the
plan gives its title ("drawn" unless told): not "No data", not an error, and a drawn chart must
hold at least one SVG path with a non-empty d; a panel named in "texts" must show that text. A query page must reach the plan's "state".
Any JavaScript error or severe console message fails the page, unless it contains one of
allowed_errors. One PNG screenshot per page is saved as DIR/<name>.png.
Prints one line per page, and exits 1 when any page failed.
"""

import argparse
import json
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

# Panel types whose drawing is made of SVG paths (lines, cells, arcs, bars).
CHARTS = {"timeseries", "graph", "heatmap", "gauge", "bargauge"}

PANELS_SCRIPT = """
return [...document.querySelectorAll('.panel')].map(panel => ({
  title: panel.querySelector('.panel-title') ? panel.querySelector('.panel-title').firstChild.textContent : '',
  type: panel.dataset.type,
  state: panel.dataset.state,
  paths: [...panel.querySelectorAll('svg path')].filter(p => (p.getAttribute('d') || '').trim() !== '').length,
  text: panel.querySelector('.panel-body').innerText.slice(0, 200),
}));
"""


def open_browser(chromium, chromedriver):
    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


def wait_for(driver, condition, seconds=30):
    """Polls `condition(driver)` until it returns something true; returns it, or None at the deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition(driver)
        if result:
            return result
        time.sleep(0.2)
    return None


def settled_panels(driver):
    panels = driver.execute_script(PANELS_SCRIPT)
    if panels and all(panel["state"] != "loading" for panel in panels):
        return panels
    page_state = driver.execute_script("return document.getElementById('console') && document.getElementById('console').dataset.state")
    return [] if page_state == "error" else None


def console_errors(driver, allowed):
    errors = []
    for entry in driver.get_log("browser"):
        if entry.get("level") != "SEVERE":
            continue
        message = entry.get("message", "")
        if not any(fragment in message for fragment in allowed):
            errors.append(message)
    return errors


def check_dashboard(driver, page, failures):
    panels = wait_for(driver, settled_panels)
    if panels is None:
        failures.append("panels still loading after 30 s")
        return "no panels"
    if "panels" in page and len(panels) != page["panels"]:
        failures.append(f"{len(panels)} panels drawn, the dashboard has {page['panels']}")
    expected_states = page.get("states", {})
    for panel in panels:
        wanted = page.get("texts", {}).get(panel["title"])
        if wanted is not None and wanted not in panel["text"]:
            failures.append(f"panel {panel['title']!r} does not say {wanted!r}: {panel['text']!r}")
        expected = expected_states.get(panel["title"], "drawn")
        if panel["state"] != expected:
            failures.append(f"panel {panel['title']!r} ({panel['type']}) is {panel['state']}, expected {expected}: {panel['text']!r}")
        elif expected == "drawn" and panel["type"] in CHARTS and panel["paths"] == 0:
            failures.append(f"panel {panel['title']!r} ({panel['type']}) is drawn but its chart is blank (no SVG path)")
    return ", ".join(f"{panel['title']!r}: {panel['state']} ({panel['paths']} paths)" for panel in panels)


def check_query(driver, page, failures):
    expected = page.get("state", "drawn")
    state = wait_for(driver, lambda d: d.execute_script(
        "const s = document.getElementById('console').dataset.state; return s ? s : null;"))
    output = driver.execute_script("""
        const out = document.getElementById('query-output');
        return {
          paths: [...out.querySelectorAll('svg path')].filter(p => (p.getAttribute('d') || '').trim() !== '').length,
          rows: out.querySelectorAll('tbody tr').length,
          error: out.querySelector('.error') ? out.querySelector('.error').innerText : '',
          status: document.getElementById('query-status').innerText,
        };""")
    if state != expected:
        failures.append(f"the query page is {state}, expected {expected}: {output}")
    elif expected == "drawn" and "tab=table" in page["url"] and output["rows"] == 0:
        failures.append("the table has no rows")
    elif expected == "drawn" and "tab=table" not in page["url"] and output["paths"] == 0:
        failures.append("the graph is blank (no SVG path)")
    elif expected == "error" and not output["error"]:
        failures.append("the error is not shown")
    return f"{state}: {output}"


def check_index(driver, page, failures):
    links = driver.execute_script("return [...document.querySelectorAll('table.lessons tbody tr')].length")
    if links != page.get("lessons", links):
        failures.append(f"{links} lessons listed, expected {page['lessons']}")
    return f"{links} lessons"


def screenshot(driver, page, directory):
    """A PNG of the whole page: the window grows to the page's height first, and the charts redraw."""
    height = driver.execute_script("return Math.max(document.documentElement.scrollHeight, 600)")
    driver.set_window_size(1400, min(height + 40, 4000))
    time.sleep(0.8)
    wait_for(driver, settled_panels, 10)
    path = f"{directory}/{page['name']}.png"
    driver.save_screenshot(path)
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--chromedriver", required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--screenshots", required=True)
    arguments = parser.parse_args()
    with open(arguments.plan, encoding="utf-8") as file:
        plan = json.load(file)

    driver = open_browser(arguments.chromium, arguments.chromedriver)
    failed = 0
    try:
        for page in plan:
            failures = []
            driver.set_window_size(1400, 1000)
            driver.get(page["url"])
            checks = {"index": check_index, "dashboard": check_dashboard, "query": check_query}
            summary = checks[page["kind"]](driver, page, failures)
            shot = screenshot(driver, page, arguments.screenshots)
            # Errors logged while the page loaded, drew, refreshed or redrew at its full height.
            failures += [f"console: {message}" for message in console_errors(driver, page.get("allowed_errors", []))]
            if failures:
                failed += 1
                print(f"FAIL {page['url']}")
                for failure in failures:
                    print(f"  - {failure}")
            else:
                print(f"ok   {page['url']}: {summary}")
            print(f"     screenshot {shot}")
    finally:
        driver.quit()
    print(f"{len(plan) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
