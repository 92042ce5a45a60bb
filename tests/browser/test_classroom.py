"""Classroom layouts on the playground: panels a link hides give their room to the rest (a big
decision plot on a projector, nothing spilling out of its card at any width), a hide= name that
is no panel group is said, and the Share control builds the link and its QR code."""

import base64

import numpy as np
import pytest
import zxingcpp
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, log_of, shot
from tests.browser.test_playground import open_page, until, wait_for

QR = zxingcpp.BarcodeFormat.QRCode  # only: other formats find false codes in its pattern
GROUPS = ["run", "training", "data", "network", "output", "regularization"]
ONLY_OUTPUT = ",".join(g for g in GROUPS if g != "output")
PROJECTOR = {"width": 1280, "height": 720}
ALL_BUT = [",".join(g for g in GROUPS if g not in kept) for kept in
           [("output",), ("output", "network"), ("output", "run"), ()]]  # fmt: skip
COMBINATIONS = ["", "run", "training", "data", "output", *ALL_BUT]

# Every card (panel, run bar, readout) whose content is wider than it, or any element whose box
# pokes out of its card, as readable strings.
SPILLS = """() => {
  const out = [];
  const shown = (el) => el.getClientRects().length > 0;
  for (const card of document.querySelectorAll('.panel, .runbar, .readouts, .readouts > div')) {
    if (!shown(card)) continue;
    if (card.scrollWidth > card.clientWidth) {
      out.push(`${card.className}: content ${card.scrollWidth} px in ${card.clientWidth} px`);
    }
    const box = card.getBoundingClientRect();
    for (const el of card.querySelectorAll('*')) {
      const b = el.getBoundingClientRect();
      if (!shown(el) || b.width === 0 || b.height === 0) continue;
      if (b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.top < box.top - 0.5
          || b.bottom > box.bottom + 0.5) {
        out.push(`${el.tagName}#${el.id}.${el.getAttribute('class')} out of ${card.className}`);
      }
    }
  }
  if (document.documentElement.scrollWidth > innerWidth) out.push('the page scrolls sideways');
  return out;
}"""


def box(page, selector):
    return page.locator(selector).bounding_box()


def groups_shown(page):
    """group -> whether any element of that group is on screen."""
    return page.evaluate("""() => {
      const shown = {};
      for (const el of document.querySelectorAll('[data-group]')) {
        shown[el.dataset.group] ||= el.getClientRects().length > 0;
      }
      return shown;
    }""")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_output_alone_fills_a_projector_screen(page, lang):
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"?hide={ONLY_OUTPUT}&lang={lang}")
    plot, panel = box(page, "#boundary"), box(page, "section.output")
    assert plot["height"] >= 450, plot
    assert plot["y"] >= 0 and plot["y"] + plot["height"] <= PROJECTOR["height"], "scroll to see it"
    for part in ("#curves", ".readouts", "#show-test"):  # beside the plot, in its card
        side = box(page, part)
        assert side["x"] >= plot["x"] + plot["width"], part
        assert side["x"] + side["width"] <= panel["x"] + panel["width"], part
    assert page.evaluate(SPILLS) == []
    shot(page, f"classroom-only-output-{lang}")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_output_and_network_share_a_projector_screen(page, lang):
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"?hide=run,training,data,regularization&lang={lang}")
    plot, network = box(page, "#boundary"), box(page, "section.network")
    assert plot["height"] >= 450 and plot["y"] + plot["height"] <= PROJECTOR["height"]
    assert network["x"] + network["width"] <= plot["x"]  # side by side
    assert page.evaluate(SPILLS) == []
    shot(page, f"classroom-output-network-{lang}")


@pytest.mark.parametrize("width, height", [(1280, 720), (820, 1180), (390, 844)])
def test_every_combination_of_hidden_groups_lays_out_cleanly(page, width, height):
    """Each group is shown or hidden on its own (hiding the run controls keeps the training
    settings), and nothing spills out of a card, in English and Korean."""
    page.set_viewport_size({"width": width, "height": height})
    for lang in ("en", "ko"):
        for hide in COMBINATIONS:
            open_page(page, f"?hide={hide}&lang={lang}&hidden=8,8,8,8")
            hidden = set(hide.split(",")) - {""}
            where = f"{width}px, {lang}, hide={hide}"
            assert groups_shown(page) == {g: g not in hidden for g in GROUPS}, where
            assert page.evaluate(SPILLS) == [], where
    shot(page, f"classroom-{width}-nothing-ko")  # the last combination: every group hidden


def test_a_lone_panel_takes_the_whole_width_on_a_tablet(page):
    page.set_viewport_size({"width": 820, "height": 1180})
    open_page(page, f"?hide={ONLY_OUTPUT}")
    columns, plot = box(page, ".columns"), box(page, "#boundary")
    assert plot["width"] >= columns["width"] - 40  # the panel's padding only
    shot(page, "classroom-only-output-820")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_output_alone_on_a_phone_upright_and_turned(page, lang):
    """Upright the plot takes the phone's width; turned, it fits the screen's height, with the
    readouts beside it."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, f"?hide={ONLY_OUTPUT}&lang={lang}")
    assert box(page, "#boundary")["width"] >= 330 and page.evaluate(SPILLS) == []
    shot(page, f"classroom-only-output-390-{lang}")
    page.set_viewport_size({"width": 844, "height": 390})
    open_page(page, f"?hide={ONLY_OUTPUT}&lang={lang}")
    plot = box(page, "#boundary")
    assert plot["height"] >= 240 and plot["y"] + plot["height"] <= 390
    assert box(page, ".readouts")["x"] >= plot["x"] + plot["width"]
    assert page.evaluate(SPILLS) == []
    shot(page, f"classroom-only-output-phone-turned-{lang}")


def test_the_plot_follows_the_window_and_keeps_its_regions_aligned(page):
    """A lecturer makes the window full screen while paused: the plot grows with it, and the
    painted regions are laid over the new plot area, not left at the old size."""
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"?hide={ONLY_OUTPUT}")
    before = box(page, "#boundary")["height"]
    page.set_viewport_size({"width": 1920, "height": 1080})
    aligned = """(() => {
      const plot = document.querySelector('#boundary .plot');
      const canvas = document.querySelector('#boundary canvas.regions');
      const size = plot._fullLayout._size;
      return plot._fullLayout.height > BEFORE && canvas.style.width === `${size.w}px`
        && canvas.style.height === `${size.h}px`;
    })()""".replace("BEFORE", str(before + 200))
    wait_for(page, aligned)
    assert box(page, "#boundary")["y"] + box(page, "#boundary")["height"] <= 1080


@pytest.mark.parametrize(
    "lang, words", [("en", "unknown panel groups"), ("ko", "패널 그룹은 없습니다")]
)
def test_an_unknown_group_is_named_and_case_is_ignored(page, lang, words):
    open_page(page, f"?hide=Data,Netwrk,regularisation&lang={lang}")
    warning = page.locator("#hide-warning")
    expect(warning).to_be_visible()
    text = warning.inner_text()
    assert words in text and "'Netwrk'" in text and "'regularisation'" in text
    assert "'Data'" not in text  # Data is data, in any case
    assert all(group in text for group in GROUPS)  # the names to use instead
    assert page.locator("section.data").is_hidden()
    assert page.locator("section.network").is_visible()
    shot(page, f"classroom-unknown-group-{lang}")


def test_known_groups_in_any_case_give_no_message(page):
    open_page(page, "?hide=DATA,Regularization")
    assert page.locator("#hide-warning").is_hidden()
    assert page.locator("section.data").is_hidden()
    assert page.locator("section.regularization").is_hidden()


# -- the Share control ------------------------------------------------------------------------


def open_share(page, hide=()):
    page.click("#share-open")
    expect(page.locator("#share")).to_be_visible()
    for group in hide:
        page.check(f"#share-groups input[value={group}]")
    return page.input_value("#share-link")


def qr_text(page):
    """Decode the QR code as the page shows it: its image drawn into a canvas, read back as
    grey pixels, decoded by zxing-cpp."""
    wait_for(page, "document.querySelector('#share-qr').complete")
    size, pixels = page.evaluate("""() => {
      const img = document.querySelector('#share-qr');
      const size = 600;
      const canvas = Object.assign(document.createElement('canvas'), {width: size, height: size});
      const context = canvas.getContext('2d');
      context.drawImage(img, 0, 0, size, size);
      const rgba = context.getImageData(0, 0, size, size).data;
      let grey = '';
      for (let i = 0; i < rgba.length; i += 4) grey += String.fromCharCode(rgba[i]);
      return [size, btoa(grey)];
    }""")
    image = np.frombuffer(base64.b64decode(pixels), dtype=np.uint8).reshape(size, size)
    return [result.text for result in zxingcpp.read_barcodes(image, formats=QR)]


SETUP = "?ds=moons&classes=2&act=relu&hidden=6,3&lr=0.03&l2=0.001&seed=7"


def test_share_builds_a_link_that_reproduces_the_setup_with_chosen_groups_hidden(page):
    created = []  # (page, config) of every run any page of this browser creates

    def record(request):
        if request.method == "POST" and request.url.endswith("/api/sessions"):
            created.append((request.frame.page, request.post_data_json))

    page.context.on("request", record)
    open_page(page, SETUP)
    link = open_share(page, hide=["data", "network", "regularization"])
    assert "hide=data,network,regularization" in link and link.startswith(page.url.split("?")[0])
    with page.context.expect_page() as opened:
        page.click("#share-preview")
    shared = opened.value
    until(lambda: any(p == shared for p, _ in created), shared, what="the shared page's run")
    [mine, theirs] = [next(c for p, c in created if p == who) for who in (page, shared)]
    assert theirs == mine  # the same data, network, training and seed
    for group in GROUPS:
        hidden = shared.locator(f"[data-group={group}]").first.is_hidden()
        assert hidden == (group in ("data", "network", "regularization")), group
    assert shared.url == link


def screen(page, name):
    """A screenshot of the window only: a modal dialog covers the window, not the whole page."""
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_qr_code_is_served_by_the_app_and_reads_as_the_link(page, lang):
    page.set_viewport_size(PROJECTOR)
    open_page(page, f"{SETUP}&lang={lang}")
    link = open_share(page, hide=["data", "regularization"])
    image = page.locator("#share-qr")
    assert image.get_attribute("src").startswith("/api/qr?text=")
    assert box(page, "#share-qr")["width"] >= 400  # big enough for a projector
    assert qr_text(page) == [link]
    assert any("/api/qr?" in url for url in log_of(page).requests)
    screen(page, f"classroom-share-{lang}")


@pytest.mark.parametrize("lang, title", [("en", "Share this setup"), ("ko", "이 설정 공유하기")])
def test_the_qr_code_follows_the_chosen_groups_on_a_phone(page, lang, title):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, f"{SETUP}&lang={lang}")
    open_share(page, hide=["network"])
    link = page.input_value("#share-link")
    assert "hide=network" in link
    until(lambda: qr_text(page) == [link], page, what="the QR code of the new link")
    expect(page.locator("#share-title")).to_have_text(title)
    dialog = "document.querySelector('#share')"
    assert page.evaluate(f"{dialog}.scrollWidth <= {dialog}.clientWidth"), "it scrolls sideways"
    screen(page, f"classroom-share-390-{lang}")


def test_own_points_travel_in_the_qr_code_while_they_fit(page):
    points = ";".join(f"{x / 10:.2f},{x / 20:.2f},{x % 2}" for x in range(-5, 5))
    open_page(page, f"?#pts={points}")
    link = open_share(page)
    assert link.endswith(f"#pts={points}")
    assert qr_text(page) == [link]
    assert page.locator("#share-left-out").is_hidden()


@pytest.mark.parametrize("lang, words", [("en", "leaves out your 150 own points"),
                                         ("ko", "직접 찍은 점 150개")])  # fmt: skip
def test_many_own_points_are_left_out_of_the_qr_code_and_it_says_so(page, lang, words):
    points = ";".join(f"{(i % 30) / 10 - 1.5:.2f},{i / 50 - 1.5:.2f},{i % 2}" for i in range(150))
    open_page(page, f"?lang={lang}#pts={points}")
    link = open_share(page)
    assert link.endswith(f"#pts={points}")  # the link itself keeps them
    note = page.locator("#share-left-out")
    expect(note).to_be_visible()
    assert words in note.inner_text() and "1000" in note.inner_text()
    assert qr_text(page) == [link.split("#")[0]]


def test_copy_puts_the_link_on_the_clipboard(page, base_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    open_page(page, SETUP)
    link = open_share(page, hide=["run"])
    page.click("#share-copy")
    expect(page.locator("#share-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link


def test_keys_do_not_drive_the_run_behind_the_open_dialog(page):
    open_page(page, "?speed=10")
    open_share(page)
    page.focus("#share-copy")
    page.keyboard.press("s")
    page.keyboard.press("Escape")
    expect(page.locator("#share")).to_be_hidden()
    assert page.inner_text("#step-count") == "0"
    page.keyboard.press("s")  # closed: the page's keys work again
    expect(page.locator("#step-count")).to_have_text("10")
