"""Browser tests: Playwright (from PyPI) driving the system's Chromium.

Without Chromium the tests are skipped with the reason; with TUOYU_REQUIRE_BROWSER=1 (CI) a missing
browser fails the run instead. Screenshots go to $TUOYU_ARTIFACTS (default var/artifacts).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TUOYU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("TUOYU_ARTIFACTS", Path.cwd() / "var" / "artifacts")) / "screenshots"
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _unavailable(reason: str):
    if os.environ.get("TUOYU_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here but cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set TUOYU_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    yield from _page_at(browser, live_server, width=1280, height=900)


@pytest.fixture
def phone(browser, live_server):
    """A page on a phone-sized screen (390 × 844), the caregiver's and the guardian's."""
    yield from _page_at(browser, live_server, width=390, height=844)


def _page_at(browser, live_server, *, width: int, height: int):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    outside = []
    # The platform must never reach outside: record any request to a host other than the test server.
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None,
    )
    yield page
    context.close()
    assert not outside, f"pages requested outside resources: {outside}"


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def phone_screenshot(phone):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        # What the phone's screen shows: a full-page capture resizes the emulated screen, and
        # Chromium then drops the next tap.
        phone.screenshot(path=str(path))
        return path

    return take
