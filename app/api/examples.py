"""Examples for the API docs taken from a real run, so they are always true: a tiny session is
created, stepped and exported once, when /openapi.json is first built."""

from app.api import views
from app.api.presets import PRESETS
from app.api.schemas import (
    DatasetConfig,
    GridOptions,
    ModelConfig,
    SessionConfig,
    TargetConfig,
)
from app.engine import TrainConfig
from app.training.session import Session, suggestion


def real_examples(settings):
    """Component name -> an example value of it."""
    config = SessionConfig(
        dataset=DatasetConfig(name="xor", n_points=12, train_fraction=0.75),
        model=ModelConfig(hidden=[3]),
    ).model_dump()
    session = Session.create(config, settings)
    summary = views.summary("eT6nXp0VwJ2oQk9sYb4LmA", session)
    since = session.trainer.step_count
    session.advance(2, settings.step_budget_seconds)
    options = GridOptions(resolution=10, units=True, unit_resolution=8, weights=True)
    result = views.step_result(summary["id"], session, 2, 2, options, since)
    export = views.export(session)
    history = result["history"]
    curve, values = regression_examples(settings)
    divergence = {"step": 12, "suggestion": suggestion(TrainConfig(learning_rate=10.0, l2=10.0))}
    return {
        "Grid": result["grid"],
        "Curve": curve,
        "ValueGrid": values,
        "UnitMaps": result["units"],
        "UnitLayer": result["units"]["layers"][0],
        "SplitMetrics": result["metrics"]["train"],
        "Metrics": result["metrics"],
        "StepHistory": history["steps"],
        "EvaluationHistory": history["evaluations"],
        "History": history,
        "Divergence": divergence,
        "LayerCount": summary["parameters"]["layers"][0],
        "ParameterCount": summary["parameters"],
        "SessionSummary": summary,
        "SessionDetail": {**summary, "history": session.history.columns()},
        "LayerWeights": result["weights"][0],
        "StepResult": result,
        "ExportLayer": export["layers"][0],
        "ExportState": export["state"],
        "ExportData": export["data"],
        "SessionExport": export,
        "HiddenSpace": views.space(session, None, None, 2, 3),
        "Problem": {"detail": "what went wrong, and what to change"},
        "Preset": PRESETS[0].model_dump(mode="json"),
        "Text": PRESETS[0].title.model_dump(),
    }


def regression_examples(settings):
    """A 1-D fit's curve (with each unit's contribution) and a 2-D fit's value grid."""
    sessions = []
    for name in ("sine", "gauss"):
        target = TargetConfig(name=name, n_points=10)
        config = SessionConfig(problem="regression", target=target, model=ModelConfig(hidden=[2]))
        sessions.append(Session.create(config.model_dump(), settings))
    return views.curve(sessions[0], 4, True), views.values(sessions[1], 10)


def add_examples(openapi, settings):
    """Give every response model, and each of its fields, a real example."""
    components = openapi["components"]["schemas"]
    for name, example in real_examples(settings).items():
        schema = components.get(name)
        if schema is None:
            continue
        schema["examples"] = [example]
        for field, prop in schema.get("properties", {}).items():
            if "examples" not in prop and field in example:
                prop["examples"] = [example[field]]
    return openapi
