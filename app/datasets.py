"""2-D classification datasets: generators, a registry, a train/test split and point validation.

Every generator is `fn(n_points, noise, n_classes, rng) -> (X, y)` with X float64 (N, 2), roughly
inside [-1, 1]^2, and y int64 (N,) holding labels 0..C-1, class by class. Points are split over
the classes as evenly as possible, the remainder going to the first classes. All randomness comes
from the passed-in `numpy.random.Generator`.
"""

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

MIN_POINTS = 10
MAX_POINTS = 2000
DEFAULT_POINTS = 300
MIN_TRAIN_FRACTION = 0.1
MAX_TRAIN_FRACTION = 1.0
MAX_CLASSES = 6
COORD_LIMIT = 6.0  # absolute bound on any coordinate of a custom point

Dataset = tuple[np.ndarray, np.ndarray]  # X float64 (N, 2), y int64 (N,)
Generate = Callable[[int, float, int, np.random.Generator], Dataset]


class DatasetError(ValueError):
    """A dataset request or a custom point set is invalid; the message says what to fix."""


@dataclass(frozen=True)
class DatasetSpec:
    """One entry of the registry: how to generate a dataset and which settings it allows."""

    name: str
    generate: Generate
    min_classes: int
    max_classes: int
    default_classes: int
    default_noise: float
    description: str


def _class_sizes(n_points: int, n_classes: int) -> list[int]:
    """Points per class: as even as possible, the remainder to the first classes."""
    base, extra = divmod(n_points, n_classes)
    return [base + (j < extra) for j in range(n_classes)]


def _labels(sizes: list[int]) -> np.ndarray:
    """Labels class by class: y int64 (sum(sizes),)."""
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def _polar(r: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Points at radius r (N,) and angle t (N,): (N, 2)."""
    return np.c_[r * np.cos(t), r * np.sin(t)]


def spiral(n_points: int, noise: float, n_classes: int, rng: np.random.Generator) -> Dataset:
    """CS231n spiral arms; noise is the std of the angle jitter. Returns X (N, 2), y (N,)."""
    sizes = _class_sizes(n_points, n_classes)
    parts = []
    for j, n_j in enumerate(sizes):
        r = np.linspace(0.0, 1, n_j)
        t = np.linspace(j * 4, (j + 1) * 4, n_j) + rng.standard_normal(n_j) * noise
        parts.append(np.c_[r * np.sin(t), r * np.cos(t)])
    return np.concatenate(parts), _labels(sizes)


def circle(n_points: int, noise: float, n_classes: int, rng: np.random.Generator) -> Dataset:
    """A disk (class 0) inside rings out to radius 1; jitter std noise / C. X (N, 2), y (N,)."""
    sizes = _class_sizes(n_points, n_classes)
    width = 1.0 / n_classes  # class j owns radii [j, j + 1] * width, less a 30 % gap
    parts = []
    for j, n_j in enumerate(sizes):
        r_in = (j + 0.3) * width if j > 0 else 0.0
        r_out = (j + 1) * width if j > 0 else 0.7 * width
        r = np.sqrt(rng.uniform(r_in**2, r_out**2, n_j))  # uniform over the ring's area
        parts.append(_polar(r, rng.uniform(0.0, 2 * np.pi, n_j)))
    X = np.concatenate(parts)
    return X + rng.normal(0.0, noise * width, X.shape), _labels(sizes)


def xor(n_points: int, noise: float, n_classes: int, rng: np.random.Generator) -> Dataset:
    """Quadrants, label 1 where x*y > 0; jitter std noise / 2. X (N, 2), y (N,)."""
    sizes = _class_sizes(n_points, 2)
    padding = 0.06  # keeps points off the axes, as in TensorFlow Playground
    parts = []
    for j, n_j in enumerate(sizes):
        magnitude = rng.uniform(padding, 1.0, (n_j, 2))
        x_sign = rng.choice([-1.0, 1.0], n_j)
        y_sign = x_sign if j == 1 else -x_sign
        parts.append(magnitude * np.c_[x_sign, y_sign])
    X = np.concatenate(parts)
    return X + rng.normal(0.0, noise / 2, X.shape), _labels(sizes)


def gauss(n_points: int, noise: float, n_classes: int, rng: np.random.Generator) -> Dataset:
    """Blobs centred on a circle of radius 0.6, std 0.1 + 0.4 * noise. X (N, 2), y (N,)."""
    sizes = _class_sizes(n_points, n_classes)
    angles = np.pi / 4 + 2 * np.pi * np.arange(n_classes) / n_classes
    centers = _polar(np.full(n_classes, 0.6), angles)
    std = 0.1 + 0.4 * noise
    parts = [rng.normal(centers[j], std, (n_j, 2)) for j, n_j in enumerate(sizes)]
    return np.concatenate(parts), _labels(sizes)


def moons(n_points: int, noise: float, n_classes: int, rng: np.random.Generator) -> Dataset:
    """sklearn's two moons with jitter std noise, scaled by 2/3 to fit. X (N, 2), y (N,)."""
    n_outer, n_inner = _class_sizes(n_points, 2)
    t_outer = rng.uniform(0.0, np.pi, n_outer)
    t_inner = rng.uniform(0.0, np.pi, n_inner)
    outer = np.c_[np.cos(t_outer), np.sin(t_outer)]
    inner = np.c_[1 - np.cos(t_inner), 0.5 - np.sin(t_inner)]
    X = np.concatenate([outer, inner])
    X = X + rng.normal(0.0, noise, X.shape)  # sklearn's units, before rescaling
    return (X - [0.5, 0.25]) / 1.5, _labels([n_outer, n_inner])


def _uniform_square(n: int, keep: Callable, rng: np.random.Generator) -> np.ndarray:
    """n uniform points of [-1, 1]^2 for which keep(points (M, 2)) -> bool (M,) holds: (n, 2)."""
    found = np.empty((0, 2))
    while len(found) < n:
        batch = rng.uniform(-1.0, 1.0, (2 * n + 16, 2))
        found = np.concatenate([found, batch[keep(batch)]])
    return found[:n]


def linear(n_points: int, noise: float, n_classes: int, rng: np.random.Generator) -> Dataset:
    """Two sides of a tilted line through 0, margin 0.1, jitter std noise / 2. X (N, 2), y (N,)."""
    sizes = _class_sizes(n_points, 2)
    normal = np.array([np.cos(np.pi / 9), np.sin(np.pi / 9)])  # the line leans 20° off vertical
    margin = 0.1
    side = [lambda P: P @ normal < -margin, lambda P: P @ normal > margin]
    X = np.concatenate([_uniform_square(n_j, side[j], rng) for j, n_j in enumerate(sizes)])
    return X + rng.normal(0.0, noise / 2, X.shape), _labels(sizes)


STRAY_SHARE = 0.03  # of each class, sitting alone on the other class's side
MAX_STRAYS = 6  # per class
STRAY_CLEARANCE = 0.35  # no point of the other class nearer than this to a stray
STRAY_DEPTH = 0.4  # a stray's least distance from the line


def _lonely_spots(count: int, on_side: Callable, rng: np.random.Generator) -> np.ndarray:
    """count spots of [-0.8, 0.8]² where on_side(points (M, 2)) -> bool (M,) holds, each at
    least STRAY_CLEARANCE from the others where the candidates allow it: (count, 2)."""
    candidates = _uniform_square(16 * count, on_side, rng) * 0.8
    chosen: list[int] = []
    for i, spot in enumerate(candidates):
        if all(np.hypot(*(spot - candidates[k])) >= 2 * STRAY_CLEARANCE for k in chosen):
            chosen.append(i)
    chosen += [i for i in range(len(candidates)) if i not in chosen]  # crowded: take the rest
    return candidates[chosen[:count]]


def outliers(n_points: int, noise: float, n_classes: int, rng: np.random.Generator) -> Dataset:
    """Two sides of a tilted line (as `linear`), and a few points of each class (3 %, 1 to 6)
    alone deep inside the other side: at least 0.4 from the line, with no point of the other
    class within 0.35. A small net draws the line and treats them as outliers; a big one can
    carve an island around each (the notes' overfitting figure). Jitter std noise / 2.
    X (N, 2), y (N,)."""
    sizes = _class_sizes(n_points, 2)
    normal = np.array([np.cos(np.pi / 9), np.sin(np.pi / 9)])
    side = [lambda P: P @ normal < -0.1, lambda P: P @ normal > 0.1]  # margin 0.1
    deep = [lambda P: P @ normal < -STRAY_DEPTH / 0.8, lambda P: P @ normal > STRAY_DEPTH / 0.8]
    n_strays = [min(MAX_STRAYS, max(1, round(STRAY_SHARE * n_j))) for n_j in sizes]
    strays = [_lonely_spots(n_strays[j], deep[1 - j], rng) for j in (0, 1)]
    parts = []
    for j, n_j in enumerate(sizes):
        others = strays[1 - j]  # the other class's strays sit on this side

        def clear(P, others=others, j=j):
            gaps = np.linalg.norm(P[:, None, :] - others[None, :, :], axis=2)
            return side[j](P) & (gaps.min(axis=1) > STRAY_CLEARANCE)

        parts += [_uniform_square(n_j - n_strays[j], clear, rng), strays[j]]
    X = np.concatenate(parts)
    return X + rng.normal(0.0, noise / 2, X.shape), _labels(sizes)


# fmt: off
_SPECS = [  # name, generate, min/max/default classes, default noise, description
    DatasetSpec("spiral", spiral, 2, 6, 3, 0.2,
                "Interleaved spiral arms (CS231n); noise jitters each point's angle."),
    DatasetSpec("circle", circle, 2, 6, 2, 0.1,
                "A disk inside concentric rings; noise blurs the gaps between them."),
    DatasetSpec("xor", xor, 2, 2, 2, 0.1,
                "Opposite quadrants share a class; noise pushes points across the axes."),
    DatasetSpec("gauss", gauss, 2, 6, 2, 0.2,
                "Gaussian blobs around a circle; noise widens the blobs until they overlap."),
    DatasetSpec("moons", moons, 2, 2, 2, 0.1,
                "Two interleaving half circles; noise scatters points off the arcs."),
    DatasetSpec("linear", linear, 2, 2, 2, 0.05,
                "Two classes either side of a tilted line; noise blurs the margin."),
    DatasetSpec("outliers", outliers, 2, 2, 2, 0.0,
                "Two sides of a line, with a few points of each class alone on the other side."),
]
# fmt: on
DATASETS: dict[str, DatasetSpec] = {spec.name: spec for spec in _SPECS}


def _is_number(value) -> bool:
    """True for real numbers (Python or numpy), False for bools, strings and the rest."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _is_sequence(value) -> bool:
    """True for lists, tuples and arrays of at least one dimension; False for strings."""
    if isinstance(value, np.ndarray):
        return value.ndim > 0
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _check_int(value, field: str, low: int, high: int) -> int:
    """value as an int if it is an integer in [low, high], else DatasetError."""
    is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)
    if not is_int or not low <= value <= high:
        allowed = f"{low}" if low == high else f"an integer from {low} to {high}"
        raise DatasetError(f"{field} must be {allowed}, got {value!r}")
    return int(value)


def _check_fraction(value, field: str, low: float, high: float) -> float:
    """value as a float if it is a finite number in [low, high], else DatasetError."""
    if not _is_number(value) or not math.isfinite(value) or not low <= value <= high:
        raise DatasetError(f"{field} must be a number from {low} to {high}, got {value!r}")
    return float(value)


def make_dataset(
    name: str,
    n_points: int = DEFAULT_POINTS,
    noise: float | None = None,
    n_classes: int | None = None,
    seed: int = 0,
) -> Dataset:
    """Validated, seeded dataset from the registry: X float64 (N, 2), y int64 (N,)."""
    if not isinstance(name, str) or name not in DATASETS:
        raise DatasetError(f"dataset must be one of {', '.join(DATASETS)}; got {name!r}")
    spec = DATASETS[name]
    n_points = _check_int(n_points, "n_points", MIN_POINTS, MAX_POINTS)
    noise = _check_fraction(spec.default_noise if noise is None else noise, "noise", 0.0, 1.0)
    n_classes = spec.default_classes if n_classes is None else n_classes
    n_classes = _check_int(n_classes, f"n_classes for {name}", spec.min_classes, spec.max_classes)
    return spec.generate(n_points, noise, n_classes, np.random.default_rng(seed))


def train_test_split(
    X: np.ndarray, y: np.ndarray, train_fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stratified random split of X (N, 2), y (N,) into copies X_train, y_train, X_test, y_test.

    Each class keeps round(train_fraction * its size) training points, at least one if it has
    two or more; both parts keep the input order.
    """
    train_fraction = _check_fraction(
        train_fraction, "train_fraction", MIN_TRAIN_FRACTION, MAX_TRAIN_FRACTION
    )
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise DatasetError(f"X must be (N, 2) and y (N,), got {X.shape} and {y.shape}")
    is_train = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_train = math.floor(train_fraction * len(members) + 0.5)  # half rounds up
        if len(members) >= 2:
            n_train = max(n_train, 1)
        is_train[members[:n_train]] = True
    return X[is_train].copy(), y[is_train].copy(), X[~is_train].copy(), y[~is_train].copy()


def _check_row(index: int, row) -> tuple[float, float, int]:
    """One custom point (x, y, label) as numbers, else DatasetError naming the row."""
    if not _is_sequence(row) or len(row) != 3:
        raise DatasetError(f"row {index}: expected 3 numbers (x, y, label), got {row!r}")
    for field, value in zip(("x", "y"), row[:2], strict=True):
        if not _is_number(value) or not math.isfinite(value) or abs(value) > COORD_LIMIT:
            raise DatasetError(
                f"row {index}: {field} must be a finite number within ±{COORD_LIMIT}, got {value!r}"
            )
    label = row[2]
    if not _is_number(label) or not float(label).is_integer() or not 0 <= label < MAX_CLASSES:
        raise DatasetError(
            f"row {index}: label must be an integer from 0 to {MAX_CLASSES - 1}, got {label!r}"
        )
    return float(row[0]), float(row[1]), int(label)


def validate_points(rows) -> Dataset:
    """Custom points from rows of (x, y, label): X float64 (N, 2), y int64 (N,)."""
    if not _is_sequence(rows):
        raise DatasetError("points must be a list of rows (x, y, label)")
    if not 1 <= len(rows) <= MAX_POINTS:
        raise DatasetError(f"points must have from 1 to {MAX_POINTS} rows, got {len(rows)}")
    checked = [_check_row(i, row) for i, row in enumerate(rows)]
    X = np.array([(x, y) for x, y, _ in checked], dtype=np.float64)
    y = np.array([label for _, _, label in checked], dtype=np.int64)
    return X, y
