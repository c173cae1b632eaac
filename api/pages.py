"""Server-rendered pages (Bahasa Indonesia)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select

from api.deps import SessionDep
from models import Employee, Position, Unit

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep):
    def count(model) -> int:
        return session.execute(select(func.count()).select_from(model)).scalar_one()

    settings = request.app.state.settings
    return TEMPLATES.TemplateResponse(request, "home.html", {
        "units": count(Unit), "positions": count(Position), "employees": count(Employee),
        "temporal_ui": settings.temporal_ui_url,
    })
