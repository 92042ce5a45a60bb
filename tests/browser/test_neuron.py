"""One neuron in a real Chromium: binary softmax and binary SVM train side by side, and L2
pulls the weight norm down."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, shot
from tests.browser.test_playground import wait_for

STEP = "Number(document.querySelector('#step-count').textContent)"


def readout(page, run, name):
    return float(page.inner_text(f"#readouts-{run} dd.{name}"))


def play_until(page, step):
    page.click("#play")
    wait_for(page, f"{STEP} >= {step}")
    page.click("#play")
    expect(page.locator("#play")).not_to_have_class("play playing")


def test_both_panels_render_with_their_boundary_lines(page):
    page.goto("/experiments/neuron")
    wait_for(page, "window.renderedFrames >= 1")
    for run in ("logistic", "hinge"):
        expect(page.locator(f"#boundary-{run} canvas.regions")).to_have_count(1)
        expect(page.locator(f"#readouts-{run} dd.w1")).not_to_have_text("–")
    expect(page.locator("#boundary-logistic svg.lines line")).to_have_count(1)
    expect(page.locator("#boundary-hinge svg.lines line.boundary-line")).to_have_count(1)
    expect(page.locator("#norm-chart .scatterlayer .trace")).to_have_count(2)
    assert page.inner_text("h1") == "A single neuron as a linear classifier"
    shot(page, "neuron-start")
    assert_clean(page)


def test_play_trains_both_and_the_loss_falls_on_linear_data(page):
    page.goto("/experiments/neuron")
    wait_for(page, "window.renderedFrames >= 1")
    before = {run: readout(page, run, "loss") for run in ("logistic", "hinge")}
    play_until(page, 100)
    for run in ("logistic", "hinge"):
        assert readout(page, run, "loss") < before[run]
    assert page.inner_text("#readouts-logistic dd.accuracy").startswith("100")
    shot(page, "neuron-linear-trained")
    assert_clean(page)


def test_raising_lambda_shrinks_the_weight_norm(page):
    page.goto("/experiments/neuron")
    wait_for(page, "window.renderedFrames >= 1")
    play_until(page, 100)
    grown = {run: readout(page, run, "norm") for run in ("logistic", "hinge")}
    page.select_option("#l2", "1")
    start = page.evaluate(STEP)
    play_until(page, start + 60)
    for run in ("logistic", "hinge"):
        assert readout(page, run, "norm") < grown[run] / 2
    shot(page, "neuron-lambda-1")
    assert_clean(page)


def test_xor_shows_the_callout_and_neither_neuron_succeeds(page):
    page.goto("/experiments/neuron")
    wait_for(page, "window.renderedFrames >= 1")
    expect(page.locator("#xor-note")).to_be_hidden()
    page.select_option("#dataset", "xor")
    expect(page.locator("#xor-note")).to_be_visible()
    wait_for(page, "window.renderedFrames >= 2")
    play_until(page, 100)
    # true at whatever step the pause lands: the softmax neuron stays near chance, and neither
    # beats the best straight line on these points (70.6 %, tests/api/test_quoted_page_numbers)
    accuracy = {run: float(page.inner_text(f"#readouts-{run} dd.accuracy").split()[0])
                for run in ("logistic", "hinge")}  # fmt: skip
    assert abs(accuracy["logistic"] - 50) <= 10 and accuracy["hinge"] < 75, accuracy
    shot(page, "neuron-xor")
    assert_clean(page)


def test_korean_switch_changes_the_labels(page):
    page.goto("/experiments/neuron")
    wait_for(page, "window.renderedFrames >= 1")
    page.click("[data-lang=ko]")
    expect(page.locator("h1")).to_have_text("선형 분류기로서의 단일 뉴런")
    expect(page.locator("[data-run=logistic] h2")).to_have_text("Binary Softmax 분류기")
    expect(page.locator("#readouts-logistic")).to_contain_text("학습 손실")
    assert "lang=ko" in page.url
    shot(page, "neuron-korean")
    page.goto("/experiments/neuron?lang=ko")
    expect(page.locator("h2[data-i18n='neuron.norm_title']")).to_have_text(
        "스텝에 따른 가중치 크기"
    )
    assert_clean(page)
