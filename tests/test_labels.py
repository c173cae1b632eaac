"""People read labels, not codes: every audit action the code writes has an Indonesian label
on the audit page, validation errors reach forms and the API in Bahasa Indonesia, and a
refusal reaching a browser is a page, not raw JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ValidationError

from api.main import create_app
from api.pages.i18n import ACTION_LABELS, action_label
from api.validation_text import pesan
from mutasi.infra.settings import Settings
from tests.test_case_documents import page_client

ROOT = Path(__file__).resolve().parent.parent
LITERAL_ACTION = re.compile(
    r'"((?:case|consultation|objection|training|task|document|decree|employee|reporting'
    r'|evaluation|delegation|history|request|appeal|accounts)\.[a-z_]+)"'
)
# Written with an f-string: every value it can take.
DYNAMIC_ACTIONS = [
    *(f"case.{o}" for o in ("completed", "rejected", "withdrawn")),
    *(f"consultation.{r}" for r in ("accepted", "objected", "deemed_accepted", "routed_to_hr")),
    *(f"objection.{o}" for o in ("confirmed", "withdrawn")),
    *(f"task.{s}" for s in ("approved", "rejected")),
    *(f"task.recorded_{s}" for s in ("approved", "rejected")),
    *(f"task.committee_{r}" for r in ("setuju", "tidak_setuju", "tunda")),
    *(f"document.{s}" for s in ("accepted", "rejected")),
    *(f"evaluation.{s}" for s in ("submitted", "expired")),
    *(f"delegation.{a}" for a in ("created", "revoked")),
    *(f"appeal.{s}" for s in ("upheld", "dismissed")),
]


def written_actions() -> set[str]:
    found = set()
    for package in ("activities", "api", "mutasi", "workflows"):
        for path in (ROOT / package).rglob("*.py"):
            found.update(LITERAL_ACTION.findall(path.read_text()))
    return found


def test_every_audit_action_has_a_label():
    missing = sorted(a for a in written_actions() | set(DYNAMIC_ACTIONS) if a not in ACTION_LABELS)
    assert missing == []
    assert action_label("reminder.task") == "pengingat dikirim"


class Form(BaseModel):
    name: str = Field(..., min_length=3)
    days: int = Field(..., ge=1, le=60)


def test_validation_errors_read_in_indonesian():
    with pytest.raises(ValidationError) as bad:
        Form(name="x", days="abc")
    texts = {e["loc"][-1]: pesan(e) for e in bad.value.errors()}
    assert texts == {"name": "minimal 3 karakter", "days": "harus bilangan bulat"}
    with pytest.raises(ValidationError) as high:
        Form(name="cukup", days=61)
    assert [pesan(e) for e in high.value.errors()] == ["tidak boleh lebih dari 60"]


def test_a_refused_form_is_a_page_for_a_browser_and_problem_json_for_a_program(demo_engine):
    app = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    with TestClient(app, follow_redirects=False) as client:
        page_client(client, demo_engine, "hr")
        form = {"csrf": "kedaluwarsa", "name": "Siklus"}
        browser = client.post("/hr/cycles", data=form, headers={"Accept": "text/html"})
        assert browser.status_code == 403
        assert browser.headers["content-type"].startswith("text/html")
        assert "Token CSRF tidak valid" in browser.text and "<html" in browser.text
        program = client.post("/hr/cycles", data=form, headers={"Accept": "application/json"})
        assert program.status_code == 403
        assert program.headers["content-type"].startswith("application/problem+json")


def test_every_label_on_a_page_has_its_english():
    from api.pages.i18n import EN

    labels: set[str] = set()
    for path in (ROOT / "api" / "templates").rglob("*.html"):
        text = path.read_text()
        labels |= set(re.findall(r'_\("([^"]*)"\)', text)) | set(
            re.findall(r"_\('([^']*)'\)", text)
        )
    assert labels and sorted(label for label in labels if label not in EN) == []
