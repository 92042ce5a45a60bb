"""The playground in a real Chromium: it trains, it follows its controls, it keeps its setup in
the URL, it speaks Korean, and it explains a divergence. Screenshots go to test-artifacts/."""

import json
import time
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, log_of, shot


def wait_for(page, expression, timeout=20.0):
    """Poll a JS expression until truthy (wait_for_function would need eval, which the CSP
    forbids)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        page.wait_for_timeout(50)  # not time.sleep: the page's route handlers run in this thread
    raise AssertionError(f"timed out waiting for {expression}")


def pause(page):
    """Press pause and wait until the page has drawn the last frame it received (no later one
    can come: the stream is closed)."""
    page.click("#play")
    wait_for(page, "!document.querySelector('#play').classList.contains('playing')"
             " && typeof window.drawnStep === 'number'"
             " && window.acceptedStep === window.drawnStep")  # fmt: skip


def open_page(page, query=""):
    page.goto(f"/{query}")
    wait_for(page, "window.renderedFrames >= 1")


def number(page, selector):
    return float(page.inner_text(selector).rstrip("%"))


def until(condition, page, timeout=20.0, what="a condition"):
    """Let the page run (and its route handlers, which run in this thread) until condition()."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        page.wait_for_timeout(20)


def sent(page, method, path):
    """Bodies of every request the page sends from now on to method + path (suffix)."""
    bodies = []

    def record(request):
        if request.method == method and urlparse(request.url).path.endswith(path):
            bodies.append(json.loads(request.post_data or "null"))

    page.on("request", record)
    return bodies


def test_play_makes_the_step_counter_rise_and_the_loss_fall(page):
    open_page(page, "?ds=gauss&classes=2&noise=0.1&act=relu")
    assert page.inner_text("#step-count") == "0"
    before = number(page, "#r-train-loss")
    page.click("#play")
    wait_for(page, "Number(document.querySelector('#step-count').textContent) >= 200")
    pause(page)
    assert number(page, "#r-train-loss") < 0.5 * before
    assert number(page, "#r-train-acc") > 90
    shot(page, "playground-trained")
    assert_clean(page)


def test_step_key_and_button_advance_one_frame(page):
    open_page(page, "?speed=10")
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("10")
    page.keyboard.press("s")
    expect(page.locator("#step-count")).to_have_text("20")
    page.keyboard.press("r")
    expect(page.locator("#step-count")).to_have_text("0")
    assert_clean(page)


def test_changing_the_network_sends_a_new_config(page):
    open_page(page)
    created = sent(page, "POST", "/api/sessions")
    page.select_option("#act", "relu")
    until(lambda: created, page)
    page.click("#layer-add")
    until(lambda: len(created) >= 2, page)
    page.locator("#layer-units button", has_text="+").first.click()
    until(lambda: len(created) >= 3, page)
    assert created[0]["model"]["activation"] == "relu"
    assert created[1]["model"]["hidden"] == [8, 8, 8]
    assert created[2]["model"]["hidden"] == [9, 8, 8]
    assert_clean(page)


def test_learning_rate_and_lambda_change_live_without_reset(page):
    open_page(page, "?speed=10")
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("10")
    patches = sent(page, "PATCH", "")
    page.select_option("#lr", "0.03")
    page.select_option("#l2", "0.001")
    until(lambda: len(patches) >= 2, page)
    assert patches[0]["learning_rate"] == 0.03 and patches[1]["l2"] == 0.001
    expect(page.locator("#step-count")).to_have_text("10")  # the run went on, not reset
    assert_clean(page)


def test_clicking_the_plot_adds_a_point_of_the_chosen_class(page):
    open_page(page, "?ds=gauss&classes=2&points=50")
    created = sent(page, "POST", "/api/sessions")
    page.select_option("#paint-class", "1")
    box = page.locator("#boundary canvas.regions").bounding_box()  # over the plot's axes
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    until(lambda: created, page)
    points = created[-1]["dataset"]["points"]
    assert len(points) == 51
    x, y, label = points[-1]
    assert abs(x) < 0.1 and abs(y) < 0.1 and label == 1
    assert "#pts=" in page.url
    shot(page, "playground-own-point")
    assert_clean(page)


def test_a_copied_url_restores_the_same_setup(page, browser, base_url):
    query = "?ds=moons&act=leaky_relu&hidden=4,3&lr=0.03&l2=0.001&opt=adam&seed=5&lang=ko"
    open_page(page, query)
    assert page.input_value("#act") == "leaky_relu"
    assert page.inner_text("#layer-count") == "2"
    assert page.input_value("#lr") == "0.03" and page.input_value("#opt") == "adam"
    copied = page.url
    again = browser.new_page(base_url=base_url)
    try:
        again.goto(copied)
        wait_for(again, "window.renderedFrames >= 1")
        for selector in ("#act", "#lr", "#l2", "#opt", "#seed"):
            assert again.input_value(selector) == page.input_value(selector)
        assert parse_qs(urlparse(again.url).query) == parse_qs(urlparse(copied).query)
    finally:
        again.close()
    assert_clean(page)


def test_switching_to_korean_changes_the_labels_and_the_url(page):
    open_page(page)
    assert page.inner_text("#step") == "Step"
    page.click("[data-lang=ko]")
    expect(page.locator("#step")).to_have_text("한 스텝")
    assert page.inner_text("html").count("학습률") >= 1
    assert "lang=ko" in page.url
    shot(page, "playground-korean")
    assert_clean(page)


def test_divergence_shows_what_happened_and_what_to_try(page):
    open_page(page, "?lr=10&l2=10&act=relu")
    page.click("#play")
    expect(page.locator("#message")).to_be_visible(timeout=20_000)
    text = page.inner_text("#message")
    assert "diverged" in text and "learning rate" in text
    expect(page.locator("#message-title")).to_have_text("Training diverged.")
    shot(page, "playground-diverged")
    assert_clean(page)


def test_a_classroom_link_hides_chosen_controls(page):
    open_page(page, "?hide=data,regularization")
    assert page.locator("section.data").is_hidden()
    assert page.locator("section.regularization").is_hidden()
    assert page.locator("section.network").is_visible()
    assert_clean(page)


@pytest.mark.parametrize("activation", ["tanh", "maxout"])
def test_hovering_a_hidden_unit_shows_its_map(page, activation):
    open_page(page, f"?act={activation}&speed=10")
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("10")
    page.locator("#diagram circle.hidden").nth(2).hover()
    expect(page.locator("#unit-tip")).to_be_visible()
    shot(page, f"playground-unit-{activation}")
    assert_clean(page)


def test_uploaded_csv_becomes_the_data_and_downloads_again(page, tmp_path):
    open_page(page)
    created = sent(page, "POST", "/api/sessions")
    csv = tmp_path / "points.csv"
    csv.write_text("x,y,label\n0.5,0.5,0\n-0.5,-0.5,1\n0.5,-0.5,2\n-0.5,0.5,0\n")
    page.set_input_files("#upload", str(csv))
    until(lambda: created, page)
    assert created[-1]["dataset"]["points"] == [
        [0.5, 0.5, 0], [-0.5, -0.5, 1], [0.5, -0.5, 2], [-0.5, 0.5, 0]
    ]  # fmt: skip
    with page.expect_download() as download:
        page.click("#download")
    lines = download.value.path().read_text().strip().splitlines()
    assert lines[0] == "x,y,label" and len(lines) == 5
    assert_clean(page)


def test_a_bad_csv_is_explained_not_sent(page, tmp_path):
    open_page(page)
    csv = tmp_path / "bad.csv"
    csv.write_text("1,2\n3,4\n")
    page.set_input_files("#upload", str(csv))
    expect(page.locator("#message")).to_be_visible()
    assert "three numbers" in page.inner_text("#message")
    assert_clean(page)


def test_six_classes_each_get_their_own_colour(page):
    open_page(page, "?ds=gauss&classes=6&noise=0.1&speed=20")
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("20")
    shot(page, "playground-six-classes")
    assert_clean(page)


def test_shift_click_removes_the_nearest_point(page):
    open_page(page, "?ds=gauss&classes=2&points=50&train=100")
    created = sent(page, "POST", "/api/sessions")
    box = page.locator("#boundary canvas.regions").bounding_box()  # over the plot's axes
    page.keyboard.down("Shift")
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
    page.keyboard.up("Shift")
    until(lambda: created, page)
    assert len(created[-1]["dataset"]["points"]) == 49
    assert_clean(page)


def test_discretize_and_test_point_toggles_redraw_without_a_new_run(page):
    open_page(page, "?ds=moons&speed=50")
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("50")
    created = sent(page, "POST", "/api/sessions")
    drawn = page.evaluate("window.renderedFrames")
    page.check("#discretize")
    page.uncheck("#show-test")
    assert "disc=1" in page.url and "test=0" in page.url
    wait_for(page, f"window.renderedFrames > {drawn}")  # redrawn
    page.click("#step")  # the same run goes on: a new one would stand at 50, not 100
    expect(page.locator("#step-count")).to_have_text("100")
    assert created == []
    shot(page, "playground-discretized")
    assert_clean(page)


def test_a_session_lost_mid_stream_starts_again_and_the_page_says_so(page, base_url):
    """The session disappears mid-stream (deleted, or expired): the page stops playing, starts
    a new run with the same settings and says why, instead of freezing silently."""
    streams = []
    page.on("request", lambda r: "/stream" in r.url and streams.append(urlparse(r.url).path))
    open_page(page)
    page.click("#play")
    until(lambda: streams, page)
    session_id = streams[-1].split("/")[3]
    request = urllib.request.Request(f"{base_url}/api/sessions/{session_id}", method="DELETE")
    with urllib.request.urlopen(request) as response:
        assert response.status == 204
    expect(page.locator("#message")).to_contain_text("a new one started with the same settings")
    expect(page.locator("#play .icon")).to_have_text("▶")
    assert len(streams) == 1  # no reconnection to the lost session
    # 404s for the lost session only: the probe's, and the stream's own if the delete came
    # before the stream had started
    errors = log_of(page).console_errors
    assert 1 <= len(errors) <= 2 and all("404" in e and session_id in e for e in errors), errors
    errors.clear()


def test_an_error_page_that_is_not_json_is_reported_by_its_status(page):
    """A proxy in front of the app may answer with its own HTML page (502 Bad Gateway)."""
    open_page(page)
    page.route(
        "**/api/sessions/*/step",
        lambda route: route.fulfill(status=502, body="<html>Bad Gateway</html>"),
    )
    page.click("#step")
    expect(page.locator("#message")).to_contain_text("HTTP 502")
    errors = log_of(page).console_errors
    assert len(errors) == 1 and "502" in errors[0], errors
    errors.clear()
