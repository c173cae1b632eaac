"""Every page, as its role, at a desk (1366 × 768) and on a phone (390 × 844): no
horizontal overflow, every control at least 44 px to tap on a phone, no axe-core violation
(WCAG 2 A/AA, served from the npm package in
.venv, never a CDN), no known English leftover or raw code on an Indonesian page; a
screenshot of each lands in tests/artifacts/screenshots/pages/."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from api.main import create_app
from contracts.chain import ROLE_TITLES
from models import ApprovalTask, Notification, Position, TransferCycle, Unit
from mutasi.demo.plans import plan_ready_cycle
from mutasi.infra.settings import Settings
from mutasi.org.directory import OrgDirectory
from tests.test_appeals import decreed_case
from tests.test_browser import launch, serving, signed_in

AXE = Path(__file__).resolve().parent.parent / ".venv/node/node_modules/axe-core/axe.min.js"
SHOTS = Path(__file__).parent / "artifacts" / "screenshots" / "pages"
SIZES = {"desk": (1366, 768), "phone": (390, 844)}
# Words a page in Bahasa Indonesia must not show (leftovers the first walk-through found).
LEFTOVERS = (
    "String should",
    "Field required",
    "pending:",
    "Status: running",
    "within_agency",
    "between_regencies",
    "hr_admin",
    "None",
)
pytestmark = [pytest.mark.browser]


@pytest.fixture
def axe_path() -> str:
    if not AXE.exists():
        reason = f"{AXE} tidak ada (make test memasangnya dengan npm)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    return str(AXE)


def seed_pages(engine) -> dict[str, str]:
    """A plan under review, a case with an open task and its decree, and a notice: every
    page has something to show."""
    plan_ready_cycle(engine, "A11Y", 120)
    case_id, person, dest, _agency = decreed_case(
        engine, "A11YCASE", "approval", "800/A11Y/2026", 99
    )
    now = datetime.now(UTC)
    with Session(engine) as s:
        head = OrgDirectory(s).head_of(dest.unit_code)
        task_id = f"{case_id}/0/destination_head"
        s.add(
            ApprovalTask(
                id=task_id,
                case_id=case_id,
                step=0,
                role="destination_head",
                title=ROLE_TITLES["destination_head"],
                assignee_nip=head,
                deciders=[head],
                due_at=now + timedelta(days=3),
                created_at=now,
            )
        )
        s.add(
            Notification(
                key="a11y/1",
                recipient_nip=person.nip,
                case_id=case_id,
                kind="task",
                message="Usulan mutasi Anda diproses.",
                created_at=now,
            )
        )
        s.commit()
    return {"employee": person.nip, "approver": head, "case": case_id, "task": task_id}


def pages_by_user(data: dict[str, str]) -> dict[str | None, list[str]]:
    """Every page, under the user who works in it (None: public)."""
    return {
        None: ["/login", "/aktivasi", "/lupa-sandi", "/verify/decree/800/A11Y/2026?c=KODEA11YCASE"],
        "hr": [
            "/hr",
            "/hr/cycles/A11Y",
            "/hr/tindakan",
            "/hr/delegasi",
            "/hr/rantai",
            "/hr/legal",
            "/hr/permohonan",
            "/hr/akun",
            "/hr/surel",
            "/hasil",
            "/pemberitahuan",
            "/audit",
            f"/audit/case?id={data['case']}",
        ],
        data["approver"]: ["/inbox", f"/inbox/task?id={data['task']}"],
        data["employee"]: ["/saya", "/pemberitahuan", "/hasil"],
        "auditor": ["/audit", f"/audit?q={data['case']}"],
    }


@pytest.fixture
async def plain_site(demo_engine):
    """The app without Temporal: every page reads the database."""
    app = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    async with serving(app) as url:
        yield url


async def test_every_page_is_accessible_fits_a_phone_and_speaks_indonesian(
    plain_site, demo_engine, chromium_path, axe_path
):
    from playwright.async_api import async_playwright

    data = seed_pages(demo_engine)
    pages = pages_by_user(data)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    async with async_playwright() as pw:
        browser = await launch(pw, chromium_path)
        for size, (width, height) in SIZES.items():
            for user, paths in pages.items():
                if user is None:
                    # axe is injected as a script tag: the pages' CSP would rightly refuse it.
                    context = await browser.new_context(
                        viewport={"width": width, "height": height}, bypass_csp=True
                    )
                    page = await context.new_page()
                else:
                    context, page = await signed_in(
                        browser, plain_site, user, width, height, bypass_csp=True
                    )
                for path in paths:
                    response = await page.goto(f"{plain_site}{path}")
                    assert response.status < 400, f"{path}: {response.status}"
                    name = f"{size}{path.split('?')[0].replace('/', '-') or '-root'}-{user or 'public'}"
                    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
                    wide = await page.evaluate("document.documentElement.scrollWidth")
                    if wide > width:
                        problems.append(f"{size} {path}: {wide} px lebar pada layar {width} px")
                    if (
                        size == "phone"
                    ):  # every control a thumb can hit: 44 px (a box 24 px + margin)
                        small = await page.evaluate(
                            """() => [...document.querySelectorAll('button, a.button, select, summary,'
                                + ' input:not([type=hidden]), header nav a')]
                              .filter(e => e.offsetParent !== null)
                              .map(e => [e, e.getBoundingClientRect()])
                              .filter(([e, r]) => {
                                const m = parseFloat(getComputedStyle(e).marginTop) * 2;
                                return r.height + (e.type === 'checkbox' ? m : 0) < 44;
                              })
                              .map(([e, r]) => e.tagName + ' ' + (e.name || e.textContent.trim()).slice(0, 30) + ' ' + Math.round(r.height))"""
                        )
                        problems += [f"{size} {path}: kecil untuk disentuh: {t}" for t in small[:5]]
                    await page.add_script_tag(path=axe_path)
                    found = await page.evaluate(
                        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']}))"
                        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
                    )
                    problems += [f"{size} {path}: axe {v}" for v in found]
                    if not path.startswith("/audit"):  # the audit trail shows codes on purpose
                        text = (
                            await page.inner_text("main")
                            if await page.locator("main").count()
                            else await page.inner_text("body")
                        )
                        problems += [f"{size} {path}: '{w}' tampil" for w in LEFTOVERS if w in text]
                await context.close()
        await browser.close()
    assert problems == [], "\n".join(problems)


# Words of Bahasa Indonesia's page furniture that an English page must not show (the data
# itself, names of people, units and posts, stays as the agency wrote it).
INDONESIAN = re.compile(
    r"\b(tidak|belum|sudah|dengan|untuk|yang|atau|dari|kepada|usulan|pegawai|kasus|tugas"
    r"|siklus|simpan|kirim|setujui|tolak|tenggat|beranda|keluar|masuk|diusulkan|syarat"
    r"|jabatan|tahun|bulan|minimal|alasan|dokumen|permohonan|keberatan|pelatihan"
    r"|persetujuan|tanggal|halaman|sedang|wajib|dibuka|ditolak|disetujui|pilih|semua"
    r"|karena|beban|kerja|tinggi|rendah|menjadi|sebelum|sesudah|sekarang|pindah|diproses)\b",
    re.IGNORECASE,
)


async def test_every_page_speaks_english_when_switched(plain_site, demo_engine, chromium_path):
    """The English switch on every page, as its role: no Indonesian page furniture
    (labels, statuses, rule outcomes, explanations, formats) is left."""
    from playwright.async_api import async_playwright

    data = seed_pages(demo_engine)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with Session(demo_engine) as s:
        # What people wrote (cycle names, the notices' text, the names of units and posts)
        # is shown as written; the longest first, so a unit's name goes before a part of it.
        written = sorted(
            {
                *s.execute(select(TransferCycle.name)).scalars(),
                *s.execute(select(Notification.message)).scalars(),
                *s.execute(select(Unit.name)).scalars(),
                *s.execute(select(Position.title)).scalars(),
            },
            key=len,
            reverse=True,
        )
    problems: list[str] = []
    host = plain_site.split("//", 1)[1].split(":")[0]
    async with async_playwright() as pw:
        browser = await launch(pw, chromium_path)
        for user, paths in pages_by_user(data).items():
            if user is None:
                context = await browser.new_context(viewport={"width": 1366, "height": 768})
                page = await context.new_page()
            else:
                context, page = await signed_in(browser, plain_site, user, 1366, 768)
            await context.add_cookies(
                [{"name": "lang", "value": "en", "domain": host, "path": "/"}]
            )
            for path in paths:
                response = await page.goto(f"{plain_site}{path}")
                assert response.status < 400, f"{path}: {response.status}"
                await page.evaluate(
                    "document.querySelectorAll('details').forEach(d => d.open = true)"
                )
                name = (
                    f"en{path.split('?')[0].replace('/', '-')}-{'public' if user is None else user}"
                )
                await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
                text = (
                    await page.inner_text("main")
                    if await page.locator("main").count()
                    else await page.inner_text("body")
                )
                for line in text.splitlines():
                    for words in written:
                        line = line.replace(words, "")
                    if found := INDONESIAN.search(line):
                        problems.append(f"{path} [{user}]: '{found[0]}' in: {line.strip()[:160]}")
            await context.close()
        await browser.close()
    assert problems == [], "\n".join(problems[:80])
