"""The app in a real browser: Debian's Chromium driven by Playwright against `streamlit run`.

A person's path: open the app (Chinese), see the headline cards, change a measure and see the
number change to what the model gives, switch to English, download a chart's CSV and the edited
scenario, and save full-page screenshots (to $MINSHENG_SCREENSHOTS or results/screenshots/).
Skipped only when /usr/bin/chromium is missing (.ci/run installs it).
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from app import fmt, i18n, scenario_io
from app.catalogue import DEFAULT_HOUSEHOLDS
from model import load_scenario, run_scenario
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium; .ci/run does)",
    ),
]
WAIT = 90_000  # ms: generous, other work shares the machine
SHOTS = Path(os.environ.get("MINSHENG_SCREENSHOTS", ROOT / "results" / "screenshots"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = dict(
        os.environ,
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        MINSHENG_RESULTS=str(tmp_path_factory.mktemp("results")),
    )
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app" / "main.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "viewer",
        "--browser.gatherUsageStats",
        "false",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=WAIT)
        try:
            yield b
        finally:
            b.close()


def _card_value(page, label: str):
    """The value of the first card with this label (after an edit, the Adjust page has a second
    set of cards, against the starting scenario, in another tab)."""
    return (
        page.locator('[data-testid="stMetric"]')
        .filter(has_text=label)
        .locator('[data-testid="stMetricValue"]')
        .first
    )


def _local_only(context) -> list[str]:
    """Refuse every request of `context` to another host; returns the list they are counted in."""
    outside: list[str] = []

    def only_local(route):
        host = route.request.url.split("/")[2] if "://" in route.request.url else ""
        if host.split(":")[0] in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    return outside


def _wait_idle(page) -> None:
    """Until the app has finished its run (no 'running' indicator, no progress bar)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') && !document.querySelector('[data-testid=\"stProgress\"]')",
        timeout=WAIT,
    )
    page.wait_for_timeout(500)


def _screenshot(page, name: str) -> Path:
    """A full-page screenshot: the app scrolls inside its main block, so make the window as tall."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": int(height) + 40})
    page.wait_for_timeout(1500)
    _wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1000})
    return path


def test_chinese_renders_as_glyphs(server, browser):
    """Two different characters draw differently (missing fonts draw every character as the same box)."""
    page = browser.new_page()
    try:
        page.goto(server, timeout=WAIT)
        same = page.evaluate("""() => {
            const draw = (ch) => { const c = document.createElement('canvas'); c.width = 40; c.height = 40;
                const x = c.getContext('2d'); x.font = '32px sans-serif'; x.fillText(ch, 2, 34); return c.toDataURL(); };
            return draw('民') === draw('生');
        }""")
        assert same is False
    finally:
        page.close()


def test_a_provincial_planner_sees_the_map_and_picks_a_province(server, browser):
    """The map draws offline (any request to another host is refused and counted), in both
    languages; picking Sichuan in the area selector shows Sichuan's cards."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    outside = _local_only(context)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    try:
        page.goto(server, timeout=WAIT)
        heading = page.get_by_role("heading", name=i18n.t("compare.map", "zh", year=2030))
        expect(heading).to_be_visible()
        _wait_idle(page)
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        chart.scroll_into_view_if_needed()
        expect(chart.locator("canvas, svg").first).to_be_visible()
        # the map is drawn: the provinces' shapes, in many distinct colours
        colours = chart.evaluate("""(el) => new Set([...el.querySelectorAll('path')]
            .map(p => p.getAttribute('fill')).filter(f => f && f.startsWith('rgb'))).size""")
        assert colours >= 15
        SHOTS.mkdir(parents=True, exist_ok=True)
        chart.screenshot(path=str(SHOTS / "map-zh.png"))

        # Sichuan in the area selector: its own cards
        box = page.locator(".st-key-compare_province input[role='combobox']")
        box.click()
        box.fill("四川")
        page.get_by_role("option", name="四川", exact=True).click()
        expect(
            page.get_by_role(
                "heading", name=i18n.t("compare.province_cards", "zh", province="四川", year=2030)
            )
        ).to_be_visible()
        expect(_card_value(page, i18n.t("card.prov_government", "zh"))).to_be_visible()
        _wait_idle(page)

        # English: the map's title and the province's cards in English
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        expect(
            page.get_by_role(
                "heading",
                name=i18n.t("compare.province_cards", "en", province="Sichuan", year=2030),
            )
        ).to_be_visible()
        expect(
            page.get_by_role("heading", name=i18n.t("compare.map", "en", year=2030))
        ).to_be_visible()
        _wait_idle(page)
        _screenshot(page, "compare-sichuan-en.png")
        assert outside == []
    finally:
        context.close()


def test_a_planner_changes_a_measure_switches_language_and_downloads(server, browser, tmp_path):
    from playwright.sync_api import expect

    t0 = time.monotonic()
    context = browser.new_context(
        viewport={"width": 1440, "height": 1000}, accept_downloads=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(WAIT)
    try:
        # the compare page, in Chinese by default
        page.goto(server, timeout=WAIT)
        expect(page.get_by_role("heading", name=i18n.t("compare.title", "zh"))).to_be_visible()
        expect(_card_value(page, i18n.t("card.medical_coverage", "zh"))).to_be_visible()
        _wait_idle(page)
        _screenshot(page, "compare-zh.png")

        # adjust: raise the resident medical subsidy from 700 to 900 yuan
        page.goto(f"{server}/adjust", timeout=WAIT)
        label = i18n.t("card.resident_medical", "zh")
        value = _card_value(page, label)
        expect(value).to_be_visible()
        _wait_idle(page)
        before = value.inner_text()
        box = page.locator(".st-key-m_medical_resident_subsidy input")
        expect(box).to_have_value("700")
        box.fill("900")
        box.press("Enter")
        expect(value).not_to_have_text(before)
        _wait_idle(page)

        opinions = load_scenario(ROOT / "scenarios" / "opinions_2025.yaml")
        baseline = load_scenario(ROOT / "scenarios" / "baseline.yaml")
        edited, _ = scenario_io.edit(opinions, {"medical.resident_subsidy": 900}, 2025)
        res = run_scenario(
            edited, households=DEFAULT_HOUSEHOLDS, end_year=2035, seed=baseline.run.seed
        )
        enrolled = res.value("medical_insured_resident", 2030)
        expect(value).to_have_text(fmt.value(enrolled, "persons", "zh"))
        assert fmt.value(enrolled, "persons", "zh") != before

        # English, with the change kept
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        expect(page.get_by_role("heading", name=i18n.t("adjust.title", "en"))).to_be_visible()
        en_value = _card_value(page, i18n.t("card.resident_medical", "en"))
        expect(en_value).to_have_text(fmt.value(enrolled, "persons", "en"))
        expect(box).to_have_value("900")
        _wait_idle(page)

        # the chart's data as CSV: the model's numbers for both scenarios
        with page.expect_download(timeout=WAIT) as dl:
            page.locator(".st-key-csv_adjust_over_years button").click()
        csv = pd.read_csv(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8-sig")))
        assert {"scenario", "year", "group", "metric", "unit", "value"} <= set(csv.columns)
        assert set(csv.metric) == {"medical_coverage"} and sorted(csv.year.unique()) == list(
            range(2024, 2036)
        )
        edited_rows = csv[csv.scenario.str.startswith("Edited")]
        assert edited_rows.set_index("year").value[2030] == pytest.approx(
            res.value("medical_coverage", 2030)
        )

        # the edited scenario as YAML, which the strict loader accepts and the model runs
        with page.expect_download(timeout=WAIT) as dl:
            page.locator(".st-key-adjust_download_yaml button").click()
        saved = tmp_path / dl.value.suggested_filename
        dl.value.save_as(saved)
        again = load_scenario(saved)
        assert (
            again.value("medical.resident_subsidy", 2030) == 900
            and again.content_hash() == edited.content_hash()
        )
        assert (
            run_scenario(again, households=1000, end_year=2025).value("medical_coverage", 2025) > 0
        )

        shot = _screenshot(page, "adjust-en.png")
        assert shot.stat().st_size > 50_000
    finally:
        context.close()
    assert time.monotonic() - t0 < 300


def test_every_page_on_a_phone_in_chinese_loads_nothing_from_another_host(server, browser):
    """At a phone's width (390 x 844) every declared page opens directly, in Chinese, without an
    error box and without a page wider than the screen; no request leaves this machine."""
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    outside = _local_only(context)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    try:
        for path, title in (
            ("compare", "compare.title"),
            ("adjust", "adjust.title"),
            ("sources", "sources.title"),
            ("about", "about.title"),
        ):
            page.goto(f"{server}/{path}", timeout=WAIT)
            expect(page.get_by_role("heading", name=i18n.t(title, "zh"))).to_be_visible()
            _wait_idle(page)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= 390 + 2, f"{path}: the page is {wide} px wide on a 390 px screen"
        page.goto(server, timeout=WAIT)
        expect(_card_value(page, i18n.t("card.medical_coverage", "zh"))).to_be_visible()
        _wait_idle(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "compare-phone-zh.png"))
        assert outside == []
    finally:
        context.close()
