"""Health, options, dataset previews, the OpenAPI schema and the offline docs page."""

import re

import pytest
from fastapi.testclient import TestClient

from app import __version__, targets
from app.api import deps
from app.config import Settings, get_settings
from app.datasets import DATASETS, MAX_POINTS, MIN_POINTS
from app.engine import ACTIVATION_NAMES, INITS, LOSSES, OPTIMIZERS
from app.main import create_app
from tests.api.helpers import create, error_locations


def test_health_reports_status_version_store_and_session_count(client, store_kind):
    before = client.get("/api/health").json()
    create(client, model={"hidden": [4]})
    after = client.get("/api/health").json()
    assert before == {"status": "ok", "version": __version__, "store": store_kind, "sessions": 0}
    assert after["sessions"] == 1


# --- options: every choice comes from its registry -------------------------------------------


def test_options_list_every_dataset_with_its_class_range_and_noise(client):
    datasets = client.get("/api/options").json()["datasets"]
    assert [d["name"] for d in datasets] == list(DATASETS)
    for entry in datasets:
        spec = DATASETS[entry["name"]]
        assert entry["classes"] == {
            "min": spec.min_classes,
            "max": spec.max_classes,
            "default": spec.default_classes,
        }
        assert entry["default_noise"] == spec.default_noise
        assert entry["description"]


def test_options_list_every_activation_loss_optimizer_and_init(client):
    options = client.get("/api/options").json()
    assert options["activations"] == list(ACTIVATION_NAMES)
    by_problem = {loss["name"]: loss["problem"] for loss in options["losses"]}
    assert by_problem == {**dict.fromkeys(LOSSES, "classification"), "squared_error": "regression"}
    assert options["optimizers"] == list(OPTIMIZERS)
    assert options["inits"] == list(INITS)


def test_options_list_every_regression_target_with_its_inputs(client):
    options = client.get("/api/options").json()
    assert options["problems"] == ["classification", "regression"]
    listed = {t["name"]: t["inputs"] for t in options["targets"]}
    assert listed == {**{t.name: t.inputs for t in targets.TARGETS.values()}, "drawn": 1}
    assert all(t["description"] for t in options["targets"])


def test_options_mark_exactly_the_one_output_losses_as_binary(client):
    losses = client.get("/api/options").json()["losses"]
    assert {loss["name"] for loss in losses if loss["binary"]} == {
        "binary_logistic",
        "binary_hinge",
    }


def test_options_limits_are_the_settings_in_force(client):
    limits = client.get("/api/options").json()["limits"]
    settings = get_settings()
    assert limits["max_steps_per_request"] == settings.max_steps_per_request
    assert limits["max_grid_resolution"] == settings.max_grid_resolution
    assert limits["max_parameters"] == settings.max_parameters
    assert (limits["min_points"], limits["max_points"]) == (MIN_POINTS, MAX_POINTS)


def test_overriding_the_settings_dependency_reaches_the_routes():
    # the documented seam (app.api.deps): a test overrides `settings`, the routes see it
    app = create_app()
    app.dependency_overrides[deps.settings] = lambda: Settings(max_parameters=1234)
    with TestClient(app) as client:
        limits = client.get("/api/options").json()["limits"]
    assert limits["max_parameters"] == 1234


def test_options_defaults_fill_in_the_default_datasets_classes_and_noise(client):
    dataset = client.get("/api/options").json()["defaults"]["dataset"]
    spec = DATASETS[dataset["name"]]
    assert (dataset["n_classes"], dataset["noise"]) == (spec.default_classes, spec.default_noise)


def schema_property(openapi, model, field):
    prop = openapi["components"]["schemas"][model]["properties"][field]
    return next((p for p in prop.get("anyOf", [prop]) if "enum" in p), prop)


@pytest.mark.parametrize(
    ("model", "field", "registry"),
    [
        ("DatasetConfig", "name", list(DATASETS)),
        ("ModelConfig", "activation", list(ACTIVATION_NAMES)),
        ("ModelConfig", "loss", [*LOSSES, "squared_error"]),
        ("TargetConfig", "name", [*targets.TARGETS, "drawn"]),
        ("ModelConfig", "init", list(INITS)),
        ("TrainingSettings", "optimizer", list(OPTIMIZERS)),
        ("PatchRequest", "optimizer", list(OPTIMIZERS)),
    ],
)
def test_openapi_enums_equal_the_registries(client, model, field, registry):
    openapi = client.get("/openapi.json").json()
    assert schema_property(openapi, model, field)["enum"] == registry


def test_openapi_dataset_preview_path_enum_equals_the_registry(client):
    parameters = client.get("/openapi.json").json()["paths"]["/api/datasets/{name}"]["get"]
    name = next(p for p in parameters["parameters"] if p["name"] == "name")
    assert name["schema"]["enum"] == list(DATASETS)


# --- dataset preview ---------------------------------------------------------------------------


def test_dataset_preview_has_n_points_rows_of_x_y_label(client):
    body = client.get("/api/datasets/spiral", params={"n_points": 150, "n_classes": 3}).json()
    assert len(body["points"]) == 150
    assert body["classes"] == 3
    assert all(len(row) == 3 for row in body["points"])
    assert {row[2] for row in body["points"]} == {0, 1, 2}


def test_dataset_preview_fills_the_datasets_defaults(client):
    config = client.get("/api/datasets/circle").json()["config"]
    spec = DATASETS["circle"]
    assert (config["n_classes"], config["noise"]) == (spec.default_classes, spec.default_noise)


def test_dataset_preview_is_deterministic_by_seed(client):
    def points(seed):
        return client.get("/api/datasets/gauss", params={"seed": seed}).json()["points"]

    assert points(3) == points(3)
    assert points(3) != points(4)


def test_dataset_preview_of_an_unknown_dataset_is_422(client):
    response = client.get("/api/datasets/galaxy")
    assert response.status_code == 422
    assert error_locations(response) == ["path.name"]


@pytest.mark.parametrize("n_points", [MIN_POINTS - 1, MAX_POINTS + 1])
def test_dataset_preview_with_n_points_out_of_range_is_422_naming_it(client, n_points):
    response = client.get("/api/datasets/spiral", params={"n_points": n_points})
    assert response.status_code == 422
    assert error_locations(response) == ["query.n_points"]


def test_dataset_preview_with_classes_the_dataset_cannot_have_is_422(client):
    response = client.get("/api/datasets/xor", params={"n_classes": 3})
    assert response.status_code == 422
    assert "n_classes" in response.text


# --- OpenAPI and the offline docs --------------------------------------------------------------


def test_openapi_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    listed = {(method.upper(), path) for path, item in paths.items() for method in item}
    assert listed == {
        ("GET", "/api/health"),
        ("GET", "/api/options"),
        ("GET", "/api/datasets/{name}"),
        ("GET", "/api/targets/{name}"),
        ("POST", "/api/sessions"),
        ("GET", "/api/sessions/{session_id}"),
        ("PATCH", "/api/sessions/{session_id}"),
        ("DELETE", "/api/sessions/{session_id}"),
        ("POST", "/api/sessions/{session_id}/step"),
        ("POST", "/api/sessions/{session_id}/reset"),
        ("GET", "/api/sessions/{session_id}/boundary"),
        ("GET", "/api/sessions/{session_id}/export"),
        ("GET", "/api/sessions/{session_id}/data"),
        ("GET", "/api/sessions/{session_id}/hidden-space"),
        ("POST", "/api/sessions/import"),
        ("GET", "/api/sessions/{session_id}/stream"),
        ("POST", "/api/train"),
        ("POST", "/api/groups"),
        ("POST", "/api/groups/{group_id}/step"),
        ("POST", "/api/groups/{group_id}/reset"),
        ("GET", "/api/groups/{group_id}/stream"),
        ("DELETE", "/api/groups/{group_id}"),
        ("POST", "/api/jobs/seed-variance"),
        ("POST", "/api/jobs/representational-power"),
        ("POST", "/api/jobs/depth"),
        ("GET", "/api/jobs/{job_id}"),
        ("POST", "/api/jobs/{job_id}/cancel"),
        ("GET", "/api/jobs/{job_id}/result.csv"),
        ("GET", "/api/activations"),
        ("GET", "/api/parameters"),
        ("GET", "/api/presets"),
        ("GET", "/api/qr"),
    }


def docs_asset_urls(html):
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_docs_page_references_only_local_assets(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    urls = docs_asset_urls(response.text)
    assert urls
    assert all(url.startswith(("/docs-assets/", "/static/")) for url in urls), urls
    assert "//" not in "".join(urls)


def test_docs_assets_are_served(client):
    for url in docs_asset_urls(client.get("/docs").text):
        assert client.get(url).status_code == 200, url


def test_a_wrong_method_is_405_naming_every_allowed_method(client):
    response = client.post("/api/sessions/some-id")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, PATCH"
    assert "use DELETE, GET, PATCH" in response.json()["detail"]


def test_a_concrete_path_names_its_own_methods_not_a_templates(client):
    response = client.request("OPTIONS", "/api/sessions/import")
    assert response.status_code == 405 and response.headers["allow"] == "POST"


def test_a_body_that_is_not_utf8_is_a_documented_400(client):
    response = client.post(
        "/api/train", content=b"\xff\xfe{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    documented = client.get("/openapi.json").json()["paths"]["/api/train"]["post"]["responses"]
    assert "400" in documented and "413" in documented
