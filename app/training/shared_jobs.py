"""Jobs seen by every worker: with Redis, a job runs in the worker that received it (its own
JobRunner thread), which publishes the job's view to Redis a few times a second; any other
worker answers for it from there, and passes a cancel back through a flag the owner reads.

If the worker running a job dies, its view stops changing: after ``STALE_SECONDS`` the others
report it failed, saying so. Keys expire ``KEEP_SECONDS`` after the last publication.
"""

import json
import threading
import time

import redis

from app.training.jobs import JobRunner, JobsBusy
from app.training.store import StoreUnavailable

PUBLISH_SECONDS = 0.1
STALE_SECONDS = 10
KEEP_SECONDS = 3600
ENDED = ("done", "cancelled", "failed")


def make_jobs(store):
    """A job runner for this worker; with the Redis store, one whose jobs every worker sees."""
    runner = JobRunner()
    return SharedJobs(runner, store.redis) if store.kind == "redis" else runner


class SharedJobs:
    """JobRunner's interface (submit, get, cancel, stop) over a local runner and Redis."""

    def __init__(self, runner, client, prefix="boundary:", clock=time.time):
        self.runner, self.redis, self.prefix, self.clock = runner, client, prefix, clock
        self.published = {}  # id -> Job of this worker not yet published as ended
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="jobs-publisher", daemon=True)
        self.thread.start()

    def key(self, job_id):
        return f"{self.prefix}job:{job_id}"

    def submit(self, job):
        self._call(self._publish, job)  # visible everywhere before it starts
        try:
            self.runner.submit(job)
        except JobsBusy:
            self._call(self.redis.delete, self.key(job.id))
            raise
        with self.lock:
            self.published[job.id] = job
        return job

    def get(self, job_id):
        job = self.runner.get(job_id)
        if job is not None:
            return job
        view = self._call(self.redis.get, self.key(job_id))
        return None if view is None else RemoteJob(self, job_id, json.loads(view))

    def cancel(self, job):
        if isinstance(job, RemoteJob):
            self._call(self.redis.set, self.key(job.id) + ":cancel", 1, ex=KEEP_SECONDS)
        else:
            self.runner.cancel(job)

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.runner.stop()
        self._publish_all()  # the final state of what was running here

    def _call(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except redis.RedisError as error:
            raise StoreUnavailable(f"{type(error).__name__}: {error}") from None

    def _publish(self, job):
        view = {**job.view(), "published": self.clock()}
        self.redis.set(self.key(job.id), json.dumps(view), ex=KEEP_SECONDS)

    def _loop(self):
        while not self.stopping.wait(PUBLISH_SECONDS):
            try:
                self._publish_all()
            except redis.RedisError:
                pass  # Redis is away: publish again next time

    def _publish_all(self):
        with self.lock:
            jobs = list(self.published.values())
        for job in jobs:
            if self.redis.exists(self.key(job.id) + ":cancel"):
                self.runner.cancel(job)
            ended = job.finished.is_set()
            self._publish(job)
            if ended:
                with self.lock:
                    self.published.pop(job.id, None)


class RemoteJob:
    """A job another worker runs, as the routes use a Job: id, view(), finished, result."""

    def __init__(self, jobs, job_id, view):
        self.jobs, self.id, self._view = jobs, job_id, view
        self.finished = _Finished(self)

    def view(self):
        view = {k: v for k, v in self._view.items() if k != "published"}
        stale = self.jobs.clock() - self._view["published"] > STALE_SECONDS
        if stale and view["status"] not in ENDED:
            view["status"] = "failed"
            view["error"] = "the worker running this job stopped; start it again"
        return view

    @property
    def result(self):
        return self._view["result"]

    def refresh(self):
        view = self.jobs._call(self.jobs.redis.get, self.jobs.key(self.id))
        if view is not None:
            self._view = json.loads(view)
        return self.view()["status"] in ENDED


class _Finished:
    """``job.finished.wait(timeout)`` for a remote job: reads its view until it ends."""

    def __init__(self, job):
        self.job = job

    def wait(self, timeout=None):
        deadline = time.monotonic() + (timeout or 0)
        while not self.job.refresh():
            if time.monotonic() >= deadline:
                return False
            time.sleep(PUBLISH_SECONDS / 2)
        return True

    def is_set(self):
        return self.job.refresh()
