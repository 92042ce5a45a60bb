// The page's state: one table drives the form, the URL and the session config alike.

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const LAMBDAS = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

export const REGRESSION_NOISE = 0.05; // a target's usual noise σ (a dataset's is its own)

const number = { parse: Number, format: String };
const flag = { parse: (v) => v === "1", format: (v) => (v ? "1" : "0") };
const text = { parse: String, format: String };
const list = {
  parse: (v) => (v === "" ? [] : v.split(",").map(Number)),
  format: (v) => v.join(","),
};

// key -> { default, parse, format, choices? }. Choices of registry-backed keys come from
// GET /api/options (see fillChoices); the rest are the page's own scales.
export const CONTROLS = {
  prob: { default: "classification", ...text },
  ds: { default: "spiral", ...text },
  tgt: { default: "sine", ...text },
  classes: { default: 3, ...number },
  noise: { default: 0.2, ...number },
  points: { default: 300, ...number },
  train: { default: 80, ...number },
  dseed: { default: 0, ...number },
  hidden: { default: [8, 8], ...list },
  act: { default: "tanh", ...text },
  loss: { default: "softmax", ...text },
  init: { default: "xavier", ...text },
  pieces: { default: 2, ...number, choices: [2, 3, 4, 5] },
  opt: { default: "sgd", ...text },
  lr: { default: 0.1, ...number, choices: LEARNING_RATES },
  batch: { default: 0, ...number, choices: [0, 1, 4, 8, 16, 32, 64, 128] },
  l2: { default: 0, ...number, choices: LAMBDAS },
  l1: { default: 0, ...number, choices: LAMBDAS },
  keep: { default: 1, ...number, choices: [1, 0.9, 0.8, 0.7, 0.5, 0.3] },
  inoise: { default: 0, ...number, choices: [0, 0.05, 0.1, 0.2, 0.5] },
  seed: { default: 0, ...number },
  speed: { default: 5, ...number, choices: [1, 2, 5, 10, 20, 50, 100] },
  test: { default: true, ...flag },
  disc: { default: false, ...flag },
  log: { default: false, ...flag },
  contrib: { default: true, ...flag },
  space: { default: false, ...flag },
  slayer: { default: 0, ...number }, // the hidden layer whose space is shown, 1 = first; 0 = last
  saxes: { default: 0, ...number }, // its axes: 0 = its own (or principal directions), k = units k, k+1
  lang: { default: "en", ...text },
  hide: { default: [], parse: (v) => v.split(",").map((s) => s.trim()).filter(Boolean),
    format: (v) => v.join(",") },
};

// The panel groups a link can hide (?hide=data,regularization): data-group in the template.
export const PANEL_GROUPS = ["run", "training", "data", "network", "output", "regularization"];

// A hide= list -> the groups it hides, matched ignoring case (a lecturer's "Data" means data),
// and the names it gives that are no group, as typed.
export function panelsToHide(hide) {
  const named = new Set(hide.map((name) => name.toLowerCase()));
  return {
    groups: PANEL_GROUPS.filter((group) => named.has(group)),
    unknown: hide.filter((name) => !PANEL_GROUPS.includes(name.toLowerCase())),
  };
}

export function defaults() {
  return Object.fromEntries(Object.entries(CONTROLS).map(([k, c]) => [k, structuredClone(c.default)]));
}

// URL query -> state. Unknown keys are ignored; a malformed value falls back to its default.
export function fromURL(search = window.location.search) {
  const state = defaults();
  const query = new URLSearchParams(search);
  for (const [key, control] of Object.entries(CONTROLS)) {
    if (!query.has(key)) continue;
    const value = control.parse(query.get(key));
    const bad = typeof value === "number" && !Number.isFinite(value);
    if (!bad) state[key] = value;
  }
  if (state.prob === "regression" && !query.has("noise")) state.noise = REGRESSION_NOISE;
  const hash = new URLSearchParams(window.location.hash.slice(1));
  state.own = parseOwnPoints(hash.get("pts"));
  state.curve = parseCurve(hash.get("curve"));
  if (state.tgt === "drawn" && !state.curve) state.tgt = CONTROLS.tgt.default;
  return state;
}

// state -> a URL that reproduces it: only what differs from the defaults.
export function toURL(state) {
  const query = new URLSearchParams();
  for (const [key, control] of Object.entries(CONTROLS)) {
    const value = control.format(state[key]);
    if (value !== control.format(control.default)) query.set(key, value);
  }
  let hash = "";
  if (state.prob === "regression" && state.tgt === "drawn" && state.curve) {
    hash = `#curve=${state.curve.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(";")}`;
  } else if (state.prob !== "regression" && state.own) {
    hash = `#pts=${formatOwnPoints(state.own)}`;
  }
  // commas stay commas (hidden=8,8&hide=data,network): a link a person can read and type
  return `${window.location.pathname}?${String(query).replaceAll("%2C", ",")}${hash}`;
}

// Own points travel in the URL's hash, two decimals each: "x,y,label;x,y,label".
function parseOwnPoints(value) {
  if (!value) return null;
  const rows = value.split(";").map((row) => row.split(",").map(Number));
  const ok = rows.every((r) => r.length === 3 && r.every(Number.isFinite));
  return ok && rows.length ? rows : null;
}

// A drawn curve: "x,y;x,y" with increasing x.
function parseCurve(value) {
  if (!value) return null;
  const rows = value.split(";").map((row) => row.split(",").map(Number));
  const ok = rows.length >= 2 && rows.every((r) => r.length === 2 && r.every(Number.isFinite))
    && rows.every((r, i) => i === 0 || r[0] > rows[i - 1][0]);
  return ok ? rows : null;
}

function formatOwnPoints(rows) {
  return rows.map(([x, y, label]) => `${x.toFixed(2)},${y.toFixed(2)},${label}`).join(";");
}

// state -> the session config the API takes.
export function toConfig(state, binaryAllowed) {
  if (state.prob === "regression") return regressionConfig(state);
  const loss = binaryAllowed || !state.loss.startsWith("binary") ? state.loss : "softmax";
  return {
    dataset: {
      name: state.ds,
      n_points: state.points,
      n_classes: state.classes,
      noise: state.noise,
      train_fraction: state.train / 100,
      seed: state.dseed,
      points: state.own,
    },
    model: modelConfig(state, loss),
    training: trainingSettings(state),
    seed: state.seed,
  };
}

function modelConfig(state, loss) {
  return {
    hidden: state.hidden,
    activation: state.act,
    loss,
    init: state.init,
    bias_init: 0,
    maxout_pieces: state.pieces,
    leaky_slope: 0.01,
  };
}

function regressionConfig(state) {
  return {
    problem: "regression",
    target: {
      name: state.tgt,
      n_points: state.points,
      noise: state.noise,
      train_fraction: state.train / 100,
      seed: state.dseed,
      curve: state.tgt === "drawn" ? state.curve : null,
    },
    model: modelConfig(state, "squared_error"),
    training: trainingSettings(state),
    seed: state.seed,
  };
}

// The settings PATCH can change mid-run.
export function trainingSettings(state) {
  return {
    optimizer: state.opt,
    learning_rate: state.lr,
    batch_size: state.batch || null,
    l2: state.l2,
    l1: state.l1,
    keep_prob: state.keep,
    input_noise: state.inoise,
  };
}

export const LIVE_KEYS = ["opt", "lr", "batch", "l2", "l1", "keep", "inoise"];
export const VIEW_KEYS = ["test", "disc", "log", "contrib", "space", "slayer", "saxes", "lang",
  "speed", "hide"];

// The session config's fields as the page labels them (strings.js keys), so an error the API
// reports about one names it as the person knows it (errors.js).
export const CONFIG_LABELS = {
  "dataset.name": { label: "data.title" }, "dataset.n_points": { label: "data.points" },
  "dataset.n_classes": { label: "data.classes" }, "dataset.noise": { label: "data.noise" },
  "dataset.train_fraction": { label: "data.train_ratio" }, "dataset.seed": { label: "data.seed" },
  "dataset.points": { label: "own.title" }, "target.n_points": { label: "data.points" },
  "target.noise": { label: "data.noise" }, "target.train_fraction": { label: "data.train_ratio" },
  "target.seed": { label: "data.seed" }, "target.curve": { label: "target.drawn" },
  "model.hidden": { label: "net.layers" }, "model.activation": { label: "net.activation" },
  "model.loss": { label: "net.loss" }, "model.init": { label: "net.init" },
  "model.maxout_pieces": { label: "net.pieces" }, "training.optimizer": { label: "train.optimizer" },
  "training.learning_rate": { label: "train.learning_rate" },
  "training.batch_size": { label: "train.batch" }, "training.l2": { label: "reg.l2" },
  "training.l1": { label: "reg.l1" }, "training.keep_prob": { label: "reg.keep" },
  "training.input_noise": { label: "reg.input_noise" }, seed: { label: "reg.seed" },
};
