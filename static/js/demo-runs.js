// The activations page's dead-unit demonstration, measured: each playground link's own run,
// trained on this server by POST /api/train (nothing is kept), read at the steps the text
// quotes. At learning rate 3 training is chaotic, so the shares differ from one processor to
// another: measured here, the text always says what a click on the link will show.
import * as api from "./api.js";
import { fromURL, toConfig } from "./state.js";

// The session config the playground builds from a link's query (see state.js).
export function linkConfig(href) {
  const state = fromURL(new URL(href, window.location.origin).search);
  return toConfig(state, state.classes === 2);
}

// A run that did not reach its step: `key` and `values` say why, in the page's strings.
const unfinished = (key, values) => Object.assign(new Error(key), { key, values });

// config after exactly `steps` steps -> {dead (per layer; null: units that cannot die),
// accuracy (on the training points, as the playground's readout)}.
async function trained(config, steps) {
  const run = await api.train({ config, steps, grid: false, history_tail: 0 });
  if (run.diverged) throw unfinished("act.demo.diverged", { step: run.divergence.step });
  if (run.metrics.step !== steps) throw unfinished("act.demo.stopped", { step: run.metrics.step, steps });
  return { dead: run.metrics.dead, accuracy: run.metrics.train.accuracy };
}

// {name: [href, [steps…]]} -> {name: {steps: reading}}, one run at a time: a page visit costs
// the server a few thousand small steps and leaves nothing behind.
export async function measureLinks(links) {
  const results = {};
  for (const [name, [href, steps]] of Object.entries(links)) {
    results[name] = {};
    for (const n of steps) results[name][n] = await trained(linkConfig(href), n);
  }
  return results;
}
