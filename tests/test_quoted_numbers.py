"""Every number README.md quotes that is not a speed, recomputed: each test reads the number out
of the README and runs what the sentence names, so it fails when the text or the code drifts.

Training runs in float32, whose rounding differs with the processor (OpenBLAS picks its kernels
by CPU). A quoted result is checked at the precision it is written with, and written only as
precisely as it held on every arithmetic tried: OpenBLAS's Haswell and Sandy Bridge kernels, and
the engine in float64."""

import io
import math
import re
import statistics
import threading
from contextlib import redirect_stdout
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from fastapi.testclient import TestClient

from app import datasets, targets
from app.api.schemas import (
    MAX_JOB_STEPS,
    MAX_PANELS,
    DepthRequest,
    RepresentationalPowerRequest,
    SeedVarianceRequest,
    SessionConfig,
)
from app.config import Settings
from app.engine import NetworkSpec, arithmetic, parameter_counts
from app.engine.activations import SATURATED_SHARE, SATURATION_GRADIENT
from app.engine.network import MAX_HIDDEN_LAYERS, MAX_UNITS
from app.main import create_app
from app.training import jobs
from app.training.redis_store import RedisStore
from app.training.session import Session
from tests.api.conftest import settings_dependencies

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
PROSE = " ".join(README.split())  # sentences wrap; their words do not
POWERS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def quoted(pattern, text=PROSE):
    """The groups of the one place ``pattern`` matches the README."""
    found = re.findall(pattern, text)
    assert len(found) == 1, f"the README should say this once: {pattern}"
    return found[0]


def number(text):
    """'0.018', '2·10⁻⁵', '10⁻⁴', '200,000' -> (value, significant digits written)."""
    power = re.fullmatch(r"(?:([\d.]+)·)?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text)
    mantissa = (power.group(1) or "1") if power else text.replace(",", "")
    exponent = power.group(2).translate(POWERS) if power else "0"
    digits = len(mantissa.replace(".", "").lstrip("0"))
    return float(f"{mantissa}e{exponent}"), digits


def agrees(value, text):
    """Whether ``value`` is ``text`` at the precision ``text`` is written with."""
    quote, digits = number(text)
    return float(f"{value:.{digits}g}") == quote


def run(job):
    """A job's result, worked out here (what the job worker would do)."""
    return job.work(SimpleNamespace(done=0, cancelled=threading.Event()))


@pytest.fixture(scope="module")
def client():
    """The app with a step budget no busy machine reaches: the examples run all their steps."""
    app = create_app()
    unhurried = Settings(step_budget_seconds=600, session_lock_seconds=601)
    for dependency in settings_dependencies():
        app.dependency_overrides[dependency] = lambda: unhurried
    with TestClient(app) as client:
        yield client


def curl_body(comment):
    """The JSON body of the curl command that follows ``# comment`` in the README."""
    return quoted(re.escape(comment) + r"[^\n]*\ncurl [^\n]*-d '((?s:.*?))'", README)


# --- the REST API's examples --------------------------------------------------------------------


def test_the_session_example_answers_the_arithmetic_its_comment_shows(client):
    body = curl_body("# a session: 2 hidden layers of 8 tanh units on the moons, Adam")
    text = quoted(r'"arithmetic": "([^"]+)"')
    answer = client.post(
        "/api/sessions", content=body, headers={"content-type": "application/json"}
    )
    assert answer.json()["parameters"]["arithmetic"] == text


def test_the_sine_example_reaches_the_max_error_its_comment_quotes(client):
    comment = "# 64 tanh units fit sin x on [−π, π]"
    error, steps = quoted(re.escape(comment) + r': "max_error" about ([\d.]+) after (\d+) Adam')
    body = curl_body(comment)
    answer = client.post("/api/train", content=body, headers={"content-type": "application/json"})
    metrics = answer.json()["metrics"]
    assert metrics["step"] == int(steps)
    assert agrees(metrics["max_error"], error), metrics["max_error"]


def test_a_frame_is_as_large_as_quoted(client):
    sizes = set(re.findall(r"A 100×100 frame with its metrics is about (\d+) KB", PROSE))
    assert len(sizes) == 1, f"the README quotes two sizes: {sizes}"
    (size,) = sizes
    session = client.post("/api/sessions", json={}).json()
    frame = client.post(f"/api/sessions/{session['id']}/step", json={"steps": 10})
    assert frame.json()["grid"]["resolution"] == 100
    assert agrees(len(frame.content) / 1000, size), len(frame.content)


# --- the engine's example -----------------------------------------------------------------------


def test_the_engine_example_prints_what_its_comment_says():
    code = quoted(r"```python\n(from app\.datasets import make_dataset\n(?s:.*?))```", README)
    loss, accuracy = quoted(r"'data_loss': about ([\d.]+), 'accuracy': about ([\d.]+)", code)
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(code, {})  # the README's code, as a reader would paste it
    result = eval(printed.getvalue())  # a dict of floats and lists, printed by the example
    assert agrees(result["data_loss"], loss) and agrees(result["accuracy"], accuracy), result


def test_the_notes_parameter_counts():
    two = quoted(r"lecture's arithmetic: `(\[3×4\] \+ \[4×2\] = [^`]+)`")
    three = quoted(r"\[3-4-4-1\] has (\d+)\.")
    assert arithmetic(parameter_counts(NetworkSpec(n_inputs=3, hidden=(4,), n_outputs=2))) == two
    spec = NetworkSpec(n_inputs=3, hidden=(4, 4), n_outputs=1)
    assert parameter_counts(spec)["total"] == int(three)


# --- the lessons' findings ----------------------------------------------------------------------

SEEDS_PAGE = {  # the seed lottery's setup, as static/js/seeds.js sends it
    "dataset": {"name": "spiral", "n_points": 300},
    "model": {"activation": "relu"},
    "training": {"optimizer": "adam", "learning_rate": 0.01},
}


def test_the_seed_lottery_finding():
    seeds = quoted(r"for hidden sizes 2…64 and (\d+) seeds each")
    steps, small, small_spread, large, large_spread = quoted(
        r"On the spiral \((\d+) Adam steps\) the final losses of (\d+) units spanned ([\d.]+) "
        r"and those of (\d+) units ([\d.]+)\."
    )
    request = SeedVarianceRequest(config=SEEDS_PAGE, sizes=[int(small), int(large)],
                                  seeds=int(seeds), steps=int(steps))  # fmt: skip
    summary = run(jobs.seed_variance(request.model_dump(), Settings()))["summary"]
    spreads = [s["max"] - s["min"] for s in summary]
    assert agrees(spreads[0], small_spread) and agrees(spreads[1], large_spread), spreads


def best_max_errors(target, sizes, seeds, steps):
    config = RepresentationalPowerRequest().config.model_dump()
    config["target"]["name"] = target
    request = RepresentationalPowerRequest(config=config, sizes=sizes, seeds=seeds, steps=steps)
    return run(jobs.representational_power(request.model_dump(), Settings()))["best_max_error"]


def test_the_representational_power_finding():
    seeds, steps, *found = quoted(
        r"on the noise-free bumps \(tanh, (\d+) seeds, (\d+) Adam steps\) it fell from ([\d.]+) "
        r"at N = (\d+) to ([\d.]+) at (\d+) and below ([\d.]+) at (\d+) \(([\d.]+) at (\d+)\), "
        r"while on the step, which is not continuous, it stays near 1 at any N"
    )
    errors, sizes = found[0::2], [int(n) for n in found[1::2]]
    measured = best_max_errors("bumps", sizes, int(seeds), int(steps))
    assert agrees(measured[0], errors[0]) and agrees(measured[1], errors[1]), measured
    assert measured[2] < number(errors[2])[0] and agrees(measured[3], errors[3]), measured
    step = best_max_errors("step", sizes, int(seeds), int(steps))
    assert all(agrees(e, "1") for e in step), step


def test_the_depth_finding():
    budget = quoted(r"B: one parameter budget \((\d+)\) over 1…5 hidden layers")
    seeds, steps, one, two, five, middle = quoted(
        r"on the bumps \((\d+) seeds, (\d+) steps\) the median fell from below (\S+) with 1 layer "
        r"to (\S+) with 2 and below (\S+) with 5 \(3 and 4 layers: of the order of (\S+) each\)"
    )
    request = DepthRequest(budget=int(budget), seeds=int(seeds), steps=int(steps),
                           depths=[1, 2, 3, 4, 5]).model_dump()  # fmt: skip
    request["inputs"] = 1
    losses = run(jobs.depth(request, Settings()))["final_loss"]
    median = [statistics.median(runs) for runs in losses]
    assert median[0] < number(one)[0] and agrees(median[1], two), median
    assert median[4] < number(five)[0], median
    order = math.log10(number(middle)[0])
    assert all(round(math.log10(m)) == order for m in median[2:4]), median


# --- limits, registries and definitions ---------------------------------------------------------


def test_the_limits_are_the_settings_defaults():
    limits = dict(re.findall(r"`BOUNDARY_([A-Z_]+)` ([\d,]+)", PROSE))
    assert len(limits) >= 12, limits
    defaults = Settings()
    for name, value in limits.items():
        assert getattr(defaults, name.lower()) == number(value)[0], name


def test_the_network_and_data_bounds():
    layers, units, points, classes = quoted(
        r"Networks: (\d+–\d+) hidden layers of (\d+–\d+) units; data: (\d+–\d+) points, "
        r"(\d+–\d+) classes"
    )
    assert layers == f"0–{MAX_HIDDEN_LAYERS}" and units == f"1–{MAX_UNITS}"
    assert points == f"{datasets.MIN_POINTS}–{datasets.MAX_POINTS}"
    assert classes == f"2–{datasets.MAX_CLASSES}"
    assert quoted(r"`n_points` (\d+–\d+), `noise`") == f"{targets.MIN_POINTS}–{targets.MAX_POINTS}"
    assert int(quoted(r"a `curve` of up to (\d+) `\[x, y\]` samples")) == targets.MAX_CURVE_POINTS


def test_the_datasets_table():
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| ([\d.]+) \|", README, re.M)
    assert {name for name, _, _ in rows} == set(datasets.DATASETS)
    for name, classes, noise in rows:
        spec = datasets.DATASETS[name]
        fixed = spec.min_classes == spec.max_classes
        written = (
            f"{spec.min_classes}"
            if fixed
            else (f"{spec.min_classes}–{spec.max_classes} ({spec.default_classes})")
        )
        assert (classes, float(noise)) == (written, spec.default_noise), name


def test_the_job_and_panel_limits():
    steps, waiting = quoted(r"at most ([\d,]+) steps per job, (\d+) waiting jobs")
    assert number(steps)[0] == MAX_JOB_STEPS and int(waiting) == jobs.MAX_WAITING
    assert int(quoted(r"at most (\d+) panels\)")) == MAX_PANELS


def test_the_monitoring_and_fit_definitions():
    gradient, share = quoted(r"local gradient is below (\d+) % of its peak on at least (\d+) %")
    assert int(gradient) / 100 == SATURATION_GRADIENT and int(share) / 100 == SATURATED_SHARE
    points = quoted(r"the max error against the noise-free target, measured on ([\d,]+) points")
    assert len(targets.dense("sine")[0]) == number(points)[0]


# --- Redis --------------------------------------------------------------------------------------


def test_a_session_and_its_history_take_the_quoted_room_in_redis(redis_url):
    session_kb, row, cap_mb, cap = quoted(
        r"A default session takes ([\d.]+) KB in Redis \(7\.0\), its history (\d+) bytes a row "
        r"\(([\d.]+) MB at the ([\d,]+)-row cap\)"
    )
    settings = Settings(redis_url=redis_url, session_lock_seconds=600)  # however busy the machine
    assert settings.max_history == number(cap)[0]
    store, probe = RedisStore.from_url(redis_url, settings), redis.Redis.from_url(redis_url)
    session_id = store.add(Session.create(SessionConfig().model_dump(), settings))
    key = f"boundary:s:{session_id}"
    assert agrees(probe.memory_usage(key, samples=0) / 1000, session_kb)
    store.update(session_id, lambda session: session.advance(settings.max_history, 600))
    rows = probe.memory_usage(f"{key}:steps", samples=0)
    assert probe.llen(f"{key}:steps") == settings.max_history
    assert agrees(rows / settings.max_history, row) and agrees(rows / 1e6, cap_mb), rows
    probe.close()
