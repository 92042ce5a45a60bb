// Dataset and target thumbnails: each one's points (and a 1-D target's curve) drawn small.
import { CLASS_COLORS } from "./decision.js";

const PLANE = 1.2; // the playground's plane for the datasets: [-1.2, 1.2]²

// points: [[x, y, label]]; the plane fills the canvas.
export function drawThumbnail(canvas, points) {
  const size = canvas.width;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, size, size);
  for (const [x, y, label] of points) {
    ctx.fillStyle = CLASS_COLORS[label];
    const px = ((x + PLANE) / (2 * PLANE)) * size;
    const py = (1 - (y + PLANE) / (2 * PLANE)) * size;
    ctx.fillRect(px - 1, py - 1, 2.5, 2.5);
  }
}

// preview: {inputs, curve: [[x, y]] (1-D), points: [[x, y]] or [[x1, x2, value]]}. 1-D: x over
// [-π, π], y over [-1.5, 1.5]; 2-D: the plane [-1.5, 1.5]², points blue below 0, red above.
export function drawTargetThumbnail(canvas, preview) {
  const size = canvas.width;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, size, size);
  const px = (x, extent) => ((x + extent) / (2 * extent)) * size;
  const py = (y) => (1 - (y + 1.5) / 3) * size;
  if (preview.inputs === 2) {
    for (const [x, y, value] of preview.points) {
      const t = Math.min(1, Math.abs(value));
      ctx.fillStyle = value < 0 ? `rgba(46,134,171,${0.2 + 0.8 * t})` : `rgba(228,87,46,${0.2 + 0.8 * t})`;
      ctx.fillRect(px(x, 1.5) - 1.5, py(y) - 1.5, 3, 3);
    }
    return;
  }
  ctx.fillStyle = CLASS_COLORS[1];
  for (const [x, y] of preview.points) ctx.fillRect(px(x, Math.PI) - 1, py(y) - 1, 2.5, 2.5);
  ctx.strokeStyle = "#1d2330";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  const curve = preview.curve.length > 1 ? preview.curve : [];
  const ends = [[-Math.PI, curve[0]?.[1]], ...curve, [Math.PI, curve.at(-1)?.[1]]];
  ends.filter((p) => p[1] !== undefined).forEach(([x, y], i) =>
    (i ? ctx.lineTo(px(x, Math.PI), py(y)) : ctx.moveTo(px(x, Math.PI), py(y))));
  ctx.stroke();
}
