"""Jobs: long experiments that run in the background with progress, cancel and a result."""

import asyncio
import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app import targets
from app.api.deps import SettingsDep
from app.api.errors import BAD_CONFIG, STORE_DOWN, documented
from app.api.schemas import DepthRequest, RepresentationalPowerRequest, SeedVarianceRequest
from app.training.jobs import (
    Job,
    JobNotFound,
    JobRunner,
    depth,
    representational_power,
    seed_variance,
)

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


STARTED = {**BAD_CONFIG, 429: documented("too many jobs wait", "4 jobs are already waiting; "
                                          "try again later")}  # fmt: skip


@router.post("/seed-variance", status_code=202, responses=STARTED,
             summary="Start: final training loss for hidden sizes × seeds")  # fmt: skip
def start_seed_variance(runner: RunnerDep, settings: SettingsDep,
                        request: SeedVarianceRequest) -> dict[str, Any]:  # fmt: skip
    return runner.submit(seed_variance(request.model_dump(), settings)).view()


@router.post("/representational-power", status_code=202, responses=STARTED,
             summary="Start: best max error of one hidden layer of N units, per N")  # fmt: skip
def start_representational_power(
    runner: RunnerDep, settings: SettingsDep, request: RepresentationalPowerRequest
) -> dict[str, Any]:
    return runner.submit(representational_power(request.model_dump(), settings)).view()


@router.post("/depth", status_code=202, responses=STARTED,
             summary="Start: one parameter budget over 1 to 5 hidden layers, × seeds")  # fmt: skip
def start_depth(runner: RunnerDep, settings: SettingsDep,
                request: DepthRequest) -> dict[str, Any]:  # fmt: skip
    params = request.model_dump()
    params["inputs"] = targets.inputs_of(request.config.target.name)
    return runner.submit(depth(params, settings)).view()


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
            summary="The result as CSV, a row per run (empty until the job ends)")  # fmt: skip
def job_csv(job: JobDep):
    out = io.StringIO()
    writer = csv.writer(out)
    result = job.result or {"columns": [], "rows": []}
    if result["columns"]:
        writer.writerow(result["columns"])
    writer.writerows(result["rows"])  # None is written as an empty cell
    return Response(out.getvalue(), media_type="text/csv")
