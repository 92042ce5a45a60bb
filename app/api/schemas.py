"""Request bodies (responses are in ``responses``). Allowed values come from the engine's and
datasets' registries; size bounds come from the settings in force when the app starts."""

import itertools
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic import Strict as StrictMode
from pydantic_core import PydanticCustomError

from app import targets
from app.config import get_settings
from app.datasets import (
    COORD_LIMIT,
    DATASETS,
    DEFAULT_POINTS,
    MAX_CLASSES,
    MAX_POINTS,
    MIN_POINTS,
)
from app.engine import (
    ACTIVATION_NAMES,
    INITS,
    LOSSES,
    MAX_HIDDEN_LAYERS,
    MAX_MAXOUT_PIECES,
    MAX_UNITS,
    OPTIMIZERS,
)
from app.engine.losses import REGRESSION_LOSSES
from app.training.group import AXES

LIMITS = get_settings()  # defaults below never exceed the limits in force
SEED_MAX = 2**32 - 1

DatasetName = Literal[tuple(DATASETS)]
Activation = Literal[ACTIVATION_NAMES]
LossName = Literal[(*LOSSES, *REGRESSION_LOSSES)]
TargetName = Literal[targets.NAMES]
Problem = Literal["classification", "regression"]
InitName = Literal[tuple(INITS)]
OptimizerName = Literal[tuple(OPTIMIZERS)]


def integral(value):
    """JSON Schema counts 1.0 as an integer, so requests may too (but never "1" or true)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Int = Annotated[int, BeforeValidator(integral)]
Coordinate = Annotated[float, Field(ge=-COORD_LIMIT, le=COORD_LIMIT)]
# Bounds go on the int itself, validator after: nested the other way round, pydantic writes
# raw "ge"/"le" keys instead of JSON Schema's minimum/maximum.
Label = Annotated[int, Field(ge=0, le=MAX_CLASSES - 1), BeforeValidator(integral)]
Units = Annotated[int, Field(ge=1, le=MAX_UNITS), BeforeValidator(integral)]
Seed = Annotated[
    int, Field(ge=0, le=SEED_MAX, description="any integer 0 to 2³²-1"), BeforeValidator(integral)
]
OptInt = Annotated[int | None, BeforeValidator(integral)]
# A JSON array is a list, never a tuple: the row itself is not strict, its numbers still are.
PointRow = Annotated[tuple[Coordinate, Coordinate, Label], StrictMode(False)]


def _default_as_example(schema):
    """Every field shows an example in the docs: its default, unless it names its own."""
    for prop in schema.get("properties", {}).values():
        if "examples" not in prop and prop.get("default") is not None:
            prop["examples"] = [prop["default"]]


class Strict(BaseModel):
    """Request bodies: unknown fields and loose types ("5" for 5, true for 1) are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_default_as_example)


class DatasetConfig(Strict):
    name: DatasetName = Field("spiral", description="which generator; ignored with `points`")
    n_points: Int = Field(DEFAULT_POINTS, ge=MIN_POINTS, le=MAX_POINTS, description="points made")
    n_classes: OptInt = Field(
        None, ge=2, le=MAX_CLASSES, examples=[3],
        description="classes (spiral, circle, gauss: 2-6; others 2); null = the dataset's default",
    )  # fmt: skip
    noise: float | None = Field(
        None, ge=0, le=1, examples=[0.2], description="null = the dataset's default"
    )
    train_fraction: float = Field(0.8, ge=0.1, le=1.0, description="share used for training")
    seed: Seed = Field(0, description="the same seed gives the same points")
    points: list[PointRow] | None = Field(
        None,
        min_length=1,
        max_length=MAX_POINTS,
        description="your own points as [x, y, label] rows; replaces the generator",
        examples=[[[0.5, 0.5, 0], [-0.5, -0.5, 1]]],
    )

    @model_validator(mode="after")
    def fill_defaults(self):
        spec = DATASETS[self.name]
        if self.n_classes is None:
            self.n_classes = spec.default_classes
        if self.noise is None:
            self.noise = spec.default_noise
        if self.points is None and not spec.min_classes <= self.n_classes <= spec.max_classes:
            raise ValueError(
                f"n_classes for {self.name} must be {spec.min_classes} to {spec.max_classes}"
            )
        return self


class ModelConfig(Strict):
    hidden: list[Units] = Field(
        [16, 16], max_length=MAX_HIDDEN_LAYERS, description="units per hidden layer; [] = linear"
    )
    activation: Activation = Field("relu", description="for every hidden layer")
    loss: LossName = Field(
        "softmax",
        description="classification: softmax, svm, binary_* (2 classes, one output neuron); "
        "regression: squared_error, its default",
    )
    init: InitName = Field(
        "he", description="small: 0.01·randn; xavier: randn/√n; he: randn·√(2/n)"
    )
    bias_init: float = Field(0.0, ge=-1, le=1, description="hidden biases' initial value")
    maxout_pieces: Int = Field(2, ge=2, le=MAX_MAXOUT_PIECES, description="k of Maxout")
    leaky_slope: float = Field(0.01, ge=0, lt=1, description="Leaky ReLU's slope below 0")


class TrainingSettings(Strict):
    """What PATCH may change mid-run (every field optional there)."""

    optimizer: OptimizerName = Field("sgd", description="sgd, momentum or adam")
    learning_rate: float = Field(0.1, gt=0, le=10, description="step size")
    momentum: float = Field(0.9, ge=0, lt=1, description="for momentum")
    beta1: float = Field(0.9, ge=0, lt=1, description="for adam")
    beta2: float = Field(0.999, ge=0, lt=1, description="for adam")
    batch_size: OptInt = Field(
        None, ge=1, le=MAX_POINTS, examples=[32], description="null = full batch"
    )
    l2: float = Field(0.0, ge=0, le=10, description="λ of ½·λ·ΣW² (weights only)")
    l1: float = Field(0.0, ge=0, le=10, description="λ of λ·Σ|W| (weights only)")
    keep_prob: float = Field(1.0, gt=0, le=1, description="dropout keep probability")
    input_noise: float = Field(0.0, ge=0, le=2, description="σ of Gaussian input noise")


CurveX = Annotated[float, Field(ge=targets.INTERVAL[0], le=targets.INTERVAL[1])]
CurveY = Annotated[float, Field(ge=-targets.MAX_VALUE, le=targets.MAX_VALUE)]
CurveRow = Annotated[tuple[CurveX, CurveY], StrictMode(False)]


class TargetConfig(Strict):
    """Regression data: y = f(x) + noise at random x, for problem "regression"."""

    name: TargetName = Field(
        "sine",
        description="1-D on [-π, π]: sine, step, abs, poly, bumps, drawn (your curve); "
        "2-D on [-1.5, 1.5]²: plane, gauss",
    )
    n_points: Int = Field(
        100, ge=targets.MIN_POINTS, le=targets.MAX_POINTS, description="points made"
    )
    noise: float = Field(0.05, ge=0, le=1, description="σ of the Gaussian noise added to y")
    train_fraction: float = Field(0.8, ge=0.1, le=1.0, description="share used for training")
    seed: Seed = Field(0, description="the same seed gives the same points")
    curve: list[CurveRow] | None = Field(
        None,
        min_length=2,
        max_length=targets.MAX_CURVE_POINTS,
        description="for drawn: [x, y] samples with increasing x in [-π, π]; "
        "linear in between, flat beyond the ends",
        examples=[[[-3, 0], [0, 1], [3, -0.5]]],
    )

    @model_validator(mode="after")
    def check_curve(self):
        if self.name != targets.DRAWN:
            return self
        if self.curve is None:
            raise ValueError("target drawn needs its curve: [x, y] samples")
        xs = [x for x, _ in self.curve]
        if any(b <= a for a, b in itertools.pairwise(xs)):
            raise ValueError("the curve's x values must increase from one sample to the next")
        return self


class SessionConfig(Strict):
    problem: Problem = Field(
        "classification",
        description="classification: points with labels from `dataset`; regression: real "
        "values from `target` (the output layer is linear either way)",
    )
    dataset: DatasetConfig = DatasetConfig()
    target: TargetConfig = Field(TargetConfig(), description="the data when problem is regression")
    model: ModelConfig = ModelConfig()
    training: TrainingSettings = TrainingSettings()
    seed: Seed = Field(0, description="initial weights, shuffling, dropout and noise")

    @model_validator(mode="after")
    def loss_fits_problem(self):
        regression = self.problem == "regression"
        if regression and "loss" not in self.model.model_fields_set:
            self.model = self.model.model_copy(update={"loss": "squared_error"})
        if (self.model.loss in REGRESSION_LOSSES) != regression:
            fits = "squared_error" if regression else "softmax, svm or a binary_* loss"
            raise ValueError(
                f"loss {self.model.loss} does not fit problem {self.problem}: choose {fits}"
            )
        return self


class GridOptions(Strict):
    grid: bool = Field(True, description="include the decision grid")
    resolution: Int = Field(
        min(100, LIMITS.max_grid_resolution),
        ge=10,
        le=LIMITS.max_grid_resolution,
        description="grid R×R",
    )
    units: bool = Field(False, description="include every hidden unit's map")
    unit_resolution: Int = Field(
        min(32, LIMITS.max_unit_resolution),
        ge=8,
        le=LIMITS.max_unit_resolution,
        description="unit maps R×R",
    )
    weights: bool = Field(False, description="include every layer's weights and biases")
    history_tail: Int = Field(
        min(1000, LIMITS.max_history), ge=0, le=LIMITS.max_history, description="history entries"
    )


class StepRequest(GridOptions):
    steps: Int = Field(
        min(10, LIMITS.max_steps_per_request),
        ge=0,
        le=LIMITS.max_steps_per_request,
        description="updates to run; 0 = just look",
    )


class TrainRequest(GridOptions):
    config: SessionConfig = Field(SessionConfig(), description="as for POST /api/sessions")
    steps: Int = Field(
        min(100, LIMITS.max_steps_per_request),
        ge=1,
        le=LIMITS.max_steps_per_request,
        description="updates to run",
    )


class PatchRequest(Strict):
    """Settings to change without reset; only the fields given change."""

    optimizer: OptimizerName | None = Field(None, examples=["adam"], description="new state")
    learning_rate: float | None = Field(None, gt=0, le=10, examples=[0.01], description="step")
    momentum: float | None = Field(None, ge=0, lt=1, examples=[0.9], description="momentum")
    beta1: float | None = Field(None, ge=0, lt=1, examples=[0.9], description="adam")
    beta2: float | None = Field(None, ge=0, lt=1, examples=[0.999], description="adam")
    batch_size: OptInt = Field(None, ge=1, le=MAX_POINTS, examples=[32], description="mini")
    full_batch: bool | None = Field(None, examples=[True], description="true: full batch")
    l2: float | None = Field(None, ge=0, le=10, examples=[0.001], description="λ of ½·λ·ΣW²")
    l1: float | None = Field(None, ge=0, le=10, examples=[0.0], description="λ of λ·Σ|W|")
    keep_prob: float | None = Field(None, gt=0, le=1, examples=[0.8], description="dropout")
    input_noise: float | None = Field(None, ge=0, le=2, examples=[0.1], description="σ")
    steps_per_frame: OptInt = Field(
        None, ge=1, le=LIMITS.max_steps_per_frame, examples=[10], description="stream speed"
    )
    paused: bool | None = Field(None, examples=[False], description="pause or resume the stream")


class ResetRequest(Strict):
    seed: Seed | None = Field(
        None, examples=[7], description="null = the same initial weights as before"
    )


MAX_PANELS = 16
AxisName = Literal[tuple(AXES)]


class Axis(Strict):
    axis: AxisName = Field(description="the setting this row or column varies")
    values: list[int | float | str] = Field(
        min_length=1, max_length=4, examples=[[3, 6, 20]], description="one per row or column"
    )


class GroupRequest(Strict):
    """Runs side by side: rows and columns vary one or two settings of a shared config."""

    base: SessionConfig = Field(SessionConfig(), description="what every panel shares")
    rows: Axis | None = Field(None, description="the setting the rows vary")
    columns: Axis | None = Field(None, description="the setting the columns vary")

    @model_validator(mode="after")
    def check_axes(self):
        if self.base.problem != "classification":
            raise ValueError(
                "side-by-side panels compare classification runs; for regression, start a "
                "representational-power or depth job"
            )
        if self.rows and self.columns and self.rows.axis == self.columns.axis:
            raise ValueError("rows and columns must vary different settings")
        panels = len(self.rows.values if self.rows else [0]) * len(
            self.columns.values if self.columns else [0]
        )
        if panels > MAX_PANELS:
            raise ValueError(f"at most {MAX_PANELS} panels")
        return self


MAX_JOB_STEPS = 200_000  # steps over all runs of one job


def check_work(runs, seeds, steps):
    """A job's steps over all its runs within MAX_JOB_STEPS, else an error a page can put in
    its own words (type too_much_work, ctx: total and limit)."""
    total = runs * seeds * steps
    if total > MAX_JOB_STEPS:
        raise PydanticCustomError(
            "too_much_work",
            "runs × seeds × steps is {total}; at most {limit}",
            {"total": total, "limit": MAX_JOB_STEPS},
        )


class SeedVarianceRequest(Strict):
    """Train one config with hidden sizes × seeds; keep each run's final training loss."""

    config: SessionConfig = Field(SessionConfig(), description="shared; model.hidden is replaced")
    sizes: list[Units] = Field(
        [2, 4, 8, 16, 32, 64], min_length=1, max_length=8, description="hidden units, one layer"
    )
    seeds: Int = Field(10, ge=1, le=20, description="runs per size, seeds 0 … seeds-1")
    steps: Int = Field(1000, ge=1, le=5000, description="training steps per run")

    @model_validator(mode="after")
    def bounded(self):
        check_work(len(self.sizes), self.seeds, self.steps)
        return self


# The experiments' shared default: noise-free bumps, tanh units, Adam, every point for training.
FIT_CONFIG = SessionConfig(
    problem="regression",
    target=TargetConfig(name="bumps", n_points=200, noise=0.0, train_fraction=1.0),
    model=ModelConfig(activation="tanh", init="xavier"),
    training=TrainingSettings(optimizer="adam", learning_rate=0.01),
)


class FitJob(Strict):
    config: SessionConfig = Field(
        FIT_CONFIG, description="a regression config; model.hidden is replaced per run"
    )
    seeds: Int = Field(3, ge=1, le=10, description="runs per setting, seeds 0 … seeds-1")
    steps: Int = Field(2000, ge=1, le=20_000, description="training steps per run")

    def check_work(self, settings_count):
        if self.config.problem != "regression":
            raise ValueError("these experiments fit a target: config.problem must be regression")
        check_work(settings_count, self.seeds, self.steps)
        return self


class RepresentationalPowerRequest(FitJob):
    """One hidden layer of N units for each N in `sizes`: the best max error each reaches."""

    sizes: list[Units] = Field(
        [1, 2, 4, 8, 16, 64], min_length=1, max_length=8, description="hidden units, one layer"
    )

    @model_validator(mode="after")
    def bounded(self):
        return self.check_work(len(self.sizes))


class DepthRequest(FitJob):
    """The same parameter budget spent on 1 to 5 (or more) hidden layers of equal width."""

    budget: Int = Field(
        200, ge=10, le=20_000, description="parameters per network (the nearest a width gives)"
    )
    depths: list[Annotated[int, Field(ge=1, le=MAX_HIDDEN_LAYERS), BeforeValidator(integral)]] = (
        Field([1, 2, 3, 4, 5], min_length=1, max_length=MAX_HIDDEN_LAYERS,
              description="hidden layers")
    )  # fmt: skip

    @model_validator(mode="after")
    def bounded(self):
        return self.check_work(len(self.depths))
