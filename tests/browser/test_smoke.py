"""Smoke tests in a real Chromium: the pages load, render and stay inside the app (no CDN, no
console errors, scripts only from the app itself)."""

from tests.browser.conftest import assert_clean, log_of, shot


def csp_directives(response) -> set[str]:
    policy = response.headers["content-security-policy"]
    return {directive.strip() for directive in policy.split(";")}


def test_home_page_loads_without_errors_or_outside_requests(page):
    response = page.goto("/", wait_until="networkidle")

    assert response.status == 200
    assert "Boundary Lab" in page.title()
    shot(page, "home")
    assert_clean(page)
    assert any(url.endswith("/static/favicon.svg") for url in log_of(page).requests)


def test_docs_render_the_operations_under_the_csp(page):
    response = page.goto("/docs")
    page.locator(".opblock").first.wait_for()
    page.wait_for_load_state("networkidle")

    assert response.status == 200
    assert "script-src 'self'" in csp_directives(response)
    assert page.locator(".opblock").count() > 1
    assert page.get_by_text("/api/health").count() >= 1
    shot(page, "docs")
    assert_clean(page)


def test_plotly_is_served_by_the_app(page):
    response = page.request.get("/vendor/plotly.min.js")

    assert response.status == 200
    assert "javascript" in response.headers["content-type"]
    assert len(response.body()) > 1_000_000


def test_pages_send_the_security_headers(page):
    response = page.request.get("/")

    assert "script-src 'self'" in csp_directives(response)
    assert response.headers["x-content-type-options"] == "nosniff"


def test_requests_outside_the_app_are_blocked_and_reported(page):
    # about:blank has no CSP, so the browser itself would try the request
    page.set_content('<img src="https://cdn.example.com/tracker.png">')

    log = log_of(page)
    assert log.external == ["https://cdn.example.com/tracker.png"]
    # expected here: clear what the guard caught so the fixture's own check passes
    log.external.clear()
    log.console_errors.clear()
