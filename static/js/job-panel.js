// A background job's panel (static/js: the seed lottery, representational power, depth):
// start, long-poll with progress, cancel, show the result, download it as JSON. Its elements
// are the ids templates/_job.html writes, each with the panel's prefix.
import * as api from "./api.js";
import { describeError } from "./errors.js";
import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

// prefix: of the ids; start(): a Promise of the job's view; show(view): draws a finished job;
// lang(): the page's language now; json(view): what the JSON download holds; name: its file;
// fields: the form's fields by the API's names for them, so an error names them (errors.js).
export function jobPanel({ prefix = "", start, show, lang, json, name, fields = {} }) {
  const el = (id) => $(prefix + id);
  const panel = { progress: null, result: null, show, running: false };
  const running = (on) => {
    panel.running = on;
    el("start").disabled = on;
    el("cancel").disabled = !on;
  };
  api.cancelJobOnLeave(() => (panel.running && panel.progress ? panel.progress.id : null));
  panel.message = (text) => {
    panel.error = null;
    el("message").hidden = !text;
    el("message-text").textContent = text || "";
  };
  // An error, in the page's language (again after a language switch).
  panel.fail = (error) => {
    panel.message(describeError(lang(), error, fields));
    panel.error = error;
  };
  panel.showProgress = (view) => {
    panel.progress = view;
    el("progress").value = view.progress;
    el("progress-text").textContent = t(lang(), `seeds.status.${view.status}`, view);
  };
  // After a language switch: the progress line and the result in the new language.
  panel.relabel = () => {
    if (panel.progress) panel.showProgress(panel.progress);
    if (panel.error) panel.fail(panel.error);
    if (panel.result) Promise.resolve(show(panel.result)).catch(panel.fail);
  };
  el("start").addEventListener("click", async () => {
    panel.message(null);
    try {
      let view = await start();
      running(true);
      while (view.status === "queued" || view.status === "running") {
        panel.showProgress(view);
        view = await api.job(view.id, 1);
      }
      panel.showProgress(view);
      if (view.result) {
        panel.result = view;
        await show(view);
      }
      if (view.status === "failed") panel.message(view.error);
    } catch (error) {
      panel.fail(error);
    }
    running(false);
  });
  el("cancel").addEventListener("click", () => {
    if (panel.progress) api.cancelJob(panel.progress.id).catch(panel.fail);
  });
  el("download-json").addEventListener("click", () => download(json(panel.result), name));
  return panel;
}

function download(data, name) {
  const link = document.createElement("a");
  const text = JSON.stringify(data, null, 2);
  link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}
