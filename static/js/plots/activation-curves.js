// An activation and its derivative as curves (f solid, f′ dashed; Maxout with its two lines),
// and the zig-zag of updates when a neuron's inputs are all positive.

const F = "#2e86ab";
const DF = "#e4572e";
const LINES = ["#9aa3b5", "#c4a35a"];
const CONFIG = { displayModeBar: false, responsive: true, staticPlot: false };

const LAYOUT = {
  margin: { l: 36, r: 8, t: 6, b: 26 },
  hovermode: "x unified",
  legend: { orientation: "h", y: -0.18, font: { size: 11 } },
  xaxis: { zeroline: true, zerolinecolor: "#c9ced8" },
  yaxis: { zeroline: true, zerolinecolor: "#c9ced8" },
  paper_bgcolor: "rgba(0,0,0,0)",
  plot_bgcolor: "white",
};

// x: [N]; curve: {name, f, df, lines?} from GET /api/activations; labels: {f, df, line(i)}.
export function drawActivation(div, x, curve, labels) {
  const traces = (curve.lines ?? []).map((y, i) => ({
    x, y, name: labels.line(i + 1), line: { color: LINES[i % LINES.length], width: 1.2, dash: "dot" },
  }));
  traces.push(
    { x, y: curve.f, name: labels.f, line: { color: F, width: 2.5 } },
    { x, y: curve.df, name: labels.df, line: { color: DF, width: 2, dash: "dash" } },
  );
  const layout = { ...LAYOUT, xaxis: { ...LAYOUT.xaxis, range: [x[0], x[x.length - 1]] },
    yaxis: { ...LAYOUT.yaxis, range: yRange(curve) } };
  window.Plotly.react(div, traces.map((t) => ({ type: "scatter", mode: "lines", ...t })), layout, CONFIG);
}

// Bounded curves keep a fixed frame; the others fit f and f′ (Maxout's lines may leave it).
function yRange(curve) {
  if (curve.name === "sigmoid") return [-0.1, 1.1];
  if (curve.name === "tanh") return [-1.15, 1.15];
  const values = [...curve.f, ...curve.df];
  const low = Math.min(...values, -1);
  const high = Math.max(...values, 1);
  const pad = 0.06 * (high - low);
  return [low - pad, high + pad];
}

// Two weights (w₁, w₂) of a neuron whose inputs are all positive: each update lies in the
// (+,+) or the (−,−) quadrant, so reaching (3, −3) takes alternating steps.
const PATH = [[0, 0], [2, 0.5], [1.5, -1.5], [3.5, -1], [3, -3]];
const TARGET = [3, -3];

export function drawZigZag(div, labels) {
  const quadrant = (sx, sy) => ({
    x: [0, 5 * sx, 5 * sx, 0, 0], y: [0, 0, 5 * sy, 5 * sy, 0], fill: "toself", mode: "lines",
    fillcolor: "rgba(46,134,171,0.12)", line: { width: 0 }, hoverinfo: "skip",
  });
  const traces = [
    { ...quadrant(1, 1), name: labels.allowed },
    { ...quadrant(-1, -1), name: labels.allowed, showlegend: false },
    { x: [0, TARGET[0]], y: [0, TARGET[1]], name: labels.direct, mode: "lines",
      line: { color: "#59a14f", width: 2, dash: "dash" } },
    { x: PATH.map((p) => p[0]), y: PATH.map((p) => p[1]), name: labels.path, mode: "lines+markers",
      line: { color: DF, width: 2.5 }, marker: { size: 6 } },
    { x: [TARGET[0]], y: [TARGET[1]], name: labels.target, mode: "markers",
      marker: { color: "#1d2330", size: 12, symbol: "star" } },
  ];
  const axis = (title, range) => ({ title: { text: title, standoff: 2 }, range, dtick: 1,
    zeroline: true, zerolinecolor: "#9aa3b5", fixedrange: true });
  const layout = { ...LAYOUT, hovermode: false, margin: { l: 36, r: 8, t: 6, b: 34 },
    xaxis: axis("w₁", [-1.2, 4.2]), yaxis: axis("w₂", [-3.6, 1.4]),
    legend: { orientation: "h", y: -0.28, font: { size: 11 } } };
  window.Plotly.react(div, traces.map((t) => ({ type: "scatter", ...t })), layout, CONFIG);
}
