"""Runs side by side: one request advances every panel; panels differ only where asked."""

import json

from tests.api.helpers import SMALL_NET

BASE = {"dataset": {"name": "outliers", "n_points": 60}, "model": SMALL_NET}


def create(client, **body):
    response = client.post("/api/groups", json={"base": BASE, **body})
    assert response.status_code == 201, response.text
    return response.json()


def test_rows_and_columns_make_one_panel_per_pair(client):
    group = create(client, rows={"axis": "hidden_units", "values": [3, 6]},
                   columns={"axis": "l2", "values": [0.001, 0.01, 0.1]})  # fmt: skip
    panels = group["panels"]
    assert len(panels) == 6
    assert panels[5]["settings"] == {"hidden_units": 6, "l2": 0.1}
    assert panels[0]["parameters"]["layers"][0]["units"] == 3
    assert panels[0]["points"] == panels[5]["points"]  # the data is shared


def test_a_step_advances_every_panel_and_a_reset_brings_them_back(client):
    group = create(client, columns={"axis": "seed", "values": [0, 1, 2]})
    frame = client.post(f"/api/groups/{group['id']}/step?steps=7&resolution=20").json()
    assert [p["metrics"]["step"] for p in frame["panels"]] == [7, 7, 7]
    assert len({p["metrics"]["train"]["data_loss"] for p in frame["panels"]}) == 3  # seeds differ
    assert all(len(p["grid"]["cells"]) > 0 and p["grid"]["resolution"] == 20
               for p in frame["panels"])  # fmt: skip
    reset = client.post(f"/api/groups/{group['id']}/reset?resolution=20").json()
    assert [p["metrics"]["step"] for p in reset["panels"]] == [0, 0, 0]


def test_a_panel_trains_exactly_like_a_session_with_its_settings(client):
    group = create(client, columns={"axis": "l2", "values": [0.01]})
    frame = client.post(f"/api/groups/{group['id']}/step?steps=20").json()
    config = {**BASE, "training": {"l2": 0.01}}
    session = client.post("/api/sessions", json=config).json()["id"]
    alone = client.post(f"/api/sessions/{session}/step", json={"steps": 20}).json()
    assert frame["panels"][0]["metrics"] == alone["metrics"]


def test_the_stream_advances_all_panels_per_frame(client):
    group = create(client, columns={"axis": "hidden_units", "values": [3, 6]})
    url = f"/api/groups/{group['id']}/stream?steps_per_frame=4&max_seconds=0.3&resolution=20"
    steps = []
    with client.stream("GET", url) as stream:
        for line in stream.iter_lines():
            if line.startswith('data: {"id"'):
                steps.append([p["metrics"]["step"] for p in json.loads(line[6:])["panels"]])
    assert steps and steps[0] == [4, 4] and all(a == b for a, b in steps)


def test_a_step_ends_the_groups_open_stream_so_a_paused_page_sees_the_last_step(client):
    group = create(client, columns={"axis": "seed", "values": [0, 1]})
    url = f"/api/groups/{group['id']}/stream?steps_per_frame=4&resolution=10&fps=60"
    events = []
    with client.stream("GET", url) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
                if len(events) == 1:  # after the first frame, a step of 0 (what Pause sends)
                    paused = client.post(f"/api/groups/{group['id']}/step?steps=0").json()
    assert [p["metrics"]["step"] for p in paused["panels"]] == [4, 4]
    assert events[-1] == {"reason": "a step or a newer stream took over the group",
                          "kind": "replaced"}  # fmt: skip
    assert len(events) == 2  # no frame after the step: the group stays where the step saw it
    again = client.post(f"/api/groups/{group['id']}/step?steps=0").json()
    assert [p["metrics"]["step"] for p in again["panels"]] == [4, 4]


def test_bad_groups_are_refused_saying_why(client):
    same = client.post("/api/groups", json={"rows": {"axis": "l2", "values": [1]},
                                            "columns": {"axis": "l2", "values": [2]}})  # fmt: skip
    assert same.status_code == 422 and "different settings" in same.text
    bad = client.post("/api/groups", json={"rows": {"axis": "hidden_units", "values": [0]}})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == [
        "body",
        "rows",
        "values",
        0,
    ]
    many = client.post("/api/groups", json={"rows": {"axis": "seed", "values": [1, 2, 3, 4, 5]}})
    assert many.status_code == 422
    assert client.post("/api/groups/nope/step").status_code == 404
    session = client.post("/api/sessions", json={"model": SMALL_NET}).json()["id"]
    assert client.post(f"/api/groups/{session}/step").status_code == 404  # not a group
