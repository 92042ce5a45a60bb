"""Phones and tablets in a real Chromium with emulated touch: every page fits 390 and 820 px in
both languages with readable plots, and the playground's plot is edited with a finger only in
an explicit mode (a tap adds a point, a drag draws a curve), so a swipe scrolls the page.
Screenshots go to test-artifacts/screenshots/ and are looked at."""

import pytest

from tests.browser.conftest import assert_clean, shot

# Each page, and what is on it once it has drawn (some pages draw only after a fetch).
PAGES = {
    "/": "#boundary .nsewdrag",
    "/experiments/grid": "#panels .panel-card:nth-child(3) .nsewdrag",
    "/experiments/activations": "#plot-maxout .nsewdrag",
    "/experiments/sizing": "#count-rows tr",
    "/experiments/neuron": "#boundary-hinge .nsewdrag",
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
    const area = plot.querySelector('.nsewdrag')?.getBoundingClientRect();
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
