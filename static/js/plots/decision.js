// Decision regions: the grid's bytes drawn as a heatmap (each class its own colour, shaded
// by confidence), the training points filled and the test points outlined on top.
// Knows nothing but its div and the data it is given.

export const CLASS_COLORS = ["#e4572e", "#2e86ab", "#59a14f", "#f1a208", "#8e6c8a", "#17becf"];
const LEVELS = 32; // confidence levels per class in a grid byte (class << 5 | level)

function mix(hex, t) {
  // t = 0: near white, t = 1: the class colour
  const n = parseInt(hex.slice(1), 16);
  const c = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => Math.round(255 + (v - 255) * t));
  return `rgb(${c.join(",")})`;
}

// One colour band per class over byte values k·32 … k·32+31; discretize drops the shading.
function colorscale(classes, discretize) {
  const top = classes * LEVELS - 1;
  const scale = [];
  for (let k = 0; k < classes; k++) {
    const light = mix(CLASS_COLORS[k], discretize ? 0.55 : 0.12);
    const dark = mix(CLASS_COLORS[k], 0.55);
    scale.push([(k * LEVELS) / top, light], [(k * LEVELS + LEVELS - 1) / top, dark]);
  }
  return scale;
}

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

// grid: the API's grid (resolution, bounds, classes, cells as base64 bytes).
// points: {train: [[x, y, label]], test: [...]}; view: {showTest, discretize}.
export function drawDecision(div, grid, points, view) {
  const [x0, x1, y0, y1] = grid.bounds;
  const r = grid.resolution;
  const heatmap = {
    type: "heatmap",
    z: { dtype: "u1", bdata: grid.cells, shape: `${r}, ${r}` },
    x0, dx: (x1 - x0) / (r - 1), y0, dy: (y1 - y0) / (r - 1),
    zmin: 0, zmax: grid.classes * LEVELS - 1, zsmooth: false,
    colorscale: colorscale(grid.classes, view.discretize),
    showscale: false, hoverinfo: "skip",
  };
  const traces = [heatmap, ...pointTraces(points.train, grid.classes, false)];
  if (view.showTest) traces.push(...pointTraces(points.test, grid.classes, true));
  const layout = {
    margin: { l: 36, r: 8, t: 8, b: 30 },
    xaxis: { range: [x0, x1], zeroline: false, constrain: "domain", fixedrange: true },
    yaxis: { range: [y0, y1], zeroline: false, scaleanchor: "x", fixedrange: true },
    plot_bgcolor: "white", paper_bgcolor: "rgba(0,0,0,0)", dragmode: false,
  };
  window.Plotly.react(div, traces, layout, { displayModeBar: false, responsive: true });
}

// A click on the plot -> its data coordinates (or null outside the axes).
export function clickPosition(div, event) {
  const layout = div._fullLayout;
  if (!layout) return null;
  const area = div.querySelector(".nsewdrag") || div;
  const box = area.getBoundingClientRect();
  const px = event.clientX - box.left;
  const py = event.clientY - box.top;
  if (px < 0 || py < 0 || px > box.width || py > box.height) return null;
  return [layout.xaxis.p2l(px), layout.yaxis.p2l(py)];
}
