// Ticks at 1, 2 and 5 times the powers of ten that the values span (only 1 beyond four
// decades), each labelled in full: Plotly's own log ticks label 2 and 5 as bare digits. Within
// one decade Plotly's ticks are finer and labelled in full already.
export function logTicks(values) {
  const positive = values.filter((v) => v > 0);
  const [least, most] = [Math.min(...positive), Math.max(...positive)];
  if (!positive.length || most / least < 10) return {};
  const low = Math.floor(Math.log10(least));
  const high = Math.ceil(Math.log10(most));
  const mantissas = high - low > 4 ? [1] : [1, 2, 5];
  const tickvals = [];
  for (let power = low; power <= high; power += 1) {
    for (const mantissa of mantissas) tickvals.push(Number(`${mantissa}e${power}`));
  }
  const ticktext = tickvals.map((v) => (v >= 1e-3 ? String(v) : v.toExponential(0)));
  return { tickvals, ticktext };
}
