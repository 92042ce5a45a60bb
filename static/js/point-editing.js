// Editing the playground's data on its plot. A mouse or pen edits directly, as it always did:
// a click adds a point of the chosen class, shift-click or right-click removes the nearest, a
// drag draws a 1-D target. A finger edits only in an explicit mode, switched under the plot
// (the switch appears on touch screens): otherwise every tap meant to look would add a point
// and restart the run, and a swipe meant to scroll would draw. The page scrolls under a finger
// except while the mode is on (touch-action: none on the plot only then).
import { t } from "./i18n.js";
import { CLASS_COLORS } from "./plots/decision.js";

const $ = (id) => document.getElementById(id);
const REMOVE = "remove";
const HINTS = { // element id -> its key with a mouse, its key on a touch screen
  "own-hint": ["own.hint", "edit.own_hint_touch"],
  "draw-hint": ["fit.draw_hint", "edit.draw_hint_touch"],
};

// points with the one nearest to `at` left out.
function withoutNearest(points, at) {
  const distance = (p) => (p[0] - at[0]) ** 2 + (p[1] - at[1]) ** 2;
  const nearest = points.reduce((best, p, i) => (distance(p) < distance(points[best]) ? i : best), 0);
  return points.filter((_, i) => i !== nearest);
}

// surface: the plot's div. Returns what the glue asks: may this press edit, what does a press
// do to the points, and update(kind, lang) whenever the problem or the language changes, where
// kind is what the plot lets a person edit: "points", "curve" (a 1-D target) or null.
export function plotEditing(surface) {
  let on = false;
  let kind = null;
  let lang = "en";
  let touch = matchMedia("(any-pointer: coarse)").matches; // or a touch seen, below

  function show() {
    const editing = on && kind !== null;
    $("edit-bar").hidden = !touch || !kind;
    $("edit-mode").textContent = t(lang, kind === "curve" ? "edit.draw" : "edit.add");
    $("edit-mode").setAttribute("aria-pressed", String(editing));
    $("edit-tool-row").hidden = !editing || kind !== "points";
    $("edit-hint").textContent = editing ? t(lang, `edit.hint_${kind}`) : "";
    surface.classList.toggle("editing", editing); // touch-action: none, only while editing
    fillTool();
    for (const [id, keys] of Object.entries(HINTS)) {
      $(id).dataset.i18n = keys[Number(touch)]; // a language switch keeps the right one
      $(id).textContent = t(lang, $(id).dataset.i18n);
    }
  }

  // What a tap does: add a point of a class (the class menu's classes), or remove one.
  function fillTool() {
    const tool = $("edit-tool").value || $("paint-class").value;
    const classes = [...$("paint-class").options].map((option) => option.value);
    $("edit-tool").replaceChildren(
      ...classes.map((k) => new Option(t(lang, "edit.add_class", { k }), k)),
      new Option(t(lang, "edit.remove"), REMOVE));
    $("edit-tool").value = tool;
    showSwatch();
  }

  function showSwatch() {
    const tool = $("edit-tool").value;
    $("edit-swatch").hidden = tool === REMOVE;
    $("edit-swatch").style.background = CLASS_COLORS[Number(tool)] ?? "";
  }

  // The class a finger adds is the one a click adds: the two menus are one choice.
  $("edit-tool").addEventListener("change", () => {
    if ($("edit-tool").value !== REMOVE) $("paint-class").value = $("edit-tool").value;
    showSwatch();
  });
  $("paint-class").addEventListener("change", () => {
    if ($("edit-tool").value !== REMOVE) $("edit-tool").value = $("paint-class").value;
    showSwatch();
  });
  $("edit-mode").addEventListener("click", () => {
    on = !on;
    show();
  });
  // a laptop's touch screen may not say so in its media queries: its first touch does
  document.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "touch" && !touch) {
      touch = true;
      show();
    }
  }, true);

  return {
    allows: (event) => event.pointerType !== "touch" || (on && kind !== null),
    // The points after a press at `at` (data coordinates), or null when nothing changes.
    edited(points, at, event) {
      const tool = event.pointerType === "touch" ? $("edit-tool").value
        : event.shiftKey || event.button === 2 ? REMOVE : $("paint-class").value;
      if (tool !== REMOVE) return [...points, [at[0], at[1], Number(tool)]];
      return points.length ? withoutNearest(points, at) : null;
    },
    update(newKind, newLang) {
      if (newKind !== kind) on = false; // the mode belongs to what it edited
      [kind, lang] = [newKind, newLang];
      show();
    },
  };
}
