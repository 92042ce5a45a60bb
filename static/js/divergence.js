// What the playground says after a run diverged: what happened, what to try (judged by the
// settings now, not those it diverged with), and the way out. A diverged run's weights have
// blown up (infinite, or so large their squares are), so new settings help only from a reset.
import { t } from "./i18n.js";

// The live settings (state.js's trainingSettings) a person may change after a divergence, with
// the label each has on the page.
const LABELS = {
  optimizer: "train.optimizer", learning_rate: "train.learning_rate", batch_size: "train.batch",
  l2: "reg.l2", l1: "reg.l1", keep_prob: "reg.keep", input_noise: "reg.input_noise",
};

// lang; diverged: {step, settings: those it diverged with}; now: the settings now.
export function divergenceText(lang, diverged, now) {
  const what = t(lang, "diverged.what", { step: diverged.step });
  const changed = changes(lang, diverged.settings, now);
  const blamed = suspects(lang, now);
  const and = t(lang, "diverged.and");
  if (!changed) {
    const suggestion = blamed.length ? blamed.join(and)
      : t(lang, "diverged.hint_default", { lr: now.learning_rate });
    return `${what} ${t(lang, "diverged.try", { suggestion })}`;
  }
  const also = blamed.length ? ` ${t(lang, "diverged.also", { suggestion: blamed.join(and) })}` : "";
  return `${what} ${t(lang, "diverged.changed", { changes: changed })}${also}`;
}

// What to try about the settings most likely to blame (none may look it).
function suspects(lang, s) {
  const values = { lr: s.learning_rate };
  const hints = [];
  const adam = s.optimizer === "adam" && s.learning_rate > 0.01;
  if (adam) hints.push(t(lang, "diverged.hint_adam", values));
  else if (s.learning_rate >= 1) hints.push(t(lang, "diverged.hint_lr", values));
  if (s.l2 >= 1 || s.l1 >= 1) hints.push(t(lang, "diverged.hint_reg"));
  return hints;
}

// "learning rate 0.1, L2 λ 0": the settings that differ from those the run diverged with.
function changes(lang, before, now) {
  const value = (key, v) => {
    if (key === "optimizer") return t(lang, `optimizer.${v}`);
    return v === null ? t(lang, "train.full_batch") : String(v);
  };
  return Object.entries(LABELS).filter(([key]) => before[key] !== now[key])
    .map(([key, label]) => `${t(lang, label)} ${value(key, now[key])}`).join(", ");
}
