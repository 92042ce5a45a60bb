"""Limits and bad input: 4xx answers that say what to change, never a 500."""

import json

import pytest

from app.api.schemas import LIMITS
from app.datasets import MAX_POINTS
from app.engine import MAX_HIDDEN_LAYERS, MAX_UNITS
from app.training.redis_store import RedisStore
from app.training.store import MemoryStore
from tests.api.helpers import SMALL_NET, create, detail_text, error_locations


def post_config(client, **config):
    return client.post("/api/sessions", json=config)


def test_an_integral_float_counts_as_an_integer_as_in_json_schema(client):
    response = post_config(client, dataset={"n_points": 40.0}, model={"hidden": [4.0]})
    assert response.status_code == 201, response.text
    assert response.json()["config"]["dataset"]["n_points"] == 40


@pytest.mark.parametrize(
    ("config", "location"),
    [
        ({"model": {"hidden": [2] * (MAX_HIDDEN_LAYERS + 1)}}, "body.model.hidden"),
        ({"model": {"hidden": [MAX_UNITS + 1]}}, "body.model.hidden.0"),
        ({"model": {"hidden": [0]}}, "body.model.hidden.0"),
        ({"model": {"activation": "swish"}}, "body.model.activation"),
        ({"model": {"loss": "hinge"}}, "body.model.loss"),
        ({"model": {"init": "zeros"}}, "body.model.init"),
        ({"model": {"maxout_pieces": 9}}, "body.model.maxout_pieces"),
        ({"training": {"optimizer": "rmsprop"}}, "body.training.optimizer"),
        ({"training": {"learning_rate": 0}}, "body.training.learning_rate"),
        ({"training": {"keep_prob": 0}}, "body.training.keep_prob"),
        ({"dataset": {"name": "galaxy"}}, "body.dataset.name"),
        ({"dataset": {"n_points": MAX_POINTS + 1}}, "body.dataset.n_points"),
        ({"dataset": {"n_points": "5"}}, "body.dataset.n_points"),  # strict: no strings
        ({"dataset": {"n_points": True}}, "body.dataset.n_points"),  # strict: no booleans
        ({"dataset": {"n_points": 300.5}}, "body.dataset.n_points"),  # 300.0 is fine, 300.5 not
        ({"dataset": {"noise": "0.1"}}, "body.dataset.noise"),
        ({"dataset": {"train_fraction": 0}}, "body.dataset.train_fraction"),
        ({"seed": -1}, "body.seed"),
        ({"seed": 2**32}, "body.seed"),
        ({"model": {"hidden": [4], "depth": 3}}, "body.model.depth"),  # unknown field
    ],
)
def test_invalid_config_is_422_naming_the_field(client, config, location):
    response = post_config(client, **config)
    assert response.status_code == 422
    assert location in error_locations(response)


def test_too_many_points_is_422_naming_the_points(client):
    points = [[0.1, 0.1, i % 2] for i in range(MAX_POINTS + 1)]
    response = post_config(client, dataset={"points": points})
    assert response.status_code == 422
    assert "body.dataset.points" in error_locations(response)


def test_a_point_label_out_of_range_is_422_naming_the_label(client):
    response = post_config(client, dataset={"points": [[0.1, 0.1, 0], [0.2, 0.2, 6]]})
    assert response.status_code == 422
    assert error_locations(response) == ["body.dataset.points.1.2"]


def test_a_point_far_off_the_plane_is_422_naming_the_coordinate(client):
    response = post_config(client, dataset={"points": [[0.1, 0.1, 0], [99.0, 0.2, 1]]})
    assert response.status_code == 422
    assert error_locations(response) == ["body.dataset.points.1.0"]


def test_classes_a_dataset_cannot_have_is_422_saying_what_it_allows(client):
    response = post_config(client, dataset={"name": "xor", "n_classes": 3})
    assert response.status_code == 422
    assert "n_classes for xor must be 2" in detail_text(response)


def test_a_binary_loss_on_three_classes_is_422_saying_what_to_choose(client):
    response = post_config(client, model={"loss": "binary_logistic"})  # spiral: 3 classes
    assert response.status_code == 422
    detail = detail_text(response)
    assert "2 classes" in detail
    assert "softmax" in detail


def test_a_network_over_the_parameter_limit_is_422_naming_the_limit(client):
    response = post_config(client, model={"hidden": [MAX_UNITS] * MAX_HIDDEN_LAYERS})
    assert response.status_code == 422
    detail = detail_text(response)
    assert "parameters" in detail
    assert str(LIMITS.max_parameters) in detail


def test_the_parameter_limit_comes_from_the_settings(make_client):
    client = make_client(max_parameters=1000)
    # [2-30-30-3]: 90 + 930 + 93 = 1113 parameters
    assert post_config(client, model={"hidden": [30, 30]}).status_code == 422
    assert post_config(client, model={"hidden": [8]}).status_code == 201


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"steps": -1}, "body.steps"),
        ({"steps": LIMITS.max_steps_per_request + 1}, "body.steps"),
        ({"steps": True}, "body.steps"),
        ({"steps": "10"}, "body.steps"),
        ({"resolution": LIMITS.max_grid_resolution + 1}, "body.resolution"),
        ({"resolution": 9}, "body.resolution"),
        ({"unit_resolution": LIMITS.max_unit_resolution + 1}, "body.unit_resolution"),
        ({"history_tail": -1}, "body.history_tail"),
        ({"grid": 1}, "body.grid"),
        ({"step": 10}, "body.step"),
    ],
)
def test_invalid_step_request_is_422_naming_the_field(client, body, location):
    session_id = create(client, model=SMALL_NET)["id"]
    response = client.post(f"/api/sessions/{session_id}/step", json=body)
    assert response.status_code == 422
    assert location in error_locations(response)


def test_a_body_that_is_not_json_is_422(client):
    response = client.post(
        "/api/sessions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


# --- time budget -------------------------------------------------------------------------------


def test_a_big_step_request_stops_at_the_time_budget_and_says_so(make_client):
    client = make_client(step_budget_seconds=0.001)
    session_id = create(client)["id"]
    steps = LIMITS.max_steps_per_request
    response = client.post(f"/api/sessions/{session_id}/step", json={"steps": steps})
    result = response.json()
    assert result["stopped_early"] is True
    assert 1 <= result["steps_run"] < steps
    assert result["metrics"]["step"] == result["steps_run"]
    assert result["history"]["steps"]["step"] == list(range(result["steps_run"]))


def test_stateless_training_stops_at_the_time_budget_too(make_client):
    client = make_client(step_budget_seconds=0.001)
    body = {"steps": LIMITS.max_steps_per_request, "grid": False}
    result = client.post("/api/train", json=body).json()
    assert result["stopped_early"] is True
    assert result["steps_run"] < LIMITS.max_steps_per_request


# --- request size ------------------------------------------------------------------------------


def oversized_body(limit):
    body = json.dumps({"dataset": {"points": [[0.123456, 0.654321, 0]] * 1000}}).encode()
    assert len(body) > limit
    return body


def test_a_body_over_the_size_limit_is_413(env_client):
    client = env_client(max_request_bytes=10_000)
    response = client.post(
        "/api/sessions",
        content=oversized_body(10_000),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert "10000 bytes" in response.json()["detail"]


def test_a_chunked_body_over_the_size_limit_is_413(env_client):
    # no Content-Length: the cap must count the bytes as they arrive
    client = env_client(max_request_bytes=10_000)
    body = oversized_body(10_000)
    response = client.post(
        "/api/sessions", content=iter([body]), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "10000 bytes" in response.json()["detail"]


def test_a_body_under_the_size_limit_passes(env_client):
    client = env_client(max_request_bytes=10_000)
    response = client.post("/api/sessions", json={"model": SMALL_NET})
    assert response.status_code == 201


# --- how many sessions -------------------------------------------------------------------------


def keep_at_most(client, max_sessions):
    """Give the app a store of the same kind that keeps at most ``max_sessions``."""
    store = client.app.state.store
    if isinstance(store, MemoryStore):
        client.app.state.store = MemoryStore(max_sessions, 1800)
    else:
        settings = store.settings.model_copy(update={"max_sessions": max_sessions})
        client.app.state.store = RedisStore(store.redis, settings)


def test_beyond_max_sessions_the_least_recently_used_goes(client):
    keep_at_most(client, 3)
    a, b, c = (create(client, model=SMALL_NET)["id"] for _ in range(3))
    client.get(f"/api/sessions/{a}")  # a is now more recent than b
    d = create(client, model=SMALL_NET)["id"]
    assert client.get("/api/health").json()["sessions"] == 3
    assert client.get(f"/api/sessions/{b}").status_code == 404
    for kept in (a, c, d):
        assert client.get(f"/api/sessions/{kept}").status_code == 200


def test_stepping_a_session_counts_as_using_it(client):
    keep_at_most(client, 2)
    a, b = (create(client, model=SMALL_NET)["id"] for _ in range(2))
    client.post(f"/api/sessions/{a}/step", json={"steps": 1, "grid": False})
    create(client, model=SMALL_NET)
    assert client.get(f"/api/sessions/{a}").status_code == 200
    assert client.get(f"/api/sessions/{b}").status_code == 404
