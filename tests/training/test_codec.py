"""Sessions and groups as bytes: every attribute comes back, the trainer continues bit for
bit, and nothing in the bytes is unpickled."""

import json
import math

import numpy as np
import pytest

from app.api.schemas import SessionConfig
from app.config import Settings
from app.training import codec
from app.training.group import build_group
from app.training.session import Session

NOISY = {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 16, "keep_prob": 0.8,
         "input_noise": 0.1}  # fmt: skip


def config(**sections):
    return SessionConfig.model_validate({"model": {"hidden": [6]}, **sections}).model_dump()


def plain(session):
    return {k: v for k, v in vars(session).items() if k not in codec.SESSION_LOCAL}


DRAWN = {"name": "drawn", "curve": [[-3, 0], [0, 1], [3, -1]]}


@pytest.mark.parametrize(
    "sections",
    [{}, {"problem": "regression", "target": DRAWN}, {"problem": "regression",
                                                      "target": {"name": "gauss"}}],
    ids=["classification", "regression 1-D drawn", "regression 2-D"],
)  # fmt: skip
def test_a_session_comes_back_with_every_attribute_and_continues_bit_for_bit(sections):
    settings = Settings()
    session = Session.create(config(training=NOISY, **sections), settings)
    session.advance(23, 10)
    session.paused, session.steps_per_frame = True, 7
    restored = codec.decode(codec.encode(session), settings)
    assert plain(restored) == plain(session)
    assert isinstance(restored.bounds, tuple)
    session.advance(40, 10)
    restored.advance(40, 10)
    assert np.array_equal(restored.trainer.network.theta, session.trainer.network.theta)
    assert restored.trainer.to_bytes() == session.trainer.to_bytes()
    assert restored.metrics() == session.metrics()
    assert restored.value_range == session.value_range  # derived again on load


def test_loading_does_not_evaluate_or_add_history():
    settings = Settings()
    session = Session.create(config(), settings)
    restored = codec.decode(codec.encode(session), settings)
    assert len(restored.history.evaluations) == 0  # the store keeps the rows, not the bytes
    assert restored.train_metrics == session.train_metrics


def test_a_diverged_session_keeps_its_non_finite_metrics():
    settings = Settings()
    session = Session.create(config(training={"learning_rate": 10.0, "l2": 10.0}), settings)
    session.advance(200, 10)
    assert session.trainer.diverged_at is not None
    restored = codec.decode(codec.encode(session), settings)
    assert restored.trainer.diverged_at == session.trainer.diverged_at
    loss = restored.train_metrics["data_loss"]
    assert not math.isfinite(loss) and repr(loss) == repr(session.train_metrics["data_loss"])


def test_a_group_comes_back_with_its_panels():
    settings = Settings()
    rows = {"axis": "hidden_units", "values": [2, 5]}
    group = build_group(config(), rows, None, lambda c, _: c, settings)
    group.advance(9, 10)
    restored = codec.decode(codec.encode(group), settings)
    assert (restored.base, restored.rows, restored.columns) == (group.base, rows, None)
    assert [p[:3] for p in restored.panels] == [p[:3] for p in group.panels]
    for (*_, a), (*_, b) in zip(restored.panels, group.panels, strict=True):
        assert plain(a) == plain(b)
        assert a.trainer.to_bytes() == b.trainer.to_bytes()


def test_an_attribute_that_is_not_plain_json_fails_loudly():
    session = Session.create(config(), Settings())
    session.scratch = np.zeros(3)
    with pytest.raises(TypeError, match="not plain JSON"):
        codec.encode(session)


def test_the_bytes_are_json_headers_and_raw_arrays_without_pickles():
    session = Session.create(config(), Settings())
    data = codec.encode(session)
    size = int.from_bytes(data[4:8], "big")
    header = json.loads(data[8 : 8 + size])
    assert data[:4] == b"BLS1" and header["kind"] == "session"
    trainer = data[8 + size :]
    inner = json.loads(trainer[4 : 4 + int.from_bytes(trainer[:4], "big")])
    assert [name for name, _, _ in inner["arrays"]][:2] == ["theta", "initial_theta"]
    assert {dtype for _, dtype, _ in inner["arrays"]} <= {"<f4", "<i8"}
    with pytest.raises(codec.CodecError):
        codec.decode(b"\x80\x04pickle", Settings())


def test_an_array_that_is_not_numbers_is_refused():
    data = codec.trainer_bytes(Session.create(config(), Settings()).trainer)
    with pytest.raises(codec.CodecError, match="numbers only"):
        codec.trainer_from_bytes(data.replace(b'"<f4"', b'"|O8"', 1))
