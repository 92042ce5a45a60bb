"""Side by side in a real Chromium: the notes' presets build their panels and train together."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, log_of, shot
from tests.browser.test_playground import wait_for


def test_the_neurons_preset_shows_three_panels_that_train_together(page):
    page.goto("/experiments/grid")
    wait_for(page, "window.renderedFrames >= 1")
    captions = page.locator(".panel-card figcaption")
    expect(captions).to_have_count(3)
    assert captions.nth(2).inner_text() == "hidden neurons = 20"
    assert page.input_value("#seed") == "1"  # with seed 0 the 3-neuron net dies at once
    page.click("#play")
    wait_for(page, "Number(document.querySelector('#step-count').textContent) >= 50")
    page.click("#play")
    for readout in page.locator(".panel-card .readout").all_inner_texts():
        loss = float(readout.split("·")[0].split()[-1])  # "Train loss 0.288 · Test loss …"
        assert loss < 0.6, f"a panel did not learn: {readout}"
    shot(page, "grid-neurons")
    assert_clean(page)


def test_the_three_by_three_preset_in_korean(page):
    page.goto("/experiments/grid?preset=both&lang=ko")
    wait_for(page, "window.renderedFrames >= 1")
    expect(page.locator(".panel-card")).to_have_count(9)
    assert "은닉 뉴런 = 3" in page.locator(".panel-card figcaption").first.inner_text()
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("5")
    shot(page, "grid-both-korean")
    assert_clean(page)


def test_an_invalid_panel_is_explained(page):
    page.goto("/experiments/grid")
    wait_for(page, "window.renderedFrames >= 1")
    page.fill("#col-values", "3, 0")
    page.click("#build")
    expect(page.locator("#message")).to_be_visible()
    assert "hidden_units" in page.inner_text("#message")
    errors = log_of(page).console_errors
    assert len(errors) == 1 and "422" in errors[0]  # the refused request, and nothing else
    errors.clear()


def test_the_dead_relu_preset_plots_dead_shares_over_time(page):
    page.goto("/experiments/grid?preset=dead")
    wait_for(page, "window.renderedFrames >= 1")
    expect(page.locator(".panel-card")).to_have_count(4)
    page.click("#step")
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("10")
    relu = page.locator(".panel-card").nth(0).locator(".readout").inner_text()
    leaky = page.locator(".panel-card").nth(1).locator(".readout").inner_text()
    assert "Dead / saturated units" in relu and "Dead" not in leaky  # Leaky units cannot die
    assert page.locator("#inactive .scatterlayer .trace").count() >= 4
    shot(page, "grid-dead")
    assert_clean(page)
