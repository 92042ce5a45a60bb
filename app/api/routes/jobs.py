"""Jobs: long experiments that run in the background with progress, cancel and a result."""

import asyncio
import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import SettingsDep
from app.api.errors import BAD_CONFIG, STORE_DOWN, documented
from app.api.schemas import SeedVarianceRequest
from app.training.jobs import Job, JobNotFound, JobRunner, seed_variance

router = APIRouter(prefix="/api/jobs", tags=["jobs"], responses=STORE_DOWN)
NO_JOB = {404: documented("no such job", "job x not found: start one with POST /api/jobs/...")}


async def get_runner(request: Request) -> JobRunner:
    return request.app.state.jobs


async def get_job(
    job_id: Annotated[str, Path(description="the id the start request returned")],
    runner: Annotated[JobRunner, Depends(get_runner)],
) -> Job:
    job = runner.get(job_id)
    if job is None:
        raise JobNotFound(job_id)
    return job


RunnerDep = Annotated[JobRunner, Depends(get_runner)]
JobDep = Annotated[Job, Depends(get_job)]


@router.post("/seed-variance", status_code=202,
             responses={**BAD_CONFIG, 429: documented("too many jobs wait", "4 jobs are "
                        "already waiting; try again later")},
             summary="Start: final training loss for hidden sizes × seeds")  # fmt: skip
def start_seed_variance(runner: RunnerDep, settings: SettingsDep,
                        request: SeedVarianceRequest) -> dict[str, Any]:  # fmt: skip
    params = request.model_dump()
    params["config"] = request.config.model_dump()
    return runner.submit(seed_variance(params, settings)).view()


@router.get("/{job_id}", responses=NO_JOB, summary="Status, progress and, when done, the result")
async def job_status(
    job: JobDep,
    wait: Annotated[float, Query(ge=0, le=10, description="wait this long for it to end")] = 0,
) -> dict[str, Any]:
    if wait:
        await asyncio.to_thread(job.finished.wait, wait)
    return job.view()


@router.post("/{job_id}/cancel", responses=NO_JOB, summary="Stop a job; what it did is kept")
async def cancel_job(job: JobDep, runner: RunnerDep) -> dict[str, Any]:
    runner.cancel(job)
    await asyncio.to_thread(job.finished.wait, 5)
    return job.view()


@router.get("/{job_id}/result.csv", responses=NO_JOB, response_class=Response,
            summary="The result as CSV: size, seed, final loss, accuracy")  # fmt: skip
def job_csv(job: JobDep):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["hidden_units", "seed", "final_train_loss", "train_accuracy"])
    result = job.result or {"sizes": [], "final_loss": [], "accuracy": []}
    for size, losses, accuracies in zip(result["sizes"], result["final_loss"],
                                        result["accuracy"], strict=True):  # fmt: skip
        for seed, (loss, accuracy) in enumerate(zip(losses, accuracies, strict=True)):
            writer.writerow([size, seed, "" if loss is None else loss, accuracy])
    return Response(out.getvalue(), media_type="text/csv")
