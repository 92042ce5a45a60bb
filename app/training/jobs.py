"""Long experiments as jobs: queued, run one at a time by a worker thread, with progress,
cancel and a result. Bounded: a few waiting jobs, a few dozen kept, each bounded in work."""

import itertools
import logging
import secrets
import threading
import time
from collections import OrderedDict, deque

import numpy as np

from app.engine import MAX_UNITS, NetworkSpec, parameter_counts
from app.training.frames import curve_frame
from app.training.session import ConfigError, Session, build_trainer

MAX_WAITING = 4
MAX_KEPT = 50
FAILED_TEXT = "the job stopped on an unexpected error; the server's log has the details"
log = logging.getLogger(__name__)


class JobsBusy(RuntimeError):
    """Too many jobs are waiting."""


class JobNotFound(KeyError):
    """No job under that id (never started, or no longer kept)."""


class Job:
    def __init__(self, kind, params, work, total):
        self.id = secrets.token_urlsafe(16)
        self.kind, self.params, self.work, self.total = kind, params, work, total
        self.status = "queued"
        self.done = 0
        self.result = None
        self.error = None
        self.cancelled = threading.Event()
        self.finished = threading.Event()
        self.created = time.time()

    def view(self):
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "progress": self.done / self.total if self.total else 1.0,
            "params": self.params,
            "result": self.result,
            "error": self.error,
        }


class JobRunner:
    """One worker thread, started and stopped with the app."""

    def __init__(self):
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.waiting: deque[Job] = deque()
        self.lock = threading.Condition()
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, name="jobs", daemon=True)
        self.thread.start()

    def submit(self, job):
        with self.lock:
            if len(self.waiting) >= MAX_WAITING:
                raise JobsBusy(f"{MAX_WAITING} jobs are already waiting; try again later")
            self.jobs[job.id] = job
            while len(self.jobs) > MAX_KEPT:
                self.jobs.popitem(last=False)
            self.waiting.append(job)
            self.lock.notify()
        return job

    def get(self, job_id):
        with self.lock:
            return self.jobs.get(job_id)

    def cancel(self, job):
        job.cancelled.set()
        with self.lock:
            if job in self.waiting:
                self.waiting.remove(job)
                job.status = "cancelled"
                job.finished.set()

    def stop(self):
        with self.lock:
            self.stopping = True
            for job in self.waiting:
                job.cancelled.set()
            self.lock.notify()
        self.thread.join(timeout=10)

    def _loop(self):
        while True:
            with self.lock:
                while not self.waiting and not self.stopping:
                    self.lock.wait()
                if self.stopping:
                    return
                job = self.waiting.popleft()
                job.status = "running"
            self._run(job)

    @staticmethod
    def _run(job):
        try:
            job.result = job.work(job)
            job.status = "cancelled" if job.cancelled.is_set() else "done"
        except ConfigError as error:  # written to say what to change
            job.status, job.error = "failed", str(error)
        except Exception:  # reported, never takes the worker down; Python's text stays in the log
            log.exception("job %s failed", job.id)
            job.status, job.error = "failed", FAILED_TEXT
        finally:
            job.finished.set()


def seed_variance(params, settings):
    """A job: for each hidden size and seed, train the same config to a fixed number of steps
    and keep the final training loss. -> Job (not yet submitted)."""
    runs = list(itertools.product(params["sizes"], range(params["seeds"])))

    def work(job):
        losses = {size: [] for size in params["sizes"]}
        accuracies = {size: [] for size in params["sizes"]}
        for size, seed in runs:
            if job.cancelled.is_set():
                break
            trainer, _, _ = build_trainer(
                _run_config(params, [size], seed), settings.max_parameters
            )
            trainer.monitor = False
            for _ in range(params["steps"]):
                if trainer.diverged_at is not None or job.cancelled.is_set():
                    break
                trainer.step()
            if job.cancelled.is_set():
                break
            final = trainer.evaluate("train")
            losses[size].append(_finite(final["data_loss"]))
            accuracies[size].append(final["accuracy"])
            job.done += 1
        table = [
            [size, seed, loss, accuracy]
            for size in params["sizes"]
            for seed, (loss, accuracy) in enumerate(
                zip(losses[size], accuracies[size], strict=True)
            )
        ]
        return {"sizes": params["sizes"], "final_loss": [losses[s] for s in params["sizes"]],
                "accuracy": [accuracies[s] for s in params["sizes"]],
                "summary": [_spread(losses[s]) for s in params["sizes"]],
                "columns": ["hidden_units", "seed", "final_train_loss", "train_accuracy"],
                "rows": table}  # fmt: skip

    return Job("seed-variance", params, work, len(runs))


CHECKS = 20  # times a regression run's dense max error is measured (the best one counts)
FIT_POINTS = 200  # x values of each fit a representational-power result carries


def _fit(config, steps, settings, job):
    """Train a regression config; -> (session, best dense max error seen, the 1-D fit when it
    was seen, final data loss), or None once the job is cancelled. The max error is measured
    CHECKS times along the way."""
    session = Session.create(config, settings)
    trainer = session.trainer
    trainer.monitor = False
    every = max(1, steps // CHECKS)
    best, best_fit = session.max_error(), _curve(session)
    for done in range(1, steps + 1):
        if job.cancelled.is_set():
            return None
        if trainer.diverged_at is not None:
            break
        trainer.step()
        if done % every == 0 or done == steps:
            error = session.max_error()
            if error is not None and (best is None or error < best):
                best, best_fit = error, _curve(session)
    final = trainer.evaluate("train")
    return session, best, best_fit, _finite(final["data_loss"])


def _curve(session):
    """A 1-D fit as a frame draws it: x and the network's values at FIT_POINTS (None in 2-D)."""
    if session.inputs != 1:
        return None
    return curve_frame(session.trainer.network, session.bounds, FIT_POINTS)


def representational_power(params, settings):
    """A job: one hidden layer of N units for each N, trained on the same target with several
    seeds; per N the best max error on the dense target reached by any seed, and the fit that
    reached it."""
    runs = list(itertools.product(params["sizes"], range(params["seeds"])))

    def work(job):
        best = {size: [] for size in params["sizes"]}
        losses = {size: [] for size in params["sizes"]}
        fits = {}
        for size, seed in runs:
            result = _fit(_run_config(params, [size], seed), params["steps"], settings, job)
            if result is None:
                break
            _, error, fit, loss = result
            if error is not None and all(e is None or error < e for e in best[size]):
                fits[size] = fit  # the curve that reached the best max error
            best[size].append(error)
            losses[size].append(loss)
            job.done += 1
        sizes = params["sizes"]
        return {
            "sizes": sizes,
            "best_max_error": [_least(best[s]) for s in sizes],
            "max_error": [best[s] for s in sizes],
            "final_loss": [losses[s] for s in sizes],
            "x": next((fit["x"] for fit in fits.values() if fit), None),
            "fits": [fits[s]["y"] if fits.get(s) else None for s in sizes],
            "columns": ["hidden_units", "seed", "best_max_error", "final_train_loss"],
            "rows": [[s, seed, e, loss] for s in sizes
                     for seed, (e, loss) in enumerate(zip(best[s], losses[s], strict=True))],
        }  # fmt: skip

    return Job("representational-power", params, work, len(runs))


def width_for_budget(depth, budget, inputs, outputs=1):
    """The width w of ``depth`` equal hidden layers whose parameter count is nearest the
    budget. -> (w, that count)."""

    def count(width):
        spec = NetworkSpec(n_inputs=inputs, hidden=(width,) * depth, n_outputs=outputs)
        return parameter_counts(spec)["total"]

    width = min(range(1, MAX_UNITS + 1), key=lambda w: (abs(count(w) - budget), w))
    return width, count(width)


def depth(params, settings):
    """A job: the same parameter budget spent on 1, 2, … hidden layers of equal width; the
    final training loss and dense max error of each depth over several seeds."""
    inputs = params["inputs"]
    shapes = {d: width_for_budget(d, params["budget"], inputs) for d in params["depths"]}
    runs = list(itertools.product(params["depths"], range(params["seeds"])))

    def work(job):
        losses = {d: [] for d in params["depths"]}
        errors = {d: [] for d in params["depths"]}
        for d, seed in runs:
            config = _run_config(params, [shapes[d][0]] * d, seed)
            result = _fit(config, params["steps"], settings, job)
            if result is None:
                break
            session, _, _, loss = result
            losses[d].append(loss)
            errors[d].append(session.max_error())
            job.done += 1
        depths = params["depths"]
        return {
            "depths": depths,
            "widths": [shapes[d][0] for d in depths],
            "parameters": [shapes[d][1] for d in depths],
            "final_loss": [losses[d] for d in depths],
            "max_error": [errors[d] for d in depths],
            "summary": [_spread(losses[d]) for d in depths],
            "columns": ["hidden_layers", "width", "parameters", "seed", "final_train_loss",
                        "max_error"],
            "rows": [[d, shapes[d][0], shapes[d][1], seed, loss, e] for d in depths
                     for seed, (loss, e) in enumerate(zip(losses[d], errors[d], strict=True))],
        }  # fmt: skip

    return Job("depth", params, work, len(runs))


def _least(values):
    finite = [v for v in values if v is not None]
    return min(finite) if finite else None


def _run_config(params, hidden, seed):
    """The job's shared config with one run's hidden layers and weight seed."""
    config = {**params["config"], "seed": seed}
    config["model"] = {**config["model"], "hidden": hidden}
    return config


def _finite(value):
    return float(value) if np.isfinite(value) else None


def _spread(values):
    """min, median, max and standard deviation of the finite values."""
    finite = np.array([v for v in values if v is not None])
    if not finite.size:
        return None
    return {"min": float(finite.min()), "median": float(np.median(finite)),
            "max": float(finite.max()), "std": float(finite.std())}  # fmt: skip
