"""The HTML pages: the playground, the lessons' experiment pages, and the API docs."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.config import get_settings

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parents[3] / "templates")
router = APIRouter(include_in_schema=False)

# path -> template; every page extends base.html (navigation, language switch)
PAGES = {
    "/": "index.html",
    "/experiments/grid": "grid.html",
    "/experiments/activations": "activations.html",
    "/experiments/sizing": "sizing.html",
    "/experiments/neuron": "neuron.html",
    "/experiments/seeds": "seeds.html",
    "/experiments/power": "power.html",
    "/docs": "docs.html",
}


def page(template):
    def render(request: Request):
        context = {"title": get_settings().app_name, "page": request.url.path}
        return TEMPLATES.TemplateResponse(request, template, context)

    return render


for path, template in PAGES.items():
    router.add_api_route(path, page(template), methods=["GET"], response_class=HTMLResponse)
