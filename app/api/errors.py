"""Errors as 4xx answers that say what to change. Nothing a client sends causes a 500."""

import logging
import math
import re

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from app.api.responses import Problem
from app.datasets import DatasetError
from app.training.jobs import JobNotFound, JobsBusy
from app.training.session import ConfigError, DivergedError, TooManyParameters
from app.training.store import SessionBusy, SessionNotFound, StoreUnavailable


def documented(description, example):
    """A Problem response for the OpenAPI `responses=` of a route, with its own example."""
    content = {"application/json": {"example": {"detail": example}}}
    return {"model": Problem, "description": description, "content": content}


NOT_FOUND_TEXT = (
    "session eT6nXp0VwJ2oQk9sYb4LmA not found: it never existed, was deleted, or expired; "
    "create one with POST /api/sessions"
)
BAD_CONFIG_TEXT = (
    "loss binary_logistic has one output neuron and needs exactly 2 classes, the data has 3: "
    "choose softmax or svm, or 2 classes"
)
DIVERGED_TEXT = (
    "the run diverged at step 12 and its weights blew up; reset it (POST .../reset), after "
    "changing the settings that caused it (PATCH)"
)
BODY_ERRORS = {
    400: documented("the body is not UTF-8 JSON", "There was an error parsing the body"),
    413: documented(
        "the body is over the size cap", "the request body is larger than 8000000 bytes"
    ),
}
NOT_FOUND = {404: documented("no such session (or it expired)", NOT_FOUND_TEXT)}
BAD_CONFIG = {422: documented("the config cannot make a run", BAD_CONFIG_TEXT), **BODY_ERRORS}
DIVERGED = {409: documented("the run diverged", DIVERGED_TEXT)}
STORE_DOWN_TEXT = (
    "the session store is unavailable (ConnectionError: Error 111 connecting to redis:6379. "
    "Connection refused.); try again shortly"
)
STORE_DOWN = {503: documented("the shared session store (Redis) is down, or the session "
                              "stayed busy", STORE_DOWN_TEXT)}  # fmt: skip
RETRY_SECONDS = 5
UNUSABLE_TEXT = "a value in the request cannot be used; check its numbers and names"
PREFIXES = ("Value error, ", "Assertion failed, ")  # pydantic's, before a validator's message
MAX_ECHO = 100  # characters of a refused string value sent back
log = logging.getLogger(__name__)


def problem(status, detail, retry_after=None):
    headers = None if retry_after is None else {"Retry-After": str(retry_after)}
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI):
    @app.exception_handler(SessionNotFound)
    async def not_found(request: Request, error: SessionNotFound):
        return problem(404, f"session {error.args[0]} not found: it never existed, was deleted, "
                            "or expired; create one with POST /api/sessions")  # fmt: skip

    @app.exception_handler(StoreUnavailable)
    async def store_down(request: Request, error: StoreUnavailable):
        detail = f"the session store is unavailable ({error}); try again shortly"
        return problem(503, detail, RETRY_SECONDS)

    @app.exception_handler(SessionBusy)
    async def busy_session(request: Request, error: SessionBusy):
        return problem(503, f"{error}; try again shortly", retry_after=1)

    @app.exception_handler(DivergedError)
    async def diverged(request: Request, error: DivergedError):
        return problem(409, f"the run diverged at step {error.args[0]} and its weights blew "
                            "up; reset it (POST .../reset), after changing the settings that "
                            "caused it (PATCH)")  # fmt: skip

    @app.exception_handler(RequestValidationError)
    @app.exception_handler(ValidationError)
    async def invalid(request: Request, error: ValidationError | RequestValidationError):
        return problem(422, [described(e) for e in error.errors()])

    @app.exception_handler(TooManyParameters)
    async def too_large(request: Request, error: TooManyParameters):
        ctx = {"parameters": error.parameters, "limit": error.limit}
        item = {"type": "too_many_parameters", "loc": ["body", "model", "hidden"],
                "msg": str(error), "ctx": ctx}  # fmt: skip
        return problem(422, [item])

    @app.exception_handler(JobNotFound)
    async def no_job(request: Request, error: JobNotFound):
        return problem(404, f"job {error.args[0]} not found (jobs are kept for a while only); "
                            "start one with POST /api/jobs/seed-variance")  # fmt: skip

    @app.exception_handler(JobsBusy)
    async def busy(request: Request, error: JobsBusy):
        return problem(429, str(error))

    for kind in (ConfigError, DatasetError):
        app.add_exception_handler(kind, _unprocessable)

    @app.exception_handler(ValueError)
    async def unusable(request: Request, error: ValueError):
        # Not one of ours, so its text is Python's ("invalid literal for int() …"): logged for
        # whoever runs the server, never shown to the person who sent the value.
        log.warning("422 for %s %s: %r", request.method, request.url.path, error)
        return problem(422, UNUSABLE_TEXT)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        if error.status_code != 405:
            return await http_exception_handler(request, error)
        # Starlette names only the first route's methods; a path may have several routes.
        allowed = _methods(request.app, request.url.path)
        detail = f"{request.method} is not allowed here; use {', '.join(allowed)}"
        return JSONResponse({"detail": detail}, 405, headers={"Allow": ", ".join(allowed)})


def _methods(app, path):
    """Every method the API serves at ``path``, from its OpenAPI paths."""
    paths = app.openapi()["paths"]
    if path in paths:  # a concrete path wins over a template, as in OpenAPI
        return sorted(method.upper() for method in paths[path])
    for template, operations in paths.items():
        if re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", template), path):
            return sorted(method.upper() for method in operations)
    return []


async def _unprocessable(request: Request, error: Exception):
    return problem(422, str(error))


def described(error):
    """A pydantic error as JSON a page can put in its own words and language: its `type`, its
    `loc`, its `msg` (without pydantic's "Value error, "), `ctx` (the bound: {"le": 256}) and
    the refused `input` when it is a short plain value."""
    message = error["msg"]
    for prefix in PREFIXES:
        message = message.removeprefix(prefix)
    item = {"type": error["type"], "loc": list(error["loc"]), "msg": message}
    ctx = {key: value for key, value in error.get("ctx", {}).items() if _plain(value)}
    if ctx:
        item["ctx"] = ctx
    if "input" in error and _plain(error["input"]):
        item["input"] = error["input"]
    return item


def _plain(value):
    """A value that JSON carries as it is and that is short enough to quote back."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return len(value) <= MAX_ECHO
    return value is None or isinstance(value, bool | int)
