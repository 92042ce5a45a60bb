"""Long experiments as jobs: queued, run one at a time by a worker thread, with progress,
cancel and a result. Bounded: a few waiting jobs, a few dozen kept, each bounded in work."""

import itertools
import secrets
import threading
import time
from collections import OrderedDict, deque

import numpy as np

from app.training.session import build_trainer

MAX_WAITING = 4
MAX_KEPT = 50


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
        except Exception as error:  # a job's failure is reported, never takes the worker down
            job.status, job.error = "failed", repr(error)
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
            config = {**params["config"], "seed": seed}
            config["model"] = {**config["model"], "hidden": [size]}
            trainer, _, _ = build_trainer(config, settings.max_parameters)
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
        return {"sizes": params["sizes"], "final_loss": [losses[s] for s in params["sizes"]],
                "accuracy": [accuracies[s] for s in params["sizes"]],
                "summary": [_spread(losses[s]) for s in params["sizes"]]}  # fmt: skip

    return Job("seed-variance", params, work, len(runs))


def _finite(value):
    return float(value) if np.isfinite(value) else None


def _spread(values):
    """min, median, max and standard deviation of the finite values."""
    finite = np.array([v for v in values if v is not None])
    if not finite.size:
        return None
    return {"min": float(finite.min()), "median": float(np.median(finite)),
            "max": float(finite.max()), "std": float(finite.std())}  # fmt: skip
