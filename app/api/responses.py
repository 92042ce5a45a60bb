"""Response bodies: what every field of an answer means. Examples come from a real run (see
``app.api.examples``)."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import Strict as StrictMode

from app.api.schemas import Coordinate, GroupRequest, Int, PointRow, SessionConfig, integral
from app.datasets import MAX_POINTS
from app.engine import MAX_MAXOUT_PIECES


def text(description, default=...):
    return Field(default, description=description)


class Imported(BaseModel):
    """Bodies that also come back in (POST /api/sessions/import): no loose types."""

    model_config = ConfigDict(strict=True)


class Grid(BaseModel):
    resolution: int = text("R: the grid is R×R cells")
    bounds: list[float] = text("[x_min, x_max, y_min, y_max] of the plane shown")
    classes: int = text("number of classes")
    encoding: str = text("how to read cells")
    cells: str = text("base64 of R·R bytes, row 0 at y_min: class = byte >> 5, level = byte & 31")


class Curve(BaseModel):
    x: list[float] = text("R evenly spaced inputs over [x_min, x_max]")
    y: list[float | None] = text("the network's value at each x (null if not finite)")
    bias: float | None = text("with units: true, the output bias", None)
    contributions: list[list[float | None]] | None = text(
        "with units: true, per last-hidden-layer unit j its w_j·h_j(x) at each x; "
        "y = bias + their sum",
        None,
    )


class ValueGrid(BaseModel):
    resolution: int = text("R: the grid is R×R cells")
    bounds: list[float] = text("[x_min, x_max, y_min, y_max] of the plane shown")
    low: float = text("the value byte 0 stands for (fixed for the session)")
    high: float = text("the value byte 255 stands for (fixed for the session)")
    encoding: str = text("how to read cells")
    cells: str = text("base64 of R·R bytes, row 0 at y_min: value = low + byte/255·(high-low)")


class UnitLayer(BaseModel):
    units: int = text("hidden units in this layer")
    low: float = text("the value byte 0 stands for")
    high: float = text("the value byte 255 stands for")
    cells: str = text("base64 of units·R·R bytes; value = low + byte/255·(high-low)")


class UnitMaps(BaseModel):
    resolution: int = text("R: each unit's map is R×R")
    layers: list[UnitLayer] = text("one entry per hidden layer")


class HiddenSpace(BaseModel):
    layer: int = text("the hidden layer shown, 0 = the first")
    width: int = text("its units")
    projection: Literal["units", "pca"] = text(
        "units: the coordinates are two units' outputs (`units`); pca: the training points' "
        "top two principal directions of the layer's outputs (`explained`)"
    )
    units: list[int] | None = text("projection units: the units on the two axes (one with a "
                                   "single-unit layer, whose second axis is 0)")  # fmt: skip
    explained: list[float] | None = text(
        "projection pca: the share of the variance along each axis (0 to 1)"
    )
    train: list[list[float | int | None]] = text(
        "[u, v, label] per training point: its place in this space and its class (regression: "
        "its value); null where not finite"
    )
    test: list[list[float | int | None]] = text("[u, v, label] per test point")
    lines: list[list[list[float | None]]] = text(
        "the plane's mesh as it lands here: `lines` vertical lines (x fixed, left to right), then "
        "`lines` horizontal ones (y fixed, bottom to top), each `samples` [u, v] points"
    )


class SplitMetrics(BaseModel):
    data_loss: float | None = text("mean data loss on the whole split (null if not finite)")
    accuracy: float | None = text("share of points classified correctly (0 to 1); regression: null")
    max_error: float | None = text("regression: largest |network - value| on the split's points")


class Metrics(BaseModel):
    step: int = text("updates so far")
    epoch: int = text("passes over the training set so far")
    train: SplitMetrics = text("on the training points")
    test: SplitMetrics | None = text("on the test points; null when train_fraction is 1")
    max_error: float | None = text(
        "regression: largest |network - target| on a dense grid of the noise-free target "
        "(1,000 points in 1-D, 31×31 in 2-D); null for classification"
    )
    reg_loss: float | None = text("regularization loss: ½·l2·ΣW² + l1·Σ|W|")
    loss: float | None = text("train data loss + regularization loss")
    dead: list[float | None] = text("share of dead units per hidden layer; null if not ReLU-like")
    saturated: list[float | None] = text("share of saturated units per layer; null if not σ/tanh")
    grad_norm: list[float | None] = text("weight-gradient norm per layer, last step")
    update_ratio: list[float | None] = text("‖update‖ / ‖W‖ per layer, last step")


class StepHistory(Imported):
    step: list[Int] = text("step of each entry")
    data_loss: list[float | None] = text("data loss on that step's batch")
    reg_loss: list[float | None] = text("regularization loss at that step")
    loss: list[float | None] = text("data + regularization loss")
    accuracy: list[float | None] = text("accuracy on that step's batch")


class EvaluationHistory(Imported):
    step: list[Int] = text("step of each evaluation")
    train_loss: list[float | None] = text("data loss on the whole training set")
    train_accuracy: list[float | None] = text("accuracy on the whole training set")
    test_loss: list[float | None] = text("data loss on the test set (null without one)")
    test_accuracy: list[float | None] = text("accuracy on the test set (null without one)")


class History(Imported):
    steps: StepHistory = text("per step, measured on its batch")
    evaluations: EvaluationHistory = text("whole splits, after each request")


class Divergence(BaseModel):
    step: int = text("the step whose loss or weights stopped being finite")
    suggestion: str = text("what to change before resetting")


class LayerCount(BaseModel):
    inputs: int = text("inputs to the layer (fan-in)")
    units: int = text("units in the layer")
    pieces: int = text("Maxout pieces per unit (1 otherwise)")
    weights: int = text("pieces × inputs × units")
    biases: int = text("pieces × units")


class ParameterCount(BaseModel):
    layers: list[LayerCount] = text("per layer, the output layer last")
    weights: int = text("all weights")
    biases: int = text("all biases")
    total: int = text("weights + biases")
    arithmetic: str = text("the notes' arithmetic, e.g. [3×4] + [4×2] = 20 weights, ...")


class SessionSummary(BaseModel):
    id: str = text("the session's id (128 random bits)")
    config: SessionConfig = text("the config, with every default filled in")
    classes: int | None = text("number of classes in the data; null for regression")
    bounds: list[float] = text("[x_min, x_max, y_min, y_max] of the plane the grids cover")
    parameters: ParameterCount = text("parameter count and its arithmetic")
    metrics: Metrics = text("where the run stands")
    diverged: bool = text("true once the loss or weights stopped being finite")
    divergence: Divergence | None = text("what happened, when diverged")
    steps_per_frame: int = text("live stream speed")
    paused: bool = text("whether the live stream is paused")


class SessionDetail(SessionSummary):
    history: History = text("everything kept so far")


class LayerWeights(BaseModel):
    W: list[list[float | None]] = text("(pieces·units) × inputs, the notes' W: row i is unit i")
    b: list[float | None] = text("one bias per row of W")
    pieces: int = text("Maxout pieces per unit (1 otherwise)")


class StepResult(BaseModel):
    id: str | None = text("the session's id; null for the stateless /api/train")
    steps_run: int = text("steps actually run")
    stopped_early: bool = text("true when the time budget ended the request")
    metrics: Metrics = text("where the run stands now")
    diverged: bool = text("true once the loss or weights stopped being finite")
    divergence: Divergence | None = text("what happened, when diverged")
    history: History = text("what is new since the previous request")
    grid: Grid | None = text("classification: the decision grid (null with grid: false)")
    curve: Curve | None = text("1-D regression: the network's curve (null with grid: false)", None)
    values: ValueGrid | None = text("2-D regression: the value grid (null with grid: false)", None)
    units: UnitMaps | None = text("every hidden unit's map (with units: true; 2-D inputs)")
    weights: list[LayerWeights] | None = text("every layer's W and b (with weights: true)", None)


MaybeFloat = float | None  # null where a diverged run holds NaN or infinity
Count = Annotated[int, Field(ge=0, le=10**12), BeforeValidator(integral)]


class ExportLayer(Imported):
    W: list[list[MaybeFloat]] = text("(pieces·units) × inputs; row i is unit i's weights")
    b: list[MaybeFloat] = text("one per row of W")
    pieces: Annotated[int, Field(ge=1, le=MAX_MAXOUT_PIECES), BeforeValidator(integral)] = text(
        "Maxout pieces (1 otherwise)"
    )


class ExportState(Imported):
    step: Count = text("updates so far")
    epoch: Count = text("passes so far")
    cursor: Count = text("position in the current epoch's shuffled order")
    order: list[Annotated[int, Field(ge=0, lt=MAX_POINTS), BeforeValidator(integral)]] = Field(
        max_length=MAX_POINTS, description="this epoch's shuffled order of the training points"
    )
    diverged_at: Count | None = text("the step it diverged at, or null")
    rng: dict[str, Any] = text("numpy PCG64 state now")
    initial_rng: dict[str, Any] = text("numpy PCG64 state after initialization")
    initial_theta: list[MaybeFloat] = text("initial parameters, each layer's [W | b] row by row")
    optimizer: dict[str, list[MaybeFloat]] = text("velocity, or Adam's m, v, t")


Value = Annotated[float, Field(ge=-1e6, le=1e6)]
# Regression rows: [x, value] for a 1-D target, [x1, x2, value] for a 2-D one.
Row = (
    PointRow
    | Annotated[tuple[Coordinate, Value], StrictMode(False)]
    | Annotated[tuple[Coordinate, Coordinate, Value], StrictMode(False)]
)
ROWS = "classification: [x, y, label] rows; regression: [x, value] or [x1, x2, value] rows"


class ExportData(Imported):
    train: list[Row] = Field(max_length=MAX_POINTS, description=ROWS)
    test: list[Row] = Field(max_length=MAX_POINTS, description=ROWS)
    target: list[list[float]] | None = Field(
        None,
        max_length=1000,
        examples=[[[-3.14159, 0.0], [-3.11635, -0.02524]]],
        description="1-D regression: the noise-free target as [x, y] samples, for drawing; "
        "not read on import",
    )


class SessionExport(Imported):
    format: Literal["boundary-lab/1"] = text("the export format", "boundary-lab/1")
    config: SessionConfig = text("the session's config")
    layers: list[ExportLayer] = text("weights per layer, the output layer last")
    data: ExportData = text("the points, split as the run trains on them")
    state: ExportState = text("what an exact continuation needs")
    history: History = text("everything kept so far")


class Problem(BaseModel):
    detail: Any = text("what went wrong and what to change")


class Text(BaseModel):
    en: str = Field(description="English")
    ko: str = Field(description="Korean")


class Preset(BaseModel):
    name: str = Field(description="the preset's id, as in /experiments/grid?preset=")
    title: Text = Field(description="its name in the page's menu")
    note: Text = Field(description="what it shows and why, in the notes' terms")
    request: GroupRequest = Field(description="the body of POST /api/groups that builds it")
    steps: int = Field(description="the step at which the figure is there: the page plays to it")
    steps_per_frame: int = Field(description="the page's speed: it reaches `steps` in seconds")
    reads: Literal["regions", "inactive"] = Field(
        description="what the page counts per panel: the class map's separate regions (islands "
        "around outlying points), or the share of dead or saturated units per layer"
    )
