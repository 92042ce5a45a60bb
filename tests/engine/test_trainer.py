import math
import subprocess
import sys

import numpy as np
import pytest

from app.datasets import make_dataset
from app.engine import Diverged, NetworkSpec, TrainConfig, Trainer


def spiral():
    return make_dataset("spiral", n_points=300, n_classes=3, seed=0)


def case_study(hidden, steps):
    """The CS231n case study: lr 1.0, λ 1e-3, full-batch SGD, 0.01·randn init."""
    X, y = spiral()
    spec = NetworkSpec(hidden=hidden, n_outputs=3, init="small")
    trainer = Trainer(spec, "softmax", TrainConfig(learning_rate=1.0, l2=1e-3), X, y, seed=0)
    trainer.monitor = False
    for _ in range(steps):
        trainer.step()
    return trainer


def test_case_study_linear_classifier():
    assert 0.45 <= case_study((), 200).evaluate()["accuracy"] <= 0.60


def test_case_study_two_layer_network():
    assert case_study((100,), 10_000).evaluate()["accuracy"] >= 0.95


def test_initial_softmax_loss_is_log_of_class_count():
    for classes in (2, 3, 5):
        X, y = make_dataset("gauss", n_points=500, n_classes=classes, seed=1)
        spec = NetworkSpec(hidden=(20,), n_outputs=classes, init="small")
        trainer = Trainer(spec, "softmax", TrainConfig(), X, y)
        assert trainer.evaluate()["data_loss"] == pytest.approx(math.log(classes), rel=1e-3)


def test_more_regularization_gives_larger_loss():
    X, y = spiral()
    spec = NetworkSpec(hidden=(20,), n_outputs=3)
    losses = []
    for l2 in (0.0, 0.1, 1.0):
        trainer = Trainer(spec, "softmax", TrainConfig(l2=l2), X, y, seed=0)
        losses.append(trainer.step().loss)
    assert losses[0] < losses[1] < losses[2]


@pytest.mark.parametrize("loss", ["softmax", "svm", "binary_logistic", "binary_hinge"])
def test_twenty_points_overfit_to_zero_loss(loss):
    X, y = make_dataset("xor", n_points=20, seed=3)
    outputs = 1 if loss.startswith("binary") else 2
    spec = NetworkSpec(hidden=(50, 50), n_outputs=outputs, activation="relu")
    config = TrainConfig(optimizer="adam", learning_rate=0.01)
    trainer = Trainer(spec, loss, config, X, y, seed=0)
    for _ in range(1000):
        trainer.step()
    result = trainer.evaluate()
    assert result["accuracy"] == 1.0
    assert result["data_loss"] < 0.01


def test_loss_falls_with_every_optimizer_and_minibatches():
    X, y = make_dataset("moons", n_points=200, seed=0)
    for optimizer, lr in (("sgd", 0.5), ("momentum", 0.1), ("adam", 0.01)):
        config = TrainConfig(optimizer=optimizer, learning_rate=lr, batch_size=32)
        trainer = Trainer(NetworkSpec(hidden=(16,), n_outputs=2), "softmax", config, X, y)
        before = trainer.evaluate()["data_loss"]
        for _ in range(300):
            trainer.step()
        assert trainer.evaluate()["data_loss"] < 0.6 * before, optimizer


def test_momentum_and_adam_first_updates_by_hand():
    X, y = make_dataset("gauss", n_points=40, seed=0)
    spec = NetworkSpec(hidden=(3,), n_outputs=2)
    for name, expected in (
        ("momentum", lambda g: -0.1 * g),
        ("adam", lambda g: -0.1 * g / (np.abs(g) + 1e-8)),  # bias-corrected first step
    ):
        trainer = Trainer(spec, "softmax", TrainConfig(optimizer=name, learning_rate=0.1), X, y,
                          dtype=np.float64)  # fmt: skip
        before = trainer.network.theta.copy()
        trainer.step()
        grad = trainer.network.grad
        assert np.allclose(trainer.network.theta - before, expected(grad), atol=1e-9), name


def test_minibatch_epochs_visit_every_point_once():
    X, y = make_dataset("gauss", n_points=100, seed=0)
    trainer = Trainer(NetworkSpec(hidden=(4,)), "softmax", TrainConfig(batch_size=30), X, y)
    column = {tuple(p): i for i, p in enumerate(trainer.x_train[:-1].T.tolist())}
    batches = [trainer._next_batch() for _ in range(4)]  # 30 + 30 + 30 + 10
    assert [len(batch_y) for _, batch_y in batches] == [30, 30, 30, 10]
    seen = [column[tuple(p)] for x, _ in batches for p in x[:-1].T.tolist()]
    assert sorted(seen) == list(range(100)) and seen != list(range(100))
    assert np.array_equal(
        np.concatenate([batch_y for _, batch_y in batches]), trainer.y_train[seen]
    )
    trainer.reset()
    for _ in range(4):
        assert trainer.epoch == 0
        trainer.step()
    assert trainer.epoch == 1 and trainer.step_count == 4


def test_full_batch_counts_one_epoch_per_step():
    X, y = make_dataset("gauss", n_points=50, seed=0)
    trainer = Trainer(NetworkSpec(hidden=(4,)), "softmax", TrainConfig(), X, y)
    stats = [trainer.step() for _ in range(3)]
    assert [s.epoch for s in stats] == [0, 1, 2] and trainer.epoch == 3


def run(steps=40, **config):
    X, y = make_dataset("spiral", n_points=120, n_classes=3, seed=2)
    defaults = dict(optimizer="adam", learning_rate=0.01, batch_size=25, keep_prob=0.8,
                    input_noise=0.1, l2=1e-3, l1=1e-4)  # fmt: skip
    spec = NetworkSpec(hidden=(12, 8), n_outputs=3, activation="leaky_relu")
    trainer = Trainer(spec, "softmax", TrainConfig(**{**defaults, **config}), X[:90], y[:90],
                      X[90:], y[90:], seed=7)  # fmt: skip
    stats = [trainer.step() for _ in range(steps)]
    return trainer, stats


def test_same_seed_and_config_give_identical_runs():
    a, stats_a = run()
    b, stats_b = run()
    assert np.array_equal(a.network.theta, b.network.theta)
    assert stats_a == stats_b


def test_save_and_restore_continue_bit_for_bit():
    original, _ = run(steps=33)  # stops mid-epoch: the shuffled order must survive too
    copy = Trainer.from_bytes(original.to_bytes())
    assert np.array_equal(copy.network.theta, original.network.theta)
    later_a = [original.step() for _ in range(30)]
    later_b = [copy.step() for _ in range(30)]
    assert later_a == later_b
    assert np.array_equal(original.network.theta, copy.network.theta)
    assert (copy.step_count, copy.epoch) == (original.step_count, original.epoch)


def test_reset_repeats_the_run_and_a_new_seed_changes_it():
    trainer, stats = run(steps=20)
    first_theta = trainer.network.theta.copy()
    trainer.reset()
    assert trainer.step_count == 0
    assert [trainer.step() for _ in range(20)] == stats
    assert np.array_equal(trainer.network.theta, first_theta)
    trainer.reset(seed=99)
    assert [trainer.step() for _ in range(20)] != stats


def test_hyperparameters_change_without_reset():
    trainer, _ = run(steps=10)
    theta = trainer.network.theta.copy()
    trainer.update(learning_rate=0.001, l2=0.01, keep_prob=1.0, input_noise=0.0)
    assert np.array_equal(trainer.network.theta, theta) and trainer.step_count == 10
    assert trainer.optimizer.learning_rate == 0.001 and trainer.network.keep_prob == 1.0
    assert trainer.optimizer.state["t"][0] == 10  # Adam keeps its moments
    trainer.step()
    assert trainer.step_count == 11


def test_divergence_is_detected_and_stops_the_run():
    X, y = spiral()
    config = TrainConfig(learning_rate=10.0, l2=10.0)
    trainer = Trainer(NetworkSpec(hidden=(50,), n_outputs=3), "softmax", config, X, y)
    for _ in range(200):
        trainer.step()
        if trainer.diverged_at is not None:
            break
    assert trainer.diverged_at is not None
    with pytest.raises(Diverged):
        trainer.step()
    trainer.update(learning_rate=0.01, l2=0.0)  # a change of settings lets it go on
    assert trainer.diverged_at is None


def test_regularization_loss_is_half_lambda_sum_of_squared_weights():
    trainer, _ = run(steps=1, l1=0.0, l2=0.5)
    w = trainer.network.theta[trainer.network.is_weight == 1]
    assert trainer.reg_loss() == pytest.approx(0.25 * float(np.sum(w.astype(float) ** 2)))


def test_input_noise_and_dropout_only_while_training():
    noisy, _ = run(steps=5, input_noise=1.0, keep_prob=0.5)
    first = noisy.evaluate()
    assert noisy.evaluate() == first  # evaluation is deterministic: no noise, no dropout


def test_monitor_reports_dead_relus_and_saturated_units():
    X, y = make_dataset("gauss", n_points=100, seed=0)
    trainer = Trainer(NetworkSpec(hidden=(4,), activation="relu"), "softmax", TrainConfig(), X, y)
    layer = trainer.network.layers[0]
    layer.P[0, :] = [0.0, 0.0, -100.0]  # unit 0 can never fire on this data
    stats = trainer.step()
    assert stats.monitor["dead"] == [0.25] and stats.monitor["saturated"] == [None]
    assert trainer.evaluate()["dead"] == [0.25]
    assert len(stats.monitor["grad_norm"]) == 2 and len(stats.monitor["update_ratio"]) == 2

    trainer = Trainer(NetworkSpec(hidden=(2,), activation="tanh"), "softmax", TrainConfig(), X, y)
    trainer.network.layers[0].P[1, :] = [0.0, 0.0, 50.0]  # tanh(50): flat everywhere
    assert trainer.step().monitor["saturated"] == [0.5]


def test_update_ratio_is_learning_rate_times_gradient_over_weights_for_sgd():
    X, y = make_dataset("gauss", n_points=60, seed=0)
    spec = NetworkSpec(hidden=(5,))
    trainer = Trainer(spec, "softmax", TrainConfig(learning_rate=0.3), X, y, dtype=np.float64)
    w = trainer.network.layers[0].W.copy()
    stats = trainer.step()
    dw = trainer.network.grad[: w.size + 5].reshape(5, 3)[:, :2]
    assert stats.monitor["update_ratio"][0] == pytest.approx(
        0.3 * np.linalg.norm(dw) / np.linalg.norm(w)
    )
    assert stats.monitor["grad_norm"][0] == pytest.approx(np.linalg.norm(dw))


def test_bad_inputs_are_refused_with_a_reason():
    X, y = make_dataset("gauss", n_points=50, n_classes=3, seed=0)
    with pytest.raises(ValueError, match="labels"):
        Trainer(NetworkSpec(n_outputs=2), "softmax", TrainConfig(), X, y)
    with pytest.raises(ValueError, match="labels"):
        Trainer(NetworkSpec(n_outputs=1), "binary_logistic", TrainConfig(), X, y)
    with pytest.raises(ValueError, match="loss"):
        Trainer(NetworkSpec(n_outputs=3), "mse", TrainConfig(), X, y)
    with pytest.raises(ValueError, match="empty"):
        Trainer(NetworkSpec(n_outputs=3), "softmax", TrainConfig(), X[:0], y[:0])
    for field, value in (("learning_rate", 0), ("keep_prob", 0), ("l2", -1), ("optimizer", "x")):
        with pytest.raises(ValueError, match=field):
            TrainConfig(**{field: value})


def test_engine_and_datasets_import_no_web_stack():
    code = (
        "import sys, app.engine, app.datasets, app.targets; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('fastapi', 'starlette', 'pydantic', 'pydantic_settings')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_scores_and_probabilities_for_any_points():
    trainer, _ = run(steps=5)
    points = np.array([[0.1, -0.2], [0.5, 0.5], [-1.0, 0.3]])
    scores, probs = trainer.scores(points), trainer.probabilities(points)
    assert scores.shape == (3, 3) and probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1, atol=1e-6)
    assert np.array_equal(probs.argmax(axis=1), scores.argmax(axis=1))


def test_restore_refuses_parts_that_do_not_fit():
    trainer, _ = run(steps=3)
    meta, arrays = trainer.state()
    with pytest.raises(ValueError, match="theta"):
        Trainer.from_state(meta, {**arrays, "theta": arrays["theta"][:-1]})
    with pytest.raises(ValueError, match="permutation"):
        Trainer.from_state(meta, {**arrays, "order": np.zeros(len(trainer.y_train), np.intp)})
    with pytest.raises(ValueError, match="malformed"):
        Trainer.from_state({k: v for k, v in meta.items() if k != "rng"}, arrays)


def test_monitor_read_after_the_step_matches_the_one_taken_during_it():
    a, _ = run(steps=5)
    b, _ = run(steps=5)
    b.monitor = False
    during = a.step().monitor
    b.step()
    after = b.monitor_last_step()
    assert after["grad_norm"] == during["grad_norm"] and after["dead"] == during["dead"]
    assert np.allclose(after["update_ratio"], during["update_ratio"], rtol=0.05)


def test_leaky_units_never_count_as_dead_but_relus_do():
    X, y = make_dataset("gauss", n_points=100, seed=0)
    for activation, expected in (("relu", [0.25]), ("leaky_relu", [None])):
        spec = NetworkSpec(hidden=(4,), activation=activation)
        trainer = Trainer(spec, "softmax", TrainConfig(), X, y)
        trainer.network.layers[0].P[0, :] = [0.0, 0.0, -100.0]  # below zero everywhere
        assert trainer.step().monitor["dead"] == expected, activation
