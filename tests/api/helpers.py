"""Small helpers shared by the API tests: sessions, grids, strict JSON and SSE parsing."""

import base64
import json

SMALL_NET = {"hidden": [8]}
# Training that uses every source of randomness: shuffling, dropout masks, input noise.
NOISY_TRAINING = {
    "optimizer": "adam",
    "learning_rate": 0.01,
    "batch_size": 32,
    "keep_prob": 0.8,
    "input_noise": 0.1,
}


def strict_json(text):
    """Parse JSON, failing on the NaN / Infinity tokens that json.dumps lets through."""

    def refuse(token):
        raise AssertionError(f"non-finite number {token} in JSON")

    return json.loads(text, parse_constant=refuse)


def create(client, **config):
    """POST /api/sessions with ``config`` (sections: dataset, model, training, seed) -> body."""
    response = client.post("/api/sessions", json=config)
    assert response.status_code == 201, response.text
    return response.json()


def step(client, session_id, steps=10, **options):
    """POST .../step with ``steps`` and options; no grid unless asked. -> body (status 200)."""
    body = {"steps": steps, "grid": False, **options}
    response = client.post(f"/api/sessions/{session_id}/step", json=body)
    assert response.status_code == 200, response.text
    return strict_json(response.text)


def cells(grid):
    """A grid's cells as bytes (R·R of them)."""
    return base64.b64decode(grid["cells"], validate=True)


def detail_text(response):
    """The error detail as one lowercase string, whether a message or a list of errors."""
    detail = response.json()["detail"]
    return json.dumps(detail).lower() if not isinstance(detail, str) else detail.lower()


def error_locations(response):
    """The field paths a 422 list of errors points at, as dotted strings."""
    detail = response.json()["detail"]
    assert isinstance(detail, list), detail
    return [".".join(str(part) for part in error["loc"]) for error in detail]


def read_sse(lines):
    """-> (events as [(name, data)], comment lines) from the lines of a text/event-stream."""
    events, comments, name = [], [], None
    for line in lines:
        if line.startswith(":"):
            comments.append(line)
        elif line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            events.append((name, strict_json(line.removeprefix("data: "))))
            name = None
    return events, comments
