// A lesson page's setup, in its form and in its URL: one table of fields drives both, so a link
// reproduces the setup (the playground's own, larger table is state.js). A page lists its fields
// as URL key -> {id: the form element, default, ...int(min, max) | list(...) | choice(id)}; the
// same table names the fields in errors (errors.js).

// Each kind checks a form's text: -> {value} or {error: {type, loc, ctx?, input?}}, the shape of
// the API's 422 errors (loc here is within the field: [] or [position]).
const bad = (type, input, ctx, loc = []) => ({ error: { type, loc, input, ...(ctx && { ctx }) } });

function wholeNumber(text, min, max, loc) {
  if (!/^\+?\d+$/.test(text)) return bad("int_parsing", text, null, loc);
  const value = Number(text);
  if (value < min) return bad("greater_than_equal", value, { ge: min }, loc);
  if (value > max) return bad("less_than_equal", value, { le: max }, loc);
  return { value };
}

export const int = (min, max) => ({
  min, max, whole: true, format: String, show: String,
  check: (text) => wholeNumber(String(text).trim(), min, max, []),
});

function realNumber(text, min, max, loc) {
  const value = Number(text);
  if (text === "" || !Number.isFinite(value)) return bad("float_parsing", text, null, loc);
  if (value < min) return bad("greater_than_equal", value, { ge: min }, loc);
  if (value > max) return bad("less_than_equal", value, { le: max }, loc);
  return { value };
}

export const number = (min, max) => ({
  min, max, format: String, show: String,
  check: (text) => realNumber(String(text).trim(), min, max, []),
});

// 1 to count items separated by commas, each checked by item(text, loc) -> {value} or {error};
// empty entries are skipped. show(values) -> the form's text.
export const listOf = (item, count, show = (v) => v.join(", ")) => ({
  count, format: (v) => v.join(","), show,
  check: (text) => {
    const items = String(text).split(",").map((s) => s.trim()).filter(Boolean);
    if (!items.length) return bad("too_short", undefined, { min_length: 1 });
    if (items.length > count) return bad("too_long", undefined, { max_length: count });
    const checked = items.map((each, i) => item(each, [i]));
    return checked.find((c) => c.error) ?? { value: checked.map((c) => c.value) };
  },
});

// Whole numbers separated by commas, 1 to count of them.
export const list = (min, max, count) => ({
  ...listOf((text, loc) => wholeNumber(text, min, max, loc), count), min, max, whole: true,
});

// Numbers separated by commas, 1 to count of them.
export const numbers = (min, max, count) => ({
  ...listOf((text, loc) => realNumber(text, min, max, loc), count), min, max,
});

// Names separated by commas: each one of names, or what the page calls one (labels(name) ->
// its names in every language, any case), read as the name.
export const names = (allowed, labels, count) => listOf((text, loc) => {
  const found = allowed.find((name) => [name, ...labels(name)]
    .some((label) => label.toLowerCase() === text.toLowerCase()));
  return found === undefined ? bad("literal_error", text, null, loc) : { value: found };
}, count, (v) => v.map((name) => labels(name)[0]).join(", "));

// One of a select's options (filled before the form is read).
export const choice = (id) => ({
  format: String, show: String,
  check: (text) => ([...document.getElementById(id).options].some((o) => o.value === text)
    ? { value: text } : bad("literal_error", text)),
});

const element = (field) => document.getElementById(field.id);

// URL -> form; a key that is missing or bad in the URL leaves its field at the default.
export function formFromURL(fields) {
  const query = new URL(window.location.href).searchParams;
  for (const [key, field] of Object.entries(fields)) {
    const checked = query.has(key) ? field.check(query.get(key)) : {};
    element(field).value = field.show(checked.value ?? field.default);
  }
}

// form -> URL: only what differs from the defaults (and is valid).
export function urlFromForm(fields) {
  const url = new URL(window.location.href); // as it is now: ?lang= stays
  for (const [key, field] of Object.entries(fields)) {
    const { value } = field.check(element(field).value);
    const same = value === undefined || field.format(value) === field.format(field.default);
    if (same) url.searchParams.delete(key);
    else url.searchParams.set(key, field.format(value));
  }
  window.history.replaceState(null, "", url);
}

// The form from the URL now, and the URL from the form after every change; onChange(key) then.
export function keepInURL(fields, onChange = () => {}) {
  formFromURL(fields);
  for (const [key, field] of Object.entries(fields)) {
    element(field).addEventListener("change", () => {
      urlFromForm(fields);
      onChange(key);
    });
  }
}

const MAX_JOB_STEPS = 200_000; // the API's cap on the steps of one job (runs × seeds × steps)

const refused = (item) => Object.assign(new Error(item.type), { detail: [item] });

// A job's work checked before it is sent, refused as the API would (describe it with errors.js).
export function checkWork(runs, seeds, steps) {
  const total = runs * seeds * steps;
  if (total > MAX_JOB_STEPS) {
    throw refused({ type: "too_much_work", loc: [], ctx: { total, limit: MAX_JOB_STEPS } });
  }
}

// The values of the keys' fields, or an Error whose detail names the first bad one as the API
// would (describe it with errors.js).
export function read(fields, ...keys) {
  const values = {};
  for (const key of keys) {
    const checked = fields[key].check(element(fields[key]).value);
    if (checked.error) throw refused({ ...checked.error, loc: [key, ...checked.error.loc] });
    values[key] = checked.value;
  }
  return values;
}
