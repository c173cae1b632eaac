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
from api.pages.i18n import ROLES, action_label, english
from api.validation_text import pesan
from mutasi.i18n.catalogs import translations
from mutasi.i18n.sources import messages
from mutasi.infra.settings import Settings
from tests.auth_support import page_client

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


def test_every_audit_action_has_a_label_in_both_languages():
    actions = written_actions() | set(DYNAMIC_ACTIONS)
    for lang in ("id", "en"):
        catalog = translations(lang)
        assert sorted(a for a in actions if f"action.{a}" not in catalog) == [], lang
        assert sorted(r for r in ROLES if f"role.{r}" not in catalog) == [], lang
    assert action_label("reminder.task") == "pengingat dikirim"
    assert action_label("reminder.task", "en") == "reminder sent"


# Text a template may show outside _(): names, acronyms, formats and punctuation.
NOT_LANGUAGE = {
    "Mutasi",
    "BKPSDM",
    "Bahasa",
    "Indonesia",
    "JPM:",
    "English",
    "NIP",
    "TMT",
    "JPM",
    "EJ",
    "ABK",
    "JP",
    "XLSX",
    "PDF",
    "KiB",
    "API",
    "OpenAPI",
    "Temporal",
    "Web",
    "UI",
    "Job-person",
    "match",
    "XXXX-XXXX-XXXX",
    "position:KODE",
    "MUT-2027-1",
    "MUT-2027-1.19xxxxxxxxxxxxxxxx",
}


def bare_template_text(text: str) -> list[str]:
    """The words a template shows that do not pass through _()."""
    text = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    said = re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', text)
    said += re.sub(r"<[^>]*>", "\n", text).split("\n")
    return [w for part in said for w in re.findall(r"[\w:.-]*[A-Za-z]{2}[\w:.-]*", part)]


def test_every_word_a_template_shows_goes_through_the_language_switch():
    bare = {
        f"{path.relative_to(ROOT)}: {word}"
        for path in (ROOT / "api" / "templates").rglob("*.html")
        for word in bare_template_text(path.read_text())
        if word not in NOT_LANGUAGE
    }
    assert sorted(bare) == []
    assert bare_template_text('<p title="Kode">Nomor {{ x }} <b>SK</b></p>') == [
        "Kode",
        "Nomor",
        "SK",
    ]


def test_every_message_the_code_says_reads_in_english():
    """Every problem title and detail, flash, page error, rule outcome, workflow refusal and
    validation message in the code, with values filled in, comes out of the English switch
    as something else: its template is in the catalogue, whole or composed of parts."""
    untranslated = []
    for template, where in messages():
        if not re.search(r"[a-zA-Z]{3}", template.replace("{}", "")):
            continue  # only values and punctuation ("{}: {}")
        filled = template.replace("{}", "X9")
        if english(filled) == filled:
            untranslated.append(f"{where}: {template}")
    assert untranslated == []


@pytest.mark.parametrize(
    ("indonesian", "in_english"),
    [
        (
            "masa jabatan 1 tahun 1 bulan (minimal 2 tahun)",
            "time in post 1 year 1 month (at least 2 years)",
        ),
        ("JPM 82,5% (batas minimal 60%)", "JPM 82.5% (minimum 60%)"),
        (
            "hukuman disiplin sedang pada 3 Maret 2025 (berlaku sebagai penghalang hingga 3 Maret 2027)",
            "moderate disciplinary penalty on 3 March 2025 (it blocks a transfer until 3 March 2027)",
        ),
        ("sedang cuti di luar tanggungan negara", "currently on unpaid leave"),
        (
            "tidak dapat dimutasi: tanpa alasan; kelas jabatan 7 ke 8",
            "may not be transferred: no reason given; job class 7 to 8",
        ),
        ("Budi Santoso", "Budi Santoso"),  # a name is nobody's message
        ("198503122010011001", "198503122010011001"),
    ],
)
def test_a_message_with_values_reads_in_english_with_its_values_translated(indonesian, in_english):
    assert english(indonesian) == in_english


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
    english_catalog = translations("en")
    labels: set[str] = set()
    for path in (ROOT / "api" / "templates").rglob("*.html"):
        text = path.read_text()
        labels |= set(re.findall(r'_\("([^"]*)"\)', text)) | set(
            re.findall(r"_\('([^']*)'\)", text)
        )
    assert labels and sorted(label for label in labels if label not in english_catalog) == []


def test_a_planner_explanation_reads_in_english_for_hr_and_for_the_employee():
    """Rendered from the planner's record: in Bahasa Indonesia exactly the stored text; in
    English with no Indonesian page furniture left (names of people, posts and units
    aside), the employee's version in the second person."""
    from planning.explain_text import employee_explanation, hr_explanation
    from tests.planning.test_optimizer import _many_candidates_plan
    from tests.test_accessibility import INDONESIAN

    plan = _many_candidates_plan()
    assert plan.proposals
    for p in plan.proposals:
        assert hr_explanation(p) == p["explanation"]
        data = {p["name"], p["origin_title"], p["destination_title"]}
        data |= {p["runner_up"]["name"]} if p["runner_up"] else set()
        data |= {u["name"] for u in p["units"].values()}
        hr_text = hr_explanation(p, "en", english)
        own = employee_explanation(p, "en", english)
        assert hr_text.startswith(f"{p['name']} ({p['nip']}) is proposed to move")
        assert own.startswith("You are proposed to move")
        for text in (hr_text, own):
            for words in sorted(data, key=len, reverse=True):
                text = text.replace(words, "")
            assert not INDONESIAN.search(text), text
