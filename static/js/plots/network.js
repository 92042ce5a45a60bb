// The network as a diagram: a column of units per layer, links coloured by the weight's sign
// and sized by its magnitude, each unit's bias as the colour of its ring (the output layer's
// too). Hovering a hidden unit shows its own map over the plane.

const SVG = "http://www.w3.org/2000/svg";
const POSITIVE = "#2e86ab";
const NEGATIVE = "#e4572e";
const LEVELS = 255;

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function color(value, scale) {
  const t = Math.min(1, Math.abs(value) / (scale || 1));
  const alpha = (0.15 + 0.85 * t).toFixed(2);
  return value >= 0 ? `rgba(46,134,171,${alpha})` : `rgba(228,87,46,${alpha})`;
}

function maxAbs(rows) {
  let m = 0;
  for (const row of rows) for (const v of row) if (v !== null) m = Math.max(m, Math.abs(v));
  return m || 1;
}

// weights: the API's per-layer [{W, b, pieces}]; sizes: [inputs, ...hidden, outputs].
// onHover(layerIndex, unitIndex, anchor) or onHover(null) when the pointer leaves.
export function drawNetwork(div, sizes, weights, onHover) {
  const width = div.clientWidth || 320;
  const tallest = Math.max(...sizes);
  const gap = Math.max(12, Math.min(28, 260 / tallest));
  const height = Math.max(120, tallest * gap + 30);
  const xs = sizes.map((_, i) => 24 + (i * (width - 48)) / Math.max(1, sizes.length - 1));
  const ys = sizes.map((n) => Array.from({ length: n }, (_, j) => height / 2 + (j - (n - 1) / 2) * gap));
  const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
  const links = el("g", {}, svg);
  const units = el("g", {}, svg);
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    const w = weights?.[layer];
    const scale = w ? maxAbs(w.W) : 1;
    const rows = sizes[layer + 1];
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < sizes[layer]; i++) {
        const value = w ? strongestPiece(w, j, i, rows) : 0;
        el("line", {
          x1: xs[layer], y1: ys[layer][i], x2: xs[layer + 1], y2: ys[layer + 1][j],
          stroke: w ? color(value, scale) : "#ccd", "stroke-width": w ? 0.5 + 3 * Math.min(1, Math.abs(value) / scale) : 1,
        }, links);
      }
    }
  }
  sizes.forEach((n, layer) => {
    const bias = layer > 0 ? weights?.[layer - 1]?.b : null;
    const biasScale = bias ? Math.max(...bias.map((v) => Math.abs(v ?? 0)), 1e-9) : 1;
    for (let j = 0; j < n; j++) {
      const ring = bias ? color(bias[j] ?? 0, biasScale) : "#889";
      const dot = el("circle", { cx: xs[layer], cy: ys[layer][j], r: 7, fill: "white", stroke: ring,
        "stroke-width": 3, class: layer > 0 && layer < sizes.length - 1 ? "unit hidden" : "unit" }, units);
      if (layer > 0 && layer < sizes.length - 1) {
        Object.assign(dot.dataset, { layer: layer - 1, unit: j });
        dot.addEventListener("mouseenter", () => onHover(layer - 1, j, dot));
        dot.addEventListener("mouseleave", () => onHover(null));
      }
    }
  });
  div.replaceChildren(svg);
}

// For Maxout the W has pieces·units rows: show the piece with the largest magnitude.
function strongestPiece(w, unit, input, units) {
  let best = 0;
  for (let p = 0; p < (w.pieces || 1); p++) {
    const v = w.W[p * units + unit]?.[input] ?? 0;
    if (Math.abs(v) > Math.abs(best)) best = v;
  }
  return best;
}

// A unit's map (bytes scaled to [low, high]) drawn on a canvas, blue high, orange low.
export function drawUnitMap(canvas, layerMaps, unit, resolution) {
  const bytes = atob(layerMaps.cells);
  const size = resolution * resolution;
  const image = canvas.getContext("2d").createImageData(resolution, resolution);
  for (let i = 0; i < size; i++) {
    const v = bytes.charCodeAt(unit * size + i) / LEVELS; // 0 … 1
    const row = resolution - 1 - Math.floor(i / resolution); // row 0 of the grid is y_min
    const at = 4 * (row * resolution + (i % resolution));
    const [r, g, b] = v >= 0.5 ? [46, 134, 171] : [228, 87, 46];
    const t = Math.abs(v - 0.5) * 2;
    image.data[at] = 255 + (r - 255) * t;
    image.data[at + 1] = 255 + (g - 255) * t;
    image.data[at + 2] = 255 + (b - 255) * t;
    image.data[at + 3] = 255;
  }
  canvas.width = resolution;
  canvas.height = resolution;
  canvas.getContext("2d").putImageData(image, 0, 0);
}

export const LINK_COLORS = { positive: POSITIVE, negative: NEGATIVE };
