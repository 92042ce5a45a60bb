// Decision regions: every class its own colour, shaded by the model's confidence, with the
// training points filled and the test points outlined on top. Plotly draws the axes and the
// points; the regions are painted into a canvas behind Plotly's transparent plot area, which
// costs well under a millisecond per frame instead of a heatmap redraw. The decision boundary
// is drawn as a line over them.
// Knows nothing but its div and the data it is given.

import { boundarySegments, LEVELS } from "../cells.js";

export const CLASS_COLORS = ["#e4572e", "#2e86ab", "#59a14f", "#f1a208", "#8e6c8a", "#17becf"];

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// byte -> RGBA: t = 0 near white (chance), t = 1 the class colour; discretize drops shading.
function palette(discretize) {
  const table = new Uint8ClampedArray(256 * 4);
  for (let byte = 0; byte < 256; byte++) {
    const k = byte >> 5;
    const level = byte & (LEVELS - 1);
    const t = discretize ? 0.55 : 0.1 + (0.5 * level) / (LEVELS - 1);
    const color = rgb(CLASS_COLORS[Math.min(k, CLASS_COLORS.length - 1)]);
    color.forEach((c, i) => { table[4 * byte + i] = 255 + (c - 255) * t; });
    table[4 * byte + 3] = 255;
  }
  return table;
}
const PALETTES = { true: palette(true), false: palette(false) };

// The div's two layers: a canvas for painted cells under a transparent Plotly plot.
export function plotLayers(div) {
  if (!div.querySelector(".regions")) {
    div.replaceChildren(
      Object.assign(document.createElement("canvas"), { className: "regions" }),
      Object.assign(document.createElement("div"), { className: "plot" }));
  }
  return { canvas: div.querySelector(".regions"), plot: div.querySelector(".plot") };
}

// Point traces are rebuilt only when the points or the view change, so Plotly redraws only
// when something it draws has changed.
function pointTraces(points, classes, isTest) {
  const traces = [];
  for (let k = 0; k < classes; k++) {
    const mine = points.filter((p) => p[2] === k);
    traces.push({
      type: "scatter", mode: "markers", hoverinfo: "skip", showlegend: false,
      x: mine.map((p) => p[0]), y: mine.map((p) => p[1]),
      marker: isTest
        ? { size: 7, color: "rgba(255,255,255,0.85)", line: { color: CLASS_COLORS[k], width: 2 } }
        : { size: 7, color: CLASS_COLORS[k], line: { color: "white", width: 1 } },
    });
  }
  return traces;
}

function planeLayout([x0, x1, y0, y1]) {
  return {
    margin: { l: 36, r: 8, t: 8, b: 30 },
    xaxis: { range: [x0, x1], zeroline: false, fixedrange: true, showgrid: false },
    yaxis: { range: [y0, y1], zeroline: false, fixedrange: true, showgrid: false },
    plot_bgcolor: "rgba(0,0,0,0)", paper_bgcolor: "rgba(0,0,0,0)", dragmode: false,
  };
}
// static: Plotly draws axes and points only; clicks and touches are the page's own, and no
// invisible drag handles poke out of the plot's card
const CONFIG = { displayModeBar: false, responsive: true, staticPlot: true };

function drawPoints(plot, grid, points, view) {
  const key = `${grid.bounds}:${grid.classes}:${view.showTest}`;
  if (plot.drawn === points && plot.drawnKey === key) return;
  const traces = pointTraces(points.train, grid.classes, false);
  if (view.showTest) traces.push(...pointTraces(points.test, grid.classes, true));
  window.Plotly.react(plot, traces, planeLayout(grid.bounds), CONFIG);
  Object.assign(plot, { drawn: points, drawnKey: key });
}

// No points at all (all cleared): empty axes, on which clicks can add points again.
export function drawEmpty(div, bounds = [-1.2, 1.2, -1.2, 1.2]) {
  const { canvas, plot } = plotLayers(div);
  canvas.hidden = true;
  window.Plotly.react(plot, [], planeLayout(bounds), CONFIG);
  plot.drawn = null;
}

// A grid's cells (base64, one byte each, row 0 at y_min) as an R×R image, each byte's colour
// from a 256-entry RGBA table.
function cellImage(grid, colors) {
  const r = grid.resolution;
  const bytes = atob(grid.cells);
  const image = new ImageData(r, r);
  for (let row = 0; row < r; row++) {
    const from = (r - 1 - row) * r; // image row 0 is the top, grid row 0 the bottom
    for (let col = 0; col < r; col++) {
      const c = 4 * bytes.charCodeAt(from + col);
      image.data.set(colors.subarray(c, c + 4), 4 * (row * r + col));
    }
  }
  return image;
}

// The canvas covers the plot area at the screen's pixel density; returns its 2-D context with
// one unit = one CSS pixel, and the area's size.
function fitCanvas(canvas, size) {
  Object.assign(canvas.style, { left: `${size.l}px`, top: `${size.t}px`,
    width: `${size.w}px`, height: `${size.h}px` });
  const scale = window.devicePixelRatio || 1;
  const width = Math.round(size.w * scale);
  const height = Math.round(size.h * scale);
  if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
  const context = canvas.getContext("2d");
  context.setTransform(scale, 0, 0, scale, 0, 0);
  return context;
}

// The grid's samples sit on the plot area's edges and evenly between them (x_min … x_max), so
// each image pixel's centre is drawn on its sample and the browser interpolates between them
// (smooth shading instead of R×R blocks).
export function paintCells(canvas, plot, grid, colors) {
  const size = plot._fullLayout?._size;
  if (!size) return null;
  const context = fitCanvas(canvas, size);
  const r = grid.resolution;
  const cells = canvas.cells ?? document.createElement("canvas");
  canvas.cells = cells;
  if (cells.width !== r) Object.assign(cells, { width: r, height: r });
  cells.getContext("2d").putImageData(cellImage(grid, colors), 0, 0);
  const dx = size.w / (r - 1);
  const dy = size.h / (r - 1);
  context.clearRect(0, 0, size.w, size.h);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.drawImage(cells, -dx / 2, -dy / 2, size.w + dx, size.h + dy);
  return context;
}

// -> how many segments were drawn
function strokeBoundary(context, size, grid) {
  const sx = size.w / (grid.resolution - 1);
  const sy = size.h / (grid.resolution - 1);
  const segments = boundarySegments(grid);
  context.beginPath();
  for (const [x0, y0, x1, y1] of segments) {
    context.moveTo(x0 * sx, y0 * sy);
    context.lineTo(x1 * sx, y1 * sy);
  }
  context.lineWidth = 1.5;
  context.strokeStyle = "rgba(29, 35, 48, 0.75)";
  context.stroke();
  return segments.length;
}

// grid: the API's grid (resolution, bounds, classes, cells as base64 bytes).
// points: {train: [[x, y, label]], test: [...]}; view: {showTest, discretize}.
export function drawDecision(div, grid, points, view) {
  const { canvas, plot } = plotLayers(div);
  canvas.hidden = false;
  div.querySelector(".overlay")?.toggleAttribute("hidden", true);
  drawPoints(plot, grid, points, view);
  const context = paintCells(canvas, plot, grid, PALETTES[view.discretize]);
  if (context) canvas.dataset.segments = strokeBoundary(context, plot._fullLayout._size, grid);
}

// A click on the plot -> its data coordinates (or null outside the axes).
export function clickPosition(div, event) {
  const plot = div.querySelector(".plot");
  const layout = plot?._fullLayout;
  if (!layout) return null;
  const box = plot.getBoundingClientRect();
  const px = event.clientX - box.left - layout._size.l;
  const py = event.clientY - box.top - layout._size.t;
  if (px < 0 || py < 0 || px > layout._size.w || py > layout._size.h) return null;
  return [layout.xaxis.p2l(px), layout.yaxis.p2l(py)];
}
