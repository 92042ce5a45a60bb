// Seed lottery: the final training loss of the same network trained from different seeds,
// for growing hidden sizes, run as a background job with progress and cancel. The setup lives
// in the URL so a link reproduces it.
import * as api from "./api.js";
import { checkWork, choice, int, keepInURL, list, read, urlFromForm } from "./form-state.js";
import { setupLanguage, t } from "./i18n.js";
import { jobPanel } from "./job-panel.js";
import { logTicks } from "./plots/log-ticks.js";

const $ = (id) => document.getElementById(id);
const CONFIG = { dataset: { name: "spiral", n_points: 300 },
  model: { activation: "relu" }, training: { optimizer: "adam", learning_rate: 0.01 } };
// URL key -> form field (the API's limits of POST /api/jobs/seed-variance)
const FIELDS = {
  dataset: { id: "dataset", default: "spiral", ...choice("dataset") },
  sizes: { id: "sizes", default: [2, 4, 8, 16, 32, 64], ...list(1, 256, 8) },
  seeds: { id: "seeds", default: 10, ...int(1, 20) },
  steps: { id: "steps", default: 600, ...int(1, 5000) },
};
const API_NAMES = { ...FIELDS, "config.dataset.name": FIELDS.dataset };
let lang = "en";

function start() {
  const s = read(FIELDS, "dataset", "sizes", "seeds", "steps");
  checkWork(s.sizes.length, s.seeds, s.steps);
  return api.startSeedVariance({
    config: { ...CONFIG, dataset: { ...CONFIG.dataset, name: s.dataset } },
    sizes: s.sizes, seeds: s.seeds, steps: s.steps,
  });
}

function show(view) {
  const result = view.result;
  $("result").hidden = false;
  $("download-csv").href = api.jobCSV(view.id);
  const traces = result.sizes.map((size, i) => ({
    type: "box", name: String(size), y: result.final_loss[i], boxpoints: "all", jitter: 0.4,
    pointpos: 0, marker: { color: "#2e86ab", size: 5 }, line: { color: "#1d2330" },
    hoverinfo: "y",
  }));
  window.Plotly.react($("chart"), traces, {
    margin: { l: 56, r: 8, t: 8, b: 44 }, showlegend: false,
    xaxis: { title: { text: t(lang, "grid.axis.hidden_units") }, type: "category" },
    yaxis: { title: { text: t(lang, "seeds.final_loss") }, type: "log",
      ...logTicks(result.final_loss.flat()) },
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "white",
  }, { displayModeBar: false, responsive: true });
  $("finding").textContent = finding(result);
}

// What the data says about the notes' claim: the spread of final losses, smallest vs largest.
function finding(r) {
  const spread = r.summary.map((s) => (s ? s.max - s.min : null));
  const first = spread[0];
  const last = spread.at(-1);
  if (first === null || last === null) return "";
  const key = last < first ? "seeds.finding_agrees" : "seeds.finding_differs";
  return t(lang, key, { small: r.sizes[0], large: r.sizes.at(-1),
    small_spread: first.toFixed(3), large_spread: last.toFixed(3) });
}

async function main() {
  const options = await api.options();
  $("dataset").replaceChildren(...options.datasets.map((d) => {
    const option = new Option(d.name, d.name);
    option.dataset.i18n = `dataset.${d.name}`; // "Gaussian blobs", in the page's language
    return option;
  }));
  keepInURL(FIELDS);
  const panel = jobPanel({ start, show, lang: () => lang, json: (view) => view.result,
    name: "seed-lottery.json", fields: API_NAMES });
  setupLanguage((next) => {
    lang = next;
    urlFromForm(FIELDS);
    panel.relabel();
  });
  $("start").disabled = false;
  document.querySelector("main").dataset.ready = "1"; // for tests: the form is filled
}

main();
