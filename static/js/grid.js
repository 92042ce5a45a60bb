// Side by side: a grid of runs that differ in one or two settings, trained together by one
// stream. The presets are the notes' figures, served by the API with the step each figure
// needs: Play trains to that step and stops there, and the page says what the panels show.
import * as api from "./api.js";
import { countRegions } from "./cells.js";
import { describeError } from "./errors.js";
import { setupLanguage, t } from "./i18n.js";
import { drawDecision } from "./plots/decision.js";
import { recovery } from "./recovery.js";
import { formFromURL, read, urlFromForm } from "./form-state.js";
import { errorFields, labelsOf, setupFields } from "./grid-setup.js";

const HISTORY = 400; // frames of dead-unit shares kept for the chart
const SPEEDS = [1, 5, 10, 20, 30, 50, 100];

const $ = (id) => document.getElementById(id);
let lang = "en";
let options = null; // GET /api/options
let presets = []; // GET /api/presets
let preset = null; // the one the setup started from
let fields = null; // its form-state table (grid-setup.js)
let group = null; // {id, resolution, panels: [{row, col, settings, points, el, ...}], last}
let source = null;
let playWhenBuilt = false; // Play pressed while the group was still being built
let generation = 0; // bumps on every build, so answers for a replaced group are dropped
let queue = Promise.resolve(); // the group requests of advance(), one at a time

function fill(select, values, label = String) {
  const keep = select.value;
  select.replaceChildren(...values.map((v) => new Option(label(v), String(v))));
  if (values.map(String).includes(keep)) select.value = keep;
}

// A value as the page shows it: names of activations, losses and data sets in the page's
// language, numbers as they are.
function shown(axis, value) {
  return ["activation", "loss", "dataset"].includes(axis) ? labelsOf(axis, lang)(value)[0]
    : String(value);
}

// The preset's setup in the form; a link's own values over it when fromURL.
function applyPreset(name, fromURL = false) {
  preset = presets.find((p) => p.name === name) ?? presets[0];
  fields = setupFields(preset, presets, options, lang);
  for (const field of Object.values(fields)) $(field.id).value = field.show(field.default);
  $("preset").value = preset.name;
  if (fromURL) formFromURL(fields);
  showNote();
}

function showNote() {
  $("preset-note").textContent = preset.note[lang];
  $("figure-step").textContent = t(lang, "grid.figure_step", { steps: preset.steps });
}

// The group request from the form, over the preset's shared settings; throws an Error that
// errors.js words (which field, which entry, what it takes).
function request() {
  const setup = read(fields, "rows", "rv", "cols", "cv", "ds", "act", "hidden", "l2", "seed");
  const axis = (name, values) => (name ? { axis: name, values } : null);
  const base = structuredClone(preset.request.base);
  base.seed = setup.seed;
  base.dataset.name = setup.ds;
  base.model.activation = setup.act;
  base.model.hidden = setup.hidden;
  base.training.l2 = setup.l2;
  return { base, rows: axis(setup.rows, setup.rv), columns: axis(setup.cols, setup.cv) };
}

async function build() {
  stop();
  const mine = ++generation;
  if (group) api.removeGroup(group.id).catch(() => {}); // once its requests are answered
  group = null;
  try {
    const body = request();
    urlFromForm(fields);
    const created = await api.createGroup(body);
    if (mine !== generation) return void api.removeGroup(created.id).catch(() => {}); // replaced
    showMessage(null);
    layout(created);
    await advance((id) => api.stepGroup(id, 0, group.resolution));
    if (playWhenBuilt && mine === generation) play();
  } catch (error) {
    if (mine === generation) showMessage(describeError(lang, error, errorFields(fields, lang)));
  }
  if (mine === generation && !source) stop(); // a Play that could not start is undone
}

// One request for the current group, after the ones before it (so two quick steps draw in
// order); its frame is drawn unless the group was replaced meanwhile.
function advance(send) {
  queue = queue.then(async () => {
    if (!group) return;
    const mine = generation;
    try {
      const data = await send(group.id);
      if (mine === generation) frame(data);
    } catch (error) {
      if (mine === generation) lost.failed(error);
    }
  });
  return queue;
}

const lost = recovery(async () => {
  await build();
  return Boolean(group);
}, (text) => showMessage(text), () => lang);

function label(settings) {
  return Object.entries(settings)
    .map(([k, v]) => `${t(lang, `grid.axis.${k}`)} = ${shown(k, v)}`).join(", ") || "—";
}

function layout(created) {
  const columns = Math.max(...created.panels.map((p) => p.col)) + 1;
  $("panels").style.setProperty("--columns", columns);
  // a few panels are drawn finely; many at once, coarser (the boundary line stays smooth)
  const resolution = created.panels.length <= 4 ? 100 : 64;
  group = { id: created.id, resolution, last: null, panels: created.panels.map((p) => {
    const el = document.createElement("figure");
    el.className = "panel-card";
    const title = Object.assign(document.createElement("figcaption"), { textContent: label(p.settings) });
    const plot = Object.assign(document.createElement("div"), { className: "boundary" });
    const readout = Object.assign(document.createElement("p"), { className: "readout" });
    el.append(title, plot, readout);
    return { ...p, el, plot, readout, title };
  }) };
  $("panels").replaceChildren(...group.panels.map((p) => p.el));
  $("summary").hidden = true;
}

// Dead (ReLU) or saturated (σ, tanh) share per panel and hidden layer, over the frames.
function recordInactive(data) {
  group.inactive ??= [];
  data.panels.forEach((panel, i) => {
    const m = panel.metrics;
    m.dead.forEach((dead, layer) => {
      const share = dead ?? m.saturated[layer];
      const key = `${i}:${layer}`;
      let series = group.inactive.find((s) => s.key === key);
      if (!series) group.inactive.push(series = { key, panel: i, layer, x: [], y: [] });
      series.x.push(m.step);
      series.y.push(share === null ? null : 100 * share);
      if (series.x.length > HISTORY) { series.x.shift(); series.y.shift(); }
    });
  });
}

function drawInactive() {
  const traces = group.inactive.map((s) => ({
    type: "scatter", mode: "lines", x: s.x, y: s.y,
    name: `${label(group.panels[s.panel].settings)} · ${t(lang, "grid.layer")} ${s.layer + 1}`,
    line: { width: 1.5, dash: s.layer ? "dot" : "solid" },
  }));
  const narrow = $("inactive").clientWidth < 600; // a phone: the legend goes under the chart
  window.Plotly.react($("inactive"), traces, {
    margin: { l: 48, r: 8, t: 8, b: 36 },
    legend: narrow ? { font: { size: 10 }, orientation: "h", y: -0.25 } : { font: { size: 10 } },
    xaxis: { title: { text: t(lang, "curve.step") } },
    yaxis: { title: { text: t(lang, "grid.inactive_axis") }, range: [0, 100] },
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "white", datarevision: Date.now(),
  }, { displayModeBar: false, responsive: true });
}

const percent = (share) => (share === null || share === undefined ? "–" : `${Math.round(100 * share)} %`);
const fixed = (value) => (value === null || value === undefined ? "–" : value.toFixed(3));

// What a panel shows now, as numbers: its accuracies, and its regions or its dead shares.
function facts(panel) {
  const m = panel.metrics;
  const inactive = m.dead.map((d, l) => d ?? m.saturated[l]).filter((v) => v !== null);
  return { step: m.step, diverged: panel.diverged, regions: countRegions(panel.grid),
    trainAcc: m.train.accuracy, testAcc: m.test?.accuracy ?? null,
    trainLoss: m.train.data_loss, testLoss: m.test?.data_loss ?? null, inactive };
}

function readout(f) {
  if (f.diverged) return t(lang, "diverged.title");
  const parts = [
    `${t(lang, "grid.accuracy")} ${percent(f.trainAcc)} / ${percent(f.testAcc)}`,
    `${t(lang, "out.train_loss")} ${fixed(f.trainLoss)} · ${t(lang, "out.test_loss")} ${fixed(f.testLoss)}`,
  ];
  if (preset.reads === "regions") parts.unshift(t(lang, "grid.regions", { n: f.regions }));
  if (f.inactive.length) parts.push(`${t(lang, "out.inactive")} ${f.inactive.map(percent).join(" / ")}`);
  return parts.join(" · ");
}

function frame(data) {
  lost.alive();
  recordInactive(data);
  group.last = data.panels.map((panel, i) => {
    const p = group.panels[i];
    drawDecision(p.plot, panel.grid, p.points, { showTest: true, discretize: false });
    const f = facts(panel);
    p.readout.textContent = readout(f);
    Object.assign(p.el.dataset, { step: f.step, regions: f.regions });
    $("step-count").textContent = f.step;
    return { settings: p.settings, ...f };
  });
  drawInactive();
  window.renderedFrames = (window.renderedFrames || 0) + 1;
}

// At the figure's step: one line per panel, measured from the frame on screen.
function summarize() {
  if (!group?.last) return;
  const lines = group.last.map((f) => `${label(f.settings)}: ${readout(f)}`);
  $("summary-title").textContent = t(lang, "grid.summary", { steps: group.last[0].step });
  $("summary-list").replaceChildren(...lines.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  $("summary").hidden = false;
}

function play() {
  if (source) return;
  if (!group) { // still being built: it starts as soon as it exists
    playWhenBuilt = true;
    return setPlaying(true);
  }
  const step = Number($("step-count").textContent);
  const query = { steps_per_frame: $("speed").value, resolution: group.resolution, fps: 20,
    max_seconds: 300 };
  if (step < preset.steps) query.until_step = preset.steps; // stop where the figure is
  const mine = generation;
  const stream = api.groupStream(group.id, query);
  source = stream;
  let latest = null;
  stream.addEventListener("frame", (event) => {
    if (!latest) {
      requestAnimationFrame(() => {
        if (mine === generation && latest) frame(latest);
        latest = null;
      });
    }
    latest = JSON.parse(event.data);
  });
  stream.addEventListener("end", (event) => {
    if (latest && mine === generation) frame(latest); // the last frame is always drawn
    latest = null;
    ended(mine, JSON.parse(event.data));
  });
  stream.onerror = () => { // a refused stream (404) closes; a dropped one reconnects by itself
    if (stream.readyState === EventSource.CLOSED) ended(mine, { kind: "connection" });
  };
  setPlaying(true);
}

// The stream ended: at the figure's step the page says what the panels show; the time limit
// plays on; anything else is said, after a step of 0 finds out whether the server still has
// the group (EventSource does not tell a 404) and rebuilds if not.
async function ended(mine, end) {
  stop();
  if (mine !== generation) return;
  if (end.kind === "reached") return summarize();
  if (end.kind === "time_limit") return play();
  await advance((id) => api.stepGroup(id, 0, group.resolution));
  const key = `error.stream_${end.kind}`;
  const reason = t(lang, key) === key ? end.reason : t(lang, key);
  if (mine === generation) showMessage(t(lang, "error.stream", { reason }));
}

function stop() {
  if (source) source.close();
  source = null;
  playWhenBuilt = false;
  setPlaying(false);
}

// Pause: the stream stops, and a step of 0 shows where the server stopped (a frame it sent as
// the stream closed may never have arrived).
function pause() {
  stop();
  if (group) advance((id) => api.stepGroup(id, 0, group.resolution));
}

function setPlaying(playing) {
  $("play").querySelector(".icon").textContent = playing ? "❚❚" : "▶";
  $("play").classList.toggle("playing", playing);
}

function showMessage(text) {
  $("message").hidden = !text;
  $("message-text").textContent = text || "";
}

function stepOnce() {
  stop();
  return advance((id) => api.stepGroup(id, $("speed").value, group.resolution));
}

function labelMenus() {
  fill($("preset"), presets.map((p) => p.name), (name) => presets.find((p) => p.name === name).title[lang]);
  for (const id of ["row-axis", "col-axis"]) {
    fill($(id), ["", ...options.group_axes.map((a) => a.name)], (a) => (a ? t(lang, `grid.axis.${a}`) : "—"));
  }
  fill($("dataset"), options.datasets.map((d) => d.name), (name) => t(lang, `dataset.${name}`));
  fill($("activation"), options.activations, (name) => t(lang, `activation.${name}`));
}

async function main() {
  [options, presets] = await Promise.all([api.options(), api.presets()]);
  fill($("speed"), SPEEDS);
  labelMenus();
  const linked = new URLSearchParams(window.location.search).get("preset");
  applyPreset(linked, true); // a link's own setup, over the preset it started from
  setupLanguage((next) => {
    lang = next;
    labelMenus();
    showNote();
    fields = setupFields(preset, presets, options, lang); // names read and shown in this language
    for (const field of [fields.rv, fields.cv]) {
      const { value } = field.check($(field.id).value);
      if (value?.length) $(field.id).value = field.show(value);
    }
    const link = new URL($("space-link").getAttribute("href"), window.location.origin);
    if (lang === "ko") link.searchParams.set("lang", "ko"); // the playground opens in this language
    else link.searchParams.delete("lang");
    $("space-link").setAttribute("href", `${link.pathname}${link.search}`);
    group?.panels.forEach((p) => { p.title.textContent = label(p.settings); });
    if (!$("summary").hidden) summarize();
  });
  $("preset").addEventListener("change", () => { applyPreset($("preset").value); build(); });
  $("speed").addEventListener("change", () => urlFromForm(fields));
  $("build").addEventListener("click", build);
  $("play").addEventListener("click", () => (source || playWhenBuilt ? pause() : play()));
  $("step").addEventListener("click", stepOnce);
  $("reset").addEventListener("click", () => {
    stop();
    $("summary").hidden = true;
    advance((id) => api.resetGroup(id, group.resolution));
  });
  api.deleteOnLeave("groups", () => (group ? [group.id] : []), () => {
    group = null;
    build();
  });
  await build();
}

main();
