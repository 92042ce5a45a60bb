// Seed lottery: the final training loss of the same network trained from different seeds,
// for growing hidden sizes, run as a background job with progress and cancel.
import * as api from "./api.js";
import { setupLanguage, t } from "./i18n.js";
import { jobPanel } from "./job-panel.js";
import { logTicks } from "./plots/log-ticks.js";

const $ = (id) => document.getElementById(id);
const CONFIG = { dataset: { name: "spiral", n_points: 300 },
  model: { activation: "relu" }, training: { optimizer: "adam", learning_rate: 0.01 } };
let lang = "en";

function start() {
  return api.startSeedVariance({
    config: { ...CONFIG, dataset: { ...CONFIG.dataset, name: $("dataset").value } },
    sizes: $("sizes").value.split(",").map((v) => Number(v.trim())).filter((v) => v > 0),
    seeds: Number($("seeds").value),
    steps: Number($("steps").value),
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
  $("dataset").replaceChildren(...options.datasets.map((d) => new Option(d.name, d.name)));
  $("dataset").value = "spiral";
  const panel = jobPanel({ start, show, lang: () => lang, json: (view) => view.result,
    name: "seed-lottery.json" });
  setupLanguage((next) => {
    lang = next;
    panel.relabel();
  });
}

main();
