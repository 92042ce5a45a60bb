"""The interactive docs are a reference: every request field says what it is and shows an
example, with its bounds."""

import json
import re

import pytest

from app.main import create_app

REQUESTS = ["DatasetConfig", "ModelConfig", "TrainingSettings", "StepRequest",
            "TrainRequest", "PatchRequest", "ResetRequest"]  # fmt: skip


@pytest.mark.parametrize("name", REQUESTS)
def test_every_request_field_has_a_description_and_an_example(name):
    schema = create_app().openapi()["components"]["schemas"][name]
    for field, prop in schema["properties"].items():
        assert prop.get("description"), f"{name}.{field} has no description"
        assert prop.get("examples"), f"{name}.{field} has no example"


def test_numeric_bounds_are_in_the_schema():
    schemas = create_app().openapi()["components"]["schemas"]
    n_points = schemas["DatasetConfig"]["properties"]["n_points"]
    assert (n_points["minimum"], n_points["maximum"]) == (10, 2000)
    steps = schemas["StepRequest"]["properties"]["steps"]
    assert steps["minimum"] == 0 and steps["maximum"] >= 1


def test_every_bound_is_written_as_json_schema():
    """Pydantic writes raw "ge"/"le" keys when a bound is nested inside another annotation;
    clients would then see those integers as unbounded."""
    spec = json.dumps(create_app().openapi())
    assert not re.search(r'"(ge|le|gt|lt)":', spec)


RESPONSES = ["Grid", "UnitMaps", "Metrics", "History", "Divergence", "ParameterCount",
             "SessionSummary", "SessionDetail", "StepResult", "LayerWeights", "SessionExport",
             "ExportState", "ExportData", "HiddenSpace", "Problem", "Preset"]  # fmt: skip


@pytest.mark.parametrize("name", RESPONSES)
def test_every_response_field_has_a_description_and_a_real_example(name):
    schema = create_app().openapi()["components"]["schemas"][name]
    assert schema["examples"], f"{name} has no example"
    for field, prop in schema["properties"].items():
        assert prop.get("description"), f"{name}.{field} has no description"
        assert "examples" in prop, f"{name}.{field} has no example"


def test_the_examples_are_valid_responses():
    from app.api import responses

    components = create_app().openapi()["components"]["schemas"]
    for name in RESPONSES:
        getattr(responses, name).model_validate(components[name]["examples"][0])
