"""The Side-by-side presets: served by the API in both languages, each a group request that
builds, and each figure really comes out at the preset's step, as the notes draw it."""

import base64

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.api.test_groups import create

RESOLUTION = 100


@pytest.fixture(scope="module")
def app_client():
    """One in-memory app for the figures: they train for seconds, so once is enough (the groups
    API itself runs against both stores in test_groups)."""
    with TestClient(create_app()) as client:
        yield client


def presets(client):
    return {preset["name"]: preset for preset in client.get("/api/presets").json()}


def regions(cells, resolution):
    """4-connected regions of equal class on the class map -> {class: count}."""
    classes = np.frombuffer(base64.b64decode(cells), np.uint8).reshape(resolution, -1) >> 5
    seen = np.zeros(classes.shape, bool)
    found = {}
    for start in zip(*np.nonzero(~seen), strict=True):
        if seen[start]:
            continue
        k = int(classes[start])
        found[k] = found.get(k, 0) + 1
        seen[start] = True
        stack = [start]
        while stack:
            i, j = stack.pop()
            for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                if 0 <= a < resolution and 0 <= b < resolution and not seen[a, b]:
                    if classes[a, b] == k:
                        seen[a, b] = True
                        stack.append((a, b))
    return found


def figure(client, preset):
    """Train the preset's group to its step (exactly) -> {panel settings as a tuple: panel}."""
    group = client.post("/api/groups", json=preset["request"]).json()
    params = {"steps": 500, "until_step": preset["steps"], "resolution": RESOLUTION}
    while True:
        frame = client.post(f"/api/groups/{group['id']}/step", params=params).json()
        if all(p["metrics"]["step"] == preset["steps"] for p in frame["panels"]):
            break
    client.delete(f"/api/groups/{group['id']}")
    return {tuple(p["settings"].values()): p for p in frame["panels"]}


def test_every_preset_is_served_in_both_languages_and_builds(client):
    served = presets(client)
    assert {"units", "lambda", "both", "dead"} <= set(served)
    for preset in served.values():
        for text in (preset["title"], preset["note"]):
            assert text["en"] and text["ko"] and text["en"] != text["ko"]
        assert preset["steps"] >= 1 and preset["steps_per_frame"] >= 1
        built = client.post("/api/groups", json=preset["request"])
        assert built.status_code == 201, built.text


def test_the_neurons_figure_three_neurons_draw_a_line_twenty_carve_islands(app_client):
    panels = figure(app_client, presets(app_client)["units"])
    three, twenty = regions(panels[(3,)]["grid"]["cells"], RESOLUTION), panels[(20,)]
    assert three == {0: 1, 1: 1}, f"3 neurons should split the plane in two: {three}"
    islands = regions(twenty["grid"]["cells"], RESOLUTION)
    assert sum(islands.values()) >= 4, f"20 neurons should carve islands: {islands}"
    assert twenty["metrics"]["train"]["accuracy"] >= 0.99  # it fits every training point


def test_the_lambda_figure_strong_regularization_smooths_the_islands_away(app_client):
    panels = figure(app_client, presets(app_client)["lambda"])
    weak = regions(panels[(0.001,)]["grid"]["cells"], RESOLUTION)
    strong = regions(panels[(0.1,)]["grid"]["cells"], RESOLUTION)
    assert sum(weak.values()) >= 4, f"λ = 0.001 should keep islands: {weak}"
    assert strong == {0: 1, 1: 1}, f"λ = 0.1 should leave one region per class: {strong}"


def test_both_figures_at_once_only_capacity_with_weak_regularization_fits_every_point(app_client):
    panels = figure(app_client, presets(app_client)["both"])
    fits = [key for key, p in panels.items() if p["metrics"]["train"]["accuracy"] >= 0.99]
    assert fits == [(20, 0.001)], "the note: only the bottom left fits every training point"
    assert (panels[(20, 0.001)]["row"], panels[(20, 0.001)]["col"]) == (2, 0)  # bottom left
    for units in (3, 6, 20):
        plain = regions(panels[(units, 0.1)]["grid"]["cells"], RESOLUTION)
        assert plain == {0: 1, 1: 1}, f"{units} neurons at λ = 0.1: {plain}"


def test_the_dead_relu_figure_kills_relus_and_no_leaky_unit(app_client):
    panels = figure(app_client, presets(app_client)["dead"])
    relu = [p for key, p in panels.items() if "relu" in key]
    leaky = [p for key, p in panels.items() if "leaky_relu" in key]
    assert all(p["metrics"]["dead"] == [None, None] for p in leaky)  # they cannot die
    most = max(max(p["metrics"]["dead"]) for p in relu)
    assert most >= 0.4, f"the notes: up to 40 % can die; here at most {most:.0%}"


def test_a_step_never_passes_until_step(client):
    group = create(client, columns={"axis": "hidden_units", "values": [3, 6]})
    url = f"/api/groups/{group['id']}/step"
    first = client.post(url, params={"steps": 7, "until_step": 10}).json()
    second = client.post(url, params={"steps": 7, "until_step": 10}).json()
    third = client.post(url, params={"steps": 7, "until_step": 10}).json()
    assert [p["metrics"]["step"] for p in first["panels"]] == [7, 7]
    assert [p["metrics"]["step"] for p in second["panels"]] == [10, 10]
    assert [p["metrics"]["step"] for p in third["panels"]] == [10, 10]


def test_a_stream_until_a_step_ends_there_saying_so(client):
    group = create(client, columns={"axis": "hidden_units", "values": [3]})
    url = f"/api/groups/{group['id']}/stream?steps_per_frame=4&until_step=10&fps=60"
    lines = []
    with client.stream("GET", url) as stream:
        lines = list(stream.iter_lines())
    events = [line for line in lines if line.startswith("data: ")]
    assert len(events) == 4  # frames at steps 4, 8 and 10, then the end
    assert events[-1] == 'data: {"reason":"reached step 10","kind":"reached"}'
    assert '"step":10' in events[-2]


@pytest.mark.parametrize(
    ("values", "position", "said"),
    [(["abc"], 0, "'abc' is not a whole number"), ([3.5], 0, "3.5 is not a whole number"),
     ([3, "x"], 1, "'x' is not a whole number")],
)  # fmt: skip
def test_axis_values_that_are_not_numbers_are_named_at_their_place(client, values, position, said):
    body = {"columns": {"axis": "hidden_units", "values": values}}
    response = client.post("/api/groups", json=body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "columns", "values", position]
    assert error["type"] == "int_parsing" and said in error["msg"] and "3, 6, 20" in error["msg"]
    assert "invalid literal" not in response.text and "int()" not in response.text


def test_a_panel_out_of_range_is_named_by_the_value_that_set_it(client):
    body = {"rows": {"axis": "l2", "values": [0.01, 20]}, "base": {"training": {"keep_prob": 2}}}
    errors = client.post("/api/groups", json=body).json()["detail"]
    assert [e["loc"] for e in errors] == [["body", "base", "training", "keep_prob"]]  # base first
    body["base"]["training"]["keep_prob"] = 1
    [error] = client.post("/api/groups", json=body).json()["detail"]
    assert error["loc"] == ["body", "rows", "values", 1]
    assert error["type"] == "less_than_equal" and error["ctx"] == {"le": 10.0}


def test_the_notes_count_of_outlying_points_is_the_datas(client):
    preset = presets(client)["units"]
    dataset = preset["request"]["base"]["dataset"]
    params = {key: dataset[key] for key in ("n_points", "noise", "seed")}
    points = client.get(f"/api/datasets/{dataset['name']}", params=params).json()["points"]
    normal = np.array([np.cos(np.pi / 9), np.sin(np.pi / 9)])  # the line of the data
    alone = [sum(1 for x, y, label in points if label == k and (np.dot([x, y], normal) > 0) != k)
             for k in (0, 1)]  # fmt: skip
    words = {1: ("one point", "한 점"), 2: ("two points", "두 점"), 3: ("three points", "세 점")}
    assert alone[0] == alone[1] and alone[0] in words
    english, korean = words[alone[0]]
    assert f"{english} of each class" in preset["note"]["en"]
    assert f"클래스마다 {korean}" in preset["note"]["ko"]
