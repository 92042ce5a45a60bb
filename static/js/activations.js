// The activations lesson: the engine's curves (GET /api/activations) drawn as small multiples,
// the zig-zag figure, and playground links that keep the page's language and whose runs the
// page measures on this server.
import * as api from "./api.js";
import { describeError, describeItem } from "./errors.js";
import { linkConfig, measureLinks, openRuns } from "./demo-runs.js";
import { percent } from "./format.js";
import { setupLanguage, t } from "./i18n.js";
import { drawActivation, drawZigZag } from "./plots/activation-curves.js";

const $ = (id) => document.getElementById(id);
const COEFFICIENTS = ["w1", "b1", "w2", "b2"];
// The entries, as errors.js names them: by their label, or by the symbol they are.
const FIELDS = {
  leaky_slope: { id: "leaky-slope", min: 0, max: 0.99 },
  ...Object.fromEntries(COEFFICIENTS.map((key) => [key, { name: `${key[0]}${"₁₂"[key[1] - 1]}`,
    min: -10, max: 10 }])),
};

let lang = "en";
let curves = null; // the last answer, redrawn in the new language
let generation = 0;
// The demonstration's links and the steps its text quotes of each.
const DEMO_STEPS = { relu: [100, 500], leaky: [500], sane: [500] };
let demo = { state: "measuring" }; // then {state: "done", results} or {state: "failed", error}

// An entry's value if it is a number within its range, else the error the API would give.
function valueOf(key) {
  const { id = key, min, max } = FIELDS[key];
  const text = $(id).value;
  const v = Number(text);
  const bad = (type, ctx) => ({ error: { type, loc: [key], input: text, ctx } });
  if (text.trim() === "" || !Number.isFinite(v)) return bad("float_parsing");
  if (v < min) return bad("greater_than_equal", { ge: min });
  return v > max ? bad("less_than_equal", { le: max }) : { value: v };
}

// The request's parameters, or the first entry out of range (said, and the last curves kept).
function settings() {
  const r = Number($("range").value);
  const params = { x_min: -r, x_max: r, points: 401 };
  for (const key of ["leaky_slope", ...COEFFICIENTS]) {
    const { value, error } = valueOf(key);
    if (error) return { error };
    params[key] = value;
  }
  return { params };
}

async function refresh() {
  const { params, error } = settings();
  if (error) return showMessage(describeItem(lang, error, FIELDS));
  const mine = ++generation;
  try {
    const data = await api.activations(params);
    if (mine !== generation) return;
    curves = data;
    showMessage(null);
    draw();
  } catch (error) {
    showMessage(t(lang, "act.error", { error: describeError(lang, error, FIELDS) }));
  }
}

function draw() {
  const labels = { f: t(lang, "act.f"), df: t(lang, "act.df"), line: (i) => t(lang, "act.line", { i }) };
  if (curves) {
    for (const curve of curves.curves) drawActivation($(`plot-${curve.name}`), curves.x, curve, labels);
    $("slope-shown").textContent = String(curves.leaky_slope);
    document.querySelector("main").dataset.drawn = String(generation); // for tests
  }
  drawZigZag($("zigzag"), {
    allowed: t(lang, "act.zigzag.allowed"), path: t(lang, "act.zigzag.path"),
    direct: t(lang, "act.zigzag.direct"), target: t(lang, "act.zigzag.target"),
  });
}

function showMessage(text) {
  $("message").hidden = !text;
  $("message").textContent = text || "";
}

// The playground links carry the language along.
function localizeLinks() {
  for (const link of document.querySelectorAll(".demo-links a")) {
    const url = new URL(link.getAttribute("href"), window.location.origin);
    if (lang === "ko") url.searchParams.set("lang", "ko");
    else url.searchParams.delete("lang");
    link.setAttribute("href", `${url.pathname}${url.search}`);
  }
}

// -- the dead-unit demonstration, measured ---------------------------------------------------

async function measureDemo() {
  demo = { state: "measuring" };
  showDemo();
  const links = Object.fromEntries(Object.entries(DEMO_STEPS).map(([name, steps]) =>
    [name, [$(`demo-${name}`).getAttribute("href"), steps]]));
  try {
    demo = { state: "done", results: await measureLinks(links) };
  } catch (error) {
    demo = { state: "failed", error };
  }
  showDemo();
}

const shares = (reading) => reading.dead.map(percent).join(" · ");

// The note says how the numbers were found; each link's own numbers follow it in the list.
function showDemo() {
  const note = $("demo-measured");
  note.dataset.state = demo.state; // for tests
  const say = (name, text) => ($(`measured-${name}`).textContent = text);
  if (demo.state !== "done") Object.keys(DEMO_STEPS).forEach((name) => say(name, ""));
  if (demo.state === "measuring") return void (note.textContent = t(lang, "act.demo.measuring"));
  if (demo.state === "failed") {
    const { key, values, message } = demo.error;
    return void (note.textContent = t(lang, "act.demo.failed",
      { error: key ? t(lang, key, values) : message }));
  }
  note.textContent = t(lang, "act.demo.measured");
  const { relu, leaky, sane } = demo.results;
  const classes = linkConfig($("demo-relu").getAttribute("href")).dataset.n_classes;
  say("relu", t(lang, "act.demo.relu_measured", { dead100: shares(relu[100]),
    dead500: shares(relu[500]), acc: percent(relu[500].accuracy), chance: percent(1 / classes) }));
  say("leaky", t(lang, "act.demo.leaky_measured", { acc: percent(leaky[500].accuracy) }));
  say("sane", t(lang, "act.demo.sane_measured",
    { dead500: shares(sane[500]), acc: percent(sane[500].accuracy) }));
}

function setLines(values) {
  COEFFICIENTS.forEach((key, i) => ($(key).value = String(values[i])));
  refresh();
}

for (const id of ["range", "leaky-slope", ...COEFFICIENTS]) $(id).addEventListener("input", refresh);
for (const button of document.querySelectorAll("[data-lines]")) {
  button.addEventListener("click", () => setLines(button.dataset.lines.split(",").map(Number)));
}

setupLanguage((next) => {
  lang = next;
  localizeLinks();
  draw();
  showDemo();
});
refresh();
measureDemo();
// runs being measured are deleted when the page is left; a page brought back measures again
api.deleteOnLeave("sessions", () => [...openRuns], measureDemo);
