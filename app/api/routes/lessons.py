"""The lesson pages' numbers, computed by the engine: activation curves with their derivatives,
and a network's parameter count in the notes' arithmetic."""

import re
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from app.api.presets import PRESETS
from app.api.responses import ParameterCount, Preset
from app.api.schemas import Activation
from app.engine import (
    MAX_HIDDEN_LAYERS,
    MAX_MAXOUT_PIECES,
    MAX_UNITS,
    NetworkSpec,
    arithmetic,
    parameter_counts,
)
from app.engine.activations import make_activation
from app.engine.layers import Maxout

router = APIRouter(prefix="/api", tags=["lessons"])

CURVES = ("sigmoid", "tanh", "relu", "leaky_relu")  # then Maxout, which owns weights
X_LIMIT = 50.0
LINE_LIMIT = 10.0  # |w| and |b| of Maxout's two lines
# Inputs and outputs of the sizing panel: counting is arithmetic, so an image's pixels count
# like anything else (784 for MNIST, 150,528 for a 224×224 colour image).
MAX_LAYER_SIZE = 1_000_000
# 0 to 8 comma-separated unit counts of 1 to 256 (the schema itself says what is allowed)
UNITS = r"(25[0-6]|2[0-4]\d|1\d\d|[1-9]\d?)"
HIDDEN_PATTERN = rf"^$|^{UNITS}(,{UNITS}){{0,{MAX_HIDDEN_LAYERS - 1}}}$"


class Curve(BaseModel):
    name: str = Field(description="the activation, as the engine names it")
    f: list[float] = Field(description="f(x) at every x")
    df: list[float] = Field(description="f'(x) at every x (at a kink: ReLU's 0, Maxout's line 1)")
    lines: list[list[float]] | None = Field(
        None, description="Maxout only: each line's values w·x + b; f is their maximum"
    )


class ActivationCurves(BaseModel):
    x: list[float] = Field(description="the points, evenly spaced from x_min to x_max")
    leaky_slope: float = Field(description="Leaky ReLU's slope below zero")
    curves: list[Curve] = Field(description="sigmoid, tanh, relu, leaky_relu, maxout")


def within(limit, description):
    """A query float with |value| ≤ limit (finite)."""
    return Query(ge=-limit, le=limit, allow_inf_nan=False, description=description)


@router.get("/activations", summary="Activation functions and their derivatives")
def activation_curves(
    x_min: Annotated[float, within(X_LIMIT, "first x")] = -5.0,
    x_max: Annotated[float, within(X_LIMIT, "last x")] = 5.0,
    points: Annotated[int, Query(ge=11, le=2001, description="how many x values")] = 201,
    leaky_slope: Annotated[
        float,
        Query(ge=0, lt=1, allow_inf_nan=False, description="Leaky ReLU: f(x) = slope·x below 0"),
    ] = 0.01,
    w1: Annotated[float, within(LINE_LIMIT, "Maxout: slope of line 1")] = -0.5,
    b1: Annotated[float, within(LINE_LIMIT, "Maxout: intercept of line 1")] = 0.0,
    w2: Annotated[float, within(LINE_LIMIT, "Maxout: slope of line 2")] = 1.0,
    b2: Annotated[float, within(LINE_LIMIT, "Maxout: intercept of line 2")] = 0.0,
) -> ActivationCurves:
    """Every curve comes from the engine's own code: ``apply`` and ``derivative`` of each
    activation, and a Maxout layer with two pieces, P = [[w1, b1], [w2, b2]], whose forward is
    max(w1·x + b1, w2·x + b2) and whose backward (dout = 1) is the winning line's slope."""
    x = np.linspace(x_min, x_max, points)
    curves = []
    for name in CURVES:
        activation = make_activation(name, leaky_slope)
        f = activation.apply(x.copy())
        curves.append(Curve(name=name, f=f.tolist(), df=activation.derivative(x).tolist()))
    curves.append(maxout_of_two_lines(x, [[w1, b1], [w2, b2]]))
    return ActivationCurves(x=x.tolist(), leaky_slope=leaky_slope, curves=curves)


def maxout_of_two_lines(x, lines):
    """x: (N,); lines: [[w, b], [w, b]] -> the Maxout curve, through the engine's layer."""
    P = np.array(lines, dtype=float)  # (2 pieces · 1 unit, 1 input + bias)
    layer = Maxout(P, np.zeros_like(P), pieces=2)
    x_aug = np.vstack([x, np.ones_like(x)])  # (2, N): [x; 1]
    f = layer.forward(x_aug)[0].copy()
    df = layer.backward(np.ones((1, x.size)), need_dx=True)[0]
    return Curve(name="maxout", f=f.tolist(), df=df.tolist(), lines=(P @ x_aug).tolist())


Hidden = Annotated[
    str,
    Query(
        json_schema_extra={"pattern": HIDDEN_PATTERN},  # checked in hidden_units, in words
        examples=["4,4"],
        description=f"units per hidden layer, comma-separated: 0 to {MAX_HIDDEN_LAYERS} layers "
        f"of 1 to {MAX_UNITS} (empty: no hidden layer, the single neuron as a linear classifier)",
    ),
]
Size = Annotated[
    int, Query(ge=1, le=MAX_LAYER_SIZE, description=f"neurons, 1 to {MAX_LAYER_SIZE:,}")
]
Pieces = Annotated[int, Query(ge=2, le=MAX_MAXOUT_PIECES, description="Maxout: lines per unit")]


@router.get("/parameters", summary="Count a network's weights and biases")
def parameters(
    inputs: Size = 3,
    hidden: Hidden = "4",
    outputs: Size = 2,
    activation: Annotated[Activation, Query(description="the hidden layers' activation")] = "relu",
    maxout_pieces: Pieces = 2,
) -> ParameterCount:
    """The notes' sizing: [3-4-2] has [3×4] + [4×2] = 20 weights and 4 + 2 = 6 biases, 26
    parameters; [3-4-4-1] has 41. Maxout with k pieces has k times a layer's parameters."""
    spec = NetworkSpec(
        n_inputs=inputs,
        hidden=hidden_units(hidden),
        n_outputs=outputs,
        activation=activation,
        maxout_pieces=maxout_pieces,
    )
    counts = parameter_counts(spec)
    return ParameterCount(**counts, arithmetic=arithmetic(counts))


def hidden_units(hidden):
    """'4,4' -> [4, 4]; anything the pattern refuses is a 422 that says what to send."""
    if not re.fullmatch(HIDDEN_PATTERN, hidden):
        message = (
            f"hidden: give 0 to {MAX_HIDDEN_LAYERS} comma-separated unit counts of 1 to "
            f"{MAX_UNITS}, such as 4,4 (empty for none)"
        )
        error = {"type": "value_error", "loc": ("query", "hidden"), "msg": message}
        raise RequestValidationError([{**error, "input": hidden}])
    return [int(h) for h in hidden.split(",") if h]


@router.get("/presets", summary="The Side-by-side lessons: the notes' figures, ready to build")
def presets() -> list[Preset]:
    """Each preset is a POST /api/groups body with its title and note in English and Korean,
    the step its figure needs, and what to read per panel. Stream the group with
    ``until_step`` = ``steps`` to stop where the figure is."""
    return PRESETS
