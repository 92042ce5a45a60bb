"""Real-browser fixtures: the app under uvicorn on a free local port, Debian's Chromium driven by
Playwright, and a ``page`` (a desktop) or ``phone`` (emulated touch, 390 px) that fails its test
on console errors, page errors or any request that leaves 127.0.0.1.

Helpers for tests: ``shot(page, name)`` saves a screenshot, ``shots(page, name)`` one at a
projector's and a phone's size; ``assert_clean(page)`` checks the page's log so far (the
``page`` fixture also calls it after every passing test), ``forget_the_refusal(page)`` lets
one expected 422 pass; ``serve(log, **settings)`` runs another app, on other settings."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from bench.servers import stop

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = "/usr/bin/chromium"  # Debian's; `playwright install` cannot download one here
# Without the background-networking flags Chromium keeps calling outside hosts on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOST = "127.0.0.1"
IN_PAGE_SCHEMES = {"data", "blob", "about"}  # never leave the browser
STARTUP_SECONDS = 120  # a ceiling, not a wait: a busy machine took over 20 s to import the app

# On a busy machine (CI's is shared) a state can take a while to come: every expect() waits for
# it up to 20 s, as wait_for does; no test waits for time to pass.
expect.set_options(timeout=20_000)


@dataclass
class PageLog:
    """What a page did that a test should know about."""

    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


_logs: dict[Page, PageLog] = {}
failed_call = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[failed_call] = report.failed
    return report


def log_of(page: Page) -> PageLog:
    return _logs[page]


def assert_clean(page: Page) -> None:
    """No console errors, no uncaught page errors, no request outside 127.0.0.1."""
    log = log_of(page)
    assert not log.external, f"requests outside {LOCAL_HOST}: {log.external}"
    assert not log.page_errors, f"page errors: {log.page_errors}"
    assert not log.console_errors, f"console errors: {log.console_errors}"


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png."""
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


SIZES = {"1280": (1280, 720), "390": (390, 844)}  # a projector, a phone


def shots(page: Page, name: str, sizes=("1280", "390")) -> None:
    """Screenshots at each size: NAME-1280.png, NAME-390.png, once the page has been laid
    out and painted at that size (two animation frames)."""
    for size in sizes:
        width, height = SIZES[size]
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate(
            "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        shot(page, f"{name}-{size}")


def forget_the_refusal(page: Page) -> None:
    """The request the server refused (422) is the page's only console error; forget it."""
    errors = log_of(page).console_errors
    assert len(errors) == 1 and "422" in errors[0], errors
    errors.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"uvicorn exited with {server.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)  # polling a real process; there is no clock to inject
    pytest.fail(f"uvicorn did not answer {url} in {STARTUP_SECONDS} s; see {log_path}")


def serve(log_name, **settings):
    """The app served by uvicorn in a subprocess (settings: BOUNDARY_* environment variables);
    yields its URL. Its log goes to test-artifacts/<log_name>."""
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / log_name
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", LOCAL_HOST,
               "--port", str(port)]  # fmt: skip
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", **settings}
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{LOCAL_HOST}:{port}"
    try:
        wait_for_health(f"{url}/api/health", server, log_path)
        yield url
    finally:
        stop(server)


@pytest.fixture(scope="session")
def base_url():
    """The app, as `make run` serves it."""
    yield from serve("uvicorn.log")


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def keep_local(log: PageLog):
    """A route handler: let local requests through, record and abort all others."""

    def handle(route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in IN_PAGE_SCHEMES or parts.hostname == LOCAL_HOST:
            route.continue_()
        else:
            log.external.append(url)
            route.abort()

    return handle


# An emulated phone: touch, a mobile viewport (the page's <meta viewport> counts) and its size.
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def page(request, browser, base_url):
    """A page in a fresh context, checked with ``assert_clean`` after a test that passed (a
    failed one has already said what went wrong)."""
    with checked_page(request, browser, base_url, viewport={"width": 1280, "height": 800}) as page:
        yield page


@pytest.fixture
def phone(request, browser, base_url):
    """Like ``page``, on an emulated touch phone (PHONE)."""
    with checked_page(request, browser, base_url, **PHONE) as page:
        yield page


@contextmanager
def checked_page(request, browser, base_url, **context_options):
    context = browser.new_context(base_url=base_url, **context_options)
    log = PageLog()
    context.route("**/*", keep_local(log))
    context.on("request", lambda sent: log.requests.append(sent.url))
    page = context.new_page()

    def record_console(message):
        if message.type == "error":
            where = message.location
            log.console_errors.append(f"{message.text} ({where['url']}:{where['lineNumber']})")

    page.on("console", record_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    _logs[page] = log
    try:
        yield page
        if not request.node.stash.get(failed_call, False):
            assert_clean(page)
    finally:
        del _logs[page]
        context.close()
