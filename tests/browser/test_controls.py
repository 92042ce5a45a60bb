"""The playground's run controls keep their word: Play while a run is being made, the counters
after Pause, a network over the server's cap, and the way out of a divergence."""

import json
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, forget_the_refusal, log_of, serve, shots
from tests.browser.test_playground import open_page, until, wait_for

STEP_COUNT = "Number(document.querySelector('#step-count').textContent)"


def session_of_stream(page):
    """-> a list that receives the id of every run the page streams from now on."""
    ids = []
    page.on(
        "request", lambda r: "/stream" in r.url and ids.append(urlparse(r.url).path.split("/")[3])
    )
    return ids


def test_play_pressed_while_the_run_is_created_starts_it_once_it_exists(page):
    held = []

    def hold(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/sessions", hold)
    page.goto("/")
    until(lambda: held, page, what="the request that creates the run")
    page.click("#play")
    expect(page.locator("#play .icon")).to_have_text("❚❚")  # it took the press
    held[0].continue_()
    page.unroute("**/api/sessions")
    wait_for(page, f"{STEP_COUNT} >= 50")
    assert_clean(page)


def test_after_pause_the_counters_show_the_servers_step(page):
    streams = session_of_stream(page)
    open_page(page, "?speed=20")
    page.click("#play")
    wait_for(page, f"{STEP_COUNT} >= 100")
    # Hold the page's thread until the server has run 40 steps past the counter (frames queue
    # up undrawn, as on a busy laptop), then pause at once: those frames are never drawn.
    page.evaluate(
        """(id) => {
            const shown = Number(document.querySelector('#step-count').textContent);
            const until = performance.now() + 20000;
            let server = shown;
            while (server < shown + 40 && performance.now() < until) {
                const request = new XMLHttpRequest();
                request.open('GET', `/api/sessions/${id}`, false);
                request.send();
                server = JSON.parse(request.responseText).metrics.step;
            }
            document.querySelector('#play').click();
        }""",
        streams[-1],
    )

    def server():
        return page.request.get(f"/api/sessions/{streams[-1]}").json()["metrics"]

    def counters():
        return {
            "step": int(page.inner_text("#step-count")),
            "epoch": int(page.inner_text("#epoch-count")),
        }

    until(lambda: counters() == {k: server()[k] for k in ("step", "epoch")}, page, timeout=20,
          what="the counters to show the server's step")  # fmt: skip
    paused_at = server()["step"]
    page.click("#step")  # one frame on from there, not a jump
    expect(page.locator("#step-count")).to_have_text(str(paused_at + 20))
    assert server()["step"] == paused_at + 20
    assert_clean(page)


def diverge(page, query="?lr=10&l2=10&act=relu"):
    open_page(page, query)
    page.click("#play")
    expect(page.locator("#message-action")).to_be_visible(timeout=20_000)


def test_a_divergence_offers_a_reset_with_the_settings_chosen_since(page):
    diverge(page)
    text = page.inner_text("#message-text")
    assert "learning rate ten times lower (now 10)" in text and "regularization" in text
    expect(page.locator("#message-action")).to_have_text("Reset with these settings")
    page.select_option("#lr", "0.1")
    page.select_option("#l2", "0")
    # the advice follows the settings: nothing says to lower a learning rate of 0.1
    expect(page.locator("#message-text")).to_contain_text("Learning rate 0.1, L2 λ 0")
    assert "lower" not in page.inner_text("#message-text")
    shots(page, "controls-diverged")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.click("#message-action")
    expect(page.locator("#step-count")).to_have_text("0")
    expect(page.locator("#message")).to_be_hidden()
    page.click("#play")
    wait_for(page, f"{STEP_COUNT} >= 100")  # the same initial weights, with lr 0.1, train
    expect(page.locator("#message")).to_be_hidden()
    assert_clean(page)


def test_play_after_a_divergence_starts_again_with_the_new_settings_and_says_so(page):
    diverge(page, "?lr=10&l2=10&act=relu&lang=ko")
    expect(page.locator("#message-action")).to_have_text("이 설정으로 다시 시작")
    page.select_option("#lr", "0.03")
    expect(page.locator("#message-text")).to_contain_text("학습률 0.03")
    assert "λ를 줄여" in page.inner_text("#message-text")  # λ 10 is still to blame
    shots(page, "controls-diverged-ko")
    page.click("#play")
    wait_for(page, f"{STEP_COUNT} >= 50")
    expect(page.locator("#message-text")).to_contain_text("같은 초기 가중치에서 지금 설정으로")
    assert page.locator("#message-title").is_hidden()  # it did not diverge again
    assert_clean(page)


@pytest.fixture(scope="module")
def small_cap_url():
    """A second app whose cap is 1,000 parameters: [2-30-30-3] (1,113) is over it."""
    yield from serve("uvicorn-small-cap.log", BOUNDARY_MAX_PARAMETERS="1000")


@pytest.mark.parametrize(("lang", "says"), [
    ("en", "This network has 1,113 parameters; the limit is 1,000: use fewer units or layers."),
    ("ko", "이 네트워크의 파라미터는 1,113개로, 한도 1,000개를 넘습니다. 뉴런이나 층을 줄이세요."),
])  # fmt: skip
def test_a_network_over_the_cap_keeps_the_last_picture_and_says_what_to_change(
    page, small_cap_url, lang, says
):
    page.goto(f"{small_cap_url}/?hidden=30&speed=20&lang={lang}")
    wait_for(page, "window.renderedFrames >= 1")
    page.click("#step")
    expect(page.locator("#step-count")).to_have_text("20")
    page.click("#layer-add")  # [2-30-30-3]: over the cap
    expect(page.locator("#message-text")).to_contain_text(says)
    forget_the_refusal(page)
    # the run, its picture and its setup are the last good ones
    expect(page.locator("#layer-count")).to_have_text("1")
    assert "hidden=30&" in page.url
    assert page.inner_text("#param-count") == "183"  # [2×30] + [30×3] + 33 biases
    assert page.locator("#diagram circle").count() == 2 + 30 + 3
    assert page.locator("#boundary .plot").count() == 1
    assert page.inner_text("#step-count") == "20"
    page.click("#step")  # and it still trains
    expect(page.locator("#step-count")).to_have_text("40")
    shots(page, f"controls-over-cap-{lang}")
    assert_clean(page)


def test_a_link_over_the_cap_shows_its_setup_and_count_not_blank_panels(page, small_cap_url):
    page.goto(f"{small_cap_url}/?hidden=30,30")
    expect(page.locator("#message-text")).to_contain_text("1,113 parameters")
    forget_the_refusal(page)
    expect(page.locator("#param-count")).to_have_text("1,113")
    assert page.locator("#diagram circle").count() == 2 + 16 + 16 + 3  # 16 drawn per layer
    assert page.locator("#boundary .xaxislayer-above .xtick").count() > 0  # axes, not white
    shots(page, "controls-over-cap-link", sizes=("1280",))
    assert_clean(page)


STORE_DOWN = "the session store failed: ConnectionError: Error 111 connecting to redis:6379."


def test_a_stream_ended_by_the_store_is_said_in_the_pages_words(page):
    open_page(page, "?lang=ko")
    body = f"event: end\ndata: {json.dumps({'reason': STORE_DOWN, 'kind': 'store'})}\n\n"
    page.route("**/api/sessions/*/stream*", lambda route: route.fulfill(
        status=200, content_type="text/event-stream", body=body))  # fmt: skip
    page.click("#play")
    expect(page.locator("#message-text")).to_have_text(
        "학습이 멈췄습니다: 서버의 세션 저장소를 잠시 쓸 수 없습니다. 재생을 눌러 이어가세요."
    )
    assert_clean(page)


def test_a_store_that_is_down_is_said_without_pythons_words(page):
    open_page(page)
    detail = json.dumps({"detail": f"the session store is unavailable ({STORE_DOWN})"})
    page.route("**/api/sessions/*/step", lambda route: route.fulfill(
        status=503, content_type="application/json", body=detail))  # fmt: skip
    page.click("#step")
    expect(page.locator("#message-text")).to_have_text(
        "The server's session store is unavailable for a moment; try again shortly."
    )
    errors = log_of(page).console_errors
    assert len(errors) == 1 and "503" in errors[0], errors
    errors.clear()
    assert_clean(page)


def test_a_seed_the_server_refuses_is_named_and_the_last_setup_kept(page):
    open_page(page, "?lang=ko")
    page.fill("#dseed", "5000000000")
    page.press("#dseed", "Enter")
    expect(page.locator("#message-text")).to_have_text(
        "“데이터 시드” 값(5000000000)을 확인하세요. 가능한 값: 4,294,967,295 이하. "
        "마지막으로 동작한 설정을 그대로 둡니다."
    )
    forget_the_refusal(page)
    expect(page.locator("#dseed")).to_have_value("0")
    assert "dseed" not in page.url
    assert_clean(page)
