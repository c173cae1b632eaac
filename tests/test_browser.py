"""The four roles in a real browser (Playwright driving Debian's chromium): HR starts a
cycle and approves the plan, the employee accepts, approvers approve through the inbox
(one on the task page, the rest by bulk approval), the auditor reads the timeline.
Screenshots of every page land in tests/artifacts/screenshots/."""

from __future__ import annotations

import asyncio
import socket
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from models import ApprovalTask, MutationCase, UserAccount
from mutasi.committee.membership import committee_of
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers
from tests.support.raw_codes import raw_codes
from tests.workflow_support import running_worker

SHOTS = Path(__file__).parent / "artifacts" / "screenshots"
PASSWORD = Settings().demo_password
pytestmark = [pytest.mark.browser, pytest.mark.devserver]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def site(dev_server, demo_engine):
    """Worker + the whole app served by uvicorn on a free port, in this event loop."""

    async with running_worker(dev_server.client, demo_engine) as queue:
        app = create_app(Settings(task_queue=queue), engine=demo_engine, temporal=dev_server.client)
        async with serving(app) as url:
            yield url


@asynccontextmanager
async def serving(app):
    """`app` served by uvicorn on a free port, in this event loop: its base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def launch(pw, chromium_path: str):
    return await pw.chromium.launch(
        executable_path=chromium_path,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    )


async def signed_in(browser, site: str, username: str, width: int, height: int, **options):
    """A new browser context signed in as `username`: (context, page)."""
    context = await browser.new_context(viewport={"width": width, "height": height}, **options)
    page = await context.new_page()
    await page.goto(f"{site}/login")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_load_state()
    return context, page


async def sitting_agrees(site: str, engine, case_id: str) -> None:
    """The committee's sitting over the API (its pages come later): HR drafts, the chair signs."""
    settings = Settings()
    with Session(engine) as s:
        case = s.get(MutationCase, case_id)
        team = committee_of(s, case.agency_code, "tpk")
        chair = s.execute(
            select(UserAccount.username).where(UserAccount.nip == team.chair_nip)
        ).scalar_one()
    async with httpx.AsyncClient(base_url=site) as api:
        r = await api.post(
            "/api/v1/committee-sittings",
            json={
                "agency_code": case.agency_code,
                "kind": "tpk",
                "held_on": datetime.now(UTC).date().isoformat(),
                "attendees": list(team.members),
                "items": [{"case_id": case_id, "recommendation": "setuju", "reason": "sesuai"}],
            },
            headers=auth_headers(engine, settings, "hr"),
        )
        assert r.status_code == 201, r.text
        r = await api.post(
            f"/api/v1/committee-sittings/{r.json()['number']}/sign",
            headers=auth_headers(engine, settings, chair),
        )
        assert r.status_code == 200, r.text


async def poll(fetch, predicate, seconds: float = 60.0):
    for _ in range(int(seconds * 10)):
        value = fetch()
        if predicate(value):
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"kondisi tidak tercapai; terakhir: {value!r}")


async def test_four_roles_in_the_browser(site, demo_engine, chromium_path):
    from playwright.async_api import async_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)

    def db(fn):
        with Session(demo_engine) as s:
            return fn(s)

    async with async_playwright() as pw:
        browser = await launch(pw, chromium_path)

        async def sign_in(username: str):
            return await signed_in(browser, site, username, 1280, 900)

        async def shot(page, name: str):
            await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

        # Login page, wrong password: an error in place, no session.
        context = await browser.new_context()
        page = await context.new_page()
        await page.goto(f"{site}/login")
        await page.fill("input[name=username]", "hr")
        await page.fill("input[name=password]", "salah-sandi")
        await page.click("button[type=submit]")
        assert "salah" in await page.inner_text(".error")
        await shot(page, "01-login-error")
        await context.close()

        # HR: start a cycle; a bad form shows errors in place.
        hr_context, hr = await sign_in("hr")
        assert hr.url.endswith("/hr")
        await hr.fill("input[name=name]", "x")
        await hr.click("form[action='/hr/cycles'] button[type=submit]")
        assert await hr.locator(".field-error").count() == 1
        await hr.fill("input[name=name]", "Mutasi Semester I 2026")
        await hr.fill("input[name=id]", "UI-1")
        await hr.fill("input[name=as_of]", "2026-01-01")
        await hr.click("form[action='/hr/cycles'] button[type=submit]")
        await hr.wait_for_url("**/hr/cycles/UI-1")
        for _ in range(120):
            if await hr.get_attribute("[data-testid=cycle-status]", "data-code") == "plan_ready":
                break
            await asyncio.sleep(0.5)
            await hr.reload()
        assert await hr.get_attribute("[data-testid=cycle-status]", "data-code") == "plan_ready"
        assert await hr.locator(".chart-row").count() > 0
        await shot(hr, "02-hr-cycle-plan")
        # One proposal marked to leave out: refused in place without a reason, then kept.
        await hr.locator("#mark-form input[name=nip]").first.check()
        await hr.click("[data-testid=mark-removal]")
        assert "alasan" in (await hr.inner_text(".error")).lower()
        await hr.locator("#mark-form input[name=nip]").first.check()
        await hr.fill("#mark-form input[name=reason]", "sedang mengajukan tugas belajar")
        await hr.click("[data-testid=mark-removal]")
        await hr.wait_for_load_state()
        assert await hr.inner_text("[data-testid=marked-count]") == "1"
        await hr.click("[data-testid=approve-plan]")
        await hr.wait_for_load_state()
        assert await hr.locator(".flash").count() == 1
        cases = await poll(
            lambda: db(
                lambda s: (
                    s.execute(
                        select(MutationCase)
                        .where(MutationCase.cycle_id == "UI-1")
                        .order_by(MutationCase.id)
                    )
                    .scalars()
                    .all()
                )
            ),
            lambda c: len(c) > 0,
        )
        await hr.goto(f"{site}/hr")
        await shot(hr, "03-hr-dashboard")

        # The employee accepts on their page.
        case = cases[0]
        emp_context, emp = await sign_in(case.nip)
        assert emp.url.endswith("/saya")
        await shot(emp, "04-employee-proposal")
        await emp.click("[data-testid=accept]")
        await emp.wait_for_load_state()
        assert await emp.locator(".error").count() == 0, await emp.inner_text(".error")
        assert await emp.get_attribute("[data-testid=my-answer]", "data-code") == "accepted"
        assert await emp.inner_text("[data-testid=my-answer]") == "diterima"
        await emp.goto(f"{site}/lang/en?next=/saya")
        assert "My page" in await emp.inner_text("h1")
        await shot(emp, "05-employee-answered-en")
        await emp_context.close()

        # Approvers: the first on the task page, later ones by bulk approval in the inbox.
        def open_task():
            return db(
                lambda s: (
                    s.execute(
                        select(ApprovalTask).where(
                            ApprovalTask.case_id == case.id, ApprovalTask.status == "open"
                        )
                    )
                    .scalars()
                    .first()
                )
            )

        step = 0
        while True:
            stage = db(lambda s: s.get(MutationCase, case.id).stage)
            if stage != "approval" and step > 0:
                break
            task = await poll(open_task, lambda t: t is not None)
            if task.kind == "committee":  # decided in a sitting: HR drafts, the chair signs
                await sitting_agrees(site, demo_engine, case.id)
                await poll(
                    lambda task_id=task.id: db(lambda s: s.get(ApprovalTask, task_id).status),
                    lambda st: st != "open",
                )
                step += 1
                continue
            ctx, inbox = await sign_in(task.assignee_nip)
            assert inbox.url.endswith("/inbox")
            await shot(inbox, f"06-inbox-step{task.step}")
            if step == 0:
                await inbox.goto(f"{site}/inbox/task?id={task.id}")
                await inbox.click("button[value=reject]")  # no reason: refused in place
                assert "alasan" in await inbox.inner_text(".error")
                await shot(inbox, "07-task-detail")
                await inbox.fill("textarea[name=comment]", "sesuai analisis beban kerja")
                await inbox.click("[data-testid=approve]")
            else:
                await inbox.check(f"input[name=task_id][value='{task.id}']")
                await inbox.click("[data-testid=bulk-approve]")
                await inbox.wait_for_load_state()
                # A confirmation lists who and which step before anything is decided.
                listed = await inbox.inner_text("[data-testid=confirm-list]")
                assert task.title in listed
                await shot(inbox, f"06b-bulk-confirm-step{task.step}")
                await inbox.click("[data-testid=bulk-confirm]")
            await inbox.wait_for_load_state()
            assert (
                "disetujui" in await inbox.inner_text(".flash")
                or "disetujui" in await inbox.content()
            )
            await ctx.close()
            await poll(
                lambda task_id=task.id: db(lambda s: s.get(ApprovalTask, task_id).status),
                lambda st: st != "open",
            )
            step += 1
            assert step < 10, "rantai persetujuan tidak selesai"
        assert db(lambda s: s.get(MutationCase, case.id).stage) in (
            "decree",
            "awaiting_tmt",
            "completed",
        )

        # The auditor reads the timeline.
        aud_context, aud = await sign_in("auditor")
        await aud.goto(f"{site}/audit?q={case.id}")
        await shot(aud, "08-audit-search")
        await aud.click(f"a[href*='{case.nip}']")
        await aud.wait_for_load_state()
        timeline = await aud.inner_text("[data-testid=timeline]")
        assert "disetujui" in timeline and "konsultasi" in timeline
        assert raw_codes(timeline) == []
        await shot(aud, "09-audit-timeline")
        forbidden = await aud.goto(f"{site}/hr")
        assert forbidden.status == 403
        await aud_context.close()

        # On a phone (390 px) no page is wider than the screen: tables scroll in their box.
        approver = db(
            lambda s: s.execute(
                select(UserAccount.username).where(UserAccount.roles == "approver,employee")
            ).scalar()
        )
        leaks: list[str] = []  # codes shown instead of their labels
        for user, paths in (
            (
                "hr",
                [
                    "/hr",
                    "/hr/cycles/UI-1",
                    "/hr/tindakan",
                    "/hr/legal",
                    "/hr/delegasi",
                    "/hr/rantai",
                    "/hr/permohonan",
                    "/hr/akun",
                    "/hasil",
                    "/pemberitahuan",
                ],
            ),
            (approver, ["/inbox"]),
            (case.nip, ["/saya"]),
            ("auditor", [f"/audit?q={case.id}", f"/audit/case?id={case.id}"]),
        ):
            phone = await browser.new_context(viewport={"width": 390, "height": 844})
            screen = await phone.new_page()
            await screen.goto(f"{site}/login")
            await screen.fill("input[name=username]", user)
            await screen.fill("input[name=password]", PASSWORD)
            await screen.click("button[type=submit]")
            await screen.wait_for_load_state()
            for lang in ("id", "en"):
                await screen.goto(f"{site}/lang/{lang}?next=/")
                for path in paths:
                    await screen.goto(f"{site}{path}")
                    width = await screen.evaluate("document.documentElement.scrollWidth")
                    if lang == "id":
                        await shot(screen, "phone" + path.replace("/", "-").split("?")[0])
                    assert width <= 390, f"{path} selebar {width} px pada layar 390 px"
                    shown = raw_codes(await screen.inner_text("body"))
                    leaks += [f"{path} ({lang}): {code}" for code in dict.fromkeys(shown)]
            await phone.close()
        assert leaks == []
        await hr_context.close()
        await browser.close()


async def test_an_employee_files_a_request_and_follows_it_in_the_browser(
    site, demo_engine, chromium_path
):
    """APS on the pages: the employee files with a document, the superior supports it in the
    inbox, HR refuses it with a reason, and the employee reads that reason; on a phone too."""
    from playwright.async_api import async_playwright

    from models import TransferRequest
    from tests.support.cases import pick_move
    from tests.test_case_documents import PDF

    SHOTS.mkdir(parents=True, exist_ok=True)
    person, _ = pick_move(demo_engine)
    upload = SHOTS.parent / "permohonan.pdf"
    upload.write_bytes(PDF)

    def request_of():
        with Session(demo_engine) as s:
            row = s.execute(
                select(TransferRequest).where(TransferRequest.nip == person.nip)
            ).scalar_one_or_none()
            if row is not None:
                s.expunge(row)
            return row

    async with async_playwright() as pw:
        browser = await launch(pw, chromium_path)

        async def sign_in(username: str, width: int = 1366, height: int = 768):
            return await signed_in(browser, site, username, width, height)

        ctx, emp = await sign_in(person.nip, 390, 844)
        await emp.click("[data-testid=request-form] summary")
        await emp.select_option("select[name=category]", "kesehatan")
        await emp.fill("textarea[name=reason]", "Perlu dekat rumah sakit rujukan keluarga")
        await emp.set_input_files("input[name=file]", str(upload))
        await emp.click("[data-testid=file-request]")
        await emp.wait_for_load_state()
        assert "terkirim" in await emp.inner_text(".flash")
        assert await emp.get_attribute("[data-testid=my-request]", "data-status") == "opinion"
        assert "permohonan.pdf" in await emp.inner_text("[data-testid=my-request]")
        assert await emp.evaluate("document.documentElement.scrollWidth") <= 390
        await emp.screenshot(path=str(SHOTS / "phone-saya-permohonan.png"), full_page=True)
        row = request_of()

        boss_ctx, boss = await sign_in(row.superior_nip)
        await boss.goto(f"{site}/inbox")
        await boss.click("[data-testid=support-request]")
        await boss.wait_for_load_state()
        assert "mendukung" in await boss.inner_text(".flash")
        await boss_ctx.close()
        await poll(request_of, lambda r: r.status == "screening")

        hr_ctx, hr = await sign_in("hr")
        await hr.goto(f"{site}/hr/permohonan")
        card = f"[data-testid=request][data-id='{row.id}']"
        assert person.name in await hr.inner_text(card)
        await hr.click(f"{card} [data-testid=refuse-request]")  # no reason: refused in place
        assert "alasan" in (await hr.inner_text(".error")).lower()
        await hr.fill(f"{card} textarea[name=reason]", "Formasi unit tujuan sudah penuh tahun ini")
        await hr.click(f"{card} [data-testid=refuse-request]")
        await hr.wait_for_load_state()
        assert "ditolak" in await hr.inner_text(".flash")
        await hr.screenshot(path=str(SHOTS / "10-hr-permohonan.png"), full_page=True)
        await hr_ctx.close()

        await emp.reload()
        mine = await emp.inner_text("[data-testid=my-request]")
        assert "Formasi unit tujuan sudah penuh tahun ini" in mine
        assert await emp.get_attribute("[data-testid=my-request]", "data-status") == "refused"
        await ctx.close()
        await browser.close()


async def test_swagger_ui_runs_from_this_server_under_the_strict_policy(demo_engine, chromium_path):
    """/docs renders every operation with assets from this origin only, and the browser
    reports no Content-Security-Policy violation (no inline script, no CDN)."""
    from playwright.async_api import async_playwright

    app = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    async with serving(app) as url, async_playwright() as pw:
        browser = await launch(pw, chromium_path)
        page = await browser.new_page()
        violations: list[str] = []
        origins: set[str] = set()
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.on("request", lambda r: origins.add(r.url.split("/")[2]))
        answer = await page.goto(f"{url}/docs")
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        await page.wait_for_selector(".opblock", timeout=30_000)
        operations = await page.locator(".opblock").count()
        await page.screenshot(path=str(SHOTS / "swagger-ui.png"))
        await browser.close()
    assert operations >= 100, operations
    assert violations == [] and origins == {url.split("/")[2]}, (violations, origins)
