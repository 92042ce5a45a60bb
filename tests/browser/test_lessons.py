"""The lesson pages in a real Chromium: the activations page draws the engine's curves and links
to a dead-unit demonstration that really kills units, whose numbers it measures on the server
from the links' own runs; the sizing page counts the notes' two networks, doubles with Maxout,
keeps its setup in the URL, and both speak Korean."""

import json
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from app.engine import NetworkSpec, parameter_counts
from tests.browser.conftest import assert_clean, log_of, shot
from tests.browser.test_playground import sent, until, wait_for
from tests.strings import page_string

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
    until(lambda: traces(page, "maxout")[0]["name"] == "직선 1", page, what="Korean legends")
    shot(page, "activations-ko")
    assert_clean(page)


# --- the dead-unit demonstration, measured on this server -------------------------------------

DEMO = {"relu": [100, 500], "leaky": [500], "sane": [500]}  # the steps its text quotes


def percent(share):
    """As static/js/format.js writes a share: one decimal, a tie rounded up like toFixed."""
    if share is None:
        return "–"
    return f"{Decimal(100 * share).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def shares(metrics):
    """The playground's dead-unit readout of a run's metrics."""
    return " · ".join(percent(d) for d in metrics["dead"] if d is not None) or "–"


def measured_configs(page):
    """Open the page and wait for its measurement: {link: the config of the run it measured}."""
    created = sent(page, "POST", "/api/sessions")
    open_activations(page)
    wait_for(page, "document.querySelector('#demo-measured').dataset.state === 'done'", 60)
    assert len(created) == len(DEMO)
    return dict(zip(DEMO, created, strict=True))  # the page measures the links in this order


def recomputed(page, config, steps):
    """{n: metrics} of a fresh run of ``config`` after n steps, for each n of ``steps``, asked by
    the test (a step request stops early on a busy machine: it steps on)."""
    run = page.request.post("/api/sessions", data=config).json()["id"]
    metrics, step = {}, 0
    for n in steps:
        while step < n:
            body = {"steps": n - step, "grid": False, "history_tail": 0}
            metrics[n] = page.request.post(f"/api/sessions/{run}/step", data=body).json()["metrics"]
            step = metrics[n]["step"]
    assert page.request.delete(f"/api/sessions/{run}").status == 204
    return metrics


def stopping_early(route):
    """A step request that stops after at most 150 steps, as a busy server's step budget does."""
    body = route.request.post_data_json
    route.continue_(post_data=json.dumps({**body, "steps": min(body["steps"], 150)}))


def test_the_demonstration_quotes_its_links_runs_measured_on_this_server(page):
    page.route("**/api/sessions/*/step", stopping_early)
    configs = measured_configs(page)
    assert all(config["dataset"]["n_classes"] == 3 for config in configs.values())
    relu, leaky, sane = (recomputed(page, configs[name], DEMO[name]) for name in DEMO)
    values = {
        "relu": {"dead100": shares(relu[100]), "dead500": shares(relu[500]),
                 "acc": percent(relu[500]["train"]["accuracy"]), "chance": percent(1 / 3)},
        "leaky": {"acc": percent(leaky[500]["train"]["accuracy"])},
        "sane": {"dead500": shares(sane[500]), "acc": percent(sane[500]["train"]["accuracy"])},
    }  # fmt: skip
    for lang in ("en", "ko"):
        page.click(f"[data-lang={lang}]")
        note = page_string("act.demo.measured", lang)
        expect(page.locator("#demo-measured")).to_have_text(note)
        for name, filled in values.items():
            quoted = page_string(f"act.demo.{name}_measured", lang).format(**filled)
            expect(page.locator(f"#measured-{name}")).to_have_text(quoted)
        shot(page, f"activations-demo-{lang}-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    for lang in ("en", "ko"):  # laid out at 390 px from the start, as a phone would
        page.goto(f"/experiments/activations?lang={lang}")
        wait_for(page, "document.querySelector('#demo-measured').dataset.state === 'done'", 60)
        shot(page, f"activations-demo-{lang}-390")
    assert_clean(page)


def test_the_text_is_readable_while_the_runs_are_measured(page):
    held = []
    page.route("**/api/sessions", lambda route: held.append(route))
    page.goto("/experiments/activations?lang=ko")
    until(lambda: held, page, what="the first measurement")
    expect(page.locator("#demo-measured")).to_have_text(page_string("act.demo.measuring", "ko"))
    expect(page.locator(".demo p[data-i18n='act.demo.text']")).to_contain_text("학습률 3")
    held[0].fulfill(status=503, json={"detail": "the session store is unavailable"})
    expect(page.locator("#demo-measured")).to_have_attribute("data-state", "failed")
    assert "the session store is unavailable" in page.inner_text("#demo-measured")
    log_of(page).console_errors.clear()  # the refused request, made on purpose


def run_demo(page, link, steps=500):
    """Follow a demonstration link at 100 steps a frame and step to ``steps``; -> the config the
    playground created its run with, and {step: (dead-unit readout, training accuracy)}."""
    created = sent(page, "POST", "/api/sessions")
    href = page.get_attribute(link, "href")
    page.goto(f"{href}&speed=100")
    wait_for(page, "window.renderedFrames >= 1")
    readouts = {}
    for done in range(100, steps + 1, 100):
        page.click("#step")
        expect(page.locator("#step-count")).to_have_text(str(done))
        readouts[done] = (page.inner_text("#r-inactive"), page.inner_text("#r-train-acc"))
    return created[0], readouts


def follow(page, name):
    """Measure the demonstration, follow one link: -> what the run does (recomputed by the
    test, as {step: (dead-unit readout, accuracy)}), what the link showed, and its query.
    The page quotes what the run does (test above)."""
    config = measured_configs(page)[name]
    href = page.get_attribute(f"#demo-{name}", "href")
    created, shown = run_demo(page, f"#demo-{name}")
    assert created == config  # the page measured the very run the link opens
    runs = recomputed(page, config, DEMO[name])
    does = {n: (shares(m), percent(m["train"]["accuracy"])) for n, m in runs.items()}
    return does, shown, query_of_href(href)


def test_the_dead_unit_link_kills_most_relus(page):
    does, shown, query = follow(page, "relu")
    assert query == {"hidden": "16,16", "act": "relu", "lr": "3"}
    assert shown[100][0] == does[100][0] and shown[500] == does[500]
    dead = [float(s.rstrip("%")) for s in shown[500][0].split(" · ")]
    assert sum(dead) / len(dead) >= 50, dead  # at this learning rate, on any processor
    shot(page, "activations-dead-relu-demo")
    assert_clean(page)


def test_the_same_run_with_leaky_relu_loses_no_unit_and_learns(page):
    does, shown, query = follow(page, "leaky")
    assert query == {"hidden": "16,16", "act": "leaky_relu", "lr": "3"}
    assert shown[500] == does[500]
    assert shown[500][0] == "–"  # Leaky units never count as dead
    assert float(shown[500][1].rstrip("%")) > 100 / 3  # above chance, the 3 classes' 33.3 %
    assert_clean(page)


def test_a_sane_learning_rate_leaves_almost_every_relu_alive(page):
    does, shown, query = follow(page, "sane")
    assert query == {"hidden": "16,16", "act": "relu", "lr": "0.3"}
    assert shown[500] == does[500]
    assert all(float(s.rstrip("%")) <= 25 for s in shown[500][0].split(" · "))
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
