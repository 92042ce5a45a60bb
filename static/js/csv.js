// Points as CSV: one "x,y,label" row per point, an optional header line.
const MAX_ROWS = 2000;

export function parseCSV(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length && /[a-z]/i.test(lines[0])) lines.shift(); // a header
  if (!lines.length) throw new Error("no rows");
  if (lines.length > MAX_ROWS) throw new Error(`more than ${MAX_ROWS} rows`);
  return lines.map((line, i) => {
    const cells = line.split(/[,;\t]/).map((c) => Number(c.trim()));
    const [x, y, label] = cells;
    if (cells.length !== 3 || !cells.every(Number.isFinite)) {
      throw new Error(`row ${i + 1} needs three numbers`);
    }
    if (!Number.isInteger(label) || label < 0 || label > 5) {
      throw new Error(`row ${i + 1}: the label must be a whole number 0 to 5`);
    }
    return [x, y, label];
  });
}

export function formatCSV(points) {
  return ["x,y,label", ...points.map(([x, y, label]) => `${x},${y},${label}`)].join("\n") + "\n";
}
