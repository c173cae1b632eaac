"""Post-mutation evaluation: after TMT the destination head is asked; only they may answer,
with every indicator 1-5; no answer by the deadline expires it. The cycle report's case
figures equal figures recomputed from the tables."""

from __future__ import annotations

from datetime import timedelta
from statistics import median

import pytest
from sqlalchemy import select
from sqlmodel import Session
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from contracts.case import EvaluationSubmission
from models import ApprovalTask, AuditEvent, Consultation, PostMutationEvaluation
from mutasi.audit import chain as audit
from mutasi.reports.case_report import case_report, percentile
from tests.support.cases import (
    accept_and_wait_for_task,
    approve_all,
    case_input,
    report_for_duty,
    stage_is,
    start,
)
from tests.workflow_support import decree_by_batch, record_history, running_worker, wait_for
from workflows.case import MutationCaseWorkflow

GOOD = {"kualitas_layanan": 4, "ketepatan_waktu": 5, "kerja_sama_tim": 3}


async def run_to_evaluation(env, engine, queue):
    inp = case_input(engine, training=[])
    handle = await start(env, queue, inp)
    await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
    state = await accept_and_wait_for_task(handle, inp)
    await approve_all(handle, state)
    await decree_by_batch(
        env.client, queue, handle, inp.agency_code, (await env.get_current_time()).date()
    )
    await report_for_duty(env, engine, handle, inp)
    opens = await env.get_current_time() + timedelta(days=90)  # 90 days after the SPMT
    await env.sleep(
        opens + timedelta(days=2) - await env.get_current_time()
    )  # inside the 14-day window
    await wait_for(handle, MutationCaseWorkflow.state, lambda s: s.evaluation == "open")
    with Session(engine) as s:
        row = s.get(PostMutationEvaluation, inp.case_id)
    return inp, handle, row


async def test_evaluation_by_the_destination_head(time_skipping_env, demo_engine):
    env = time_skipping_env
    async with running_worker(env.client, demo_engine) as queue:
        inp, handle, row = await run_to_evaluation(env, demo_engine, queue)
        assert row.status == "open" and row.evaluator_nip in row.deciders
        for bad in (
            EvaluationSubmission(
                actor_nip=inp.nip, indicators=GOOD, adaptation_score=4
            ),  # the employee rates themself
            EvaluationSubmission(
                actor_nip=row.evaluator_nip, indicators={"kualitas_layanan": 4}, adaptation_score=4
            ),
            EvaluationSubmission(
                actor_nip=row.evaluator_nip,
                indicators={**GOOD, "ketepatan_waktu": 7},
                adaptation_score=4,
            ),
            EvaluationSubmission(actor_nip=row.evaluator_nip, indicators=GOOD, adaptation_score=0),
        ):
            with pytest.raises(WorkflowUpdateFailedError):
                await handle.execute_update(MutationCaseWorkflow.evaluate, bad)
        await handle.execute_update(
            MutationCaseWorkflow.evaluate,
            EvaluationSubmission(
                actor_nip=row.evaluator_nip,
                indicators=GOOD,
                adaptation_score=4,
                comment="cepat beradaptasi",
            ),
        )
        with Session(
            demo_engine
        ) as s:  # recorded when the update returns: the inbox no longer lists it
            assert s.get(PostMutationEvaluation, inp.case_id).status == "submitted"
        result = await handle.result()
        await record_history(handle, "case_evaluated")
    assert result.stage == "completed" and result.evaluation == "submitted"
    with Session(demo_engine) as s:
        saved = s.get(PostMutationEvaluation, inp.case_id)
        assert (
            saved.status == "submitted" and saved.indicators == GOOD and saved.adaptation_score == 4
        )
        assert s.execute(
            select(AuditEvent.action).where(
                AuditEvent.action == "evaluation.submitted", AuditEvent.subject_id == inp.case_id
            )
        ).first()
        assert audit.verify(s, inp.agency_code).ok
        report = case_report(s, inp.cycle_id)
        # The report's figures, recomputed straight from the tables.
        consultations = (
            s.execute(select(Consultation).where(Consultation.case_id == inp.case_id))
            .scalars()
            .all()
        )
        assert report["consultation"] == {"accepted": len(consultations)}
        tasks = (
            s.execute(select(ApprovalTask).where(ApprovalTask.case_id == inp.case_id))
            .scalars()
            .all()
        )
        for row in report["approval_hours"]:
            hours = [
                (t.decided_at - t.created_at).total_seconds() / 3600
                for t in tasks
                if t.step == row["step"] - 1 and t.decided_at
            ]
            assert row["decisions"] == len(hours) and row["median"] == round(median(hours), 2)
            assert row["p90"] == round(percentile(hours, 0.9), 2)
        assert report["evaluations"] == {
            "opened": 1,
            "submitted": 1,
            "expired": 0,
            "indicator_means": {k: float(v) for k, v in GOOD.items()},
            "adaptation_mean": 4,
        }


async def test_unanswered_evaluation_expires(time_skipping_env, demo_engine):
    env = time_skipping_env
    async with running_worker(env.client, demo_engine) as queue:
        inp, handle, row = await run_to_evaluation(env, demo_engine, queue)
        await env.sleep(timedelta(days=15))
        result = await handle.result()
        with pytest.raises(
            RPCError, match="completed|not found|closed"
        ):  # a finished workflow takes no updates
            await handle.execute_update(
                MutationCaseWorkflow.evaluate,
                EvaluationSubmission(
                    actor_nip=row.evaluator_nip, indicators=GOOD, adaptation_score=4
                ),
            )
    assert result.evaluation == "expired"
    with Session(demo_engine) as s:
        assert s.get(PostMutationEvaluation, inp.case_id).status == "expired"


def test_percentile_is_nearest_rank():
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([3, 1, 2], 0.5) == 2
