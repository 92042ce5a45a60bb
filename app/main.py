"""The web application: `uvicorn app.main:app`."""

from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from threadpoolctl import threadpool_limits

from app import __version__
from app.api.errors import install_error_handlers
from app.api.limits import BodySizeLimit
from app.api.routes import meta, sessions, stream, train
from app.config import get_settings
from app.training.store import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
templates = Jinja2Templates(directory=ROOT / "templates")

DESCRIPTION = """Train a small neural network on 2-D data and watch its decision regions.

Create a session, step it (or stream it), change its settings on the way, export it.
Limits are listed by `GET /api/options`; errors say what to change."""


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings = get_settings()
    app.state.store = MemoryStore(settings.max_sessions, settings.session_ttl_seconds)
    yield


def create_app() -> FastAPI:
    settings = get_settings()
    # One BLAS thread: the work is many small matrix products, where threads only contend (a
    # 3×101 by 101×10000 product took 5 ms with two, 0.2 ms with one); concurrency comes from
    # serving several sessions at once instead.
    threadpool_limits(1, "blas")
    app = FastAPI(
        title=settings.app_name, version=__version__, description=DESCRIPTION,
        lifespan=lifespan, docs_url=None, redoc_url=None,
    )  # fmt: skip
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    install_error_handlers(app)
    for module in (meta, sessions, stream, train):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request):
        return templates.TemplateResponse(request, "index.html", {"title": settings.app_name})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request):
        return templates.TemplateResponse(request, "docs.html", {"title": settings.app_name})

    return app


app = create_app()
