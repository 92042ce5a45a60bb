// The activations page's dead-unit demonstration, measured: each playground link's own run,
// trained on this server and read at the steps the text quotes. At learning rate 3 training is
// chaotic, so the shares differ from one processor to another: measured here, the text always
// says what a click on the link will show.
import * as api from "./api.js";
import { fromURL, toConfig } from "./state.js";

export const openRuns = new Set(); // sessions being measured, deleted when the page is left

// The session config the playground builds from a link's query (see state.js).
export function linkConfig(href) {
  const state = fromURL(new URL(href, window.location.origin).search);
  return toConfig(state, state.classes === 2);
}

// A run that diverged: `key` and `values` say so in the page's strings.
const diverged = (step) => Object.assign(new Error("diverged"), { key: "act.demo.diverged", values: { step } });

// config -> {n: {dead (per layer; null: units that cannot die), accuracy (on the training
// points, as the playground's readout)}} after exactly n steps, for each n of `steps`
// (ascending). A step request stops early on a busy server (the step budget): it goes on.
async function readings(config, steps) {
  const { id } = await api.createSession(config);
  openRuns.add(id);
  try {
    const read = {};
    let step = 0;
    for (const n of steps) {
      while (step < n) {
        const frame = await api.step(id, { steps: n - step, grid: false, history_tail: 0 });
        if (frame.diverged) throw diverged(frame.divergence.step);
        step = frame.metrics.step;
        read[n] = { dead: frame.metrics.dead, accuracy: frame.metrics.train.accuracy };
      }
    }
    return read;
  } finally {
    openRuns.delete(id);
    api.remove(id).catch(() => {}); // once its last step is answered
  }
}

// {name: [href, [steps…]]} -> {name: {steps: reading}}, one run at a time: a page visit costs
// the server a few thousand small steps and leaves nothing behind.
export async function measureLinks(links) {
  const results = {};
  for (const [name, [href, steps]] of Object.entries(links)) {
    results[name] = await readings(linkConfig(href), steps);
  }
  return results;
}
