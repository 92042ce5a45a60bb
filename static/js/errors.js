// Errors in the person's own terms and language. A 422 from the API carries a list of
// {type, loc, msg, ctx, input} (app/api/errors.py), and form-state.js's read() throws the same
// shape, so one function words both: which field (as the page labels it), which entry of a
// list (1-based), the value, and what is allowed. Free-text errors are shown as they come.
import { t } from "./i18n.js";

const SOURCES = new Set(["body", "query", "path"]); // where the API found the value
const BOUNDS = { less_than_equal: "le", greater_than_equal: "ge", less_than: "lt",
  greater_than: "gt" };
const WHOLE = new Set(["int_parsing", "int_type", "int_from_float"]);
const NUMBER = new Set(["float_parsing", "float_type", "finite_number"]);
const CHOICE = new Set(["literal_error", "enum"]);
const LENGTH = new Set(["too_short", "too_long"]);

// lang: the page's language; error: what api.js or form-state.js threw; fields: the page's
// table of what it shows, path -> {label: an i18n key, id: the form element whose <label>
// names it, or name: a symbol such as w₁; min, max: the allowed range; whole: true for whole
// numbers}. A path is the loc without its source and positions: "sizes", "config.dataset.name".
export function describeError(lang, error, fields = {}) {
  if (error.status === 503) return t(lang, "error.unavailable"); // its detail is for the operator
  if (!Array.isArray(error.detail)) { // a sentence from the server, or no answer at all
    const unanswered = error instanceof TypeError && /fetch/i.test(error.message);
    return unanswered ? t(lang, "error.offline") : error.message;
  }
  return error.detail.map((item) => describeItem(lang, item, fields)).join(" ");
}

// One error item: {type, loc, msg, ctx?, input?}.
export function describeItem(lang, item, fields = {}) {
  const ctx = item.ctx || {};
  if (item.type === "too_many_parameters") {
    return t(lang, "error.too_many_parameters",
      { parameters: number(lang, ctx.parameters), limit: number(lang, ctx.limit) });
  }
  if (item.type === "too_much_work") {
    return t(lang, "power.too_much",
      { total: number(lang, ctx.total), limit: number(lang, ctx.limit) });
  }
  const { field, position } = locate(item.loc || [], fields);
  const where = whereText(lang, field, position);
  if (item.type === "value_error") return field ? `${where}: ${item.msg}` : item.msg; // our words
  const quoted = ["string", "number", "boolean"].includes(typeof item.input) && item.input !== "";
  const value = quoted ? t(lang, "error.value", { input: item.input }) : "";
  const rule = ruleText(lang, item.type, ctx, field);
  return t(lang, rule ? "error.check_rule" : "error.check", { where, value, rule });
}

// loc ["body", "sizes", 3] -> the field "sizes" and position 3 (0-based), or no field.
function locate(loc, fields) {
  const path = loc.filter((part, i) => !(i === 0 && SOURCES.has(part)));
  const names = path.filter((part) => typeof part === "string");
  const position = path.findLast((part) => typeof part === "number");
  for (let n = names.length; n > 0; n--) { // the most specific entry of the table wins
    const field = fields[names.slice(0, n).join(".")];
    if (field) return { field, position };
  }
  return { field: null, position };
}

function whereText(lang, field, position) {
  if (!field) return t(lang, "error.a_value");
  const name = field.name ?? (field.label ? t(lang, field.label)
    : document.getElementById(field.id)?.closest("label")?.querySelector("span")?.textContent);
  if (position === undefined) return t(lang, "error.field", { field: name });
  return t(lang, "error.entry", { field: name, n: ordinal(lang, position + 1) });
}

export function ordinal(lang, n) {
  if (lang === "ko") return `${n}번째`;
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return `${n}${(!teen && { 1: "st", 2: "nd", 3: "rd" }[n % 10]) || "th"}`;
}

const number = (lang, v) => (typeof v === "number" ? v.toLocaleString(lang) : String(v));

// What is allowed, from the page's range if it has one, else from the API's bound.
function ruleText(lang, type, ctx, field) {
  const range = field && field.min !== undefined && field.max !== undefined;
  const whole = WHOLE.has(type) || field?.whole;
  const limits = range && { min: number(lang, field.min), max: number(lang, field.max),
    count: field.count };
  if (range && (BOUNDS[type] || WHOLE.has(type) || NUMBER.has(type))) {
    return t(lang, whole ? "error.rule.whole_range" : "error.rule.range", limits);
  }
  const bound = BOUNDS[type];
  if (bound) return t(lang, `error.rule.${bound}`, { n: number(lang, ctx[bound]) });
  if (WHOLE.has(type)) return t(lang, "error.rule.whole");
  if (NUMBER.has(type)) return t(lang, "error.rule.number");
  if (CHOICE.has(type)) return t(lang, "error.rule.choice");
  if (LENGTH.has(type) && field?.count) return t(lang, "error.rule.entries", limits);
  if (type === "too_long") return t(lang, "error.rule.max_entries", { n: ctx.max_length });
  if (type === "too_short") return t(lang, "error.rule.min_entries", { n: ctx.min_length });
  return "";
}
