// Dataset thumbnails: each dataset's points drawn small on a canvas.
import { CLASS_COLORS } from "./decision.js";

// points: [[x, y, label]]; the plane [-1.5, 1.5]² fills the canvas.
export function drawThumbnail(canvas, points) {
  const size = canvas.width;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, size, size);
  for (const [x, y, label] of points) {
    ctx.fillStyle = CLASS_COLORS[label];
    const px = ((x + 1.5) / 3) * size;
    const py = (1 - (y + 1.5) / 3) * size;
    ctx.fillRect(px - 1, py - 1, 2.5, 2.5);
  }
}
