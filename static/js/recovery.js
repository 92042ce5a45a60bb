// A run the server no longer has (idle past its expiry, or the server restarted) is built again
// with the same settings, and the page says so. Once: if the new run is lost too before a frame
// of it arrives (alive()), that error is shown like any other.
import { describeError } from "./errors.js";
import { t } from "./i18n.js";

// rebuild(): builds the run again -> whether it exists now; say(text): the page's message box;
// lang(): the page's language now.
export function recovery(rebuild, say, lang) {
  let rebuilding = false;
  return {
    // Shows the error, or builds the lost run again.
    async failed(error) {
      if (error.status !== 404 || rebuilding) return say(describeError(lang(), error));
      rebuilding = true;
      if (await rebuild()) say(t(lang(), "error.renewed"));
    },
    alive() {
      rebuilding = false;
    },
  };
}
