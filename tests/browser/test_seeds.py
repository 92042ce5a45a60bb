"""The seed lottery in a real Chromium: a job runs with progress, then its plot and verdict."""

import json

from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, shot
from tests.browser.test_playground import until


def test_a_small_lottery_runs_to_a_plot_a_verdict_and_downloads(page):
    page.goto("/experiments/seeds")
    page.fill("#sizes", "2, 32")
    page.fill("#seeds", "4")
    page.fill("#steps", "300")
    page.click("#start")
    expect(page.locator("#result")).to_be_visible(timeout=30_000)
    expect(page.locator("#progress-text")).to_have_text("done: 8 runs")
    assert "hidden units span" in page.inner_text("#finding")
    assert page.locator("#chart .box").count() == 2 or page.locator("#chart .trace").count() == 2
    with page.expect_download() as download:
        page.click("#download-json")
    saved = json.loads(download.value.path().read_text())
    losses = [loss for runs in saved["final_loss"] for loss in runs if loss]
    # the log axis labels its ticks in full: 0.2 and 0.5, not bare "2" and "5"
    ticks = [float(text) for text in page.locator("#chart .ytick text").all_text_contents()]
    assert ticks and all(min(losses) / 2 <= tick <= 2 * max(losses) for tick in ticks), ticks
    assert page.get_attribute("#download-csv", "href").endswith("/result.csv")
    shot(page, "seeds")
    assert_clean(page)


def start_a_long_job(page, path):
    page.goto(path)
    page.fill("#sizes", "64, 128")
    page.fill("#seeds", "20")
    page.fill("#steps", "5000")
    page.click("#start")
    expect(page.locator("#cancel")).to_be_enabled()


def test_a_job_can_be_cancelled_from_the_page(page):
    start_a_long_job(page, "/experiments/seeds?lang=ko")
    page.click("#cancel")
    expect(page.locator("#progress-text")).to_contain_text("취소됨", timeout=15_000)
    assert_clean(page)


def test_leaving_the_page_cancels_its_job(page):
    """Nobody could see the result any more, so the job stops using the server's CPU."""
    polls = []
    page.on("request", lambda r: "?wait=" in r.url and polls.append(r.url))  # GET /api/jobs/{id}
    start_a_long_job(page, "/experiments/seeds")
    until(lambda: polls, page, what="the job's first poll")
    job = polls[0].split("/api/jobs/")[1].split("?")[0]
    page.goto("/experiments/neuron")

    def status():
        return page.request.get(f"/api/jobs/{job}").json()["status"]

    until(lambda: status() == "cancelled", page, what="the job to be cancelled")
