"""Side by side in a real Chromium: the notes' presets come from the API, Play trains to the
figure's step and stops there, the panels show the figure (regions counted on screen), smooth
regions with the boundary drawn as a line, the setup lives in the URL, menus and errors speak
the page's language."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, log_of, shot
from tests.browser.test_playground import wait_for

FIGURE_SECONDS = 300  # an upper bound for a loaded machine: the test waits for the state


def open_grid(page, query=""):
    page.goto(f"/experiments/grid{query}")
    wait_for(page, "window.renderedFrames >= 1")


def play_to_the_figure(page):
    page.click("#play")
    wait_for(page, "!document.querySelector('#summary').hidden", timeout=FIGURE_SECONDS)


def panel_facts(page):
    """[(caption, step, regions)] of every panel, as the page counted them."""
    return page.evaluate("""() => [...document.querySelectorAll('.panel-card')].map((card) =>
        [card.querySelector('figcaption').textContent, Number(card.dataset.step),
         Number(card.dataset.regions)])""")


def test_the_neurons_preset_plays_to_the_figure_and_stops(page):
    open_grid(page)
    captions = page.locator(".panel-card figcaption")
    expect(captions).to_have_count(3)
    assert captions.nth(2).inner_text() == "hidden neurons = 20"
    steps = page.evaluate("fetch('/api/presets').then((r) => r.json())")[0]["steps"]
    play_to_the_figure(page)
    facts = panel_facts(page)
    assert [f[1] for f in facts] == [steps] * 3  # exactly the figure's step, not past it
    expect(page.locator("#step-count")).to_have_text(str(steps))
    assert facts[0][2] == 2, facts  # 3 neurons: one region per class
    assert facts[2][2] >= 4, facts  # 20 neurons: islands around the outlying points
    summary = page.locator("#summary-list li")
    expect(summary).to_have_count(3)
    assert "100 %" in summary.nth(2).inner_text()  # every training point fitted
    expect(page.locator("#play")).not_to_have_class("playing")
    shot(page, "grid-neurons-figure")
    assert_clean(page)


def test_regions_are_smooth_and_the_boundary_is_a_line(page):
    open_grid(page)
    drawn = page.evaluate("""() => {
        const canvas = document.querySelector('.panel-card canvas.regions');
        const area = canvas.getBoundingClientRect();
        return { width: canvas.width, shown: area.width, dpr: window.devicePixelRatio,
                 smooth: getComputedStyle(canvas).imageRendering,
                 segments: Number(canvas.dataset.segments) };
    }""")
    # painted at the screen's resolution, not as 100 blocks blown up
    assert drawn["width"] >= round(drawn["shown"] * drawn["dpr"]) - 1
    assert drawn["smooth"] != "pixelated"
    assert drawn["segments"] > 20  # the decision boundary, traced as line segments


def test_each_panel_frames_its_data(page):
    open_grid(page)
    frame = page.evaluate("""() => {
        const plot = document.querySelector('.panel-card .plot');
        const xs = plot.data.flatMap((t) => t.x), ys = plot.data.flatMap((t) => t.y);
        return { range: plot._fullLayout.xaxis.range, extent: Math.max(...xs.map(Math.abs),
                 ...ys.map(Math.abs)) };
    }""")
    low, high = frame["range"]
    assert frame["extent"] >= 0.8 * high and low == -high  # the points reach out near the edges


def test_the_dead_relu_preset_reads_dead_shares_at_its_step(page):
    open_grid(page, "?preset=dead")
    expect(page.locator(".panel-card")).to_have_count(4)
    play_to_the_figure(page)
    cards = page.locator(".panel-card")
    relu = cards.nth(0).locator(".readout").inner_text()
    leaky = cards.nth(1).locator(".readout").inner_text()
    assert "Dead / saturated units" in relu and "Dead" not in leaky  # Leaky units cannot die
    assert page.locator("#inactive .scatterlayer .trace").count() >= 4
    expect(page.locator("#summary-list li")).to_have_count(4)
    shot(page, "grid-dead")
    assert_clean(page)


def test_the_three_by_three_preset_in_korean(page):
    open_grid(page, "?preset=both&lang=ko")
    expect(page.locator(".panel-card")).to_have_count(9)
    assert "은닉 뉴런 = 3" in page.locator(".panel-card figcaption").first.inner_text()
    assert page.locator("#preset-note").inner_text().startswith("두 그림을 한 번에")
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("30")
    shot(page, "grid-both-korean")
    assert_clean(page)


def test_menus_show_names_not_api_ids_in_both_languages(page):
    open_grid(page, "?preset=dead")
    for lang, leaky, spiral in (("en", "Leaky ReLU", "Spiral"), ("ko", "Leaky ReLU", "나선")):
        page.click(f"[data-lang={lang}]")
        options = page.locator("#activation option, #dataset option, #row-axis option")
        texts = options.all_inner_texts()
        assert leaky in texts and spiral in texts
        assert not [text for text in texts if "_" in text], texts
        assert leaky in page.input_value("#col-values")  # values by name, too
    assert_clean(page)


def test_the_setup_lives_in_the_url(page):
    open_grid(page, "?preset=lambda")
    page.fill("#col-values", "0.001, 0.1")
    page.fill("#seed", "4")
    page.select_option("#activation", "relu")
    page.click("#build")
    expect(page.locator(".panel-card")).to_have_count(2)
    query = {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}
    assert query["cv"] == "0.001,0.1" and query["seed"] == "4" and query["act"] == "relu"
    page.goto(page.url)  # the link alone rebuilds the same grid
    wait_for(page, "window.renderedFrames >= 1")
    expect(page.locator(".panel-card")).to_have_count(2)
    assert page.input_value("#seed") == "4" and page.input_value("#activation") == "relu"
    assert page.locator(".panel-card figcaption").nth(1).inner_text() == "λ = 0.1"
    assert_clean(page)


def test_a_value_that_is_not_a_number_is_named_in_the_pages_language(page):
    open_grid(page)
    page.fill("#col-values", "3, abc")
    page.click("#build")
    expect(page.locator("#message")).to_have_text(
        "Check the 2nd entry of “Columns vary: hidden neurons” (abc): it must be a whole number."
    )
    page.click("[data-lang=ko]")
    page.click("#build")
    expect(page.locator("#message")).to_contain_text("2번째")
    assert "abc" in page.inner_text("#message")
    assert_clean(page)  # nothing was sent


def test_a_value_out_of_range_is_named_before_anything_is_sent(page):
    open_grid(page)
    page.fill("#col-values", "3, 0")
    page.click("#build")
    expect(page.locator("#message")).to_contain_text("2nd entry of “Columns vary: hidden neurons”")
    expect(page.locator("#message")).to_contain_text("(0): it must be")
    assert_clean(page)  # nothing was sent


def test_a_run_the_server_refuses_is_explained_in_the_pages_words(page):
    open_grid(page, "?preset=lambda")
    page.fill("#col-values", "0.01, 20")
    page.click("#build")
    expect(page.locator("#message")).to_have_text(
        "Check the 2nd entry of “Columns vary: λ” (20): it must be at most 10."
    )
    errors = log_of(page).console_errors
    assert len(errors) == 1 and "422" in errors[0]  # the refused request, and nothing else
    errors.clear()


def test_play_pressed_while_the_panels_are_built_starts_them_when_they_exist(page):
    from tests.browser.test_replacing_runs import Hold

    creating = Hold(page, "**/api/groups")
    page.goto("/experiments/grid?preset=dead")
    creating.wait_for(1)
    page.click("#play")
    expect(page.locator("#play")).to_have_class("play playing")  # it says it will play
    creating.release()
    wait_for(page, "Number(document.querySelector('#step-count').textContent) >= 20")
    assert_clean(page)


def test_after_pause_the_counter_shows_the_servers_step(page):
    open_grid(page, "?preset=dead")
    page.click("#play")
    wait_for(page, "Number(document.querySelector('#step-count').textContent) >= 100")
    page.click("#play")  # pause
    expect(page.locator("#play")).not_to_have_class("play playing")
    group = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)"
                          ".find((u) => u.includes('/stream?')).split('/')[5]")  # fmt: skip
    server = page.evaluate(f"""fetch('/api/groups/{group}/step?steps=0&resolution=10', {{method:
        'POST'}}).then((r) => r.json()).then((f) => f.panels[0].metrics.step)""")
    expect(page.locator("#step-count")).to_have_text(str(server))
    assert_clean(page)
