"""Server-rendered pages (Bahasa Indonesia; English by switch), one module per role."""

from __future__ import annotations

from fastapi import APIRouter

from api.pages import audit, employee, hr, inbox, signin

router = APIRouter(include_in_schema=False)
for module in (signin, hr, inbox, employee, audit):
    router.include_router(module.router)
