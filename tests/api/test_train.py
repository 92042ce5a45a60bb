"""Stateless POST /api/train: a config in, a trained run's results out, nothing kept."""

from tests.api.helpers import SMALL_NET, cells, error_locations, strict_json


def train(client, **body):
    response = client.post("/api/train", json=body)
    assert response.status_code == 200, response.text
    return strict_json(response.text)


def test_train_returns_metrics_history_and_grid(client):
    result = train(client, config={"model": SMALL_NET}, steps=30, resolution=20)
    assert result["id"] is None
    assert (result["steps_run"], result["stopped_early"]) == (30, False)
    assert result["metrics"]["step"] == 30
    assert result["history"]["steps"]["step"] == list(range(30))
    assert result["history"]["evaluations"]["step"] == [0, 30]
    assert len(cells(result["grid"])) == 20 * 20


def test_train_keeps_no_session(client):
    before = client.get("/api/health").json()["sessions"]
    train(client, config={"model": SMALL_NET}, steps=5)
    assert client.get("/api/health").json()["sessions"] == before == 0


def test_train_without_a_body_uses_the_defaults(client):
    response = client.post("/api/train")
    assert response.status_code == 200
    assert response.json()["metrics"]["step"] == 100


def test_train_is_deterministic(client):
    body = {"config": {"model": SMALL_NET, "seed": 3}, "steps": 20, "grid": False}
    assert train(client, **body) == train(client, **body)


def test_train_equals_a_session_trained_the_same_way(client):
    config = {"model": SMALL_NET, "training": {"batch_size": 20, "keep_prob": 0.9}}
    stateless = train(client, config=config, steps=25, grid=False)
    session_id = client.post("/api/sessions", json=config).json()["id"]
    stepped = client.post(f"/api/sessions/{session_id}/step", json={"steps": 25, "grid": False})
    assert stepped.json()["metrics"] == stateless["metrics"]


def test_train_with_an_invalid_config_is_422_naming_the_field(client):
    response = client.post("/api/train", json={"config": {"model": {"activation": "swish"}}})
    assert response.status_code == 422
    assert error_locations(response) == ["body.config.model.activation"]
