"""Notices reach people by e-mail through the outbox: a real SMTP server (aiosmtpd) started
by the test, stopped and restarted in the middle of the run; every notice is mailed once,
nothing is lost, a refused address is recorded as bounced, a person without an address is
told on the pages only."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes

from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from sqlmodel import Session

from contracts.housekeeping import MailRun
from models import Employee, Notification
from mutasi.infra.settings import Settings
from mutasi.mail.outbox import deliver, message_id
from mutasi.mail.sender import MailSettings
from tests.workflow_support import running_worker
from workflows.mail_outbox import MailOutboxWorkflow

BOUNCING = "tidak.ada@dinas.test"


class Inbox:
    """The SMTP server's side: what it accepted, by Message-ID; refuses one mailbox (550)."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == BOUNCING:
            return "550 5.1.1 mailbox tidak dikenal"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notices(engine, count: int) -> dict[str, str]:
    """`count` pending notices for people with addresses, one for a bouncing address and
    one for a person without any; returns key -> recipient."""
    with Session(engine) as s:
        nips = (
            s.execute(select(Employee.nip).order_by(Employee.nip).limit(count + 2)).scalars().all()
        )
        for i, nip in enumerate(nips[:count]):
            s.execute(update(Employee).where(Employee.nip == nip).values(email=f"p{i}@dinas.test"))
        s.execute(update(Employee).where(Employee.nip == nips[count]).values(email=BOUNCING))
        s.execute(update(Employee).where(Employee.nip == nips[count + 1]).values(email=None))
        keys = {}
        start = datetime(2026, 11, 1, tzinfo=UTC)
        for i, nip in enumerate(nips):
            key = f"uji/{i}"
            s.add(
                Notification(
                    key=key,
                    recipient_nip=nip,
                    kind="task",
                    message=f"Tugas persetujuan nomor {i}",
                    created_at=start + timedelta(minutes=i),
                )
            )
            keys[key] = nip
        s.commit()
        return keys


def statuses(engine) -> dict[str, str]:
    with Session(engine) as s:
        return dict(
            s.execute(
                select(Notification.key, Notification.mail_status).where(
                    Notification.key.like("uji/%")
                )
            ).all()
        )


def test_a_server_stopped_mid_run_loses_nothing_and_sends_nothing_twice(demo_engine):
    keys = notices(demo_engine, 6)
    port = free_port()
    inbox = Inbox()
    settings = MailSettings(host="127.0.0.1", port=port, timeout=5)
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    first = deliver(demo_engine, settings, "http://mutasi.test", limit=4)
    assert (first.sent, first.unreachable, first.more) == (4, "", True)
    server.stop()
    down = deliver(demo_engine, settings, "http://mutasi.test", limit=100)
    assert down.sent == 0 and "tidak dapat dihubungi" in down.unreachable
    assert list(statuses(demo_engine).values()).count("pending") == 4  # 2 + bouncing + none
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        rest = deliver(demo_engine, settings, "http://mutasi.test", limit=100)
        again = deliver(demo_engine, settings, "http://mutasi.test", limit=100)
    finally:
        server.stop()
    assert (rest.sent, rest.bounced, rest.no_address, rest.unreachable) == (2, 1, 1, "")
    assert (again.sent, again.bounced, again.no_address) == (0, 0, 0)
    # Each notice to a valid address arrived exactly once, under its own Message-ID.
    ids = [m["Message-ID"] for m in inbox.messages]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert set(ids) == {message_id(k) for k in list(keys)[:6]}
    assert all(m["Subject"] == "[Mutasi] Tugas persetujuan baru" for m in inbox.messages)
    assert "http://mutasi.test/pemberitahuan" in inbox.messages[0].get_payload()
    final = statuses(demo_engine)
    assert sorted(final.values()) == ["bounced", "no_address"] + ["sent"] * 6
    with Session(demo_engine) as s:
        bounced_to = s.get(Employee, keys["uji/6"])
        assert bounced_to.email_bounced_at is not None
        assert "550" in s.get(Notification, "uji/6").mail_error


async def test_the_scheduled_workflow_mails_the_outbox(time_skipping_env, demo_engine):
    notices(demo_engine, 3)
    port = free_port()
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        settings = Settings(smtp_host="127.0.0.1", smtp_port=port)
        async with running_worker(
            time_skipping_env.client, demo_engine, settings=settings
        ) as queue:
            report = await time_skipping_env.client.execute_workflow(
                MailOutboxWorkflow.run, MailRun(batch=2), id="mail-outbox-uji", task_queue=queue
            )
    finally:
        server.stop()
    assert (report.sent, report.bounced, report.no_address, report.more) == (3, 1, 1, False)
    assert len(inbox.messages) == 3


def test_without_a_server_development_mail_lands_in_a_folder(demo_engine, tmp_path):
    notices(demo_engine, 2)
    folder = tmp_path / "surat"
    report = deliver(demo_engine, MailSettings(host=None, folder=str(folder)), "http://x", 100)
    assert report.sent == 3  # the "bouncing" address only bounces on a real server
    files = sorted(folder.glob("*.eml"))
    assert (
        len(files) == 3
        and b"Tugas persetujuan nomor 0"
        in files[0].read_bytes() + files[1].read_bytes() + files[2].read_bytes()
    )


def test_each_person_reads_only_their_own_notices_and_the_header_counts_them(demo_engine):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.auth_support import auth_headers, page_client

    keys = notices(demo_engine, 2)
    owner, other = keys["uji/0"], keys["uji/1"]
    settings = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        mine = client.get(
            "/api/v1/me/notifications", headers=auth_headers(demo_engine, settings, owner)
        ).json()
        assert mine["unread"] == 1 and [n["key"] for n in mine["items"]] == ["uji/0"]
        theirs = client.get(
            "/api/v1/me/notifications", headers=auth_headers(demo_engine, settings, other)
        ).json()
        assert "uji/0" not in [n["key"] for n in theirs["items"]]
        # Marking another person's notice read changes nothing.
        marked = client.post(
            "/api/v1/me/notifications/read",
            json={"keys": ["uji/0"]},
            headers=auth_headers(demo_engine, settings, other),
        ).json()
        assert marked == {"marked": 0}
        csrf = page_client(client, demo_engine, owner)
        page = client.get("/saya")
        assert 'data-testid="unread">1<' in page.text
        listed = client.get("/pemberitahuan")
        assert "Tugas persetujuan nomor 0" in listed.text and "nomor 1" not in listed.text
        client.post("/pemberitahuan/baca", data={"csrf": csrf})
        assert 'data-testid="unread"' not in client.get("/saya").text


def test_hr_sees_what_the_outbox_sent_held_and_could_not_deliver(demo_engine):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.auth_support import page_client

    keys = notices(demo_engine, 2)
    with Session(demo_engine) as s:
        s.execute(
            update(Notification)
            .where(Notification.key == "uji/2")
            .values(mail_status="bounced", mail_error="550 5.1.1 mailbox tidak dikenal")
        )
        s.commit()
    with TestClient(
        create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    ) as client:
        page_client(client, demo_engine, "hr")
        bounced = client.get("/hr/surel?status=bounced")
        assert bounced.status_code == 200
        assert (
            "550 5.1.1 mailbox tidak dikenal" in bounced.text
            and "ditolak server (1)" in bounced.text
        )
        assert "Tugas persetujuan nomor 2" in bounced.text and "nomor 0" not in bounced.text
        everything = client.get("/hr/surel")
        assert all(f"Tugas persetujuan nomor {i}" in everything.text for i in range(len(keys)))
        assert ".eml" in everything.text  # development mode says where the mail went
