"""The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright.

A uvicorn server on 127.0.0.1 serves the demo articles plus a hostile article of ours. Every
request the browser makes is checked: one that leaves 127.0.0.1 fails the test. Screenshots of
each page go to the test's tmp dir; DYADWATCH_ARTIFACTS=DIR keeps copies there, and
DYADWATCH_DOCS_SCREENSHOT=1 refreshes docs/dashboard.png (the README's picture).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from dyadwatch.pipeline import Pipeline
from dyadwatch.surfaces.api.app import ApiSettings, create_app

from . import dashboard_data
from .dashboard_data import IMG, SCRIPT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
DOCS_SHOT = Path(__file__).resolve().parents[1] / "docs" / "dashboard.png"


@dataclass
class Browser:
    page: Any
    shots: Path
    outside: list[str] = field(default_factory=list)  # requests that tried to leave localhost
    dialogs: list[str] = field(default_factory=list)  # alert() & co.: an XSS payload that ran
    errors: list[str] = field(default_factory=list)  # page errors and console errors (CSP violations)

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        keep = os.environ.get("DYADWATCH_ARTIFACTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(keep) / path.name)
        return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found (Debian package chromium): browser tests skipped")
    import uvicorn

    url, hostile = dashboard_data.build(pipeline, tmp_path_factory.mktemp("browser"))
    port = _free_port()
    config = uvicorn.Config(
        create_app(url, api=ApiSettings()), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", hostile
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=server[0])
        b = Browser(context.new_page(), tmp_path_factory.mktemp("screenshots"))

        def guard(route: Any) -> None:
            if urlparse(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                b.outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        b.page.on("dialog", lambda d: (b.dialogs.append(d.message), d.dismiss()))
        b.page.on("pageerror", lambda e: b.errors.append(str(e)))
        b.page.on("console", lambda m: b.errors.append(m.text) if m.type == "error" else None)
        yield b
        context.close()
        chromium.close()
    assert b.outside == [], f"requests left localhost: {b.outside}"


def _clean(b: Browser) -> None:
    assert b.dialogs == [], f"a script ran: {b.dialogs}"
    assert b.outside == [], f"requests left localhost: {b.outside}"
    assert b.errors == [], f"errors in the page: {b.errors}"


def test_dyad_timeline_period_and_highlighted_event(browser: Browser) -> None:
    page = browser.page
    page.goto("/")
    page.select_option("#pick-a", "RUS")
    page.select_option("#pick-b", "MLI")
    page.click("#show")
    page.wait_for_selector("svg.timeline rect.bar")
    assert page.locator("svg.timeline rect.bar").count() >= 1
    assert page.locator("svg.timeline g.period").count() >= 1
    assert "events" in page.locator("#status").inner_text()
    # May 2023 holds the Moura report and our hostile article's events
    page.click('svg.timeline g.period[data-period="2023-05"]')
    page.wait_for_selector("#events button.event-pick")
    picks = page.locator("#events button.event-pick")
    assert picks.count() >= 2
    picks.filter(has_text="Accuse").first.click()
    page.wait_for_selector("#event-body mark.hl-trigger")
    body = page.locator("#event-body")
    assert body.locator("mark.hl-source").count() >= 1 and body.locator("mark.hl-target").count() >= 1
    assert body.locator("mark.hl-trigger").first.inner_text() == "accused"
    assert IMG in body.inner_text()  # the payload is text…
    assert body.locator("img").count() == 0  # …not an element
    shot = browser.shot("dashboard")
    if os.environ.get("DYADWATCH_DOCS_SCREENSHOT"):
        shutil.copy(shot, DOCS_SHOT)
    _clean(browser)


def test_actor_map_and_stories_pages(browser: Browser) -> None:
    page = browser.page
    page.goto("/actors/RUS")
    assert page.locator("h1").inner_text().startswith("Russia")
    assert page.locator("svg.network circle.node").count() >= 2
    browser.shot("actor")
    page.click("svg.network a[href='/actors/MLI'] circle")
    page.wait_for_url("**/actors/MLI")
    page.goto("/map")
    assert page.locator("svg.map circle.dot").count() >= 2
    assert page.locator("svg.map line.grid").count() > 10
    assert page.locator("svg.map path.land").count() >= 170  # Natural Earth borders, drawn offline
    whole = page.get_attribute("#worldmap", "viewBox")
    page.click("button[data-zoom=in]")
    assert page.get_attribute("#worldmap", "viewBox") != whole  # zoomed in
    page.click("button[data-zoom=reset]")
    assert page.get_attribute("#worldmap", "viewBox") == whole
    browser.shot("map")
    page.goto("/stories")
    assert page.locator("h1").inner_text() == "Stories"
    browser.shot("stories")
    page.fill("header input[name=q]", "Wagner")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Wagner")
    assert page.locator("main").inner_text().count("Wagner") >= 1
    browser.shot("search")
    _clean(browser)


def test_hostile_article_shows_its_payload_as_text(browser: Browser, server: tuple[str, str]) -> None:
    page = browser.page
    page.goto(f"/articles/{server[1]}")
    assert SCRIPT in page.locator("h1").inner_text()
    text = page.locator("article").inner_text()
    assert SCRIPT in text and IMG in text
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    browser.shot("hostile-article")
    page.goto("/events/" + page.locator("a.event").first.get_attribute("href").rsplit("/", 1)[1])  # type: ignore[union-attr]
    assert page.locator("mark.hl-trigger").count() >= 1
    _clean(browser)
