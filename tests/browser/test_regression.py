"""The playground's regression mode in a real Chromium: the switch, a 1-D fit with each unit's
contribution, a curve drawn with the mouse, and a 2-D value map. Screenshots are looked at."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, shot
from tests.browser.test_playground import number, open_page, pause, sent, until, wait_for

PLOT_TRACES = "document.querySelectorAll('#boundary .plot .scatterlayer .trace').length"


def train(page, steps):
    page.click("#play")
    wait_for(page, f"Number(document.querySelector('#step-count').textContent) >= {steps}")
    pause(page)


def test_the_switch_turns_the_playground_into_a_regression_lab(page):
    open_page(page)
    created = sent(page, "POST", "/api/sessions")
    page.click("text=Regression")
    until(lambda: created, page)
    config = created[-1]
    assert config["problem"] == "regression" and config["target"]["name"] == "sine"
    assert config["model"]["loss"] == "squared_error" and config["target"]["noise"] == 0.05
    wait_for(page, "window.renderedFrames >= 2")
    assert "prob=regression" in page.url
    expect(page.locator("#targets")).to_be_visible()
    expect(page.locator("#datasets")).to_be_hidden()
    expect(page.locator("#r-max-error")).to_be_visible()
    expect(page.locator("#r-train-acc")).to_be_hidden()
    assert page.input_value("#loss") == "squared_error" and page.is_disabled("#loss")
    page.click("text=Classification")
    until(lambda: created[-1].get("problem") != "regression", page)
    expect(page.locator("#datasets")).to_be_visible()
    assert_clean(page)


def inked(page):
    """Pixels painted on the fit's overlay canvas (the network's curve and the contributions)."""
    return page.evaluate(
        """() => {
          const c = document.querySelector('#boundary canvas.overlay');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) n += d[i] > 0;
          return n;
        }"""
    )


def test_a_1d_fit_follows_the_target_and_shows_each_units_contribution(page):
    open_page(page, "?prob=regression&hidden=6&act=relu&init=he&opt=adam&lr=0.01&speed=20")
    before = number(page, "#r-max-error")
    assert page.evaluate(PLOT_TRACES) == 3  # the target and the points; the fit is painted
    train(page, 1500)
    after = number(page, "#r-max-error")
    assert after < before / 2
    kinks = int(page.get_attribute("#boundary canvas.overlay", "data-kinks"))
    assert 1 <= kinks <= 6  # one per ReLU switched on inside the interval
    expect(page.locator("#curves .legendtext")).to_have_count(3)  # no accuracy in regression
    expect(page.locator("#draw-hint")).to_be_visible()
    shot(page, "regression-1d")
    with_units = inked(page)
    page.uncheck("#contrib")
    wait_for(page, "document.querySelector('#boundary canvas.overlay').dataset.kinks === '0'")
    assert 0 < inked(page) < with_units  # the network's curve alone
    assert_clean(page)


def test_hovering_a_last_layer_unit_draws_its_share_of_the_1d_fit(page):
    open_page(page, "?prob=regression&hidden=5,6&act=relu&init=he&opt=adam&lr=0.01&speed=20")
    train(page, 300)
    overlay = "document.querySelector('#boundary canvas.overlay')"
    expect(page.locator("#unit-hint")).to_contain_text("last hidden layer")
    expect(page.locator("#unit-tip")).to_be_hidden()  # no plane to map a unit over
    page.uncheck("#contrib")
    wait_for(page, f"{overlay}.dataset.contributions === 'false'")  # redrawn without them
    alone = inked(page)
    units = page.locator("#diagram circle.hidden")
    units.nth(5 + 3).hover()  # the 4th unit of the second (last) hidden layer
    wait_for(page, f"{overlay}.dataset.highlight === '3'")
    assert inked(page) > alone  # its contribution, drawn over the network's curve
    assert units.nth(5 + 3).get_attribute("fill") == "#8e6c8a"  # the dot takes the line's colour
    expect(page.locator("#unit-tip")).to_be_hidden()
    shot(page, "regression-unit-hover")
    units.nth(1).hover()  # a unit of the first layer has no share of its own
    wait_for(page, f"{overlay}.dataset.highlight === ''")
    units.nth(5).hover()
    wait_for(page, f"{overlay}.dataset.highlight === '0'")
    page.mouse.move(5, 5)  # leaving the diagram clears it
    wait_for(page, f"{overlay}.dataset.highlight === ''")
    assert inked(page) == alone
    assert_clean(page)


def test_a_curve_drawn_with_the_mouse_becomes_the_target(page):
    open_page(page, "?prob=regression&hidden=16&opt=adam&lr=0.01")
    created = sent(page, "POST", "/api/sessions")
    box = page.locator("#boundary .plot .nsewdrag").bounding_box()
    left, top, width, height = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(left + 0.05 * width, top + 0.7 * height)
    page.mouse.down()
    for i in range(1, 31):
        x = 0.05 + 0.9 * i / 30
        y = 0.7 - 0.4 * (i % 10) / 10  # a saw tooth
        page.mouse.move(left + x * width, top + y * height)
    page.mouse.up()
    until(lambda: created, page)
    target = created[-1]["target"]
    assert target["name"] == "drawn" and 10 <= len(target["curve"]) <= 80
    xs = [x for x, _ in target["curve"]]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert xs[0] < -2.5 and xs[-1] > 2.5
    assert "tgt=drawn" in page.url and "#curve=" in page.url
    wait_for(page, "window.renderedFrames >= 2")
    train(page, 300)
    shot(page, "regression-drawn")
    # the link carries the drawing: a reload asks for the same curve
    again = sent(page, "POST", "/api/sessions")
    page.reload()
    until(lambda: again, page)
    assert again[-1]["target"]["curve"] == target["curve"]
    assert_clean(page)


def test_a_2d_target_is_a_diverging_heat_map_with_the_points_on_top(page):
    open_page(page, "?prob=regression&tgt=gauss&hidden=16&opt=adam&lr=0.01&speed=20&lang=ko")
    train(page, 800)
    assert number(page, "#r-max-error") < 0.5
    painted = page.evaluate(
        """() => {
          const c = document.querySelector('#boundary canvas.regions');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let blue = 0, red = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 2] > d[i] + 40) blue++;
            if (d[i] > d[i + 2] + 40) red++;
          }
          return { blue, red, hidden: c.hidden };
        }"""
    )
    assert not painted["hidden"] and painted["blue"] > 50 and painted["red"] > 50
    expect(page.locator("#contrib")).to_be_hidden()  # contributions belong to 1-D fits
    expect(page.locator("#draw-hint")).to_be_hidden()  # so does drawing a target
    expect(page.locator("[data-i18n='out.max_error']")).to_have_text("목표와의 최대 오차")
    shot(page, "regression-2d-ko")
    assert_clean(page)
