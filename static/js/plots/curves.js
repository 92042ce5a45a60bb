// Loss and accuracy over steps: train data loss, total loss (data + regularization), test
// loss, and train/test accuracy on a second axis (when there is one: regression has none).
// Hover shows every value at a step.

const COLORS = { train: "#2e86ab", total: "#2e86ab", test: "#e4572e", accuracy: "#59a14f" };

// history: {steps: {step, data_loss, loss, ...}, evaluations: {step, test_loss, ...}} as
// accumulated by the page; labels: translated series names; log: log-scale loss axis.
export function drawCurves(div, history, labels, log) {
  const s = history.steps;
  const e = history.evaluations;
  const accuracy = e.train_accuracy.some((v) => v !== null);
  const traces = [
    { x: s.step, y: s.data_loss, name: labels.trainLoss, line: { color: COLORS.train, width: 2 } },
    { x: s.step, y: s.loss, name: labels.totalLoss,
      line: { color: COLORS.total, width: 1.5, dash: "dot" } },
    { x: e.step, y: e.test_loss, name: labels.testLoss, line: { color: COLORS.test, width: 2 } },
    { x: e.step, y: e.train_accuracy, name: labels.trainAccuracy, yaxis: "y2",
      line: { color: COLORS.accuracy, width: 1.5 } },
    { x: e.step, y: e.test_accuracy, name: labels.testAccuracy, yaxis: "y2",
      line: { color: COLORS.accuracy, width: 1.5, dash: "dash" } },
  ].slice(0, accuracy ? 5 : 3).map((t) => ({ type: "scatter", mode: "lines", ...t }));
  const layout = {
    margin: { l: 44, r: accuracy ? 52 : 12, t: 8, b: 30 },
    hovermode: "x unified",
    legend: { orientation: "h", y: -0.25, font: { size: 11 } },
    xaxis: { title: { text: labels.step, standoff: 4 }, zeroline: false },
    yaxis: { title: { text: labels.loss }, type: log ? "log" : "linear", zeroline: false },
    yaxis2: accuracy ? { title: { text: labels.accuracy }, overlaying: "y", side: "right",
      range: [0, 1], tickformat: ".0%", dtick: 0.25, zeroline: false, showgrid: false }
      : { visible: false, overlaying: "y" },
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "white",
    datarevision: s.step.length + e.step.length,
  };
  window.Plotly.react(div, traces, layout, { displayModeBar: false, responsive: true });
}
