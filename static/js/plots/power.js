// The representational-power charts: best max error against N (log–log), the target with each
// N's fit, and the final training loss per depth at one parameter budget.

import { logTicks } from "./log-ticks.js";

const INK = "#1d2330";
const ACCENT = "#2e86ab";
const SEED = "#9aa3b5";
const LIGHT = [150, 196, 224]; // the fit of the smallest N
const DARK = [11, 60, 93]; // the fit of the largest N
const CONFIG = { displayModeBar: false, responsive: true };

const LAYOUT = {
  margin: { l: 60, r: 10, t: 8, b: 46 },
  legend: { font: { size: 11 } },
  paper_bgcolor: "rgba(0,0,0,0)",
  plot_bgcolor: "white",
  hoverlabel: { font: { size: 12 } },
};

// sizes: [N]; best: [error or null]; perSeed: [[error or null]]; labels: {x, y, best, seed}.
export function drawErrors(div, sizes, best, perSeed, labels) {
  const seeds = sizes.flatMap((n, i) => perSeed[i].filter((e) => e !== null).map((e) => [n, e]));
  const kept = sizes.map((n, i) => [n, best[i]]).filter(([, e]) => e !== null);
  const traces = [
    { x: kept.map(([n]) => n), y: kept.map(([, e]) => e), name: labels.best, mode: "lines+markers",
      line: { color: ACCENT, width: 2.5 }, marker: { size: 9 },
      hovertemplate: "N = %{x}<br>%{y:.3g}<extra></extra>" },
    { x: seeds.map(([n]) => n), y: seeds.map(([, e]) => e), name: labels.seed, mode: "markers",
      marker: { color: SEED, size: 6, symbol: "circle-open" },
      hovertemplate: "N = %{x}<br>%{y:.3g}<extra></extra>" },
  ];
  window.Plotly.react(div, traces.map((t) => ({ type: "scatter", ...t })), {
    ...LAYOUT,
    margin: { ...LAYOUT.margin, t: 26 },
    legend: { ...LAYOUT.legend, orientation: "h", x: 1, xanchor: "right", y: 1, yanchor: "bottom" },
    xaxis: { title: { text: labels.x }, type: "log", tickvals: sizes, ticktext: sizes.map(String) },
    yaxis: { title: { text: labels.y }, type: "log", ...logTicks([...best, ...perSeed.flat()]) },
  }, CONFIG);
}

// x: [200]; target: [[x, y]]; fits: [{n, y: [200]}] from small to large N; labels: {target}.
export function drawFits(div, x, target, fits, labels) {
  const traces = fits.map((fit, i) => ({
    x, y: fit.y, name: fit.name, line: { color: ramp(fits.length > 1 ? i / (fits.length - 1) : 1),
      width: 1.8 },
    hovertemplate: `${fit.name}<br>x = %{x:.2f}<br>%{y:.3f}<extra></extra>`,
  }));
  traces.unshift({
    x: target.map(([tx]) => tx), y: target.map(([, ty]) => ty), name: labels.target,
    line: { color: INK, width: 3, dash: "dot" },
    hovertemplate: "x = %{x:.2f}<br>%{y:.3f}<extra></extra>",
  });
  window.Plotly.react(div, traces.map((t) => ({ type: "scatter", mode: "lines", ...t })), {
    ...LAYOUT,
    margin: { ...LAYOUT.margin, l: 40 },
    xaxis: { title: { text: "x" }, zeroline: false },
    yaxis: { zeroline: true, zerolinecolor: "#c9ced8" },
  }, CONFIG);
}

// names: category labels; losses: [[final loss per seed]]; labels: {x, y}.
export function drawDepth(div, names, losses, labels) {
  const traces = names.map((name, i) => ({
    type: "box", name, y: losses[i], boxpoints: "all", jitter: 0.4, pointpos: 0,
    marker: { color: ACCENT, size: 6 }, line: { color: INK }, fillcolor: "rgba(46,134,171,0.12)",
    hoverinfo: "y",
  }));
  window.Plotly.react(div, traces, {
    ...LAYOUT, showlegend: false,
    xaxis: { title: { text: labels.x }, type: "category" },
    yaxis: { title: { text: labels.y }, type: "log", ...logTicks(losses.flat()) },
  }, CONFIG);
}

function ramp(share) {
  const [r, g, b] = LIGHT.map((low, k) => Math.round(low + share * (DARK[k] - low)));
  return `rgb(${r},${g},${b})`;
}
