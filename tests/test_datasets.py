import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.datasets import (
    COORD_LIMIT,
    DATASETS,
    DEFAULT_POINTS,
    MAX_CLASSES,
    MAX_POINTS,
    MIN_POINTS,
    DatasetError,
    make_dataset,
    spiral,
    train_test_split,
    validate_points,
)

ALL_SETTINGS = [
    (name, n_classes)
    for name, spec in DATASETS.items()
    for n_classes in range(spec.min_classes, spec.max_classes + 1)
]


# --- registry ---------------------------------------------------------------------------------


def test_registry_entries_are_consistent():
    assert list(DATASETS) == ["spiral", "circle", "xor", "gauss", "moons", "linear", "outliers"]
    for name, spec in DATASETS.items():
        assert spec.name == name
        assert 2 <= spec.min_classes <= spec.default_classes <= spec.max_classes <= MAX_CLASSES
        assert 0.0 <= spec.default_noise <= 1.0
        assert spec.description.endswith(".") and "\n" not in spec.description


def test_registry_entries_are_frozen():
    with pytest.raises(AttributeError):
        DATASETS["spiral"].default_noise = 0.5


# --- generators -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "n_classes"), ALL_SETTINGS)
def test_dataset_has_right_shapes_labels_and_counts(name, n_classes):
    n_points = 301  # not a multiple of any class count above 1, so a remainder is spread
    X, y = make_dataset(name, n_points=n_points, n_classes=n_classes, seed=3)
    assert X.shape == (n_points, 2) and X.dtype == np.float64
    assert y.shape == (n_points,) and y.dtype == np.int64
    base, extra = divmod(n_points, n_classes)
    expected = [base + 1] * extra + [base] * (n_classes - extra)
    assert np.bincount(y, minlength=n_classes).tolist() == expected
    assert np.isfinite(X).all()
    inside = (np.abs(X) <= 1.3).all(axis=1)
    assert inside.mean() >= 0.98


@pytest.mark.parametrize("name", list(DATASETS))
def test_smallest_and_largest_datasets_have_every_class(name):
    for n_points in (MIN_POINTS, MAX_POINTS):
        X, y = make_dataset(name, n_points=n_points, n_classes=DATASETS[name].max_classes)
        assert X.shape == (n_points, 2)
        assert set(y.tolist()) == set(range(DATASETS[name].max_classes))


@pytest.mark.parametrize("name", list(DATASETS))
def test_same_seed_gives_identical_arrays(name):
    X1, y1 = make_dataset(name, seed=11)
    X2, y2 = make_dataset(name, seed=11)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)


@pytest.mark.parametrize("name", list(DATASETS))
def test_different_seed_gives_different_points(name):
    X1, _ = make_dataset(name, seed=11)
    X2, _ = make_dataset(name, seed=12)
    assert not np.allclose(X1, X2)


def test_defaults_come_from_the_registry():
    X1, y1 = make_dataset("spiral")
    X2, y2 = make_dataset("spiral", n_points=DEFAULT_POINTS, noise=0.2, n_classes=3, seed=0)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)


def test_spiral_is_the_cs231n_formula():
    N, K, noise = 100, 3, 0.2
    X, y = spiral(N * K, noise, K, np.random.default_rng(7))

    rng = np.random.default_rng(7)
    X_ref = np.zeros((N * K, 2))
    y_ref = np.zeros(N * K, dtype=np.int64)
    for j in range(K):
        ix = range(N * j, N * (j + 1))
        r = np.linspace(0.0, 1, N)
        t = np.linspace(j * 4, (j + 1) * 4, N) + rng.standard_normal(N) * noise
        X_ref[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y_ref[ix] = j
    assert np.array_equal(X, X_ref)
    assert np.array_equal(y, y_ref)


@pytest.mark.parametrize(("n_points", "strays"), [(10, 1), (100, 2), (300, 4), (2000, 6)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_outliers_put_a_few_points_of_each_class_alone_on_the_other_side(seed, n_points, strays):
    X, y = make_dataset("outliers", n_points=n_points, noise=0.0, seed=seed)
    normal = np.array([np.cos(np.pi / 9), np.sin(np.pi / 9)])  # the line of `linear`
    side = X @ normal
    for label, sign in ((0, -1), (1, 1)):
        mine = y == label
        alone = mine & (sign * side < 0)
        assert alone.sum() == strays  # 3 % of the class, 1 to 6
        assert np.all(np.abs(side[alone]) >= 0.4 - 1e-9)  # deep inside the other side
        assert np.all(np.abs(side[mine & ~alone]) > 0.1)  # the rest keep the margin
        others = X[~mine]
        gaps = np.linalg.norm(X[alone][:, None, :] - others[None, :, :], axis=2)
        assert gaps.min() > 0.35  # no point of the other class near a stray


def test_xor_labels_follow_the_quadrant_sign_without_noise():
    X, y = make_dataset("xor", noise=0.0, seed=5)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(np.int64))
    assert np.abs(X).min() > 0.05  # padded away from the axes
    assert np.abs(X).max() <= 1.0


def test_linear_classes_are_separable_without_noise():
    X, y = make_dataset("linear", noise=0.0, seed=5)
    # any direction that separates the classes will do; find it by the class means
    normal = X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0)
    assert (X[y == 1] @ normal).min() > (X[y == 0] @ normal).max()


def test_circle_class_zero_is_innermost_and_rings_grow_outward():
    X, y = make_dataset("circle", noise=0.0, n_classes=4, seed=5)
    radius = np.linalg.norm(X, axis=1)
    for label in range(3):
        assert radius[y == label].max() < radius[y == label + 1].min()
    assert radius.max() <= 1.0


# --- make_dataset validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "squares"}, "dataset"),
        ({"name": None}, "dataset"),
        ({"name": "spiral", "n_points": MIN_POINTS - 1}, "n_points"),
        ({"name": "spiral", "n_points": MAX_POINTS + 1}, "n_points"),
        ({"name": "spiral", "n_points": 100.5}, "n_points"),
        ({"name": "spiral", "n_points": True}, "n_points"),
        ({"name": "spiral", "noise": -0.1}, "noise"),
        ({"name": "spiral", "noise": 1.01}, "noise"),
        ({"name": "spiral", "noise": float("nan")}, "noise"),
        ({"name": "spiral", "noise": float("inf")}, "noise"),
        ({"name": "spiral", "noise": "0.1"}, "noise"),
        ({"name": "spiral", "n_classes": 1}, "n_classes"),
        ({"name": "spiral", "n_classes": MAX_CLASSES + 1}, "n_classes"),
        ({"name": "xor", "n_classes": 3}, "n_classes"),
        ({"name": "gauss", "n_classes": 2.0}, "n_classes"),
    ],
)
def test_make_dataset_rejects_bad_settings(kwargs, field):
    with pytest.raises(DatasetError) as error:
        make_dataset(**kwargs)
    assert field in str(error.value)


def test_dataset_errors_name_the_allowed_values():
    with pytest.raises(DatasetError, match="spiral, circle, xor"):
        make_dataset("squares")
    with pytest.raises(DatasetError, match="from 10 to 2000"):
        make_dataset("spiral", n_points=5)
    with pytest.raises(DatasetError, match="from 2 to 6"):
        make_dataset("gauss", n_classes=9)
    assert issubclass(DatasetError, ValueError)


def test_make_dataset_accepts_the_edges_of_every_range():
    for n_points, noise in [(MIN_POINTS, 0.0), (MAX_POINTS, 1.0), (np.int64(50), np.float64(0.5))]:
        X, _ = make_dataset("gauss", n_points=n_points, noise=noise, n_classes=MAX_CLASSES)
        assert X.shape == (n_points, 2)


# --- train_test_split -------------------------------------------------------------------------


def test_split_is_deterministic_given_the_rng():
    X, y = make_dataset("spiral", seed=1)
    first = train_test_split(X, y, 0.7, np.random.default_rng(4))
    second = train_test_split(X, y, 0.7, np.random.default_rng(4))
    other = train_test_split(X, y, 0.7, np.random.default_rng(5))
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert not np.array_equal(first[0], other[0])


def test_split_is_stratified_and_loses_no_points():
    X, y = make_dataset("gauss", n_points=301, n_classes=3, seed=1)  # classes 101, 100, 100
    X_train, y_train, X_test, y_test = train_test_split(X, y, 0.7, np.random.default_rng(0))
    assert np.bincount(y_train).tolist() == [71, 70, 70]
    assert np.bincount(y_test).tolist() == [30, 30, 30]
    rows = np.c_[X, y]
    rows_after = np.r_[np.c_[X_train, y_train], np.c_[X_test, y_test]]
    assert np.array_equal(np.unique(rows, axis=0), np.unique(rows_after, axis=0))
    assert len(rows_after) == len(rows)


def test_split_keeps_a_training_point_for_every_class_of_two_or_more():
    X = np.zeros((12, 2))
    y = np.array([0] * 10 + [1] * 2)
    _, y_train, _, y_test = train_test_split(X, y, 0.1, np.random.default_rng(0))
    assert np.bincount(y_train).tolist() == [1, 1]
    assert np.bincount(y_test).tolist() == [9, 1]


def test_split_with_fraction_one_has_an_empty_test_set():
    X, y = make_dataset("moons")
    X_train, y_train, X_test, y_test = train_test_split(X, y, 1.0, np.random.default_rng(0))
    assert np.array_equal(X_train, X) and np.array_equal(y_train, y)
    assert X_test.shape == (0, 2) and X_test.dtype == np.float64
    assert y_test.shape == (0,) and y_test.dtype == np.int64


def test_split_returns_copies():
    X, y = make_dataset("moons")
    X_train, y_train, _, _ = train_test_split(X, y, 1.0, np.random.default_rng(0))
    X_train[:] = 99.0
    y_train[:] = 99
    assert np.abs(X).max() < 99.0 and y.max() == 1


@pytest.mark.parametrize("fraction", [0.05, 1.1, float("nan"), None])
def test_split_rejects_bad_fractions(fraction):
    X, y = make_dataset("moons")
    with pytest.raises(DatasetError, match="train_fraction"):
        train_test_split(X, y, fraction, np.random.default_rng(0))


# --- validate_points --------------------------------------------------------------------------


def test_validate_points_accepts_lists_tuples_and_arrays():
    rows = [[0.5, -0.25, 0], (1, 2, 1.0), [-COORD_LIMIT, COORD_LIMIT, np.int64(MAX_CLASSES - 1)]]
    X, y = validate_points(rows)
    assert X.dtype == np.float64 and X.shape == (3, 2)
    assert y.dtype == np.int64 and y.tolist() == [0, 1, MAX_CLASSES - 1]
    assert X.tolist() == [[0.5, -0.25], [1.0, 2.0], [-COORD_LIMIT, COORD_LIMIT]]
    X_array, y_array = validate_points(np.array([[0.5, -0.25, 0.0], [1.0, 2.0, 1.0]]))
    assert np.array_equal(X_array, X[:2]) and np.array_equal(y_array, y[:2])


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        ([1.0, 2.0], "3 numbers"),
        ([1.0, 2.0, 0, 4.0], "3 numbers"),
        ("1,2,0", "3 numbers"),
        (None, "3 numbers"),
        (["a", 0.0, 0], "x"),
        ([float("nan"), 0.0, 0], "x"),
        ([0.0, float("inf"), 0], "y"),
        ([COORD_LIMIT + 0.1, 0.0, 0], "x"),
        ([0.0, -COORD_LIMIT - 0.1, 0], "y"),
        ([0.0, True, 0], "y"),
        ([0.0, 0.0, 1.5], "label"),
        ([0.0, 0.0, -1], "label"),
        ([0.0, 0.0, MAX_CLASSES], "label"),
        ([0.0, 0.0, "1"], "label"),
        ([0.0, 0.0, float("nan")], "label"),
    ],
)
def test_validate_points_names_the_first_bad_row_and_field(bad_row, expected):
    rows = [[0.0, 0.0, 0], [0.1, 0.1, 1], bad_row, [float("nan"), 0.0, 0]]
    with pytest.raises(DatasetError) as error:
        validate_points(rows)
    message = str(error.value)
    assert message.startswith("row 2:")
    assert expected in message


@pytest.mark.parametrize("rows", [[], [[0.0, 0.0, 0]] * (MAX_POINTS + 1), None, "points", 3.0])
def test_validate_points_rejects_bad_point_sets(rows):
    with pytest.raises(DatasetError, match="points"):
        validate_points(rows)


# --- isolation from the web stack -------------------------------------------------------------


def test_datasets_import_no_web_framework():
    code = (
        "import sys, app.datasets; "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'fastapi', 'starlette', 'pydantic'}))"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
