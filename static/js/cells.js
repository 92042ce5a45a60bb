// What a decision grid's cells say, without drawing them: which class wins where, how many
// separate regions the classes form, and the boundary between them as line segments.
// A grid is the API's {resolution, classes, cells}: one byte per cell (class << 5 | confidence
// level), base64, row 0 at y_min.

export const LEVELS = 32; // confidence levels per class in a grid byte

// -> Uint8Array of R·R winning classes, row 0 at y_min
export function winners(grid) {
  const bytes = atob(grid.cells);
  const classes = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) classes[i] = bytes.charCodeAt(i) >> 5;
  return classes;
}

// The number of 4-connected regions of equal class: one per class for a straight boundary;
// every island a network carves around a few points adds one.
export function countRegions(grid) {
  const r = grid.resolution;
  const classes = winners(grid);
  const seen = new Uint8Array(r * r);
  const stack = [];
  let regions = 0;
  for (let start = 0; start < r * r; start++) {
    if (seen[start]) continue;
    regions += 1;
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop();
      const row = Math.floor(i / r);
      const col = i % r;
      for (const j of [col > 0 ? i - 1 : -1, col < r - 1 ? i + 1 : -1, row > 0 ? i - r : -1,
        row < r - 1 ? i + r : -1]) {
        if (j >= 0 && !seen[j] && classes[j] === classes[i]) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
  }
  return regions;
}

// Where the winning class changes, as line segments in grid units (column, row from the top):
// for each class k a field that is +confidence where k wins and −confidence elsewhere, whose
// zero crossings (linear between neighbouring samples, as in marching squares) trace k's edge.
// For two classes both fields give the same line, so one is enough.
export function boundarySegments(grid) {
  const r = grid.resolution;
  const bytes = atob(grid.cells);
  const classes = Math.max(grid.classes, 2);
  const segments = [];
  const field = new Float32Array(r * r);
  for (let k = 0; k < (classes === 2 ? 1 : classes); k++) {
    for (let i = 0; i < r * r; i++) {
      const byte = bytes.charCodeAt(i);
      const level = (byte & (LEVELS - 1)) + 0.5; // never 0: the sign alone says who wins
      field[i] = byte >> 5 === k ? level : -level;
    }
    marchingSquares(field, r, segments);
  }
  return segments;
}

// field: R×R values, row 0 at y_min -> segments [x0, y0, x1, y1] in grid units, y downwards.
function marchingSquares(field, r, segments) {
  const corners = [[0, 0], [1, 0], [1, 1], [0, 1]]; // around a square, anticlockwise
  const v = new Float32Array(4);
  for (let row = 0; row < r - 1; row++) {
    for (let col = 0; col < r - 1; col++) {
      const i = row * r + col;
      v[0] = field[i]; v[1] = field[i + 1]; v[2] = field[i + r + 1]; v[3] = field[i + r];
      const positive = (v[0] > 0) + (v[1] > 0) + (v[2] > 0) + (v[3] > 0);
      if (positive === 0 || positive === 4) continue;
      const points = [];
      for (let e = 0; e < 4; e++) {
        const f = (e + 1) % 4;
        if ((v[e] > 0) === (v[f] > 0)) continue;
        const t = v[e] / (v[e] - v[f]); // where the line from corner e to f crosses 0
        const x = col + corners[e][0] + t * (corners[f][0] - corners[e][0]);
        const y = row + corners[e][1] + t * (corners[f][1] - corners[e][1]);
        points.push(x, r - 1 - y);
      }
      // two crossings, or four at a saddle: pair them in order around the square
      for (let p = 0; p + 3 < points.length; p += 4) segments.push(points.slice(p, p + 4));
    }
  }
}

