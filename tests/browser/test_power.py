"""Representational power in a real Chromium: one hidden layer of N units runs to an error plot,
the fits and a verdict; the depth job runs to a box plot; the page speaks Korean, cancels, and
keeps its setup in the URL. Also: both languages have the same strings."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, shot

ROOT = Path(__file__).resolve().parents[2]
JOB_SECONDS = 60_000


def traces(page, div):
    """The Plotly traces drawn in a div: [{name, type, points}]."""
    script = """(id) => document.getElementById(id).data.map((t) =>
        ({name: t.name, type: t.type, points: Array.from(t.y || []).length}))"""
    return page.evaluate(script, div)


def query_of(page):
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def open_power(page, query=""):
    """The page once its form holds the URL's setup (filling it earlier would be overwritten)."""
    page.goto(f"/experiments/power{query}")
    expect(page.locator("main[data-ready]")).to_be_attached()


def run_power(page, target="sine", sizes="1, 16", seeds="1", steps="800"):
    page.select_option("#target", target)
    page.fill("#sizes", sizes)
    page.fill("#seeds", seeds)
    page.fill("#steps", steps)
    page.click("#start")
    expect(page.locator("#result")).to_be_visible(timeout=JOB_SECONDS)


def test_one_hidden_layer_runs_to_an_error_plot_the_fits_and_a_verdict(page):
    open_power(page)
    run_power(page)
    expect(page.locator("#progress-text")).to_have_text("done: 2 runs")
    expect(page.locator("#finding")).to_contain_text("From 1 to 16 units the best max error")
    best, each_seed = traces(page, "error-chart")
    assert (best["name"], best["points"]) == ("best", 2)
    assert each_seed["points"] == 2  # one seed per N
    fits = traces(page, "fit-chart")
    assert [t["name"] for t in fits] == ["target", "N = 1", "N = 16"]
    assert all(t["points"] == 200 for t in fits)
    with page.expect_download() as download:
        page.click("#download-json")
    assert '"best_max_error"' in download.value.path().read_text()
    assert page.get_attribute("#download-csv", "href").endswith("/result.csv")
    shot(page, "power")
    assert_clean(page)


def test_the_step_verdict_says_the_theorem_does_not_cover_it(page):
    open_power(page)
    run_power(page, target="step", sizes="2, 8", steps="300")
    expect(page.locator("#finding")).to_contain_text("not continuous")
    assert_clean(page)


def test_a_two_input_target_plots_errors_without_fits(page):
    open_power(page)
    run_power(page, target="gauss", sizes="1, 4", steps="200")
    expect(page.locator("#no-fits")).to_be_visible()
    expect(page.locator("#fit-chart")).to_be_hidden()
    assert traces(page, "error-chart")[0]["points"] == 2
    assert_clean(page)


def run_depth(page, depths="1, 2", seeds="2", steps="200"):
    page.fill("#depths", depths)
    page.fill("#depth-seeds", seeds)
    page.fill("#depth-steps", steps)
    page.click("#depth-start")
    expect(page.locator("#depth-result")).to_be_visible(timeout=JOB_SECONDS)


def test_depth_at_one_budget_runs_to_a_box_plot_and_a_verdict(page):
    open_power(page)
    run_depth(page)
    expect(page.locator("#depth-progress-text")).to_have_text("done: 4 runs")
    boxes = traces(page, "depth-chart")
    assert [b["type"] for b in boxes] == ["box", "box"]
    assert all(b["points"] == 2 for b in boxes)
    assert re.fullmatch(r"1×\d+ \(\d+\)", boxes[0]["name"])
    assert re.fullmatch(r"2×\d+ \(\d+\)", boxes[1]["name"])
    assert "median final loss" in page.inner_text("#depth-finding")
    assert page.get_attribute("#depth-download-csv", "href").endswith("/result.csv")
    run_depth(page, depths="1, 2, 3, 4", steps="600")  # the notes' claim past 2 hidden layers
    expect(page.locator("#depth-progress-text")).to_have_text("done: 8 runs", timeout=JOB_SECONDS)
    expect(page.locator("#depth-finding")).to_contain_text("past")
    shot(page, "power-depth")
    assert_clean(page)


def test_korean_texts_and_a_language_switch_rerenders_the_results(page):
    open_power(page, "?lang=ko")
    expect(page.locator("h1")).to_have_text("표현력 (Representational power)")
    expect(page.locator("#start")).to_have_text("시작")
    run_power(page)
    expect(page.locator("#finding")).to_contain_text("최선의 최대 오차")
    expect(page.locator("#progress-text")).to_have_text("완료: 2개 실행")
    assert traces(page, "fit-chart")[0]["name"] == "목표"
    run_depth(page, depths="1, 2, 3")
    expect(page.locator("#depth-finding")).to_contain_text("중앙값")
    shot(page, "power-ko")
    page.click("button[data-lang='en']")
    expect(page.locator("#finding")).to_contain_text("best max error")
    expect(page.locator("#progress-text")).to_have_text("done: 2 runs")
    assert traces(page, "fit-chart")[0]["name"] == "target"
    assert query_of(page)["lang"] == "en"
    assert_clean(page)


def test_a_job_can_be_cancelled(page):
    open_power(page)
    page.fill("#sizes", "128, 256")
    page.fill("#seeds", "10")
    page.fill("#steps", "10000")
    page.click("#start")
    expect(page.locator("#cancel")).to_be_enabled()
    page.click("#cancel")
    expect(page.locator("#progress-text")).to_contain_text("cancelled", timeout=15_000)
    expect(page.locator("#start")).to_be_enabled()
    assert_clean(page)


def test_too_much_work_is_refused_before_it_is_sent_with_the_total_and_limit(page):
    open_power(page)
    page.fill("#seeds", "10")
    page.fill("#steps", "20000")
    page.click("#start")
    expect(page.locator("#message")).to_contain_text("1,200,000 training steps")
    page.fill("#sizes", "1, 300")
    page.click("#start")
    expect(page.locator("#message")).to_contain_text("“Units N”")
    assert_clean(page)


def test_the_url_keeps_the_setup_and_a_reload_restores_it(page):
    open_power(page, "?lang=ko")
    page.select_option("#target", "abs")
    page.select_option("#activation", "relu")
    page.fill("#sizes", "2, 8, 32")
    page.fill("#steps", "1500")
    page.fill("#budget", "400")
    page.fill("#depths", "1, 3")
    page.locator("#depths").blur()
    expect(page).to_have_url(re.compile(r"depths=1%2C3"))
    assert query_of(page) == {"lang": "ko", "target": "abs", "activation": "relu",
                              "sizes": "2,8,32", "steps": "1500", "budget": "400",
                              "depths": "1,3"}  # fmt: skip
    page.reload()
    expect(page.locator("#sizes")).to_have_value("2, 8, 32")
    assert page.input_value("#target") == "abs"
    assert page.input_value("#activation") == "relu"
    assert page.input_value("#steps") == "1500"
    assert page.input_value("#budget") == "400"
    assert page.input_value("#depths") == "1, 3"
    assert page.input_value("#seeds") == "2"  # not in the URL: the default
    expect(page.locator("#start")).to_have_text("시작")
    page.click("button[data-lang='en']")
    assert query_of(page)["sizes"] == "2,8,32"  # the switch keeps the setup
    assert_clean(page)


def test_a_bad_url_value_falls_back_to_the_default(page):
    open_power(page, "?sizes=0,999&target=nope&steps=abc&depths=2")
    expect(page.locator("#sizes")).to_have_value("1, 2, 4, 8, 16, 64")
    assert page.input_value("#target") == "bumps"
    assert page.input_value("#steps") == "3000"
    assert page.input_value("#depths") == "2"
    assert "nope" not in page.url
    assert_clean(page)


def test_the_nav_links_to_the_page(page):
    page.goto("/experiments/seeds")
    page.click("nav a[href='/experiments/power']")
    expect(page.locator("nav a[aria-current='page']")).to_have_text("Representational power")
    assert_clean(page)


def string_keys(path, lang):
    """The keys of one language's table in a strings module."""
    text = (ROOT / path).read_text()
    body = re.search(rf"\nconst {lang} = \{{\n(.*?)\n\}};", text, re.S).group(1)
    return re.findall(r'^\s+"([^"]+)":', body, re.M)


def test_both_languages_have_the_same_lesson_strings():
    en = string_keys("static/js/strings-lessons.js", "en")
    ko = string_keys("static/js/strings-lessons.js", "ko")
    assert len(en) == len(set(en)) and "power.title" in en
    assert set(en) == set(ko)
