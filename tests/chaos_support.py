"""Processes the chaos tests kill: a Temporal dev server on its own SQLite file and
`worker.py` processes, plus a case driver that keeps sending answers and decisions
(retrying with the same update ids) while they die and come back."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session
from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.service import RPCError

from contracts.case import CaseInput, ConsultationAnswer, TaskDecision
from contracts.search_attributes import SEARCH_ATTRIBUTES
from models import ApprovalTask, AuditEvent, Decree, MutationCase, PositionHistory
from mutasi.audit import chain as audit
from mutasi.audit.records_check import check_records
from mutasi.infra.temporal import SQLITE_PRAGMAS, connect, temporal_cli
from workflows.case import MutationCaseWorkflow

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DevServer:
    """`temporal server start-dev` as a child process we may SIGKILL and restart on the same file."""

    def __init__(self, db_file: Path) -> None:
        self.db_file, self.port = db_file, free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        args = [
            str(temporal_cli()),
            "server",
            "start-dev",
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--headless",
            "--db-filename",
            str(self.db_file),
            "--log-level",
            "error",
            *SQLITE_PRAGMAS,
        ]
        for name, kind in SEARCH_ATTRIBUTES.items():
            args += ["--search-attribute", f"{name}={kind}"]
        self.proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    async def client(self) -> Client:
        return await connect(self.address, wait_seconds=60)


class WorkerProcess:
    """`python worker.py` against a given Temporal address, database and task queue."""

    def __init__(self, address: str, database_url: str, queue: str, log: Path) -> None:
        self.env = {
            **os.environ,
            "TEMPORAL_ADDRESS": address,
            "DATABASE_URL": database_url,
            "MUTASI_TASK_QUEUE": queue,
        }
        self.log, self.proc = log, None
        self.kills = 0

    def start(self) -> None:
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "worker.py"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.kills += 1

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


async def send(client_of, workflow_id: str, update, arg, update_id: str) -> None:
    """Until applied: RPC failures (server or worker down) are retried with the same id."""
    while True:
        try:
            client = await client_of()
            await client.get_workflow_handle(workflow_id).execute_update(update, arg, id=update_id)
            return
        except WorkflowUpdateFailedError:
            raise
        except (WorkflowUpdateRPCTimeoutOrCancelledError, RPCError, RuntimeError):
            await asyncio.sleep(0.5)


async def drive_case(client_of, inp: CaseInput, approvers: list[str], queue: str) -> None:
    while True:
        try:
            client = await client_of()
            await client.start_workflow(
                MutationCaseWorkflow.run, inp, id=f"case-{inp.case_id}", task_queue=queue
            )
            break
        except RPCError as exc:
            if "already" in str(exc).lower():
                break
            await asyncio.sleep(0.5)
        except Exception as exc:  # WorkflowAlreadyStartedError after a lost start response
            if type(exc).__name__ == "WorkflowAlreadyStartedError":
                break
            await asyncio.sleep(0.5)
    wid = f"case-{inp.case_id}"
    await send(
        client_of,
        wid,
        MutationCaseWorkflow.respond,
        ConsultationAnswer(actor_nip=inp.nip, accept=True),
        f"{inp.case_id}-r",
    )
    for step, approver in enumerate(approvers):
        task_id = f"{inp.case_id}/{step}/{inp.steps[step].roles[0]}"
        await send(
            client_of,
            wid,
            MutationCaseWorkflow.decide_when_open,
            TaskDecision(task_id=task_id, actor_nip=approver, approve=True, comment="ok"),
            f"{task_id}-d",
        )


async def wait_completed(client_of, inputs: list[CaseInput], seconds: float) -> list:
    async def one(inp):
        while True:
            try:
                client = await client_of()
                return await client.get_workflow_handle_for(
                    MutationCaseWorkflow.run, f"case-{inp.case_id}"
                ).result()
            except (RPCError, RuntimeError):
                await asyncio.sleep(0.5)

    return await asyncio.wait_for(asyncio.gather(*(one(i) for i in inputs)), seconds)


def assert_exact_rows(engine, inputs: list[CaseInput]) -> None:
    """Every case's rows exactly once: nothing missing, nothing duplicated, chain intact."""
    n, steps = len(inputs), len(inputs[0].steps)
    ids = [i.case_id for i in inputs]
    with Session(engine) as s:

        def count(model, *where) -> int:
            return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()

        assert (
            count(MutationCase, MutationCase.id.in_(ids), MutationCase.outcome == "completed") == n
        )
        assert (
            count(ApprovalTask, ApprovalTask.case_id.in_(ids), ApprovalTask.status == "approved")
            == n * steps
        )
        assert count(ApprovalTask, ApprovalTask.case_id.in_(ids)) == n * steps
        assert count(Decree, Decree.case_id.in_(ids)) == n
        sequences = sorted(
            s.execute(select(Decree.sequence).where(Decree.case_id.in_(ids))).scalars()
        )
        assert sequences == list(
            range(1, n + 1)
        )  # gap-free, none twice (one agency, one year here)
        numbers = s.execute(select(Decree.number).where(Decree.case_id.in_(ids))).scalars().all()
        assert count(PositionHistory, PositionHistory.decree_number.in_(numbers)) == n
        actions = Counter(
            s.execute(
                select(AuditEvent.action).where(
                    AuditEvent.workflow_id.in_([f"case-{i}" for i in ids])
                )
            ).scalars()
        )
        assert actions["task.approved"] == n * steps and actions["decree.issued"] == n
        assert (
            actions["employee.moved"] == n
            and actions["case.completed"] == n
            and actions["case.opened"] == n
        )
        audit.seal_all(s)  # every event written under the faults links into its chain
        for agency in {i.agency_code for i in inputs}:
            report = audit.verify(s, agency)
            assert report.ok and report.unsealed == 0, report
        records = check_records(s)  # every task's row agrees with its decision events
        assert records.ok and records.decided >= n * steps, records.problems


class TcpProxy:
    """A TCP relay the test can cut: `cut()` drops every connection and refuses new ones
    (the database is unreachable), `restore()` listens again. It runs its own event loop
    in a thread: the app under test makes blocking database calls on the test's loop, and
    a relay on that same loop would wait for itself."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.server: asyncio.AbstractServer | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _handle(self, client_reader, client_writer) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        self.writers |= {client_writer, upstream_writer}
        await asyncio.gather(
            self._pipe(client_reader, upstream_writer), self._pipe(upstream_reader, client_writer)
        )
        self.writers -= {client_writer, upstream_writer}

    async def _restore(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    def restore(self) -> None:
        asyncio.run_coroutine_threadsafe(self._restore(), self.loop).result(10)

    def cut(self) -> None:
        asyncio.run_coroutine_threadsafe(self._cut(), self.loop).result(10)

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
