"""A run the server no longer has (left idle past its expiry, or the server restarted) starts
again with the same settings when the user next plays or steps, and the page says so, instead of
repeating an error that no button can fix. The tests delete the run behind the page's back."""

from playwright.sync_api import expect

from tests.browser.conftest import log_of, shot
from tests.browser.test_playground import until, wait_for
from tests.browser.test_replacing_runs import count, requests_of

RENEWED = "a new one started with the same settings"


def lose(page, kind, run_id):
    assert page.request.delete(f"/api/{kind}/{run_id}").status == 204


def exists(page, kind, run_id):
    """Whether the server still has the run (asked without changing it)."""
    if kind == "sessions":
        return page.request.get(f"/api/sessions/{run_id}").ok
    return page.request.post(f"/api/groups/{run_id}/step?steps=0&resolution=10").ok


def only_not_found(page):
    """The browser logs each refused request; here every one must be a 404 for the lost run."""
    errors = log_of(page).console_errors
    assert errors and all("404" in error for error in errors), errors
    errors.clear()


def test_the_playground_starts_a_lost_run_again_when_play_is_pressed(page):
    sent = requests_of(page)
    page.goto("/?ds=xor&act=sigmoid")
    wait_for(page, "window.renderedFrames >= 1")
    lost = next(path for method, path in sent if path.endswith("/data")).split("/")[2]
    lose(page, "sessions", lost)
    page.click("#play")
    expect(page.locator("#message")).to_contain_text(RENEWED)
    expect(page.locator("#message-title")).to_be_hidden()  # the heading is for divergence only
    shot(page, "playground-renewed")
    assert count(sent, "POST", "api/sessions") == 2
    assert "ds=xor" in page.url and page.input_value("#act") == "sigmoid"  # the same settings
    page.click("#play")  # and it trains
    wait_for(page, "Number(document.querySelector('#step-count').textContent) >= 50")
    page.click("#play")
    only_not_found(page)


def test_the_neuron_page_builds_a_lost_pair_again_on_step(page):
    sent = requests_of(page)
    page.goto("/experiments/neuron?lang=ko")
    wait_for(page, "window.renderedFrames >= 1")
    page.select_option("#dataset", "moons")
    until(lambda: count(sent, "POST", "api/sessions") == 4, page, what="the moons pair")
    wait_for(page, "window.renderedFrames >= 2")
    pair = [path.split("/")[2] for method, path in sent if path.endswith("/data")][-2:]
    for run_id in pair:
        lose(page, "sessions", run_id)
    page.click("#step")
    expect(page.locator("#message")).to_contain_text("같은 설정으로 새 실행")
    shot(page, "neuron-renewed-ko")
    assert count(sent, "POST", "api/sessions") == 6
    assert page.input_value("#dataset") == "moons"
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("5")
    only_not_found(page)


def test_the_grid_builds_a_lost_group_again_when_play_is_pressed(page):
    sent = requests_of(page)
    page.goto("/experiments/grid?preset=lambda")
    wait_for(page, "window.renderedFrames >= 1")
    lost = next(path for method, path in sent if "/step" in path).split("/")[2]
    lose(page, "groups", lost)
    page.click("#play")
    expect(page.locator("#message")).to_contain_text(RENEWED)
    assert count(sent, "POST", "api/groups") == 2
    expect(page.locator(".panel-card figcaption").first).to_have_text("λ = 0.001")
    only_not_found(page)


def test_leaving_a_page_deletes_its_runs_and_coming_back_builds_them_again(page):
    """A class's reloads leave no runs behind in the server's memory until they expire."""
    sent = requests_of(page)
    page.goto("/?ds=moons")
    wait_for(page, "window.renderedFrames >= 1")
    runs = [("sessions", path.split("/")[2]) for _, path in sent if path.endswith("/data")]
    page.goto("/experiments/neuron")
    wait_for(page, "window.renderedFrames >= 1")
    runs += [("sessions", path.split("/")[2]) for _, path in sent if path.endswith("/data")][1:]
    page.goto("/experiments/grid")
    wait_for(page, "window.renderedFrames >= 1")
    runs += [("groups", next(path for _, path in sent if "groups/" in path).split("/")[2])]
    assert len(runs) == 4
    page.go_back()  # the neuron page again, from the back-forward cache or loaded anew
    wait_for(page, "window.renderedFrames >= 1")

    def gone():
        return not any(exists(page, kind, run_id) for kind, run_id in runs)

    until(gone, page, what="every run of the pages left to be deleted")
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("5")
    expect(page.locator("#message")).to_be_hidden()
