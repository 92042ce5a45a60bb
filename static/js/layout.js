// Classroom layouts: panels a link hides (?hide=) give their room to the rest, the decision
// plot grows as big as the window can show, and a hide= name that is no panel group is said.
import { t } from "./i18n.js";
import { PANEL_GROUPS, panelsToHide } from "./state.js";

const SIDE = 300; // px: the readouts and curves beside the plot need at least this width
const GAP = 13; // px between the plot and them (0.8rem)
const BIG = 450; // px: a plot this big reads from the back of a room
const SMALLEST = 240; // px: the plot never shrinks below this to fit a short window
const BELOW = 12; // px kept free under the plot
const SETTLE_MS = 250; // after the last resize event, the plots are laid out again

// Show and hide the panel groups; name any group the link gives that does not exist.
export function showPanels(hide, lang) {
  const { groups, unknown } = panelsToHide(hide);
  for (const el of document.querySelectorAll("[data-group]")) {
    el.hidden = groups.includes(el.dataset.group);
  }
  const warning = document.getElementById("hide-warning");
  warning.hidden = unknown.length === 0;
  warning.textContent = unknown.length === 0 ? "" : t(lang,
    unknown.length === 1 ? "hide.unknown" : "hide.unknown_many", {
      value: hide.join(","),
      names: unknown.map((name) => `'${name}'`).join(", "),
      groups: PANEL_GROUPS.join(", "),
    });
}

// The plot's size: its panel's width, but no taller than the window below the plot's top (or,
// when the plot starts below the first screen, than a screen under the panel's heading), so a
// projector shows all of it. Beside the readouts and curves when that still leaves it big.
export function fitOutput() {
  const panel = document.querySelector("section.output");
  if (!panel || panel.hidden) return;
  const plot = document.getElementById("boundary");
  const width = panel.querySelector(".output-body").clientWidth;
  const top = (el) => el.getBoundingClientRect().top + window.scrollY;
  const above = top(plot) < window.innerHeight / 2 ? top(plot) : top(plot) - top(panel);
  const room = Math.max(SMALLEST, window.innerHeight - above - BELOW);
  const stacked = Math.min(width, room);
  const beside = Math.min(width - SIDE - GAP, room);
  const wide = beside >= Math.min(stacked, BIG);
  panel.classList.toggle("wide", wide);
  panel.style.setProperty("--plot-size", `${Math.floor(wide ? beside : stacked)}px`);
}

// Fit now, and again whenever the window or the top bar (fonts, a language) changes size; then
// lay the decision plot out at its new size and call redraw(), which repaints its regions.
export function keepOutputFitted(redraw) {
  let timer = null;
  const refit = () => {
    fitOutput();
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const plot = document.querySelector("#boundary .plot");
      if (!plot?._fullLayout || !window.Plotly || plot.offsetParent === null) return; // hidden
      await window.Plotly.Plots.resize(plot).catch(() => {});
      redraw();
    }, SETTLE_MS);
  };
  fitOutput();
  window.addEventListener("resize", refit);
  new ResizeObserver(refit).observe(document.querySelector(".topbar"));
}
