"""The lesson pages keep their word: a link reproduces the setup, every menu speaks the page's
language, a wrong entry is named as the person sees it, and Network size counts what is typed."""

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, forget_the_refusal, shots
from tests.browser.test_playground import sent, until, wait_for

# page -> when its menus are filled (from GET /api/options, except the neuron's own)
MENU_PAGES = {
    "/experiments/seeds": "document.querySelector('main').dataset.ready",
    "/experiments/power": "document.querySelector('main').dataset.ready",
    "/experiments/neuron": "true",
    "/experiments/sizing": "document.querySelector('#act').options.length > 1",
}
RAW = re.compile(r"[a-z_]+ \(2-D\)|.*_.*")  # "gauss (2-D)", "leaky_relu"


def raw_id(text, value):
    """Whether an option shows the API's id rather than a name ("gauss", "leaky_relu")."""
    return bool(RAW.fullmatch(text)) or (text == value and bool(re.fullmatch(r"[a-z_]+", value)))


def query_of(page):
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def open_ready(page, path):
    """A page whose form has been filled (from the URL, and its menus from the API)."""
    page.goto(path)
    expect(page.locator("main[data-ready]")).to_be_attached()


def test_the_one_neuron_setup_lives_in_the_url(page, browser, base_url):
    page.goto("/experiments/neuron?lang=ko")
    wait_for(page, "window.renderedFrames >= 1")
    created = sent(page, "POST", "/api/sessions")
    page.select_option("#dataset", "moons")
    page.fill("#seed", "7")
    page.press("#seed", "Enter")
    page.select_option("#l2", "0.01")
    until(lambda: len(created) >= 4, page, what="the runs of the new setup")
    assert query_of(page) == {"lang": "ko", "dataset": "moons", "seed": "7", "l2": "0.01"}
    again = browser.new_page(base_url=base_url)
    try:
        rebuilt = sent(again, "POST", "/api/sessions")
        again.goto(page.url)
        wait_for(again, "window.renderedFrames >= 1")
        assert [again.input_value(s) for s in ("#dataset", "#seed", "#l2")] == [
            "moons",
            "7",
            "0.01",
        ]
        config = rebuilt[0]
        assert (config["dataset"]["name"], config["seed"], config["training"]["l2"]) == (
            "moons",
            7,
            0.01,
        )
        expect(again.locator("h1")).to_have_text("선형 분류기로서의 단일 뉴런")
    finally:
        again.close()
    shots(page, "setups-neuron-ko")
    assert_clean(page)


def test_the_seed_lottery_setup_lives_in_the_url(page):
    open_ready(page, "/experiments/seeds")
    page.select_option("#dataset", "gauss")
    page.fill("#sizes", "2, 8, 32")
    page.fill("#seeds", "4")
    page.fill("#steps", "300")
    page.locator("#steps").blur()
    expect(page).to_have_url(re.compile(r"steps=300"))
    assert query_of(page) == {"dataset": "gauss", "sizes": "2,8,32", "seeds": "4", "steps": "300"}
    started = sent(page, "POST", "/api/jobs/seed-variance")
    page.reload()
    expect(page.locator("main[data-ready]")).to_be_attached()
    assert [page.input_value(s) for s in ("#dataset", "#sizes", "#seeds", "#steps")] == [
        "gauss", "2, 8, 32", "4", "300",
    ]  # fmt: skip
    page.click("#start")
    until(lambda: started, page, what="the job to start")
    assert started[0]["config"]["dataset"]["name"] == "gauss"
    assert (started[0]["sizes"], started[0]["seeds"], started[0]["steps"]) == ([2, 8, 32], 4, 300)
    assert_clean(page)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_menu_shows_names_not_api_ids(page, lang):
    raw = {}
    for path, filled in MENU_PAGES.items():
        page.goto(f"{path}?lang={lang}")
        wait_for(page, filled)
        options = page.eval_on_selector_all(
            "select option", "options => options.map((o) => [o.textContent.trim(), o.value])"
        )
        assert options, path
        shown = [text for text, value in options if raw_id(text, value)]
        if shown:
            raw[path] = shown
    assert not raw, raw
    open_ready(page, f"/experiments/power?lang={lang}")
    names = page.eval_on_selector_all("#target option", "options => options.map((o) => o.text)")
    assert ("Bumps (2-D)" if lang == "en" else "봉우리 (2차원)") in names
    assert_clean(page)


@pytest.mark.parametrize(("lang", "says"), [
    ("en", "Check the 4th entry of “Hidden units” (300): it must be a whole number from 1 to 256."),
    ("ko", "“은닉 뉴런”의 4번째 값(300)을 확인하세요. 가능한 값: 1부터 256까지의 정수."),
])  # fmt: skip
def test_a_bad_lottery_entry_is_named_as_the_person_sees_it(page, lang, says):
    open_ready(page, f"/experiments/seeds?lang={lang}")
    started = sent(page, "POST", "/api/jobs/seed-variance")
    page.fill("#sizes", "2, 4, 8, 300")
    page.click("#start")
    expect(page.locator("#message-text")).to_have_text(says)
    shots(page, f"setups-seeds-error-{lang}")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill("#sizes", "2, 4, 8")
    page.fill("#seeds", "20")
    page.fill("#steps", "5000")
    page.click("#start")
    total = "300,000"
    expect(page.locator("#message-text")).to_contain_text(total)
    text = page.inner_text("#message-text")
    assert "200,000" in text and "sizes" not in text and "body" not in text
    assert not started  # refused before it was sent
    page.click(f"[data-lang={'ko' if lang == 'en' else 'en'}]")  # the message follows the language
    expect(page.locator("#message-text")).not_to_have_text(text)
    expect(page.locator("#message-text")).to_contain_text(total)
    assert_clean(page)


def test_network_size_counts_an_mnist_image_as_784_inputs(page):
    page.goto("/experiments/sizing")
    wait_for(page, "document.querySelector('#param-total').textContent !== '–'")
    for selector, value in (("#inputs", "784"), ("#hidden-list li:first-child input", "100"),
                            ("#outputs", "10")):  # fmt: skip
        page.fill(selector, value)
        page.press(selector, "Enter")
    total = 784 * 100 + 100 + 100 * 10 + 10
    expect(page.locator("#param-total")).to_have_text(f"{total:,}")
    expect(page.locator("#param-arithmetic")).to_contain_text("[784×100] + [100×10]")
    assert page.input_value("#inputs") == "784"
    assert query_of(page)["inputs"] == "784"
    expect(page.locator("#diagram-note")).to_have_text(  # 24 of the 784 are drawn, and said so
        "The diagram draws at most 24 neurons per layer (Inputs: 784, Hidden 1: 100)."
    )
    shots(page, "setups-sizing-784")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill(
        "#hidden-list li:first-child input", "300"
    )  # past the engine's 256: said, not clamped
    page.press("#hidden-list li:first-child input", "Enter")
    expect(page.locator("#message")).to_have_text(
        "Check the 1st entry of “Hidden layers” (300): it must be a whole number from 1 to 256."
    )
    assert page.inner_text("#param-total") == f"{total:,}" and query_of(page)["hidden"] == "100"
    page.click("[data-lang=ko]")
    page.fill("#inputs", "2000000")
    page.press("#inputs", "Enter")
    expect(page.locator("#message")).to_have_text(
        "“입력” 값(2000000)을 확인하세요. 가능한 값: 1부터 1,000,000까지의 정수."
    )
    shots(page, "setups-sizing-error-ko")
    assert_clean(page)


def test_a_power_entry_out_of_range_names_its_position(page):
    open_ready(page, "/experiments/power?lang=ko")
    page.fill("#depths", "1, 2, 9")
    page.click("#depth-start")
    expect(page.locator("#depth-message-text")).to_have_text(
        "“은닉층 수”의 3번째 값(9)을 확인하세요. 가능한 값: 1부터 8까지의 정수."
    )
    shots(page, "setups-power-ko")
    assert_clean(page)


def test_the_server_refusing_a_job_is_worded_in_the_pages_language(page):
    """Whatever the form lets through, the API's own 422 is named as the page names it."""
    open_ready(page, "/experiments/seeds?lang=ko")
    detail = [{"type": "less_than_equal", "loc": ["body", "steps"], "msg": "Input should be…",
               "ctx": {"le": 5000}, "input": 6000}]  # fmt: skip
    page.route("**/api/jobs/seed-variance",
               lambda route: route.fulfill(status=422, body=json.dumps({"detail": detail}),
                                           content_type="application/json"))  # fmt: skip
    page.click("#start")
    expect(page.locator("#message-text")).to_have_text(
        "“실행당 스텝” 값(6000)을 확인하세요. 가능한 값: 1부터 5,000까지의 정수."
    )
    forget_the_refusal(page)
    assert_clean(page)


def test_an_activation_entry_out_of_range_is_said_not_ignored(page):
    page.goto("/experiments/activations")
    wait_for(page, "document.querySelector('main').dataset.drawn")
    page.fill("#w1", "20")
    expect(page.locator("#message")).to_have_text(
        "Check “w₁” (20): it must be a number from -10 to 10."
    )
    page.fill("#w1", "1")
    expect(page.locator("#message")).to_be_hidden()  # fixed: the curves follow again
    page.click("[data-lang=ko]")
    page.fill("#leaky-slope", "2")
    expect(page.locator("#message")).to_have_text(
        "“Leaky ReLU 기울기” 값(2)을 확인하세요. 가능한 값: 0부터 0.99까지의 수."
    )
    shots(page, "setups-activations-ko")
    assert_clean(page)
