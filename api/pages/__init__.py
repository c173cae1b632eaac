"""Server-rendered pages (Bahasa Indonesia; English by switch), one module per role."""

from __future__ import annotations

from fastapi import APIRouter

from api.pages import (
    accounts,
    appeals,
    audit,
    employee,
    hr,
    hr_settings,
    hr_work,
    inbox,
    legal,
    notifications,
    requests,
    signin,
    verify,
)

router = APIRouter(include_in_schema=False)
for module in (
    signin,
    accounts,
    appeals,
    hr,
    hr_work,
    hr_settings,
    legal,
    notifications,
    requests,
    inbox,
    employee,
    audit,
    verify,
):
    router.include_router(module.router)
