// The Side-by-side page's setup as a form-state table: the preset it starts from gives every
// field's default, a link keeps only what differs, and a value that is not what its setting
// takes is refused as the API would (worded by errors.js).
import { choice, int, list, names, number, numbers } from "./form-state.js";
import { t } from "./i18n.js";

const MAX_VALUES = 4; // per row or column axis (the API's Axis.values)
const SEED_MAX = 2 ** 32 - 1;

// What the page calls a setting's value, in each language, its own first.
export function labelsOf(axis, lang) {
  const langs = [lang, ...["en", "ko"].filter((l) => l !== lang)];
  return (value) => langs.map((l) => t(l, `${axis}.${value}`));
}

// The field table for a setting's values, by its kind (options.group_axes).
function valuesField(axis, options, lang) {
  const kind = options.group_axes.find((a) => a.name === axis)?.kind;
  if (axis === "hidden_units") return list(1, options.limits.max_units, MAX_VALUES);
  if (kind === "whole") return list(0, SEED_MAX, MAX_VALUES);
  if (kind === "number") return numbers(-Infinity, Infinity, MAX_VALUES); // the API says the range
  const allowed = { activation: options.activations, dataset: options.datasets.map((d) => d.name),
    loss: options.losses.map((l) => l.name) }[axis];
  return names(allowed, labelsOf(axis, lang), MAX_VALUES);
}

// The values of the axis chosen in select `axisId` (read when checked: the axis may change).
function axisValues(axisId, options, lang) {
  const field = () => valuesField(document.getElementById(axisId).value, options, lang);
  return { count: MAX_VALUES, format: (v) => field().format(v), show: (v) => field().show(v),
    check: (text) => (document.getElementById(axisId).value ? field().check(text) : { value: [] }) };
}

// URL key -> field, each with its default from the preset (the preset's own: the page's first).
export function setupFields(preset, presets, options, lang) {
  const { base, rows, columns } = preset.request;
  const defaults = { preset: presets[0].name, rows: rows?.axis ?? "", rv: rows?.values ?? [],
    cols: columns?.axis ?? "", cv: columns?.values ?? [], ds: base.dataset.name,
    act: base.model.activation, hidden: base.model.hidden, l2: base.training.l2,
    seed: base.seed, speed: String(preset.steps_per_frame) };
  const fields = {
    preset: { id: "preset", ...choice("preset") },
    rows: { id: "row-axis", ...choice("row-axis") },
    rv: { id: "row-values", ...axisValues("row-axis", options, lang) },
    cols: { id: "col-axis", ...choice("col-axis") },
    cv: { id: "col-values", ...axisValues("col-axis", options, lang) },
    ds: { id: "dataset", ...choice("dataset") },
    act: { id: "activation", ...choice("activation") },
    hidden: { id: "hidden", label: "grid.hidden",
      ...list(1, options.limits.max_units, options.limits.max_hidden_layers) },
    l2: { id: "l2", label: "reg.l2", ...number(0, Infinity) },
    seed: { id: "seed", label: "reg.seed", ...int(0, SEED_MAX) },
    speed: { id: "speed", ...choice("speed") },
  };
  for (const [key, field] of Object.entries(fields)) field.default = defaults[key];
  return fields;
}

// The fields an error may point at, as the page names them: form keys (from form-state's read)
// and the API's paths in a group request.
export function errorFields(fields, lang) {
  const axis = (heading, select) => ({
    name: `${t(lang, heading)}: ${t(lang, `grid.axis.${document.getElementById(select).value}`)}`,
  });
  const rows = axis("grid.rows", "row-axis");
  const columns = axis("grid.columns", "col-axis");
  return { rv: rows, cv: columns, "rows.values": rows, "columns.values": columns,
    hidden: fields.hidden, "base.model.hidden": fields.hidden, l2: fields.l2,
    "base.training.l2": fields.l2, seed: fields.seed, "base.seed": fields.seed };
}
