// The hidden space: where one hidden layer puts the points and the plane's grid lines (the
// API's GET /api/sessions/{id}/hidden-space). The mesh shows how the layers bend the plane;
// the output layer draws straight boundaries in this space.
import { CLASS_COLORS } from "./decision.js";
import { SCALE } from "./fit.js";

const MESH = "rgba(29, 35, 48, 0.22)";

function meshTrace(lines) {
  const x = [];
  const y = [];
  for (const line of lines) {
    for (const [u, v] of line) {
      x.push(u);
      y.push(v);
    }
    x.push(null); // a gap between lines
    y.push(null);
  }
  return { type: "scatter", mode: "lines", x, y, hoverinfo: "skip",
    line: { color: MESH, width: 1 } };
}

function classTraces(rows, isTest) {
  const classes = Math.max(-1, ...rows.map((r) => r[2])) + 1;
  return Array.from({ length: classes }, (_, k) => {
    const mine = rows.filter((r) => r[2] === k);
    return {
      type: "scatter", mode: "markers", hoverinfo: "skip",
      x: mine.map((r) => r[0]), y: mine.map((r) => r[1]),
      marker: isTest
        ? { size: 6, color: "rgba(255,255,255,0.85)", line: { color: CLASS_COLORS[k], width: 1.5 } }
        : { size: 6, color: CLASS_COLORS[k], line: { color: "white", width: 0.5 } },
    };
  });
}

function valueTrace(rows, isTest, range) {
  return {
    type: "scatter", mode: "markers", hoverinfo: "skip",
    x: rows.map((r) => r[0]), y: rows.map((r) => r[1]),
    marker: { size: 6, color: rows.map((r) => r[2]), colorscale: SCALE, cmin: range[0],
      cmax: range[1], symbol: isTest ? "diamond" : "circle",
      line: { color: "#1d2330", width: isTest ? 1 : 0.5 } },
  };
}

// The extent of everything drawn, padded a little: [[u0, u1], [v0, v1]].
function extent(space) {
  const rows = [...space.train, ...space.test, ...space.lines.flat()];
  return [0, 1].map((axis) => {
    const values = rows.map((r) => r[axis]).filter((v) => v !== null);
    if (!values.length) return [-1, 1]; // nothing finite (a diverged run)
    const [low, high] = [Math.min(...values), Math.max(...values)];
    const pad = 0.05 * (high - low || 1);
    return [low - pad, high + pad];
  });
}

// The output layer's classes over this space (a layer of two units that the output reads
// directly): z = the winning class on a CELLS×CELLS grid. One output score: class 1 where > 0.
const CELLS = 100;

function regionTrace(output, [[u0, u1], [v0, v1]], classes) {
  const us = Array.from({ length: CELLS }, (_, i) => u0 + ((i + 0.5) * (u1 - u0)) / CELLS);
  const vs = Array.from({ length: CELLS }, (_, j) => v0 + ((j + 0.5) * (v1 - v0)) / CELLS);
  const score = (k, u, v) => output.W[k][0] * u + output.W[k][1] * v + output.b[k];
  const z = vs.map((v) => us.map((u) => {
    if (output.W.length === 1) return score(0, u, v) > 0 ? 1 : 0;
    let best = 0;
    for (let k = 1; k < output.W.length; k++) if (score(k, u, v) > score(best, u, v)) best = k;
    return best;
  }));
  const top = Math.max(1, classes - 1);
  return {
    type: "heatmap", x: us, y: vs, z, zmin: 0, zmax: top, showscale: false, hoverinfo: "skip",
    opacity: 0.3, colorscale: CLASS_COLORS.slice(0, top + 1).map((c, k) => [k / top, c]),
  };
}

// space: the API's answer; view: {showTest, regression, valueRange: [low, high] (regression),
// output: the output layer's {W, b} when it reads this space's two axes directly (else null),
// classes, labels: {x, y}}.
export function drawSpace(div, space, view) {
  const points = (rows, isTest) =>
    (view.regression ? [valueTrace(rows, isTest, view.valueRange)] : classTraces(rows, isTest));
  const range = extent(space);
  const traces = view.output ? [regionTrace(view.output, range, view.classes)] : [];
  traces.push(meshTrace(space.lines), ...points(space.train, false));
  if (view.showTest) traces.push(...points(space.test, true));
  const axis = (title, r) => ({ title: { text: title, standoff: 4 }, zeroline: false,
    showgrid: false, fixedrange: true, range: r });
  const layout = {
    margin: { l: 44, r: 8, t: 8, b: 38 }, showlegend: false, dragmode: false,
    xaxis: axis(view.labels.x, range[0]), yaxis: axis(view.labels.y, range[1]),
    plot_bgcolor: "rgba(0,0,0,0)", paper_bgcolor: "rgba(0,0,0,0)",
  };
  window.Plotly.react(div, traces, layout, { displayModeBar: false, responsive: true });
}
