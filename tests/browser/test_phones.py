"""Phones and tablets in a real Chromium with emulated touch: every page fits 390 and 820 px in
both languages with readable plots, and the playground's plot is edited with a finger only in
an explicit mode (a tap adds a point, a drag draws a curve), so a swipe scrolls the page.
Screenshots go to test-artifacts/screenshots/ and are looked at."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_clean, shot
from tests.browser.test_playground import open_page, sent, until

# Each page, and what is on it once it has drawn (some pages draw only after a fetch).
PAGES = {
    "/": "#boundary canvas.regions",
    "/experiments/grid": "#panels .panel-card:nth-child(3) canvas.regions",
    "/experiments/activations": "#plot-maxout .nsewdrag",
    "/experiments/sizing": "#count-rows tr",
    "/experiments/neuron": "#boundary-hinge canvas.regions",
    "/experiments/seeds": "#start",
    "/experiments/power": "main[data-ready]",
    "/docs": ".opblock",
}
READABLE = 300  # px: the narrowest plot, and a decision map's narrowest plot area

# What does not fit, measured on the elements, not only the document: anything reaching past
# either edge (the document may still not scroll: a clipped card hides its overflow), a plot
# narrower than READABLE, a plot drawn wider than its box. SVG content is left out (Plotly
# clips it to its axes) and so is what sits wholly left of the page (Plotly measures text in
# an SVG placed at -10000 px).
LAYOUT_PROBLEMS = """([width, readable]) => {
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '');
  const found = [];
  const wide = document.documentElement.scrollWidth;
  if (wide > width) found.push(`the page is ${wide} px wide`);
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (el.ownerSVGElement || box.width === 0 || box.right <= 0) continue;
    if (box.left < -0.5 || box.right > width + 0.5) {
      found.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
    }
  }
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    if (!plot.offsetParent) continue; // hidden with its panel
    const box = plot.getBoundingClientRect();
    const drawn = plot.querySelector('.main-svg')?.getBoundingClientRect();
    if (box.width < readable) found.push(`${name(plot)} is ${Math.round(box.width)} px wide`);
    if (drawn && drawn.width > box.width + 0.5) found.push(`${name(plot)} is clipped`);
    const map = plot.closest('.boundary')?.querySelector('canvas.regions');
    const area = (map ?? plot.querySelector('.nsewdrag'))?.getBoundingClientRect();
    if (plot.closest('.boundary, .panel-card') && area && area.width < readable) {
      found.push(`${name(plot)}'s map is ${Math.round(area.width)} px wide`);
    }
  }
  return found.slice(0, 8);
}"""


def layout_problems(page, width):
    return page.evaluate(LAYOUT_PROBLEMS, [width, READABLE])


def open_drawn(page, path):
    page.goto(path)
    page.locator(PAGES[path.split("?")[0]]).first.wait_for()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [390, 820])  # a phone, a tablet held upright
def test_every_page_fits_a_phone_and_a_tablet_in_both_languages(phone, width):
    """English as well as Korean: Korean wraps anywhere on the lesson pages, English words and
    formulas do not (the neuron page was 472 px wide in English only)."""
    phone.set_viewport_size({"width": width, "height": 844})
    problems = {}
    for lang in ("en", "ko"):
        for path in PAGES:
            open_drawn(phone, f"{path}?lang={lang}")
            found = layout_problems(phone, width)
            if found:
                problems[f"{path}?lang={lang}"] = found
            name = path.removeprefix("/experiments").strip("/") or "playground"
            shot(phone, f"narrow-{width}-{lang}-{name}")
    assert not problems, f"at {width} px: {problems}"
    assert_clean(phone)


def panel_columns(page):
    """The distinct left edges of the Side-by-side panels: one per column on screen."""
    script = "(cards) => cards.map((card) => Math.round(card.getBoundingClientRect().x))"
    lefts = page.eval_on_selector_all("#panels .panel-card", script)
    return len(set(lefts)), len(lefts)


def test_side_by_side_panels_stack_on_a_phone_and_pair_on_a_tablet(phone):
    open_drawn(phone, "/experiments/grid")
    assert panel_columns(phone) == (1, 3)
    phone.set_viewport_size({"width": 820, "height": 1180})
    assert panel_columns(phone) == (2, 3)
    assert not layout_problems(phone, 820)
    assert_clean(phone)


def plot_area(page):
    """The playground plot's axes, scrolled into view: (left, top, width, height) in px."""
    page.locator("#boundary").scroll_into_view_if_needed()
    return tuple(page.evaluate(PLOT_AREA))


# The plot's axes from Plotly's own layout (the decision plot is static: no drag layer to find)
PLOT_AREA = """() => {
  const plot = document.querySelector('#boundary .plot');
  const box = plot.getBoundingClientRect(), size = plot._fullLayout._size;
  return [box.left + size.l, box.top + size.t, size.w, size.h];
}"""


def touch_drag(page, points):
    """One finger pressed at points[0], moved through the rest, lifted (viewport px)."""
    cdp = page.context.new_cdp_session(page)

    def touch(kind, at):
        fingers = [{"x": at[0], "y": at[1]}] if at else []
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": fingers})

    touch("touchStart", points[0])
    for at in points[1:]:
        touch("touchMove", at)
    touch("touchEnd", None)
    cdp.detach()


def swipe_scrolls_the_page(page):
    """A finger swiped up across the plot scrolls the page (and reaches nothing else)."""
    left, top, width, height = plot_area(page)
    before = page.evaluate("window.scrollY")
    x = left + width / 2
    touch_drag(page, [(x, top + height * (0.9 - 0.08 * i)) for i in range(11)])
    until(lambda: page.evaluate("window.scrollY") > before, page, what="the page to scroll")


def touch_action(page):
    return page.evaluate("getComputedStyle(document.querySelector('#boundary')).touchAction")


def test_a_tap_changes_the_data_only_with_adding_points_on(phone):
    open_page(phone, "?ds=gauss&classes=2&points=50")
    created = sent(phone, "POST", "/api/sessions")
    expect(phone.locator("#edit-mode")).to_have_text("Add points")
    expect(phone.locator("#edit-mode")).to_have_attribute("aria-pressed", "false")
    left, top, width, height = plot_area(phone)
    phone.touchscreen.tap(left + width / 2, top + height / 2)  # meant to look: nothing changes
    swipe_scrolls_the_page(phone)
    phone.click("#edit-mode")
    expect(phone.locator("#edit-mode")).to_have_attribute("aria-pressed", "true")
    assert touch_action(phone) == "none"
    phone.select_option("#edit-tool", "1")
    left, top, width, height = plot_area(phone)
    phone.touchscreen.tap(left + width / 2, top + height / 2)
    until(lambda: created, phone, what="a new run with the point")
    points = created[-1]["dataset"]["points"]
    assert len(points) == 51  # the first tap added nothing
    x, y, label = points[-1]
    assert abs(x) < 0.1 and abs(y) < 0.1 and label == 1
    assert phone.input_value("#paint-class") == "1"  # a finger and a mouse share the class
    phone.select_option("#edit-tool", "remove")
    phone.touchscreen.tap(left + width / 2, top + height / 2)
    until(lambda: len(created) == 2, phone, what="a run without the nearest point")
    assert created[-1]["dataset"]["points"] == points[:-1]
    shot(phone, "phone-adding-points")
    phone.click("#edit-mode")  # off again: the page scrolls over the plot once more
    assert touch_action(phone) == "auto"
    swipe_scrolls_the_page(phone)
    assert len(created) == 2
    assert_clean(phone)


def test_a_finger_draws_a_target_only_with_drawing_on(phone):
    open_page(phone, "?prob=regression&hidden=16&opt=adam&lr=0.01&lang=ko")
    created = sent(phone, "POST", "/api/sessions")
    expect(phone.locator("#edit-mode")).to_have_text("곡선 그리기")
    swipe_scrolls_the_page(phone)  # not a drawing
    phone.click("#edit-mode")
    left, top, width, height = plot_area(phone)
    # a straight stroke from low on the left to high on the right, in 30 moves
    stroke = [
        (left + width * (0.05 + 0.03 * i), top + height * (0.8 - 0.02 * i)) for i in range(31)
    ]
    touch_drag(phone, stroke)
    until(lambda: created, phone, what="a run on the drawn target")
    assert len(created) == 1  # the swipe drew nothing
    target = created[-1]["target"]
    assert target["name"] == "drawn" and 10 <= len(target["curve"]) <= 80
    (x0, x1), (y0, y1) = phone.evaluate(
        "(() => { const l = document.querySelector('#boundary .plot')._fullLayout;"
        " return [l.xaxis.range, l.yaxis.range]; })()"
    )

    def stroke_at(x):  # the stroke's height at x, in data units
        share = (x - x0) / (x1 - x0)
        return y0 + (y1 - y0) * (0.2 + (share - 0.05) * 2 / 3)

    xs = [x for x, _ in target["curve"]]
    assert xs[0] < x0 + 0.1 * (x1 - x0) and xs[-1] > x1 - 0.1 * (x1 - x0)
    assert all(abs(y - stroke_at(x)) < 0.05 * (y1 - y0) for x, y in target["curve"])

    # the new run's points lie along the stroke, within the target's noise, once it is drawn
    def widest_gap():
        train = phone.evaluate("document.querySelector('#boundary .plot').data[1]")
        return max(abs(y - stroke_at(x)) for x, y in zip(train["x"], train["y"], strict=True))

    until(lambda: widest_gap() < 0.1 * (y1 - y0), phone, what="the new run's points drawn")
    assert "tgt=drawn" in phone.url and "#curve=" in phone.url
    shot(phone, "phone-drawn-target")
    assert_clean(phone)


def test_a_mouse_still_edits_directly_and_sees_no_switch(page):
    """A desktop keeps its clicks; the class chosen stays chosen point after point, and the plot
    still takes points once every point is cleared."""
    open_page(page, "?ds=gauss&classes=2&points=50")
    created = sent(page, "POST", "/api/sessions")
    assert page.locator("#edit-bar").is_hidden()
    page.select_option("#paint-class", "1")
    left, top, width, height = plot_area(page)
    for clicks, share in enumerate((0.3, 0.7), start=1):
        page.mouse.click(left + width * share, top + height * share)
        until(lambda: len(created) == clicks, page, what="a run with the new point")  # noqa: B023
    assert [point[2] for point in created[-1]["dataset"]["points"][-2:]] == [1, 1]
    page.click("#clear-points")
    left, top, width, height = plot_area(page)  # the button may have scrolled the page
    page.mouse.click(left + width / 2, top + height / 2)
    until(lambda: len(created) == 3, page, what="a run on one point")
    ((_, _, label),) = created[-1]["dataset"]["points"]
    assert label == 1
    assert_clean(page)
