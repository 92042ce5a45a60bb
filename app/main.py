"""The web application: `uvicorn app.main:app`."""

from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
import plotly
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from threadpoolctl import threadpool_limits

from app import __version__
from app.api.errors import install_error_handlers
from app.api.examples import add_examples
from app.api.limits import BodySizeLimit
from app.api.routes import groups, jobs, lessons, meta, pages, qr, sessions, stream, train
from app.api.security import SecurityHeaders
from app.config import get_settings
from app.training.shared_jobs import make_jobs
from app.training.store import make_store

ROOT = Path(__file__).resolve().parent.parent
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data"  # plotly.min.js, served by the app

DESCRIPTION = """Train a small neural network on 2-D data and watch its decision regions.

Create a session, step it (or stream it), change its settings on the way, export it.
Limits are listed by `GET /api/options`; errors say what to change."""


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings = get_settings()
    app.state.store = make_store(settings)
    app.state.jobs = make_jobs(app.state.store)
    yield
    app.state.jobs.stop()


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
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    for module in (meta, sessions, stream, train, groups, jobs, lessons, qr, pages):
        app.include_router(module.router)
    # Files are gzipped (plotly.min.js: 4.8 MB, 1.5 MB gzipped); API frames are not, since
    # compressing them costs more than it saves on a local network.
    for path, directory in (("/static", ROOT / "static"), ("/docs-assets", DOCS_ASSETS),
                            ("/vendor", PLOTLY_JS)):  # fmt: skip
        files = GZipMiddleware(StaticFiles(directory=directory), minimum_size=1024)
        app.mount(path, files, name=path.strip("/"))

    built = app.openapi

    def openapi():
        if app.openapi_schema is None:
            add_examples(built(), settings)
        return app.openapi_schema

    app.openapi = openapi

    return app


app = create_app()
