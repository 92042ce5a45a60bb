// Representational power: one hidden layer of N units against a target (best max error, and the
// fits), and one parameter budget over 1…D hidden layers, each a background job with progress
// and cancel. The setup lives in the URL so a link reproduces it.
import * as api from "./api.js";
import { checkWork, choice, int, keepInURL, list, read, urlFromForm } from "./form-state.js";
import { setupLanguage, t } from "./i18n.js";
import { jobPanel } from "./job-panel.js";
import { drawDepth, drawErrors, drawFits } from "./plots/power.js";

const $ = (id) => document.getElementById(id);
const HE_INIT = new Set(["relu", "leaky_relu"]);
const EASY = 0.02; // a best max error this small at the smallest N leaves nothing to show
let lang = "en";

// URL key -> form field; every key is optional in the URL (a missing or bad one is the default).
const FIELDS = {
  target: { id: "target", default: "bumps", ...choice("target") },
  activation: { id: "activation", default: "tanh", ...choice("activation") },
  sizes: { id: "sizes", default: [1, 2, 4, 8, 16, 64], ...list(1, 256, 8) },
  seeds: { id: "seeds", default: 2, ...int(1, 10) },
  steps: { id: "steps", default: 3000, ...int(1, 20000) },
  budget: { id: "budget", default: 200, ...int(10, 20000) },
  depths: { id: "depths", default: [1, 2, 3, 4, 5], ...list(1, 8, 8) },
  depth_seeds: { id: "depth-seeds", default: 3, ...int(1, 10) },
  depth_steps: { id: "depth-steps", default: 2000, ...int(1, 20000) },
};
// The fields by the API's names for them in each job's request too, so its errors name them.
const POWER_NAMES = { ...FIELDS, "config.target.name": FIELDS.target,
  "config.model.activation": FIELDS.activation };
const DEPTH_NAMES = { ...POWER_NAMES, seeds: FIELDS.depth_seeds, steps: FIELDS.depth_steps };

const fitConfig = ({ target, activation }) => ({
  problem: "regression",
  target: { name: target, n_points: 200, noise: 0, train_fraction: 1, seed: 0 },
  model: { activation, init: HE_INIT.has(activation) ? "he" : "xavier" },
  training: { optimizer: "adam", learning_rate: 0.01 },
});

function startPower() {
  const s = read(FIELDS, "target", "activation", "sizes", "seeds", "steps");
  checkWork(s.sizes.length, s.seeds, s.steps);
  return api.startRepresentationalPower({ config: fitConfig(s), sizes: s.sizes, seeds: s.seeds,
    steps: s.steps });
}

function startDepth() {
  const s = read(FIELDS, "target", "activation", "budget", "depths", "depth_seeds", "depth_steps");
  checkWork(s.depths.length, s.depth_seeds, s.depth_steps);
  return api.startDepth({ config: fitConfig(s), budget: s.budget, depths: s.depths,
    seeds: s.depth_seeds, steps: s.depth_steps });
}

// -- results ------------------------------------------------------------------------------

const curves = new Map(); // target name -> Promise of its noise-free [[x, y]]

function targetCurve(name) {
  if (!curves.has(name)) {
    const points = api.targetPoints(name, { n_points: 200, noise: 0 }).then((d) => d.curve);
    curves.set(name, points.catch((error) => { curves.delete(name); throw error; }));
  }
  return curves.get(name);
}

// Everything appears at once: the target's curve is fetched before anything is drawn.
async function showPower(view) {
  const r = view.result;
  const { target, model } = view.params.config;
  const curve = r.x === null ? null : await targetCurve(target.name);
  const option = [...$("target").options].find((o) => o.value === target.name);
  const twoD = option?.dataset.inputs === "2";
  $("result").hidden = false;
  $("fit-chart").hidden = curve === null;
  $("no-fits").hidden = !twoD;
  $("download-csv").href = api.jobCSV(view.id);
  drawErrors($("error-chart"), r.sizes, r.best_max_error, r.max_error, {
    x: t(lang, "power.units_axis"), y: t(lang, "power.error_axis"),
    best: t(lang, "power.best"), seed: t(lang, "power.each_seed"),
  });
  if (curve) {
    const fits = r.sizes.map((n, i) => ({ name: t(lang, "power.fit_name", { n }), y: r.fits[i] }))
      .filter((fit) => fit.y);
    drawFits($("fit-chart"), r.x, curve, fits, { target: t(lang, "power.target_curve") });
  }
  $("finding").textContent = powerFinding(r, target.name, model.activation);
}

function showDepth(view) {
  const r = view.result;
  $("depth-result").hidden = false;
  $("depth-download-csv").href = api.jobCSV(view.id);
  const names = r.depths.map((d, i) => `${d}×${r.widths[i]} (${r.parameters[i]})`);
  drawDepth($("depth-chart"), names, r.final_loss, {
    x: t(lang, "power.depth_axis"), y: t(lang, "seeds.final_loss"),
  });
  $("depth-finding").textContent = depthFinding(r);
}

const layers = (n) => t(lang, n === 1 ? "power.layers_one" : "power.layers_many", { n });

// Numbers for sentences: two significant digits, exponents below 0.001.
const fmt = (v) => {
  if (v >= 10) return v.toFixed(0);
  return v >= 1e-3 ? v.toPrecision(2) : v.toExponential(1);
};

// What the data says about the theorem: the best max error at the smallest and largest N.
function powerFinding(r, target, activation) {
  const kept = r.sizes.map((n, i) => [n, r.best_max_error[i]]).filter(([, e]) => e !== null);
  const notes = [];
  if (target === "step") notes.push("power.verdict_step");
  if (activation === "linear") notes.push("power.verdict_linear");
  if (kept.length < 2) return notes.map((key) => t(lang, key)).join(" ");
  const [[small, first], [large, last]] = [kept[0], kept.at(-1)];
  let key = last < first / 2 ? "power.verdict_fell" : "power.verdict_flat";
  if (notes.length) key = "power.verdict_moved";
  else if (first < EASY) key = "power.verdict_easy";
  const values = { small, large, first: fmt(first), last: fmt(last) };
  return [key, ...notes].map((k) => t(lang, k, values)).join(" ");
}

// What the data says about depth: the best median final loss against the shallowest, and
// whether going past 2 hidden layers (the notes' 3-layer net) still helped.
function depthFinding(r) {
  const medians = r.depths.map((d, i) => [d, r.summary[i]?.median ?? null])
    .filter(([, m]) => m !== null && m > 0).sort(([a], [b]) => a - b);
  if (medians.length < 2) return "";
  const [base, first] = medians[0];
  const [depth, best] = medians.reduce((a, b) => (b[1] < a[1] ? b : a));
  const ratio = first / best;
  let key = ratio >= 2 ? "power.verdict_depth_better" : "power.verdict_depth_same";
  if (depth === base) key = "power.verdict_depth_base";
  const parts = [t(lang, key, { base: layers(base), depth: layers(depth), first: fmt(first),
    best: fmt(best), ratio: ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1) })];
  const two = medians.find(([d]) => d === 2);
  const deeper = medians.filter(([d]) => d >= 3).map(([, m]) => m);
  if (two && deeper.length) {
    const low = Math.min(...deeper);
    const verdict = low < two[1] / 2 ? "power.verdict_deeper_helped" : "power.verdict_deeper_flat";
    parts.push(t(lang, verdict, { two: fmt(two[1]), deeper: fmt(low) }));
  }
  return parts.join(" ");
}

// -- start -------------------------------------------------------------------------------------

function fillChoices(options) {
  const targets = options.targets.filter((target) => target.name !== "drawn");
  $("target").replaceChildren(...targets.map((target) => {
    const option = new Option(target.name, target.name);
    option.dataset.inputs = target.inputs;
    option.dataset.i18n = `target.${target.name}`; // "Bumps (2-D)", in the page's language
    return option;
  }));
  $("activation").replaceChildren(...options.activations.map((name) => {
    const option = new Option(name, name);
    option.dataset.i18n = `activation.${name}`;
    return option;
  }));
}

async function main() {
  fillChoices(await api.options());
  keepInURL(FIELDS);
  const common = { lang: () => lang, json: (view) => ({ params: view.params, result: view.result }) };
  const panels = [
    jobPanel({ start: startPower, show: showPower, name: "representational-power.json",
      fields: POWER_NAMES, ...common }),
    jobPanel({ prefix: "depth-", start: startDepth, show: showDepth, name: "depth.json",
      fields: DEPTH_NAMES, ...common }),
  ];
  setupLanguage((next) => {
    lang = next;
    urlFromForm(FIELDS); // the language switch rewrites the URL; keep the setup in it
    for (const panel of panels) panel.relabel();
  });
  for (const button of [$("start"), $("depth-start")]) button.disabled = false;
  document.querySelector("main").dataset.ready = "1"; // for tests: the form is filled
}

main();
