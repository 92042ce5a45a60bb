// Numbers as the pages show them, so a lesson's text and the playground's readouts agree.
export const percent = (v) => (v === null || v === undefined ? "–" : `${(100 * v).toFixed(1)}%`);
