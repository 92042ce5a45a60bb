// The Side-by-side page's setup: its fields in the URL (so a link rebuilds the same grid), and
// the values typed into them read as the API wants them, with errors in the page's language.
import { t } from "./i18n.js";

// field (the element's id) -> its URL key
const URL_KEYS = { preset: "preset", "row-axis": "rows", "row-values": "rv", "col-axis": "cols",
  "col-values": "cv", dataset: "ds", activation: "act", hidden: "hidden", l2: "l2", seed: "seed",
  speed: "speed" };
export const FIELDS = Object.keys(URL_KEYS);

// -> {field: text} for the fields the URL sets
export function readSetup() {
  const query = new URLSearchParams(window.location.search);
  return Object.fromEntries(FIELDS.filter((f) => query.has(URL_KEYS[f]))
    .map((f) => [f, query.get(URL_KEYS[f])]));
}

// setup: {field: text} -> the URL (its language and anything else kept)
export function writeSetup(setup) {
  const url = new URL(window.location.href);
  for (const [field, value] of Object.entries(setup)) {
    if (value === "" || value === null) url.searchParams.delete(URL_KEYS[field]);
    else url.searchParams.set(URL_KEYS[field], value);
  }
  window.history.replaceState(null, "", url);
}

// A comma-separated list typed for a setting -> its values; kind is the API's ("whole",
// "number" or "name"), names the allowed names (with labels(name) -> what the page calls it, in
// either language), range [low, high] the numbers allowed, where the page knows it. Throws an
// Error that names the field and what it takes.
export function parseValues(text, { field, kind, names, labels, range, lang, max = 4 }) {
  const items = text.split(",").map((v) => v.trim()).filter(Boolean);
  if (!items.length || items.length > max) {
    throw new Error(t(lang, "grid.error.count", { field, max }));
  }
  return items.map((item) => {
    if (kind === "name") {
      const found = names.find((name) => [name, ...labels(name)]
        .some((n) => n.toLowerCase() === item.toLowerCase()));
      if (found === undefined) {
        const allowed = names.map((name) => labels(name)[0]).join(", ");
        throw new Error(t(lang, "grid.error.name", { field, item, allowed }));
      }
      return found;
    }
    const number = Number(item);
    if (!Number.isFinite(number) || (kind === "whole" && !Number.isInteger(number))) {
      throw new Error(t(lang, `grid.error.${kind}`, { field, item }));
    }
    if (range && (number < range[0] || number > range[1])) {
      throw new Error(t(lang, "grid.error.range", { field, item, low: range[0], high: range[1] }));
    }
    return number;
  });
}
