// The sizing lesson: an architecture in the form and the URL, its diagram, and its parameter
// count from the engine (GET /api/parameters) in the notes' arithmetic.
import * as api from "./api.js";
import { describeError, describeItem } from "./errors.js";
import { int } from "./form-state.js";
import { setupLanguage, t } from "./i18n.js";
import { drawNetwork } from "./plots/network.js";

const $ = (id) => document.getElementById(id);
const DIAGRAM_CAP = 24; // neurons drawn per layer: beyond it the links become a grey wall
// What GET /api/parameters counts: any number of inputs and outputs a person may type (784
// for an MNIST image), the engine's hidden layers (at most 8 of 1 to 256 units), Maxout pieces.
const FIELDS = {
  inputs: { id: "inputs", ...int(1, 1_000_000) },
  outputs: { id: "outputs", ...int(1, 1_000_000) },
  hidden: { label: "net.layers", ...int(1, 256) },
  pieces: { id: "pieces", ...int(2, 5) },
};
const MAX_LAYERS = 8;
const DEFAULTS = { inputs: 3, hidden: [4], outputs: 2, act: "relu", pieces: 2 };

let lang = "en";
let state = fromURL();
let activations = null; // the engine's registry, from GET /api/options
let counts = null; // {count, plain}: the last answer, kept to redraw in another language
let generation = 0;

// -- state <-> URL --------------------------------------------------------------------------

// A URL's value that is not allowed is left out: the default, or no such hidden layer.
function fromURL() {
  const query = new URL(window.location.href).searchParams;
  const value = (key, text) => (text === null ? undefined : FIELDS[key].check(text).value);
  const hidden = query.has("hidden")
    ? query.get("hidden").split(",").map((units) => value("hidden", units))
      .filter((units) => units !== undefined)
    : DEFAULTS.hidden;
  return {
    inputs: value("inputs", query.get("inputs")) ?? DEFAULTS.inputs,
    hidden: hidden.slice(0, MAX_LAYERS),
    outputs: value("outputs", query.get("outputs")) ?? DEFAULTS.outputs,
    act: query.get("act") || DEFAULTS.act,
    pieces: value("pieces", query.get("pieces")) ?? DEFAULTS.pieces,
  };
}

// A typed value: into the state if allowed, else a message that says what is (nothing is
// clamped behind the person's back). position: of a hidden layer. -> whether it was taken.
function take(key, text, position) {
  const checked = FIELDS[key].check(text);
  if (checked.error) {
    const loc = position === undefined ? [key] : [key, position];
    showMessage(describeItem(lang, { ...checked.error, loc }, FIELDS));
    return false;
  }
  if (position === undefined) state[key] = checked.value;
  else state.hidden[position] = checked.value;
  return true;
}

function toURL() {
  const url = new URL(window.location.href);
  for (const [key, value] of Object.entries(state)) {
    url.searchParams.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  window.history.replaceState(null, "", url);
}

const countOf = (activation) => api.parameters({
  inputs: state.inputs, hidden: state.hidden.join(","), outputs: state.outputs, activation,
  maxout_pieces: state.pieces,
});

async function refresh() {
  toURL();
  showForm();
  drawDiagram();
  const mine = ++generation;
  try {
    const maxout = state.act === "maxout";
    const [count, plain] = await Promise.all([countOf(state.act), maxout ? countOf("relu") : null]);
    if (mine !== generation) return;
    counts = { count, plain };
    showMessage(null);
    showCounts();
  } catch (error) {
    if (mine === generation) showMessage(describeError(lang, error, FIELDS));
  }
}

// -- drawing --------------------------------------------------------------------------------

function showForm() {
  $("inputs").value = String(state.inputs);
  $("outputs").value = String(state.outputs);
  const select = $("act");
  if (activations && !activations.includes(state.act)) state.act = DEFAULTS.act;
  const names = activations ?? [state.act];
  select.replaceChildren(...names.map((a) => new Option(t(lang, `activation.${a}`), a)));
  select.value = state.act;
  $("maxout").checked = state.act === "maxout";
  $("pieces").value = String(state.pieces);
  $("pieces-row").hidden = state.act !== "maxout";
  $("no-hidden").hidden = state.hidden.length > 0;
  $("add-layer").disabled = state.hidden.length >= MAX_LAYERS;
  showHiddenList();
}

function showHiddenList() {
  const items = state.hidden.map((units, i) => {
    const input = Object.assign(document.createElement("input"), {
      type: "number", min: String(FIELDS.hidden.min), max: String(FIELDS.hidden.max), step: "1",
      value: String(units) });
    input.setAttribute("aria-label", `${t(lang, "size.hidden_layer", { i: i + 1 })}: ${t(lang, "net.units")}`);
    input.addEventListener("change", () => {
      if (take("hidden", input.value, i)) refresh();
    });
    const remove = Object.assign(document.createElement("button"), { type: "button", textContent: "−" });
    remove.setAttribute("aria-label", t(lang, "size.remove_layer", { i: i + 1 }));
    remove.addEventListener("click", () => {
      state.hidden.splice(i, 1);
      refresh();
    });
    const item = document.createElement("li");
    item.append(input, " ", t(lang, "net.units"), " ", remove);
    return item;
  });
  $("hidden-list").replaceChildren(...items);
}

function drawDiagram() {
  const sizes = [state.inputs, ...state.hidden, state.outputs];
  drawNetwork($("diagram"), sizes.map((n) => Math.min(n, DIAGRAM_CAP)), null, () => {});
  // which layers are drawn smaller than they are, and how large they are: "Inputs: 784"
  const name = (i) => (i === 0 ? t(lang, "net.inputs") : i === sizes.length - 1
    ? t(lang, "size.output_layer") : t(lang, "size.hidden_layer", { i }));
  const layers = sizes.map((n, i) => [n, i]).filter(([n]) => n > DIAGRAM_CAP)
    .map(([n, i]) => `${name(i)}: ${n.toLocaleString(lang)}`);
  $("diagram-note").hidden = !layers.length;
  $("diagram-note").textContent = layers.length
    ? t(lang, "size.diagram_capped", { cap: DIAGRAM_CAP, layers: layers.join(", ") }) : "";
}

function cell(text, tag = "td") {
  return Object.assign(document.createElement(tag), { textContent: String(text) });
}

function showCounts() {
  if (!counts) return;
  const p = counts.count;
  // The notes' sentence, as playground.js's showParameters builds it.
  const piece = (layer, text) => (layer.pieces > 1 ? `${layer.pieces}·${text}` : text);
  const w = p.layers.map((l) => piece(l, `[${l.inputs}×${l.units}]`)).join(" + ");
  const b = p.layers.map((l) => piece(l, String(l.units))).join(" + ");
  $("param-total").textContent = p.total.toLocaleString();
  $("param-arithmetic").textContent = t(lang, "net.arithmetic",
    { w, b, weights: p.weights, biases: p.biases, total: p.total });
  const last = p.layers.length - 1;
  $("count-rows").replaceChildren(...p.layers.map((l, i) => {
    const name = i === last ? t(lang, "size.output_layer") : t(lang, "size.hidden_layer", { i: i + 1 });
    const shapes = `W${i + 1} [${l.units}×${l.inputs}], b${i + 1} [${l.units}×1]`;
    const row = document.createElement("tr");
    row.append(cell(name, "th"), cell(l.units), cell(l.pieces > 1 ? `${l.pieces} × (${shapes})` : shapes),
      cell(l.weights), cell(l.biases));
    return row;
  }));
  const neurons = p.layers.reduce((sum, l) => sum + l.units, 0);
  $("total-neurons").textContent = String(neurons);
  $("total-weights").textContent = String(p.weights);
  $("total-biases").textContent = String(p.biases);
  $("neuron-count").textContent = t(lang, "size.neuron_count", { neurons, total: p.total });
  const plain = counts.plain;
  $("maxout-note").hidden = !plain;
  $("maxout-note").textContent = plain
    ? t(lang, "size.maxout_note", { k: state.pieces, total: p.total, plain: plain.total }) : "";
}

function showMessage(text) {
  $("message").hidden = !text;
  $("message").textContent = text || "";
}

// -- events ---------------------------------------------------------------------------------

for (const key of ["inputs", "outputs"]) {
  $(key).addEventListener("change", () => {
    if (take(key, $(key).value)) refresh();
  });
}
$("add-layer").addEventListener("click", () => {
  state.hidden.push(state.hidden.at(-1) ?? 4);
  refresh();
});
$("act").addEventListener("change", () => {
  state.act = $("act").value;
  refresh();
});
$("maxout").addEventListener("change", () => {
  state.act = $("maxout").checked ? "maxout" : "relu";
  refresh();
});
$("pieces").addEventListener("change", () => {
  state.pieces = Number($("pieces").value);
  refresh();
});
for (const button of document.querySelectorAll("[data-preset]")) {
  button.addEventListener("click", () => {
    const [inputs, hidden, outputs] = button.dataset.preset.split("|");
    const act = state.act === "maxout" ? "relu" : state.act; // the notes' counts are without Maxout
    state = { ...state, act, inputs: Number(inputs), hidden: hidden.split(",").map(Number),
      outputs: Number(outputs) };
    refresh();
  });
}
window.addEventListener("resize", drawDiagram);

setupLanguage((next) => {
  lang = next;
  showForm();
  drawDiagram();
  showCounts();
});
api.options()
  .then((options) => (activations = options.activations))
  .catch(() => {})
  .finally(refresh);
