// Side by side: a grid of runs that differ in one or two settings, trained together by one
// stream. The presets are the notes' two overfitting figures on the "outliers" data.
import * as api from "./api.js";
import { setupLanguage, t } from "./i18n.js";
import { drawDecision } from "./plots/decision.js";
import { recovery } from "./recovery.js";

const RESOLUTION = 50;
const AXES = ["hidden_units", "l2", "learning_rate", "activation", "bias_init", "loss", "dataset", "seed"];
const HISTORY = 400; // frames of dead-unit shares kept for the chart
const SHARED = { dataset: { name: "outliers", n_points: 200, noise: 0.2 },
  training: { optimizer: "adam", learning_rate: 0.01 } };
const PRESETS = {
  // Weight seed 1 for the notes' figures: with seed 0 the 3-neuron ReLU net dies at once.
  units: { note: "grid.preset_units_note", activation: "relu", hidden: 20, l2: 0, seed: 1,
    rows: null, columns: { axis: "hidden_units", values: [3, 6, 20] } },
  lambda: { note: "grid.preset_lambda_note", activation: "relu", hidden: 20, l2: 0, seed: 1,
    rows: null, columns: { axis: "l2", values: [0.001, 0.01, 0.1] } },
  both: { note: "grid.preset_both_note", activation: "relu", hidden: 20, l2: 0, seed: 1,
    rows: { axis: "hidden_units", values: [3, 6, 20] }, columns: { axis: "l2", values: [0.001, 0.01, 0.1] } },
  dead: { note: "grid.preset_dead_note", activation: "relu", hidden: "16, 16", l2: 0, seed: 0, dataset: "spiral",
    training: { optimizer: "sgd", learning_rate: 3 },
    rows: { axis: "bias_init", values: [0, 0.01] }, columns: { axis: "activation", values: ["relu", "leaky_relu"] } },
};

const $ = (id) => document.getElementById(id);
let lang = "en";
let group = null; // {id, panels: [{row, col, settings, points, el}]}
let source = null;
let preset = null;
let generation = 0; // bumps on every build, so answers for a replaced group are dropped
let queue = Promise.resolve(); // the group requests of advance(), one at a time

function fill(select, values, label = String) {
  select.replaceChildren(...values.map((v) => new Option(label(v), String(v))));
}

function parseValues(text) {
  return text.split(",").map((v) => v.trim()).filter(Boolean).map((v) => (Number.isNaN(Number(v)) ? v : Number(v)));
}

function applyPreset(name) {
  const p = PRESETS[name];
  $("preset").value = name;
  $("row-axis").value = p.rows?.axis ?? "";
  $("row-values").value = p.rows?.values.join(", ") ?? "";
  $("col-axis").value = p.columns?.axis ?? "";
  $("col-values").value = p.columns?.values.join(", ") ?? "";
  $("activation").value = p.activation;
  $("hidden").value = String(p.hidden);
  $("l2").value = String(p.l2);
  $("seed").value = String(p.seed);
  $("dataset").value = p.dataset ?? "outliers";
  preset = p;
  $("preset-note").textContent = t(lang, p.note);
  $("preset-note").dataset.key = p.note;
}

function request() {
  const axis = (id, values) => ($(id).value ? { axis: $(id).value, values: parseValues($(values).value) } : null);
  return {
    base: { ...SHARED, seed: Number($("seed").value) || 0,
      dataset: { ...SHARED.dataset, name: $("dataset").value },
      model: { hidden: parseValues($("hidden").value), activation: $("activation").value },
      training: { ...SHARED.training, ...preset?.training, l2: Number($("l2").value) } },
    rows: axis("row-axis", "row-values"),
    columns: axis("col-axis", "col-values"),
  };
}

async function build() {
  stop();
  const mine = ++generation;
  if (group) api.removeGroup(group.id).catch(() => {}); // once its requests are answered
  group = null;
  try {
    const created = await api.createGroup(request());
    if (mine !== generation) return void api.removeGroup(created.id).catch(() => {}); // replaced
    showMessage(null);
    layout(created);
    await advance((id) => api.stepGroup(id, 0, RESOLUTION));
  } catch (error) {
    if (mine === generation) showMessage(error.message);
  }
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
  return Object.entries(settings).map(([k, v]) => `${t(lang, `grid.axis.${k}`)} = ${v}`).join(", ") || "—";
}

function layout(created) {
  const columns = Math.max(...created.panels.map((p) => p.col)) + 1;
  $("panels").style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`;
  group = { id: created.id, panels: created.panels.map((p) => {
    const el = document.createElement("figure");
    el.className = "panel-card";
    const title = Object.assign(document.createElement("figcaption"), { textContent: label(p.settings) });
    const plot = Object.assign(document.createElement("div"), { className: "boundary" });
    const readout = Object.assign(document.createElement("p"), { className: "readout" });
    el.append(title, plot, readout);
    $("panels").append(el);
    return { ...p, el, plot, readout, title };
  }) };
  $("panels").replaceChildren(...group.panels.map((p) => p.el));
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
  window.Plotly.react($("inactive"), traces, {
    margin: { l: 48, r: 8, t: 8, b: 36 }, legend: { font: { size: 10 } },
    xaxis: { title: { text: t(lang, "curve.step") } },
    yaxis: { title: { text: t(lang, "grid.inactive_axis") }, range: [0, 100] },
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "white", datarevision: Date.now(),
  }, { displayModeBar: false, responsive: true });
}

function frame(data) {
  lost.alive();
  recordInactive(data);
  data.panels.forEach((panel, i) => {
    const p = group.panels[i];
    drawDecision(p.plot, panel.grid, p.points, { showTest: true, discretize: false });
    const m = panel.metrics;
    const loss = m.train.data_loss === null ? "–" : m.train.data_loss.toFixed(3);
    const test = m.test?.data_loss == null ? "–" : m.test.data_loss.toFixed(3);
    p.readout.textContent = panel.diverged ? t(lang, "diverged.title")
      : `${t(lang, "out.train_loss")} ${loss} · ${t(lang, "out.test_loss")} ${test}`;
    $("step-count").textContent = m.step;
    const dead = m.dead.map((d, l) => d ?? m.saturated[l]).filter((v) => v !== null);
    if (dead.length) p.readout.textContent += ` · ${t(lang, "out.inactive")} ${dead.map((v) => `${Math.round(100 * v)}%`).join(" / ")}`;
  });
  drawInactive();
  window.renderedFrames = (window.renderedFrames || 0) + 1;
}

function play() {
  if (!group || source) return;
  const query = { steps_per_frame: $("speed").value, resolution: RESOLUTION, fps: 20, max_seconds: 300 };
  const mine = generation;
  const stream = api.groupStream(group.id, query);
  source = stream;
  let latest = null;
  stream.addEventListener("frame", (event) => {
    if (!latest) {
      requestAnimationFrame(() => {
        if (mine === generation) frame(latest);
        latest = null;
      });
    }
    latest = JSON.parse(event.data);
  });
  stream.addEventListener("end", (event) => ended(mine, JSON.parse(event.data).reason));
  stream.onerror = () => { // a refused stream (404) closes; a dropped one reconnects by itself
    if (stream.readyState === EventSource.CLOSED) ended(mine, "connection closed");
  };
  setPlaying(true);
}

// The stream ended: the time limit plays on; anything else is said, after a step of 0 finds out
// whether the server still has the group (EventSource does not tell a 404) and rebuilds if not.
async function ended(mine, reason) {
  stop();
  if (mine !== generation) return;
  if (reason === "time limit") return play();
  await advance((id) => api.stepGroup(id, 0, RESOLUTION));
  if (mine === generation) showMessage(t(lang, "error.stream", { reason }));
}

function stop() {
  if (source) source.close();
  source = null;
  setPlaying(false);
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
  return advance((id) => api.stepGroup(id, $("speed").value, RESOLUTION));
}

async function main() {
  const options = await api.options();
  fill($("speed"), [1, 5, 10, 20, 50]);
  $("speed").value = "5";
  fill($("dataset"), options.datasets.map((d) => d.name));
  fill($("activation"), options.activations);
  const labelled = () => {
    for (const id of ["row-axis", "col-axis", "preset"]) {
      const keep = $(id).value;
      if (id === "preset") fill($(id), Object.keys(PRESETS), (p) => t(lang, `grid.preset.${p}`));
      else fill($(id), ["", ...AXES], (a) => (a ? t(lang, `grid.axis.${a}`) : "—"));
      if (keep) $(id).value = keep;
    }
  };
  labelled();
  setupLanguage((next) => {
    lang = next;
    labelled();
    const link = new URL($("space-link").getAttribute("href"), window.location.origin);
    if (lang === "ko") link.searchParams.set("lang", "ko"); // the playground opens in this language
    else link.searchParams.delete("lang");
    $("space-link").setAttribute("href", `${link.pathname}${link.search}`);
    if ($("preset-note").dataset.key) $("preset-note").textContent = t(lang, $("preset-note").dataset.key);
    group?.panels.forEach((p) => { p.title.textContent = label(p.settings); });
  });
  $("preset").addEventListener("change", () => { applyPreset($("preset").value); build(); });
  $("build").addEventListener("click", build);
  $("play").addEventListener("click", () => (source ? stop() : play()));
  $("step").addEventListener("click", stepOnce);
  $("reset").addEventListener("click", () => {
    stop();
    advance((id) => api.resetGroup(id, RESOLUTION));
  });
  applyPreset(new URLSearchParams(window.location.search).get("preset") in PRESETS
    ? new URLSearchParams(window.location.search).get("preset") : "units");
  api.deleteOnLeave("groups", () => (group ? [group.id] : []), () => {
    group = null;
    build();
  });
  await build();
}

main();
