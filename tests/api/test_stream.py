"""The live stream: SSE frames every steps_per_frame steps, then an `end` event with a reason."""

import pytest

from app.api.schemas import LIMITS
from tests.api.helpers import SMALL_NET, cells, create, error_locations, read_sse, step

QUICK = {"resolution": 10, "fps": 20, "max_seconds": 0.4}


def stream(client, session_id, **params):
    """-> (events, comments) of a whole stream."""
    url = f"/api/sessions/{session_id}/stream"
    with client.stream("GET", url, params={**QUICK, **params}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        return read_sse(response.iter_lines())


def frames_of(events):
    return [data for name, data in events if name == "frame"]


@pytest.fixture
def session_id(client):
    return create(client, model=SMALL_NET)["id"]


def test_stream_sends_frames_then_ends_at_the_time_limit(client, session_id):
    events, _ = stream(client, session_id, steps_per_frame=3)
    names = [name for name, _ in events]
    assert names[-1] == "end"
    assert events[-1][1] == {"reason": "time limit", "kind": "time_limit"}
    assert set(names[:-1]) == {"frame"}
    assert len(names) >= 3


def test_stream_frames_advance_by_steps_per_frame(client, session_id):
    frames = frames_of(stream(client, session_id, steps_per_frame=3)[0])
    assert [f["metrics"]["step"] for f in frames] == [3 * (i + 1) for i in range(len(frames))]
    assert all(f["steps_run"] == 3 for f in frames)


def test_stream_frames_carry_exactly_their_new_history(client, session_id):
    frames = frames_of(stream(client, session_id, steps_per_frame=4)[0])
    steps = [s for f in frames for s in f["history"]["steps"]["step"]]
    assert steps == list(range(4 * len(frames)))
    evaluations = [s for f in frames for s in f["history"]["evaluations"]["step"]]
    assert evaluations == [f["metrics"]["step"] for f in frames]


def test_stream_frames_carry_a_grid_at_the_resolution_asked(client, session_id):
    frames = frames_of(stream(client, session_id, resolution=12)[0])
    assert all(len(cells(f["grid"])) == 12 * 12 for f in frames)


def test_stream_uses_and_keeps_the_sessions_steps_per_frame(client, session_id):
    client.patch(f"/api/sessions/{session_id}", json={"steps_per_frame": 2})
    frames = frames_of(stream(client, session_id)[0])
    assert frames[0]["metrics"]["step"] == 2
    stream(client, session_id, steps_per_frame=5)
    assert client.get(f"/api/sessions/{session_id}").json()["steps_per_frame"] == 5


def test_stream_continues_where_steps_left_off(client, session_id):
    step(client, session_id, 7)
    frames = frames_of(stream(client, session_id, steps_per_frame=2)[0])
    assert frames[0]["history"]["steps"]["step"] == [7, 8]
    last = frames[-1]["metrics"]["step"]
    assert step(client, session_id, 1)["history"]["steps"]["step"] == [last]


def test_a_paused_session_streams_no_frames_and_does_not_train(client, session_id):
    client.patch(f"/api/sessions/{session_id}", json={"paused": True})
    events, comments = stream(client, session_id, max_seconds=0.3)
    assert events == [("end", {"reason": "time limit", "kind": "time_limit"})]
    assert comments  # keep-alive comments while paused
    assert client.get(f"/api/sessions/{session_id}").json()["metrics"]["step"] == 0


def test_a_diverging_session_ends_its_stream_with_diverged(client):
    session_id = create(client, training={"learning_rate": 10, "l2": 10})["id"]
    events, _ = stream(client, session_id, steps_per_frame=50, max_seconds=5)
    assert events[-1] == ("end", {"reason": "diverged", "kind": "diverged"})
    assert frames_of(events)[-1]["diverged"] is True
    assert frames_of(events)[-1]["divergence"]["suggestion"]


def test_an_already_diverged_session_ends_its_stream_at_once(client):
    session_id = create(client, training={"learning_rate": 10, "l2": 10})["id"]
    step(client, session_id, 50)
    events, _ = stream(client, session_id, max_seconds=5)
    assert [name for name, _ in events] == ["frame", "end"]
    assert events[0][1]["steps_run"] == 0
    assert events[1][1] == {"reason": "diverged", "kind": "diverged"}


def test_deleting_the_session_ends_its_stream(client, session_id):
    url = f"/api/sessions/{session_id}/stream"
    params = {**QUICK, "max_seconds": 10, "steps_per_frame": 1}
    with client.stream("GET", url, params=params) as response:
        lines = response.iter_lines()
        assert next(lines) == "event: frame"
        assert client.delete(f"/api/sessions/{session_id}").status_code == 204
        events, _ = read_sse(lines)
    assert events[-1] == ("end", {"reason": "session deleted or expired", "kind": "gone"})
    assert len(events) <= 1 + 2  # the first frame's data, at most one frame on its way, the end


def test_stream_frames_respect_the_step_budget_in_settings(make_client):
    client = make_client(step_budget_seconds=0.001)
    session_id = create(client)["id"]
    frames = frames_of(stream(client, session_id, steps_per_frame=LIMITS.max_steps_per_frame)[0])
    assert frames
    assert all(f["stopped_early"] and f["steps_run"] < LIMITS.max_steps_per_frame for f in frames)


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"fps": 0}, "query.fps"),
        ({"fps": LIMITS.max_frames_per_second + 1}, "query.fps"),
        ({"max_seconds": 0}, "query.max_seconds"),
        ({"max_seconds": LIMITS.max_stream_seconds + 1}, "query.max_seconds"),
        ({"steps_per_frame": 0}, "query.steps_per_frame"),
        ({"steps_per_frame": LIMITS.max_steps_per_frame + 1}, "query.steps_per_frame"),
        ({"resolution": 9}, "query.resolution"),
    ],
)
def test_invalid_stream_parameters_are_422(client, session_id, params, location):
    response = client.get(f"/api/sessions/{session_id}/stream", params=params)
    assert response.status_code == 422
    assert error_locations(response) == [location]
