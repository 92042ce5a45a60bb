"""The lesson pages in a real Chromium: the activations page draws the engine's curves and links
to a dead-unit demonstration that really kills units; the sizing page counts the notes' two
networks, doubles with Maxout, keeps its setup in the URL, and both speak Korean."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from app.engine import NetworkSpec, parameter_counts
from tests.browser.conftest import assert_clean, shot
from tests.browser.test_playground import until, wait_for

PLOTS = ["sigmoid", "tanh", "relu", "leaky_relu", "maxout"]


def open_activations(page, query=""):
    page.goto(f"/experiments/activations{query}")
    wait_for(page, "document.querySelector('main').dataset.drawn")


def traces(page, name):
    """The Plotly traces of one activation's plot: [{name, y, dash}]."""
    script = """(name) => document.getElementById(`plot-${name}`).data.map((t) =>
        ({name: t.name, y: Array.from(t.y), dash: t.line.dash || "solid"}))"""
    return page.evaluate(script, name)


def query_of(page):
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


# --- activations ------------------------------------------------------------------------------


def test_every_activation_is_plotted_with_its_derivative_dashed(page):
    open_activations(page)
    for name in PLOTS:
        f, df = traces(page, name)[-2:]
        assert (f["name"], f["dash"]) == ("f(x)", "solid")
        assert (df["name"], df["dash"]) == ("f′(x)", "dash")
        assert len(f["y"]) == 401
    relu = traces(page, "relu")[0]["y"]
    assert min(relu) == 0 and max(relu) == 5
    assert len(traces(page, "maxout")) == 4  # its two lines, then f and f'
    assert page.locator("#zigzag .main-svg").count() >= 1
    shot(page, "activations")
    assert_clean(page)


def test_maxout_presets_turn_it_into_relu_and_leaky_relu(page):
    open_activations(page)
    page.click("button[data-lines='0,0,1,0']")
    until(lambda: traces(page, "maxout")[2]["y"] == traces(page, "relu")[0]["y"], page)
    page.click("button[data-lines='0.01,0,1,0']")
    until(lambda: traces(page, "maxout")[2]["y"] == traces(page, "leaky_relu")[0]["y"], page)
    assert_clean(page)


def test_the_leaky_slope_reaches_the_engine(page):
    open_activations(page)
    page.fill("#leaky-slope", "0.2")
    until(lambda: traces(page, "leaky_relu")[0]["y"][0] == -1.0, page)  # 0.2 · (−5)
    expect(page.locator("#slope-shown")).to_have_text("0.2")
    assert_clean(page)


def test_korean_switch_translates_the_page_and_its_links(page):
    open_activations(page)
    expect(page.locator("h1")).to_have_text("Activation functions")
    page.click("[data-lang=ko]")
    expect(page.locator("h1")).to_have_text("활성화 함수")
    expect(page.locator(".act-card[data-activation=relu] li").nth(1)).to_contain_text("Dead ReLU")
    assert query_of(page)["lang"] == "ko"
    assert "lang=ko" in page.get_attribute("#demo-relu", "href")
    page.wait_for_timeout(300)  # let Plotly finish redrawing the legends
    assert traces(page, "maxout")[0]["name"] == "직선 1"
    shot(page, "activations-ko")
    assert_clean(page)


def run_demo(page, link, steps=500):
    """Follow a demonstration link at 100 steps a frame and step to ``steps``."""
    href = page.get_attribute(link, "href")
    page.goto(f"{href}&speed=100")
    wait_for(page, "window.renderedFrames >= 1")
    for done in range(100, steps + 1, 100):
        page.click("#step")
        expect(page.locator("#step-count")).to_have_text(str(done))
    return href


def test_the_dead_unit_link_kills_most_relus(page):
    open_activations(page)
    href = run_demo(page, "#demo-relu")
    assert query_of_href(href) == {"hidden": "16,16", "act": "relu", "lr": "3"}
    dead = [float(s.rstrip("%")) for s in page.inner_text("#r-inactive").split(" · ")]
    assert sum(dead) / len(dead) >= 50, dead
    assert float(page.inner_text("#r-train-acc").rstrip("%")) < 40  # stuck near chance (1/3)
    shot(page, "activations-dead-relu-demo")
    assert_clean(page)


def test_the_same_run_with_leaky_relu_keeps_learning(page):
    open_activations(page)
    run_demo(page, "#demo-leaky")
    assert page.inner_text("#r-inactive") == "–"  # Leaky units never count as dead
    assert float(page.inner_text("#r-train-acc").rstrip("%")) > 50
    assert_clean(page)


def query_of_href(href):
    return {k: v[0] for k, v in parse_qs(urlparse(href).query).items()}


# --- sizing -----------------------------------------------------------------------------------


def open_sizing(page, query=""):
    page.goto(f"/experiments/sizing{query}")
    wait_for(page, "document.querySelector('#param-total').textContent !== '–'")


def test_the_notes_two_examples_count_26_and_41(page):
    open_sizing(page, "?hidden=7&outputs=5")
    page.click("#preset-two")
    expect(page.locator("#param-total")).to_have_text("26")
    expect(page.locator("#param-arithmetic")).to_have_text(
        "[3×4] + [4×2] = 20 weights, 4 + 2 = 6 biases, 26 parameters"
    )
    page.click("#preset-three")
    expect(page.locator("#param-total")).to_have_text("41")
    expect(page.locator("#param-arithmetic")).to_have_text(
        "[3×4] + [4×4] + [4×1] = 32 weights, 4 + 4 + 1 = 9 biases, 41 parameters"
    )
    expect(page.locator("#count-rows tr")).to_have_count(3)
    expect(page.locator("#total-weights")).to_have_text("32")
    expect(page.locator("#total-biases")).to_have_text("9")
    assert page.locator("#diagram circle").count() == 3 + 4 + 4 + 1
    assert query_of(page) == {
        "inputs": "3", "hidden": "4,4", "outputs": "1", "act": "relu", "pieces": "2",
    }  # fmt: skip
    shot(page, "sizing-41")
    assert_clean(page)


def test_maxout_toggle_doubles_the_hidden_layers(page):
    open_sizing(page)
    page.click("#preset-three")
    expect(page.locator("#param-total")).to_have_text("41")
    page.check("#maxout")
    expect(page.locator("#param-total")).to_have_text("77")  # 2·(12+4) + 2·(16+4) + 5
    expect(page.locator("#param-arithmetic")).to_contain_text("2·[3×4] + 2·[4×4] + [4×1]")
    expect(page.locator("#maxout-note")).to_contain_text("41")
    assert query_of(page)["act"] == "maxout"
    shot(page, "sizing-maxout")
    page.uncheck("#maxout")
    expect(page.locator("#param-total")).to_have_text("41")
    expect(page.locator("#maxout-note")).to_be_hidden()
    assert_clean(page)


def test_the_url_restores_the_setup(page):
    open_sizing(page, "?inputs=5&hidden=8,6,4&outputs=3&act=maxout&pieces=3&lang=ko")
    spec = NetworkSpec(n_inputs=5, hidden=(8, 6, 4), n_outputs=3, activation="maxout",
                       maxout_pieces=3)  # fmt: skip
    expect(page.locator("#param-total")).to_have_text(f"{parameter_counts(spec)['total']:,}")
    assert page.input_value("#inputs") == "5" and page.input_value("#outputs") == "3"
    units = page.locator("#hidden-list input")
    assert [units.nth(i).input_value() for i in range(units.count())] == ["8", "6", "4"]
    assert page.is_checked("#maxout") and page.input_value("#pieces") == "3"
    expect(page.locator("h1")).to_have_text("네트워크 크기 측정")
    expect(page.locator("#param-arithmetic")).to_contain_text("가중치 3·[5×8]")
    shot(page, "sizing-url-ko")
    assert_clean(page)


def test_editing_layers_updates_the_count_and_the_url(page):
    open_sizing(page)
    page.click("#add-layer")
    expect(page.locator("#hidden-list input")).to_have_count(2)
    page.fill("#hidden-list li:first-child input", "10")
    page.press("#hidden-list li:first-child input", "Enter")
    # [3×10] + [10×4] + [4×2] = 78 weights, 10 + 4 + 2 = 16 biases
    expect(page.locator("#param-total")).to_have_text("94")
    assert query_of(page)["hidden"] == "10,4"
    page.click("#hidden-list li:last-child button")
    expect(page.locator("#param-total")).to_have_text(str(3 * 10 + 10 * 2 + 10 + 2))
    page.click("#hidden-list li button")
    expect(page.locator("#no-hidden")).to_be_visible()
    expect(page.locator("#param-total")).to_have_text("8")  # [3×2] + 2: a linear classifier
    assert_clean(page)


def test_korean_switch_relabels_the_sizing_page(page):
    open_sizing(page)
    page.click("[data-lang=ko]")
    expect(page.locator("h1")).to_have_text("네트워크 크기 측정")
    expect(page.locator("#param-arithmetic")).to_have_text(
        "가중치 [3×4] + [4×2] = 20개, 편향 4 + 2 = 6개, 파라미터 26개"
    )
    expect(page.locator("#count-rows th").first).to_have_text("은닉층 1")
    assert query_of(page)["lang"] == "ko"
    assert_clean(page)
