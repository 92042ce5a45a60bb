// Regression pictures. 1-D: the target curve, the training (filled) and test (outlined)
// points (Plotly), the network's curve, and optionally each last-layer unit's contribution w_j·h_j(x)
// (the curve is the output bias plus their sum; for ReLU units, ticks mark where each one
// switches on). 2-D: the network's value as a diverging heat map (blue below zero, red above)
// painted in a canvas behind Plotly's axes, with the points coloured on the same scale.
import { clickPosition, paintCells, plotLayers } from "./decision.js";

const FIT = "#1d2330";
const TARGET = "#8a93a6";
const POINT = "#2e86ab";
const UNIT_COLORS = ["#e4572e", "#59a14f", "#f1a208", "#8e6c8a", "#17becf", "#2e86ab", "#b07aa1"];
const NEGATIVE = [46, 134, 171];
const POSITIVE = [228, 87, 46];
export const SCALE = [[0, "rgb(46,134,171)"], [0.5, "white"], [1, "rgb(228,87,46)"]];

function axes(bounds) {
  const [x0, x1, y0, y1] = bounds;
  return {
    xaxis: { range: [x0, x1], zeroline: false, fixedrange: true, showgrid: false },
    yaxis: { range: [y0, y1], zeroline: false, fixedrange: true, showgrid: false },
  };
}

const LAYOUT = {
  margin: { l: 36, r: 8, t: 8, b: 30 }, showlegend: false, dragmode: false,
  plot_bgcolor: "rgba(0,0,0,0)", paper_bgcolor: "rgba(0,0,0,0)",
};
const CONFIG = { displayModeBar: false, responsive: true };

function pointTrace(rows, isTest, marker) {
  return {
    type: "scatter", mode: "markers", hoverinfo: "skip",
    x: rows.map((p) => p[0]), y: rows.map((p) => p[1]),
    marker: isTest ? { size: 6, color: "white", line: { color: POINT, width: 1.5 } }
      : { size: 6, color: POINT, line: { color: "white", width: 0.5 }, ...marker },
  };
}

// Where each ReLU-like unit of a single hidden layer switches on: x = -b / w -> [{x, unit}].
function kinks(weights, bounds) {
  if (!weights || weights.length !== 2) return [];
  const [W, b] = [weights[0].W, weights[0].b];
  return W.map((row, unit) => ({ x: row[0] ? -b[unit] / row[0] : null, unit }))
    .filter(({ x }) => x !== null && x > bounds[0] && x < bounds[1]);
}

// A canvas on top of the plot area for what changes every frame (the fit, the contributions,
// the kink ticks): painting ~20 lines there costs well under a millisecond, where a Plotly
// redraw of them cost ~25 ms. Plotly keeps the axes, the target and the points.
function overlay(div, plot) {
  let canvas = div.querySelector(".overlay");
  if (!canvas) {
    canvas = Object.assign(document.createElement("canvas"), { className: "overlay" });
    div.append(canvas);
  }
  const size = plot._fullLayout._size;
  const ratio = window.devicePixelRatio || 1;
  const [w, h] = [Math.round(size.w * ratio), Math.round(size.h * ratio)];
  if (canvas.width !== w || canvas.height !== h) Object.assign(canvas, { width: w, height: h });
  Object.assign(canvas.style, { left: `${size.l}px`, top: `${size.t}px`,
    width: `${size.w}px`, height: `${size.h}px` });
  canvas.hidden = false;
  return canvas;
}

function drawStatic(plot, points, view) {
  const key = `${view.bounds}:${view.showTest}:${view.labels.target}`;
  if (plot.drawn === points && plot.drawnKey === key) return;
  const traces = [];
  if (points.target) {
    traces.push({ type: "scatter", mode: "lines", name: view.labels.target,
      x: points.target.map((p) => p[0]), y: points.target.map((p) => p[1]),
      line: { color: TARGET, width: 2, dash: "dash" },
      hovertemplate: `${view.labels.target}: %{y:.3f}<extra></extra>` });
  }
  traces.push(pointTrace(points.train, false));
  if (view.showTest) traces.push(pointTrace(points.test, true));
  window.Plotly.react(plot, traces, { ...LAYOUT, ...axes(view.bounds), hovermode: "closest" },
    CONFIG);
  Object.assign(plot, { drawn: points, drawnKey: key });
}

// curve: the API's curve ({x, y, bias?, contributions?}); points: {train, test, target};
// weights: the frame's layers (for the kinks); view: {showTest, contributions, kinks (bool),
// highlight (a last-layer unit's index, or null), bounds, labels: {target}}. A highlighted
// unit's contribution is drawn bold in its colour (the others faint, if shown at all).
export function drawFit(div, curve, points, weights, view) {
  const { canvas, plot } = plotLayers(div);
  canvas.hidden = true;
  drawStatic(plot, points, view);
  if (!plot._fullLayout?._size) return;
  const top = overlay(div, plot);
  const ctx = top.getContext("2d");
  const [x0, x1, y0, y1] = view.bounds;
  const px = (x) => ((x - x0) / (x1 - x0)) * top.width;
  const py = (y) => (1 - (y - y0) / (y1 - y0)) * top.height;
  const ratio = window.devicePixelRatio || 1;
  const line = (ys, color, width, alpha = 1) => {
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = color;
    ctx.lineWidth = width * ratio;
    ctx.beginPath();
    let drawing = false;
    curve.x.forEach((x, i) => {
      if (ys[i] === null) return void (drawing = false);
      if (drawing) ctx.lineTo(px(x), py(ys[i]));
      else ctx.moveTo(px(x), py(ys[i]));
      drawing = true;
    });
    ctx.stroke();
  };
  ctx.clearRect(0, 0, top.width, top.height);
  const chosen = curve.contributions?.[view.highlight] ? view.highlight : null;
  const shown = curve.contributions && (view.contributions || chosen !== null);
  const ticks = shown && view.kinks
    ? kinks(weights, view.bounds).filter(({ unit }) => chosen === null || unit === chosen) : [];
  if (shown) {
    curve.contributions.forEach((ys, j) => {
      if (chosen === null) line(ys, unitColor(j), 1, 0.7);
      else if (j !== chosen && view.contributions) line(ys, unitColor(j), 1, 0.2);
    });
    ctx.globalAlpha = 1;
    for (const { x, unit } of ticks) {
      const [cx, cy, r] = [px(x), top.height, 6 * ratio];
      ctx.fillStyle = chosen === null ? FIT : unitColor(unit);
      ctx.beginPath();
      ctx.moveTo(cx, cy - r);
      ctx.lineTo(cx - r * 0.7, cy);
      ctx.lineTo(cx + r * 0.7, cy);
      ctx.fill();
    }
  }
  line(curve.y, FIT, 3);
  if (chosen !== null) line(curve.contributions[chosen], unitColor(chosen), 2.5);
  ctx.globalAlpha = 1;
  top.dataset.kinks = ticks.length;
  top.dataset.highlight = chosen ?? "";
  top.dataset.contributions = String(Boolean(shown && view.contributions)); // every unit's
}

export function unitColor(unit) {
  return UNIT_COLORS[unit % UNIT_COLORS.length];
}

// byte -> RGBA over [low, high] with white at zero.
function valuePalette(low, high) {
  const table = new Uint8ClampedArray(256 * 4);
  const extent = Math.max(Math.abs(low), Math.abs(high)) || 1;
  for (let byte = 0; byte < 256; byte++) {
    const value = low + (byte / 255) * (high - low);
    const t = Math.min(1, Math.abs(value) / extent);
    const color = value < 0 ? NEGATIVE : POSITIVE;
    color.forEach((c, i) => { table[4 * byte + i] = 255 + (c - 255) * t * 0.85; });
    table[4 * byte + 3] = 255;
  }
  return table;
}

// values: the API's value grid ({resolution, bounds, low, high, cells}); points rows are
// [x1, x2, value]; view: {showTest, labels: {value}}.
export function drawValues(div, values, points, view) {
  const { canvas, plot } = plotLayers(div);
  canvas.hidden = false;
  div.querySelector(".overlay")?.toggleAttribute("hidden", true);
  const key = `${values.bounds}:${values.low}:${view.showTest}`;
  if (plot.drawn !== points || plot.drawnKey !== key) {
    const marker = (isTest) => ({
      size: 7, color: points[isTest ? "test" : "train"].map((p) => p[2]), colorscale: SCALE,
      cmin: values.low, cmax: values.high,
      symbol: isTest ? "diamond" : "circle",
      line: { color: "#1d2330", width: isTest ? 1.2 : 0.7 },
    });
    const trace = (rows, isTest) => ({
      type: "scatter", mode: "markers", x: rows.map((p) => p[0]), y: rows.map((p) => p[1]),
      marker: marker(isTest), hovertemplate: "%{marker.color:.3f}<extra></extra>" });
    const traces = [trace(points.train, false)];
    traces[0].marker.showscale = true;
    traces[0].marker.colorbar = { thickness: 10, len: 0.9, outlinewidth: 0,
      title: { text: view.labels.value, side: "top" } };
    if (view.showTest) traces.push(trace(points.test, true));
    const layout = { ...LAYOUT, ...axes(values.bounds), margin: { ...LAYOUT.margin, r: 60 } };
    window.Plotly.react(plot, traces, layout, CONFIG);
    Object.assign(plot, { drawn: points, drawnKey: key });
  }
  paintCells(canvas, plot, values, valuePalette(values.low, values.high));
}

// Let the user draw a 1-D target with a mouse, pen or finger: press, drag across, release.
// limits.enabled(event) says whether this press may draw. The stroke is shown while drawn
// (the pointer is captured, so it may leave the plot); onDone gets [[x, y]] with increasing x
// (at most maxPoints samples). A cancelled stroke (the browser took the touch to scroll) is
// dropped.
export function captureCurve(div, limits, onDone) {
  let stroke = null;
  const overlay = () => {
    const { canvas, plot } = plotLayers(div);
    const size = plot._fullLayout._size;
    canvas.hidden = false;
    Object.assign(canvas, { width: Math.round(size.w), height: Math.round(size.h) });
    Object.assign(canvas.style, { left: `${size.l}px`, top: `${size.t}px`,
      width: `${size.w}px`, height: `${size.h}px` });
    return { canvas, size };
  };
  const pixel = (event) => {
    const box = stroke.canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };
  div.addEventListener("pointerdown", (event) => {
    if (!limits.enabled(event) || event.button !== 0) return;
    const at = clickPosition(div, event);
    if (!at) return;
    event.preventDefault();
    div.setPointerCapture(event.pointerId);
    stroke = { pointer: event.pointerId, points: [at], ...overlay() };
    stroke.last = pixel(event);
  });
  div.addEventListener("pointermove", (event) => {
    if (stroke?.pointer !== event.pointerId) return;
    const at = clickPosition(div, event);
    if (!at) return;
    stroke.points.push(at);
    const ctx = stroke.canvas.getContext("2d");
    ctx.strokeStyle = FIT;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(...stroke.last);
    stroke.last = pixel(event);
    ctx.lineTo(...stroke.last);
    ctx.stroke();
  });
  div.addEventListener("pointerup", (event) => {
    if (stroke?.pointer !== event.pointerId) return;
    const curve = toCurve(stroke.points, limits);
    stroke = null;
    if (curve) onDone(curve);
  });
  div.addEventListener("pointercancel", (event) => {
    if (stroke?.pointer !== event.pointerId) return;
    stroke.canvas.getContext("2d").clearRect(0, 0, stroke.canvas.width, stroke.canvas.height);
    stroke = null;
  });
}

// Stroke samples -> increasing x, clipped to the limits, thinned to at most maxPoints.
export function toCurve(points, { x: [x0, x1], y: [y0, y1], maxPoints }) {
  const sorted = points
    .map(([x, y]) => [Math.min(x1, Math.max(x0, x)), Math.min(y1, Math.max(y0, y))])
    .sort((a, b) => a[0] - b[0]);
  const rising = [];
  for (const p of sorted) if (!rising.length || p[0] > rising.at(-1)[0] + 1e-3) rising.push(p);
  if (rising.length < 2) return null;
  const every = Math.ceil(rising.length / maxPoints);
  const thinned = rising.filter((_, i) => i % every === 0 || i === rising.length - 1);
  return thinned.map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100])
    .filter((p, i, all) => i === 0 || p[0] > all[i - 1][0]);
}
