// The playground's glue: form <-> state <-> URL, a session per setup, live frames in, plots out.
import * as api from "./api.js";
import { divergenceText } from "./divergence.js";
import { describeError } from "./errors.js";
import { t, translatePage } from "./i18n.js";
import { clickPosition, drawDecision, drawEmpty } from "./plots/decision.js";
import { drawCurves } from "./plots/curves.js";
import { drawNetwork, drawUnitMap } from "./plots/network.js";
import { captureCurve, drawFit, drawValues, unitColor } from "./plots/fit.js";
import { drawSpace } from "./plots/space.js";
import { drawTargetThumbnail, drawThumbnail } from "./plots/thumbs.js";
import { keepOutputFitted, showPanels } from "./layout.js";
import { recovery } from "./recovery.js";
import { setupShare } from "./share.js";
import {
  CONFIG_LABELS, CONTROLS, LIVE_KEYS, REGRESSION_NOISE, VIEW_KEYS, fromURL, toConfig, toURL,
  trainingSettings,
} from "./state.js";
import { formatCSV, parseCSV } from "./csv.js";
import { plotEditing } from "./point-editing.js";
import { percent } from "./format.js";

const $ = (id) => document.getElementById(id);
const RESOLUTION = 100;
const UNIT_RESOLUTION = 24;
const FPS = 30;
const CURVE_INTERVAL_MS = 100; // curves redraw at most ten times a second while playing
const MAX_CURVE_POINTS = 1000; // past it the history is thinned: memory and drawing stay bounded
const FIRST_DRAWING = [[-3, 0], [-1.5, 1], [0, -1], [1.5, 1], [3, 0]]; // until the user draws
const RELU_LIKE = new Set(["relu", "leaky_relu"]);
const SPACE_INTERVAL_MS = 250; // the hidden space is fetched at most four times a second
const DIAGRAM_CAP = 16; // units drawn per layer of a network that could not be made

let state = fromURL();
let options = null;
// {id, classes, regression, inputs, bounds, points, history, frame, setup: the state it was
// made from, paused: on the server, diverged: {step, settings}, settling: a PATCH on its way}
let run = null;
let replaced = null; // the run a new one replaces, kept (with its picture) until that exists
let creating = false; // a run is being created
let wantPlay = false; // the person pressed Play and has not paused since
let message = null; // {render, title, action}: the message box, redrawn in another language
let closeStream = null;
let pending = null; // the newest frame not drawn yet
let generation = 0; // bumps with every new session, so stale answers are dropped
const space = { at: 0, busy: false, again: false, timer: null }; // hidden-space fetching
const editing = plotEditing($("boundary"));

const emptyHistory = () => ({
  steps: { step: [], data_loss: [], reg_loss: [], loss: [], accuracy: [] },
  evaluations: { step: [], train_loss: [], train_accuracy: [], test_loss: [], test_accuracy: [] },
});

// -- form ------------------------------------------------------------------------------------

function fillSelect(select, values, label = String) {
  select.replaceChildren(...values.map((v) => new Option(label(v), String(v))));
}

// Keep the state inside what the chosen dataset allows (a link may name classes it lacks).
function clampToDataset() {
  const spec = options.datasets.find((d) => d.name === state.ds) ?? options.datasets[0];
  state.ds = spec.name;
  state.classes = Math.min(Math.max(state.classes, spec.classes.min), spec.classes.max);
}

function fillChoices() {
  clampToDataset();
  const name = (prefix) => (v) => t(state.lang, `${prefix}.${v}`);
  fillSelect($("act"), options.activations, name("activation"));
  fillSelect($("init"), options.inits, name("init"));
  fillSelect($("opt"), options.optimizers, name("optimizer"));
  const binary = classCount() === 2;
  const losses = options.losses.filter((l) => l.problem === state.prob && (binary || !l.binary))
    .map((l) => l.name);
  fillSelect($("loss"), losses, name("loss"));
  for (const key of ["lr", "l2", "l1", "keep", "inoise", "speed", "pieces"]) {
    fillSelect($(key), CONTROLS[key].choices);
  }
  fillSelect($("batch"), CONTROLS.batch.choices, (v) => (v ? String(v) : t(state.lang, "train.full_batch")));
  const spec = options.datasets.find((d) => d.name === state.ds);
  const range = [];
  for (let k = spec.classes.min; k <= spec.classes.max; k++) range.push(k);
  fillSelect($("classes"), range);
}

function classCount() {
  if (state.own) return Math.max(2, ...state.own.map((p) => p[2] + 1));
  return state.classes;
}

function showState() {
  for (const input of document.querySelectorAll("[data-key]")) {
    const value = state[input.dataset.key];
    if (input.type === "checkbox") input.checked = value;
    else if (input.type === "radio") input.checked = input.value === String(value);
    else input.value = String(value);
  }
  const regression = state.prob === "regression";
  if (regression) $("loss").value = "squared_error";
  $("loss").disabled = regression;
  for (const el of document.querySelectorAll("[data-only]")) el.hidden = el.dataset.only !== state.prob;
  const curve = regression && options.targets.find((x) => x.name === state.tgt)?.inputs === 1;
  $("contrib").closest("label").hidden = !curve; // contributions belong to a 1-D fit
  $("draw-hint").hidden ||= !curve; // so does drawing a target
  editing.update(regression ? (curve ? "curve" : null) : "points", state.lang);
  // a 1-D fit has no plane to map a unit over: hovering a last-layer unit shows its share
  $("unit-hint").dataset.i18n = curve ? "net.unit_hover_fit" : "net.unit_hover";
  $("unit-hint").textContent = t(state.lang, $("unit-hint").dataset.i18n);
  $("noise-value").textContent = state.noise.toFixed(2);
  $("points-value").textContent = state.points;
  $("train-value").textContent = `${state.train}%`;
  $("layer-count").textContent = state.hidden.length;
  showLayerUnits();
  $("pieces-row").hidden = state.act !== "maxout";
  $("act-note").textContent = t(state.lang, `note.${state.act}`);
  $("loss-note").textContent = t(state.lang, `note.loss.${$("loss").value || state.loss}`);
  for (const thumb of document.querySelectorAll("#datasets .thumb")) {
    thumb.setAttribute("aria-checked", String(!state.own && thumb.dataset.name === state.ds));
  }
  for (const thumb of document.querySelectorAll("#targets .thumb")) {
    thumb.setAttribute("aria-checked", String(thumb.dataset.name === state.tgt));
  }
  $("fit-note").textContent = regression ? t(state.lang, "note.regression") : "";
  showSpaceControls(curve);
  showPanels(state.hide, state.lang);
  window.history.replaceState(null, "", toURL(state));
}

function readControl(input) {
  const control = CONTROLS[input.dataset.key];
  if (input.type === "checkbox") return input.checked;
  return control.parse(input.value);
}

// -- sessions --------------------------------------------------------------------------------

async function newSession() {
  stop();
  const mine = ++generation;
  if (run) {
    dropReplaced();
    replaced = run;
  }
  run = null;
  if (state.prob === "classification" && state.own && state.own.length === 0) {
    dropReplaced();
    return drawEmpty($("boundary"));
  }
  creating = true;
  try {
    const config = toConfig(state, classCount() === 2);
    const summary = await api.createSession(config);
    const data = await api.sessionData(summary.id);
    if (mine !== generation) return void api.remove(summary.id).catch(() => {}); // replaced
    dropReplaced();
    run = { id: summary.id, classes: summary.classes, regression: summary.classes === null,
      inputs: summary.parameters.layers[0].inputs, bounds: summary.bounds, points: data,
      history: emptyHistory(), setup: structuredClone(state) };
    showParameters(summary.parameters);
    showMessage(null);
    await stepOnce(0);
  } catch (error) {
    if (mine !== generation) return;
    if (error.status === 422 && replaced) keepReplaced(error);
    else refused(error);
  } finally {
    if (mine === generation) creating = false;
  }
  if (mine === generation && wantPlay) startStream(); // Play was pressed while it was created
}

function dropReplaced() {
  if (replaced) api.remove(replaced.id).catch(() => {}); // once its requests are answered
  replaced = null;
}

// The server refused the new setup (a network over the parameter cap, say): the run it was to
// replace stays, with its picture and its setup, and the message says what to change.
function keepReplaced(error) {
  stop();
  run = replaced;
  replaced = null;
  const kept = [...VIEW_KEYS, ...LIVE_KEYS]; // not part of the setup, or already the run's
  state = { ...run.setup, ...Object.fromEntries(kept.map((key) => [key, state[key]])) };
  fillChoices();
  showState();
  api.patch(run.id, liveChanges()).catch(() => {}); // in case one changed meanwhile
  const say = (lang) => `${describeError(lang, error, CONFIG_LABELS)} ${t(lang, "error.kept")}`;
  showMessage(() => say(state.lang));
}

// No run could be made, and none is kept: say why, and show the setup without its picture.
function refused(error) {
  stop();
  dropReplaced();
  showMessage(() => describeError(state.lang, error, CONFIG_LABELS));
  const over = error.detail?.find?.((e) => e.type === "too_many_parameters");
  if (!over) return;
  drawEmpty($("boundary"));
  drawCurves($("curves"), emptyHistory(), curveLabels(), state.log);
  const regression = state.prob === "regression";
  const inputs = regression ? options.targets.find((x) => x.name === state.tgt).inputs : 2;
  const outputs = regression || (classCount() === 2 && state.loss.startsWith("binary")) ? 1
    : classCount();
  const sizes = [inputs, ...state.hidden, outputs].map((n) => Math.min(n, DIAGRAM_CAP));
  drawNetwork($("diagram"), sizes, null, () => {});
  $("param-count").textContent = over.ctx.parameters.toLocaleString();
  $("param-arithmetic").textContent = "";
}

function frameOptions() {
  return { resolution: RESOLUTION, weights: true, units: true, unit_resolution: UNIT_RESOLUTION };
}

async function stepOnce(steps = state.speed) {
  if (!run) return;
  const mine = generation;
  try {
    const frame = await api.step(run.id, { steps, ...frameOptions() });
    if (mine === generation) accept(frame);
  } catch (error) {
    if (mine === generation) await lost.failed(error);
  }
}

const lost = recovery(async () => {
  run = null; // gone already: nothing to delete
  await newSession();
  return Boolean(run);
}, showMessage, () => state.lang);

function play() {
  if (wantPlay || (!run && !creating)) return;
  wantPlay = true;
  setPlaying(true);
  if (run) startStream(); // else newSession starts it once the run exists
}

async function startStream() {
  const mine = generation;
  if (!(await undiverged()) || !(await unpaused()) || mine !== generation) return;
  if (!wantPlay || closeStream) return; // paused meanwhile, or already streaming
  const params = { steps_per_frame: state.speed, fps: FPS, max_seconds: 300,
    ...frameOptions() };
  closeStream = api.stream(run.id, params, (frame) => mine === generation && accept(frame),
    async (end) => {
      closeStream = null;
      if (mine !== generation) return;
      if (end.reason === "time limit" && wantPlay) return startStream();
      stop();
      if (end.reason === "diverged") return; // it has its own message
      // Anything else (the session expired, the store went away, the connection dropped) is
      // said, so a stopped run is never a mystery; a step of 0 first finds out whether the
      // server still has the run (EventSource does not tell a 404) and starts it again if not.
      await stepOnce(0);
      if (mine === generation) showMessage(() => t(state.lang, "error.stream", { reason: why(end) }));
    });
}

// Why a stream ended, in the page's language (the server's own words only for a reason it has
// no name for).
function why(end) {
  const key = `error.stream_${end.kind}`;
  return t(state.lang, key) === key ? end.reason : t(state.lang, key);
}

// Before training on: a diverged run starts again with the settings now (its weights blew up,
// nothing can train them). -> whether there is a run to go on with.
async function undiverged() {
  if (run?.diverged) return restart(null, "diverged.restarted");
  return Boolean(run);
}

// Before streaming: a run paused on the server (see pause) is let go. -> whether it was.
async function unpaused() {
  const current = run;
  const mine = generation;
  await current.pausing; // a pause on its way lands first
  if (!current.paused) return true;
  try {
    await api.patch(current.id, { paused: false });
  } catch (error) {
    if (mine === generation) await lost.failed(error);
    return false;
  }
  current.paused = false;
  return true;
}

function stop() {
  if (closeStream) closeStream();
  closeStream = null;
  wantPlay = false;
  setPlaying(false);
}

// The person pauses: the server may have run frames the page never drew (on their way when
// the stream closed, or computed just then), so the run is paused on the server (which waits
// for a frame in progress) and the page draws the step it really reached.
async function pause() {
  const streaming = Boolean(closeStream);
  stop();
  if (!streaming || !run) return;
  const current = run;
  const mine = generation;
  const request = api.patch(current.id, { paused: true });
  current.paused = true;
  current.pausing = request.catch(() => {}); // a Play right after waits for it
  try {
    await request;
  } catch (error) {
    if (mine === generation) await lost.failed(error);
    return;
  }
  if (mine === generation && !wantPlay) await stepOnce(0);
}

// One frame of steps, after a pause if playing.
async function stepButton() {
  await pause();
  if (await undiverged()) await stepOnce();
}

function setPlaying(playing) {
  $("play").classList.toggle("playing", playing);
  $("play").querySelector(".icon").textContent = playing ? "❚❚" : "▶";
}

// A frame arrives: keep its history, draw on the next animation frame (newest wins).
function accept(frame) {
  lost.alive();
  const h = run.history;
  for (const part of ["steps", "evaluations"]) {
    for (const [key, values] of Object.entries(frame.history[part])) h[part][key].push(...values);
    if (h[part].step.length > MAX_CURVE_POINTS) thin(h[part]);
  }
  run.frame = frame;
  window.acceptedStep = frame.metrics.step; // with drawnStep: whether the newest frame is drawn
  if (frame.diverged && !run.diverged) {
    stop();
    run.diverged = { step: frame.divergence.step, settings: trainingSettings(state) };
    showDivergence();
  }
  if (!pending) requestAnimationFrame(draw);
  pending = frame;
}

// Keep every other entry (the newest always): the curve keeps its whole span at half the detail.
function thin(columns) {
  const n = columns.step.length;
  for (const key of Object.keys(columns)) {
    columns[key] = columns[key].filter((_, i) => (n - 1 - i) % 2 === 0);
  }
}

// -- drawing ---------------------------------------------------------------------------------

function draw() {
  const frame = pending;
  pending = null;
  if (!run || !frame) return;
  const view = { showTest: state.test, discretize: state.disc };
  const t0 = performance.now();
  if (frame.curve) drawFit($("boundary"), frame.curve, run.points, frame.weights, fitView());
  else if (frame.values) drawValues($("boundary"), frame.values, run.points, fitView());
  else if (frame.grid) drawDecision($("boundary"), frame.grid, run.points, view);
  const t1 = performance.now();
  if (!closeStream || t1 - (run.curvesAt || 0) >= CURVE_INTERVAL_MS) {
    drawCurves($("curves"), run.history, curveLabels(), state.log);
    run.curvesAt = t1;
  }
  const t2 = performance.now();
  showMetrics(frame.metrics);
  const outputs = frame.weights ? frame.weights.at(-1).b.length : classCount();
  drawNetwork($("diagram"), [run.inputs, ...state.hidden, outputs], frame.weights, showUnit);
  markUnit();
  scheduleSpace();
  const t3 = performance.now();
  window.drawTimes = [t1 - t0, t2 - t1, t3 - t2];
  window.renderedFrames = (window.renderedFrames || 0) + 1; // read by the frame-rate script
  window.drawnStep = frame.metrics.step; // read by the browser tests
}

function fitView() {
  const label = (key) => t(state.lang, `fit.${key}`);
  return { showTest: state.test, contributions: state.contrib, bounds: run.bounds,
    kinks: RELU_LIKE.has(state.act) && state.hidden.length === 1, highlight: run.highlight,
    labels: { fit: label("network"), target: label("target"), value: label("value") } };
}

function redraw() {
  if (run?.frame && !pending) {
    pending = run.frame;
    requestAnimationFrame(draw);
  }
}

function curveLabels() {
  const l = (key) => t(state.lang, `curve.${key}`);
  return { trainLoss: l("train_loss"), totalLoss: l("total_loss"), testLoss: l("test_loss"),
    trainAccuracy: l("train_accuracy"), testAccuracy: l("test_accuracy"), step: l("step"),
    loss: l("loss"), accuracy: l("accuracy") };
}

function fixed(v, digits = 3) {
  if (v === null || v === undefined) return "–";
  return Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(digits);
}

function showMetrics(m) {
  $("step-count").textContent = m.step;
  $("epoch-count").textContent = m.epoch;
  $("r-train-loss").textContent = fixed(m.train.data_loss);
  $("r-test-loss").textContent = m.test ? fixed(m.test.data_loss) : "–";
  $("r-train-acc").textContent = percent(m.train.accuracy);
  $("r-test-acc").textContent = m.test ? percent(m.test.accuracy) : "–";
  $("r-max-error").textContent = fixed(m.max_error);
  $("r-test-max-error").textContent = m.test ? fixed(m.test.max_error) : "–";
  $("r-reg-loss").textContent = fixed(m.reg_loss, 4);
  const shares = m.dead.map((d, i) => d ?? m.saturated[i]).filter((v) => v !== null);
  $("r-inactive").textContent = shares.length ? shares.map(percent).join(" · ") : "–";
}

// The way out of a divergence, in words that follow the settings as they change.
function showDivergence() {
  const render = () => divergenceText(state.lang, run.diverged, trainingSettings(state));
  showMessage(render, "diverged.title", "diverged.reset");
}

// The notes' arithmetic, in the page's language: "[2×8] + [8×3] = 40 weights, ...".
function showParameters(p) {
  const piece = (layer, text) => (layer.pieces > 1 ? `${layer.pieces}·${text}` : text);
  const w = p.layers.map((l) => piece(l, `[${l.inputs}×${l.units}]`)).join(" + ");
  const b = p.layers.map((l) => piece(l, String(l.units))).join(" + ");
  $("param-count").textContent = p.total.toLocaleString();
  $("param-arithmetic").textContent = t(state.lang, "net.arithmetic",
    { w, b, weights: p.weights, biases: p.biases, total: p.total });
  run.parameters = p;
}

// text: what to say (a string, or a function that says it in the page's language now), or
// null to hide the box; title: the key of a bold heading before it; action: the key of the
// label of the box's button (reset the run).
function showMessage(text, title = null, action = null) {
  const render = typeof text === "function" ? text : () => text;
  message = text ? { render, title, action } : null;
  drawMessage();
}

function drawMessage() {
  $("message").hidden = !message;
  $("message-title").hidden = !message?.title;
  $("message-action").hidden = !message?.action;
  if (!message) return;
  if (message.title) $("message-title").textContent = t(state.lang, message.title);
  if (message.action) $("message-action").textContent = t(state.lang, message.action);
  $("message-text").textContent = message.render();
}

function showUnit(layer, unit, anchor) {
  const tip = $("unit-tip");
  if (run?.frame?.curve) return highlightUnit(layer === state.hidden.length - 1 ? unit : null);
  const maps = run?.frame?.units;
  if (layer === null || !maps) return (tip.hidden = true);
  drawUnitMap(tip.querySelector("canvas"), maps.layers[layer], unit, maps.resolution);
  const box = anchor.getBoundingClientRect();
  tip.style.left = `${box.right + window.scrollX + 8}px`;
  tip.style.top = `${box.top + window.scrollY - 30}px`;
  tip.hidden = false;
}

// A 1-D fit: the hovered last-layer unit's contribution is drawn bold in the plot.
function highlightUnit(unit) {
  if (!run || run.highlight === unit) return;
  run.highlight = unit;
  if (run.frame?.curve) drawFit($("boundary"), run.frame.curve, run.points, run.frame.weights, fitView());
  markUnit();
}

// The highlighted unit's dot takes the colour of its line in the plot.
function markUnit() {
  const layer = state.hidden.length - 1;
  for (const dot of document.querySelectorAll("#diagram circle.hidden")) {
    const chosen = Number(dot.dataset.layer) === layer && Number(dot.dataset.unit) === run.highlight;
    dot.setAttribute("fill", chosen ? unitColor(run.highlight) : "white");
  }
}

// -- the hidden space ------------------------------------------------------------------------

function spaceLayer() { // 1-based; state.slayer 0 (or a layer that is gone) means the last
  const n = state.hidden.length;
  return state.slayer >= 1 && state.slayer <= n ? state.slayer : n;
}

function spaceAxes() { // 0: the layer's own (or principal directions); k: units k and k + 1
  const width = state.hidden[spaceLayer() - 1] ?? 0;
  return state.saxes >= 1 && state.saxes < width ? state.saxes : 0;
}

function showSpaceControls(curve) {
  const n = state.hidden.length;
  $("space-box").hidden = curve; // a 1-D fit has no plane to bend
  const label = (i) => t(state.lang, "space.layer_option", { layer: i, units: state.hidden[i - 1] });
  fillSelect($("space-layer"), Array.from({ length: n }, (_, i) => i + 1), label);
  $("space-layer").value = String(spaceLayer());
  $("space-layer-row").hidden = !state.space || n < 2;
  const width = state.hidden[spaceLayer() - 1] ?? 0;
  const pairs = Array.from({ length: Math.max(0, width - 1) }, (_, k) => k + 1);
  const axes = (k) => (k ? t(state.lang, "space.pair", { a: k, b: k + 1 })
    : t(state.lang, width > 2 ? "space.principal" : "space.own"));
  fillSelect($("space-axes"), [0, ...pairs], axes);
  $("space-axes").value = String(spaceAxes());
  $("space-axes-row").hidden = !state.space || width < 3; // two units are their own axes
  $("space").hidden = !state.space || n === 0;
  $("space-note").hidden = !state.space;
  if (state.space && n === 0) $("space-note").textContent = t(state.lang, "space.no_hidden");
}

// Fetch after frames are drawn, at most every SPACE_INTERVAL_MS and one request at a time; the
// last frame is always followed by a fetch, so a paused run shows its final space.
function scheduleSpace() {
  if (!state.space || !run || run.inputs !== 2 || !state.hidden.length || space.timer) return;
  const wait = Math.max(0, space.at + SPACE_INTERVAL_MS - performance.now());
  space.timer = setTimeout(fetchSpace, wait);
}

async function fetchSpace() {
  space.timer = null;
  if (space.busy) return void (space.again = true);
  if (!state.space || !run) return;
  Object.assign(space, { busy: true, at: performance.now() });
  const mine = generation;
  try {
    const pair = spaceAxes();
    const step = run.frame?.metrics.step; // the weights the answer will show
    const params = { layer: spaceLayer() - 1, ...(pair ? { x_unit: pair - 1, y_unit: pair } : {}) };
    const answer = await api.hiddenSpace(run.id, params);
    if (mine === generation && state.space) showSpace(answer, step);
  } catch (error) {
    if (mine === generation) $("space-note").textContent = error.message;
  } finally {
    space.busy = false;
    if (space.again) {
      space.again = false;
      scheduleSpace();
    }
  }
}

function showSpace(answer, step) {
  const say = (key, values) => t(state.lang, key, values);
  const share = (k) => `${Math.round(100 * answer.explained[k])}%`;
  const unit = (k) => (k < answer.units.length ? say("space.unit", { unit: answer.units[k] + 1 }) : "");
  const labels = answer.projection === "pca"
    ? { x: say("space.pc", { k: 1, share: share(0) }), y: say("space.pc", { k: 2, share: share(1) }) }
    : { x: unit(0), y: unit(1) };
  const values = run.frame?.values;
  // the output layer reads the last hidden layer: with two units, its classes can be painted
  const layers = run.frame?.weights;
  const direct = !run.regression && answer.width === 2 && answer.layer === layers?.length - 2
    && answer.units[0] === 0 && answer.units[1] === 1 && (layers.at(-1).pieces || 1) === 1;
  drawSpace($("space"), answer, { showTest: state.test, regression: run.regression, labels,
    valueRange: values ? [values.low, values.high] : [-1, 1], classes: run.classes,
    output: direct ? layers.at(-1) : null });
  $("space").dataset.regions = direct;
  const notes = [run.regression ? "space.note_regression" : "space.note"];
  if (direct) notes.push("space.note_regions");
  if (answer.projection === "pca") notes.push("space.note_pca");
  $("space-note").textContent = notes.map((key) => say(key)).join(" ");
  Object.assign($("space").dataset, { layer: answer.layer, projection: answer.projection, step });
  window.spaceDraws = (window.spaceDraws || 0) + 1; // read by the browser tests
}

// -- events ----------------------------------------------------------------------------------

const RESTART = new Set(["prob", "ds", "tgt", "classes", "noise", "points", "train", "dseed",
  "act", "loss", "init", "pieces", "seed"]);

async function onControl(event) {
  const input = event.target.closest("[data-key]");
  if (!input) return;
  const key = input.dataset.key;
  state[key] = readControl(input);
  showState();
  if (LIVE_KEYS.includes(key) && run) {
    const current = run;
    const request = api.patch(run.id, liveChanges());
    current.settling = request.catch(() => {}); // a reset waits for it
    try {
      await request;
      if (current.diverged) showDivergence(); // what to do now, with these settings
      else showMessage(null);
    } catch (error) {
      await lost.failed(error);
    }
  } else if (key === "speed" && run) {
    await api.patch(run.id, { steps_per_frame: state.speed }).catch(() => {});
  } else if (RESTART.has(key)) {
    if (key === "ds") state.own = null;
    if (key === "prob") switchProblem();
    fillChoices();
    showState();
    newSession();
  } else {
    redraw();
  }
}

// One "− n +" control per hidden layer.
function showLayerUnits() {
  const controls = state.hidden.map((units, i) => {
    const box = document.createElement("div");
    const button = (text, delta) => {
      const b = Object.assign(document.createElement("button"), { type: "button", textContent: text });
      b.dataset.layer = i;
      b.dataset.delta = delta;
      return b;
    };
    const count = Object.assign(document.createElement("b"), { textContent: units });
    box.append(button("−", -1), count, button("+", 1));
    return box;
  });
  $("layer-units").replaceChildren(...controls);
}

function changeUnits(event) {
  const button = event.target.closest("button[data-layer]");
  if (!button) return;
  const i = Number(button.dataset.layer);
  const units = state.hidden[i] + Number(button.dataset.delta);
  if (units < 1 || units > options.limits.max_units) return;
  state.hidden = state.hidden.map((u, j) => (j === i ? units : u));
  showState();
  newSession();
}

function changeLayers(delta) {
  const hidden = [...state.hidden];
  if (delta > 0 && hidden.length < options.limits.max_hidden_layers) hidden.push(hidden.at(-1) || 4);
  if (delta < 0 && hidden.length > 0) hidden.pop();
  state.hidden = hidden;
  showState();
  newSession();
}

// Each problem starts from its own defaults: the noise a dataset or a target usually has.
function switchProblem() {
  state.own = null;
  state.noise = state.prob === "regression" ? REGRESSION_NOISE
    : options.datasets.find((d) => d.name === state.ds).default_noise;
}

// A press on the plot adds or removes a point (after "Clear" there is no run, only the axes).
function editPoints(event) {
  const points = state.own ?? (run && [...run.points.train, ...run.points.test]);
  if (state.prob !== "classification" || !points || !editing.allows(event)) return;
  const at = clickPosition($("boundary"), event);
  if (!at) return;
  event.preventDefault();
  const edited = editing.edited(points, at, event);
  if (!edited) return;
  state.own = edited;
  fillChoices();
  showState();
  newSession();
}

function wire() {
  document.body.addEventListener("change", onControl);
  $("play").addEventListener("click", () => (wantPlay ? pause() : play()));
  $("step").addEventListener("click", stepButton);
  $("reset").addEventListener("click", () => resetRun(null));
  $("message-action").addEventListener("click", () => resetRun(null));
  $("reweight").addEventListener("click", () => {
    state.seed = Math.floor(Math.random() * 2 ** 31);
    showState();
    resetRun(state.seed);
  });
  $("regenerate").addEventListener("click", () => {
    state.dseed += 1;
    state.own = null;
    showState();
    newSession();
  });
  $("layer-add").addEventListener("click", () => changeLayers(1));
  $("layer-remove").addEventListener("click", () => changeLayers(-1));
  $("layer-units").addEventListener("click", changeUnits);
  // the diagram is redrawn every frame, so a unit may go without its own mouseleave
  $("diagram").addEventListener("mouseleave", () => showUnit(null));
  $("boundary").addEventListener("pointerdown", editPoints);
  const drawing = { x: [-Math.PI, Math.PI], y: [-3, 3], maxPoints: 80,
    enabled: (event) => Boolean(run?.regression && run.inputs === 1) && editing.allows(event) };
  captureCurve($("boundary"), drawing, (curve) => chooseTarget("drawn", curve));
  $("boundary").addEventListener("contextmenu", (e) => e.preventDefault());
  $("clear-points").addEventListener("click", () => { state.own = []; showState(); newSession(); });
  $("download").addEventListener("click", download);
  $("upload").addEventListener("change", upload);
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang));
  }
  document.addEventListener("keydown", onKey);
}

function onKey(event) {
  if (event.target.closest("input, select, textarea")) return;
  if (event.key === " ") { event.preventDefault(); wantPlay ? pause() : play(); }
  if (event.key === "s") stepButton();
  if (event.key === "r") resetRun(null);
}

async function resetRun(seed) {
  if (!run) return;
  stop();
  await restart(seed);
}

// Back to the initial weights (or new ones, from seed) with the settings now; note: the key of
// what to say then. -> whether the run is there to go on.
async function restart(seed, note = null) {
  const mine = generation;
  try {
    await run.settling; // a setting on its way applies to the new start
    await api.reset(run.id, seed);
  } catch (error) {
    if (mine === generation) await lost.failed(error);
    return false;
  }
  if (mine !== generation) return false;
  Object.assign(run, { history: emptyHistory(), diverged: null });
  if (seed !== null) run.setup.seed = seed; // new weights: the setup to go back to has them
  showMessage(note && (() => t(state.lang, note)));
  await stepOnce(0);
  return mine === generation && Boolean(run);
}

// The live settings as PATCH takes them.
function liveChanges() {
  const changes = trainingSettings(state);
  if (changes.batch_size === null) {
    delete changes.batch_size;
    changes.full_batch = true;
  }
  return changes;
}

function download() {
  const points = state.own ?? (run ? [...run.points.train, ...run.points.test] : []);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([formatCSV(points)], { type: "text/csv" }));
  link.download = "boundary-lab-points.csv";
  link.click();
  URL.revokeObjectURL(link.href);
}

async function upload(event) {
  const file = event.target.files[0];
  if (!file) return;
  try {
    state.own = parseCSV(await file.text());
    fillChoices();
    showState();
    newSession();
  } catch (error) {
    showMessage(t(state.lang, "own.bad_csv", { error: error.message }));
  }
  event.target.value = "";
}

function setLanguage(lang) {
  state.lang = lang;
  translatePage(document, lang);
  fillChoices();
  showState();
  if (run?.parameters) showParameters(run.parameters);
  drawMessage();
  redraw();
}

function chooseTarget(name, curve = null) {
  state.tgt = name;
  if (curve) state.curve = curve;
  if (name === "drawn" && !state.curve) state.curve = FIRST_DRAWING;
  showState();
  newSession();
  drawDrawnThumbnail();
}

function drawDrawnThumbnail() {
  const canvas = document.querySelector('#targets [data-name="drawn"] canvas');
  if (canvas) drawTargetThumbnail(canvas, { inputs: 1, curve: state.curve ?? FIRST_DRAWING, points: [] });
}

function thumbButton(name, labelKey) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "thumb";
  button.dataset.name = name;
  button.setAttribute("role", "radio");
  const canvas = Object.assign(document.createElement("canvas"), { width: 64, height: 64 });
  const label = document.createElement("span");
  label.dataset.i18n = labelKey;
  button.append(canvas, label);
  return { button, canvas };
}

function drawTargetThumbnails() {
  const holder = $("targets");
  for (const spec of options.targets) {
    const { button, canvas } = thumbButton(spec.name, `target.${spec.name}`);
    button.addEventListener("click", () => chooseTarget(spec.name));
    holder.append(button);
    if (spec.name === "drawn") drawDrawnThumbnail();
    else api.targetPoints(spec.name, { n_points: 60 }).then((d) => drawTargetThumbnail(canvas, d));
  }
}

async function drawThumbnails() {
  const holder = $("datasets");
  for (const spec of options.datasets) {
    const { button, canvas } = thumbButton(spec.name, `dataset.${spec.name}`);
    button.addEventListener("click", () => {
      state.ds = spec.name;
      state.own = null;
      state.noise = spec.default_noise;
      fillChoices();
      showState();
      newSession();
    });
    holder.append(button);
    api.datasetPoints(spec.name, { n_points: 200 }).then((d) => drawThumbnail(canvas, d.points));
  }
}

async function main() {
  options = await api.options();
  fillSelect($("paint-class"), [0, 1, 2, 3, 4, 5]); // once: a point added keeps the class chosen
  await drawThumbnails();
  drawTargetThumbnails();
  translatePage(document, state.lang);
  fillChoices();
  showState();
  wire();
  keepOutputFitted(redraw);
  setupShare(() => state, options.limits.max_qr_bytes);
  api.deleteOnLeave("sessions", () => [run, replaced].filter(Boolean).map((r) => r.id), () => {
    run = replaced = null;
    newSession();
  });
  await newSession();
}

main();
