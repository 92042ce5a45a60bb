"""The playground's hidden-space view in a real Chromium: where a hidden layer puts the points
and the plane's grid lines, live, per layer, in English and Korean. Screenshots are looked at."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, shot
from tests.browser.test_playground import open_page, pause, wait_for
from tests.browser.test_regression import train

TRACES = "document.querySelectorAll('#space .scatterlayer .trace').length"
DRAWS = "window.spaceDraws || 0"


def axis_titles(page):
    return [page.locator(f"#space .g-{axis}title").text_content() for axis in "xy"]


def test_the_space_of_a_two_unit_layer_follows_training(page):
    open_page(page, "?ds=circle&classes=2&hidden=6,2&opt=adam&lr=0.03&speed=20")
    expect(page.locator("#space")).to_be_hidden()  # off until asked for
    page.check("#show-space")
    wait_for(page, f"{DRAWS} >= 1")
    assert "space=1" in page.url
    assert page.evaluate(TRACES) == 5  # the mesh, the two classes' training and test points
    assert page.get_attribute("#space", "data-projection") == "units"
    assert page.get_attribute("#space", "data-regions") == "true"  # the output's classes here
    assert axis_titles(page) == ["unit 1", "unit 2"]
    page.click("#play")
    before = page.evaluate(DRAWS)
    wait_for(page, f"{DRAWS} >= {before + 3}")  # live (4 a second at most; polled, not timed)
    wait_for(page, "Number(document.querySelector('#step-count').textContent) >= 600")
    pause(page)
    wait_for(page, "document.querySelector('#space').dataset.step === String(window.drawnStep)")
    expect(page.locator("#space-note")).to_contain_text("straight lines")
    shot(page, "space-two-units")
    assert_clean(page)


def test_a_wider_layer_is_shown_along_its_principal_directions_in_korean(page):
    open_page(page, "?ds=spiral&hidden=8,8&act=relu&init=he&opt=adam&lr=0.01&space=1&lang=ko")
    wait_for(page, f"{DRAWS} >= 1")
    train(page, 300)
    assert page.get_attribute("#space", "data-projection") == "pca"
    assert page.get_attribute("#space", "data-regions") == "false"  # no straight map to paint
    assert page.get_attribute("#space", "data-layer") == "1"  # the last by default
    titles = axis_titles(page)
    assert titles[0].startswith("주성분 1") and titles[1].startswith("주성분 2")
    expect(page.locator("#space-note")).to_contain_text("주성분")
    page.select_option("#space-layer", "1")
    wait_for(page, "document.querySelector('#space').dataset.layer === '0'")
    assert "slayer=1" in page.url
    page.select_option("#space-axes", "2")  # units 2 and 3 of that layer, as ConvNetJS cycles
    wait_for(page, "document.querySelector('#space').dataset.projection === 'units'")
    assert axis_titles(page) == ["뉴런 2", "뉴런 3"] and "saxes=2" in page.url
    expect(page.locator("[data-i18n='space.show']")).to_have_text("은닉 공간")
    shot(page, "space-pca-ko")
    assert_clean(page)


def test_the_space_view_fits_what_the_run_has(page):
    open_page(page, "?ds=xor&hidden=&space=1")  # no hidden layer
    expect(page.locator("#space-note")).to_contain_text("no hidden layer")
    expect(page.locator("#space")).to_be_hidden()
    open_page(page, "?prob=regression&tgt=gauss&hidden=2&space=1")
    wait_for(page, f"{DRAWS} >= 1")
    assert page.evaluate(TRACES) == 3  # the mesh, training and test points coloured by value
    open_page(page, "?prob=regression&tgt=sine&hidden=4&space=1")
    expect(page.locator("#space-box")).to_be_hidden()  # a 1-D fit has no plane to bend
    assert_clean(page)


def test_the_side_by_side_lesson_links_to_the_hidden_space_in_its_language(page):
    page.goto("/experiments/grid?lang=ko")
    link = page.locator("#space-link")
    expect(link).to_contain_text("은닉 공간")
    wait_for(page, "document.querySelector('#space-link').href.includes('lang=ko')")
    link.click()
    wait_for(page, f"{DRAWS} >= 1")
    assert page.get_attribute("#space", "data-regions") == "true"
    expect(page.locator("[data-i18n='space.show']")).to_have_text("은닉 공간")
    assert_clean(page)
