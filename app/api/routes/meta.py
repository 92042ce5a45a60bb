"""Health, options and dataset previews."""

from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from app import __version__, targets
from app.api.deps import SettingsDep, StoreDep
from app.api.errors import RETRY_SECONDS
from app.api.routes.qr import MAX_QR_BYTES
from app.api.schemas import DatasetConfig, DatasetName, SessionConfig
from app.datasets import DATASETS, MAX_CLASSES, MAX_POINTS, MIN_POINTS
from app.engine import ACTIVATION_NAMES, INITS, LOSSES, MAX_HIDDEN_LAYERS, MAX_UNITS, OPTIMIZERS
from app.engine.losses import REGRESSION_LOSSES, make_loss
from app.training.group import AXES
from app.training.session import load_points
from app.training.store import StoreUnavailable

router = APIRouter(prefix="/api", tags=["meta"])


DOWN = {
    "status": "unavailable", "version": __version__, "store": "redis",
    "detail": "the session store is unavailable (ConnectionError: ...)",
}  # fmt: skip
DOWN_RESPONSE = {"description": "the session store (Redis) is down",
                 "content": {"application/json": {"example": DOWN}}}  # fmt: skip


@router.get("/health", summary="Is the service up, and its session store",
            responses={503: DOWN_RESPONSE})  # fmt: skip
def health(store: StoreDep) -> dict[str, Any]:
    try:
        store.ping()
        sessions = len(store)
    except StoreUnavailable as error:
        body = {"status": "unavailable", "version": __version__, "store": store.kind,
                "detail": f"the session store is unavailable ({error})"}  # fmt: skip
        return JSONResponse(body, 503, headers={"Retry-After": str(RETRY_SECONDS)})
    return {"status": "ok", "version": __version__, "store": store.kind, "sessions": sessions}


@router.get("/options", summary="Every choice, its default and the limits")
def options(settings: SettingsDep) -> dict[str, Any]:
    datasets = [
        {
            "name": spec.name,
            "description": spec.description,
            "classes": {
                "min": spec.min_classes,
                "max": spec.max_classes,
                "default": spec.default_classes,
            },
            "default_noise": spec.default_noise,
        }
        for spec in DATASETS.values()
    ]
    losses = [
        {"name": name, "binary": make_loss(name).binary, "problem": "classification"}
        for name in LOSSES
    ] + [{"name": name, "binary": False, "problem": "regression"} for name in REGRESSION_LOSSES]
    target_list = [
        {"name": t.name, "inputs": t.inputs, "description": t.description}
        for t in targets.TARGETS.values()
    ] + [{"name": targets.DRAWN, "inputs": 1, "description": "a curve you draw (send `curve`)"}]
    limits = settings.model_dump(exclude={"app_name", "redis_url"})  # the URL may hold a password
    limits.update(
        max_hidden_layers=MAX_HIDDEN_LAYERS, max_units=MAX_UNITS, min_points=MIN_POINTS,
        max_points=MAX_POINTS, max_classes=MAX_CLASSES, min_target_points=targets.MIN_POINTS,
        max_target_points=targets.MAX_POINTS, max_curve_points=targets.MAX_CURVE_POINTS,
        max_qr_bytes=MAX_QR_BYTES,
    )  # fmt: skip
    return {
        "problems": ["classification", "regression"],
        "datasets": datasets,
        "targets": target_list,
        "activations": list(ACTIVATION_NAMES),
        "losses": losses,
        "optimizers": list(OPTIMIZERS),
        "inits": list(INITS),
        "defaults": SessionConfig().model_dump(),
        "group_axes": [{"name": name, "kind": axis.kind} for name, axis in AXES.items()],
        "limits": limits,
    }


@router.get("/datasets/{name}", summary="Preview a dataset's points")
def dataset_preview(
    name: DatasetName,
    n_points: Annotated[int, Query(ge=MIN_POINTS, le=MAX_POINTS)] = 300,
    noise: Annotated[float | None, Query(ge=0, le=1)] = None,
    n_classes: Annotated[int | None, Query(ge=2, le=MAX_CLASSES)] = None,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
) -> dict[str, Any]:
    config = DatasetConfig(
        name=name, n_points=n_points, noise=noise, n_classes=n_classes, seed=seed
    )
    X, y, classes = load_points(config.model_dump())
    return {
        "config": config.model_dump(),
        "classes": classes,
        "points": [[float(a), float(b), int(c)] for (a, b), c in zip(X, y, strict=True)],
    }


TargetName = Literal[tuple(targets.TARGETS)]


@router.get("/targets/{name}", summary="Preview a regression target: its points and curve")
def target_preview(
    name: TargetName,
    n_points: Annotated[int, Query(ge=targets.MIN_POINTS, le=targets.MAX_POINTS)] = 100,
    noise: Annotated[float, Query(ge=0, le=1)] = 0.05,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
) -> dict[str, Any]:
    """Points as [x, value] (1-D) or [x1, x2, value] (2-D) rows; for a 1-D target also its
    noise-free curve as [x, value] samples."""
    target = targets.TARGETS[name]
    X, y = targets.sample(target, n_points, noise, np.random.default_rng(seed))
    curve = None
    if target.inputs == 1:
        cx, cy = targets.dense(target, 200)
        curve = np.column_stack([cx[:, 0], cy]).round(5).tolist()
    return {
        "name": name,
        "inputs": target.inputs,
        "domain": list(targets.domain(target)),
        "points": np.column_stack([X, y]).round(5).tolist(),
        "curve": curve,
    }
