// One neuron, two losses: the notes' binary softmax classifier and binary SVM trained side by
// side on the same data, with L2 as "gradual forgetting" shown by the weight norm ‖w‖.
import * as api from "./api.js";
import { describeError } from "./errors.js";
import { choice, int, keepInURL, read } from "./form-state.js";
import { setupLanguage, t } from "./i18n.js";
import { drawDecision } from "./plots/decision.js";
import { recovery } from "./recovery.js";

const RESOLUTION = 60;
const STEPS_PER_FRAME = 5;
const LEARNING_RATE = 0.1; // plain SGD, so one update multiplies W by exactly (1 − lr·λ)
const RUNS = [
  { key: "logistic", loss: "binary_logistic", color: "#2e86ab", margins: false },
  { key: "hinge", loss: "binary_hinge", color: "#e4572e", margins: true },
];

// URL key -> form field: the setup a link reproduces
const FIELDS = {
  dataset: { id: "dataset", default: "linear", ...choice("dataset") },
  seed: { id: "seed", default: 1, ...int(0, 999999) },
  l2: { id: "l2", default: "0", ...choice("l2") },
};
// The API's names for them, for its errors.
const API_NAMES = { ...FIELDS, "dataset.name": FIELDS.dataset, "dataset.seed": FIELDS.seed,
  seed: FIELDS.seed, "training.l2": FIELDS.l2 };

const $ = (id) => document.getElementById(id);
let lang = "en";
let runs = []; // [{...RUNS[i], id, points, frame, history: {step, norm, loss}}]
let playing = false;
let busy = false; // a pair of step requests is in flight
let generation = 0; // bumps on every rebuild so stale answers are dropped

function config(loss) {
  const { dataset, seed, l2 } = read(FIELDS, "dataset", "seed", "l2");
  return {
    dataset: { name: dataset, n_points: 200, n_classes: 2, seed },
    model: { hidden: [], loss },
    training: { optimizer: "sgd", learning_rate: LEARNING_RATE, l2: Number(l2) },
    seed,
  };
}

async function build() {
  const mine = ++generation;
  setPlaying(false);
  const old = runs;
  runs = [];
  old.forEach((run) => api.remove(run.id).catch(() => {})); // once their step is answered
  $("xor-note").hidden = $("dataset").value !== "xor";
  try {
    const created = await Promise.all(RUNS.map(async (spec) => {
      const summary = await api.createSession(config(spec.loss));
      const points = await api.sessionData(summary.id);
      return { ...spec, id: summary.id, points, frame: null, history: emptyHistory() };
    }));
    await idle();
    if (mine !== generation) { // a newer build has begun: these runs are nobody's
      created.forEach((run) => api.remove(run.id).catch(() => {}));
      return;
    }
    runs = created;
    showMessage(null);
    await advance(0, mine);
  } catch (error) {
    if (mine === generation) showMessage(describeError(lang, error, API_NAMES));
  }
}

// Resolves once no step request is in flight (pausing lets the current pair finish).
async function idle() {
  while (busy) await new Promise((resolve) => requestAnimationFrame(resolve));
}

const emptyHistory = () => ({ step: [], norm: [], loss: [] });
const norm = (W) => Math.hypot(...W[0]);

// Both runs step together: one request per run in flight, then one drawing.
async function advance(steps, mine = generation) {
  if (busy || !runs.length) return;
  busy = true;
  try {
    const frames = await Promise.all(runs.map((run) =>
      api.step(run.id, { steps, resolution: RESOLUTION, weights: true })));
    if (mine !== generation) return;
    lost.alive();
    frames.forEach((frame, i) => record(runs[i], frame));
    draw();
  } catch (error) {
    if (mine !== generation) return; // the runs it stepped were replaced meanwhile
    setPlaying(false);
    lost.failed(error);
  } finally {
    busy = false;
  }
}

function record(run, frame) {
  run.frame = frame;
  const h = run.history;
  const step = frame.metrics.step;
  if (h.step.length && h.step[h.step.length - 1] >= step) return;
  h.step.push(step);
  h.norm.push(norm(frame.weights[0].W));
  h.loss.push(frame.metrics.train.data_loss);
}

function draw() {
  for (const run of runs) {
    if (!run.frame) continue;
    const div = $(`boundary-${run.key}`);
    drawDecision(div, run.frame.grid, run.points, { showTest: true, discretize: false });
    drawLines(div, run.frame.grid.bounds, run.frame.weights[0], run.margins);
    showReadouts(run);
  }
  $("step-count").textContent = runs[0]?.frame?.metrics.step ?? 0;
  drawCharts();
  window.renderedFrames = (window.renderedFrames || 0) + 1;
}

// The line w·x + b = level clipped to the plot's box, as two points (or null if it misses).
function clip([x0, x1, y0, y1], [w1, w2], b, level) {
  const ends = [];
  const add = (x, y) => { if (x >= x0 - 1e-9 && x <= x1 + 1e-9 && y >= y0 - 1e-9 && y <= y1 + 1e-9) ends.push([x, y]); };
  if (Math.abs(w2) > 1e-12) [x0, x1].forEach((x) => add(x, (level - b - w1 * x) / w2));
  if (Math.abs(w1) > 1e-12) [y0, y1].forEach((y) => add((level - b - w2 * y) / w1, y));
  return ends.length >= 2 ? [ends[0], ends[ends.length - 1]] : null;
}

// An SVG on top of the regions: the boundary (score 0) and, for the SVM, the margins (±1).
function drawLines(div, bounds, { W, b }, margins) {
  const size = div.querySelector(".plot")?._fullLayout?._size;
  if (!size) return;
  let svg = div.querySelector("svg.lines");
  if (!svg) {
    svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "lines");
    div.append(svg);
  }
  Object.assign(svg.style, { left: `${size.l}px`, top: `${size.t}px`,
    width: `${size.w}px`, height: `${size.h}px` });
  svg.setAttribute("viewBox", `0 0 ${size.w} ${size.h}`);
  const [x0, x1, y0, y1] = bounds;
  const px = ([x, y]) => [((x - x0) / (x1 - x0)) * size.w, ((y1 - y) / (y1 - y0)) * size.h];
  const levels = margins ? [0, 1, -1] : [0];
  svg.replaceChildren(...levels.flatMap((level) => {
    const ends = clip(bounds, W[0], b[0], level);
    if (!ends) return [];
    const [[ax, ay], [bx, by]] = ends.map(px);
    const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
    Object.entries({ x1: ax, y1: ay, x2: bx, y2: by, class: level ? "margin" : "boundary-line" })
      .forEach(([k, v]) => line.setAttribute(k, v));
    return [line];
  }));
}

function showReadouts(run) {
  const { metrics, weights } = run.frame;
  const [[w1, w2]] = weights[0].W;
  const f = (v, digits = 3) => (v === null || v === undefined ? "–" : v.toFixed(digits));
  const pct = (v) => (v === null || v === undefined ? "–" : `${(100 * v).toFixed(1)} %`);
  const rows = [
    ["w₁", f(w1), "w1"], ["w₂", f(w2), "w2"], ["b", f(weights[0].b[0]), "b"],
    ["‖w‖", f(norm(weights[0].W)), "norm"],
    [t(lang, "out.train_loss"), f(metrics.train.data_loss), "loss"],
    [t(lang, "out.test_loss"), f(metrics.test?.data_loss), "test-loss"],
    [t(lang, "out.train_acc"), pct(metrics.train.accuracy), "accuracy"],
    [t(lang, "out.test_acc"), pct(metrics.test?.accuracy), "test-accuracy"],
  ];
  $(`readouts-${run.key}`).replaceChildren(...rows.map(([label, value, name]) => {
    const row = document.createElement("div");
    row.append(Object.assign(document.createElement("dt"), { textContent: label }),
      Object.assign(document.createElement("dd"), { textContent: value, className: name }));
    return row;
  }));
}

function drawCharts() {
  const chart = (div, series, title) => {
    const traces = runs.map((run) => ({ type: "scatter", x: run.history.step,
      mode: run.history.step.length > 1 ? "lines" : "markers", // one point draws no line
      y: run.history[series], name: t(lang, `neuron.${run.key}`), line: { color: run.color, width: 2 } }));
    const layout = { margin: { l: 44, r: 8, t: 8, b: 30 }, hovermode: "x unified",
      legend: { orientation: "h", y: -0.3, font: { size: 11 } },
      // Fixed ranges: Plotly's autorange of a single point (step 0) is off.
      xaxis: { title: { text: t(lang, "run.step_count"), standoff: 4 }, zeroline: false,
        range: [0, Math.max(50, ...runs.map((run) => run.history.step.at(-1) ?? 0))] },
      yaxis: { title: { text: title }, zeroline: false,
        range: [0, 1.1 * runs.reduce((top, run) =>
          run.history[series].reduce((a, v) => Math.max(a, v ?? 0), top), 0.1)] },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "white",
      datarevision: runs.reduce((n, run) => n + run.history.step.length, 0) };
    window.Plotly.react(div, traces, layout, { displayModeBar: false, responsive: true });
  };
  chart($("norm-chart"), "norm", "‖w‖");
  chart($("loss-chart"), "loss", t(lang, "neuron.data_loss"));
}

function loop() {
  if (!playing) return;
  advance(STEPS_PER_FRAME).then(() => requestAnimationFrame(loop));
}

function setPlaying(next) {
  playing = next;
  $("play").querySelector(".icon").textContent = playing ? "❚❚" : "▶";
  $("play").classList.toggle("playing", playing);
  if (playing) loop();
}

const lost = recovery(async () => {
  await build();
  return runs.length > 0;
}, (text) => showMessage(text), () => lang);

function showMessage(text) {
  $("message").hidden = !text;
  $("message").textContent = text || "";
}

async function reset() {
  setPlaying(false);
  const mine = generation;
  await idle();
  if (mine !== generation) return;
  try {
    await Promise.all(runs.map((run) => api.reset(run.id)));
    runs.forEach((run) => { run.history = emptyHistory(); });
    await advance(0, mine);
  } catch (error) {
    if (mine === generation) lost.failed(error);
  }
}

function changeL2() {
  const l2 = Number(read(FIELDS, "l2").l2);
  const mine = generation;
  Promise.all(runs.map((run) => api.patch(run.id, { l2 })))
    .catch((error) => mine === generation && lost.failed(error));
}

function main() {
  setupLanguage((next) => {
    lang = next;
    if (runs.length && runs.every((run) => run.frame)) draw(); // not before the first frame
  });
  $("play").addEventListener("click", () => setPlaying(!playing));
  $("step").addEventListener("click", async () => {
    setPlaying(false);
    await idle();
    advance(STEPS_PER_FRAME);
  });
  $("reset").addEventListener("click", reset);
  keepInURL(FIELDS, (key) => (key === "l2" ? changeL2() : build()));
  api.deleteOnLeave("sessions", () => runs.map((run) => run.id), () => {
    runs = [];
    build();
  });
  build();
}

main();
