// The Share control: the link of the current setup with the panels the lecturer picks hidden,
// to copy, to open, or to show as a QR code (drawn by the app itself) on a projector.
import { qrImage } from "./api.js";
import { t } from "./i18n.js";
import { PANEL_GROUPS, panelsToHide, toURL } from "./state.js";

const $ = (id) => document.getElementById(id);
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]); // only this computer
const bytes = (text) => new TextEncoder().encode(text).length;

// getState() -> the page's state now; maxBytes: the most a QR code holds (GET /api/options).
export function setupShare(getState, maxBytes) {
  const dialog = $("share");
  const say = (key, values) => t(getState().lang, key, values);
  const update = () => showLink(getState(), chosenGroups(), maxBytes, say);
  $("share-open").addEventListener("click", () => {
    showGroups(panelsToHide(getState().hide).groups, say);
    $("share-status").textContent = "";
    update();
    dialog.showModal();
  });
  $("share-close").addEventListener("click", () => dialog.close());
  $("share-groups").addEventListener("change", update);
  $("share-copy").addEventListener("click", () => copy(say));
  $("share-link").addEventListener("focus", (event) => event.target.select());
  $("share-qr").addEventListener("error", () => {
    $("share-status").textContent = say("share.qr_failed");
  });
  // The page's keys (space plays, s steps, r resets) do nothing behind the open dialog.
  dialog.addEventListener("keydown", (event) => event.stopPropagation());
}

// One checkbox per panel group; checked: hidden in the shared page.
function showGroups(hidden, say) {
  const boxes = PANEL_GROUPS.map((group) => {
    const label = document.createElement("label");
    const box = Object.assign(document.createElement("input"),
      { type: "checkbox", value: group, checked: hidden.includes(group) });
    label.append(box, ` ${say(`share.group.${group}`)}`);
    return label;
  });
  $("share-groups").replaceChildren(...boxes);
}

function chosenGroups() {
  return [...$("share-groups").querySelectorAll("input:checked")].map((box) => box.value);
}

// The link carries everything, own points and a drawn curve too (they travel after #); the QR
// code leaves that part out when the whole link would not fit, and says so.
function showLink(state, hide, maxBytes, say) {
  const link = new URL(toURL({ ...state, hide }), window.location.href).href;
  const withoutHash = link.split("#")[0];
  let coded = null;
  if (bytes(link) <= maxBytes) coded = link;
  else if (bytes(withoutHash) <= maxBytes) coded = withoutHash;
  $("share-link").value = link;
  $("share-preview").href = link;
  const qr = $("share-qr");
  qr.hidden = coded === null;
  if (coded !== null && qr.dataset.text !== coded) {
    Object.assign(qr, { src: qrImage(coded), alt: say("share.qr_alt") });
    qr.dataset.text = coded;
  }
  $("share-qr-note").textContent = coded === null ? "" : say("share.qr_note");
  const note = $("share-left-out");
  note.hidden = coded === link;
  if (coded !== link) {
    const what = link.includes("#pts=") ? say("share.own_points", { count: state.own.length })
      : say("share.drawn_curve");
    note.textContent = say(coded === null ? "share.too_long" : "share.left_out",
      { what, length: bytes(link), max: maxBytes });
  }
  $("share-host").hidden = !LOCAL_HOSTS.has(window.location.hostname);
  $("share-host").textContent = say("share.local_host", { host: window.location.host });
}

// Copy through the Clipboard API where the page has it (a secure context: https or this
// computer); else select the link and ask the browser to copy it; else say how.
async function copy(say) {
  const input = $("share-link");
  let copied = false;
  try {
    await navigator.clipboard.writeText(input.value);
    copied = true;
  } catch {
    input.select();
    copied = document.execCommand("copy");
  }
  $("share-status").textContent = say(copied ? "share.copied" : "share.copy_by_hand");
}
