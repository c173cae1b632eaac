"""Deciders of a task: the assignee and whoever holds an active delegation from them on the
day. A directory that knows the day reads the delegates with the head or holder it finds;
it must answer exactly as the plain lookup does, at every edge of a delegation's dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from models import Delegation, Employee, Position, Unit
from mutasi.demo.loader import load_demo
from mutasi.org.directory import OrgDirectory

DAY = date(2026, 6, 15)


def _delegation(delegator: str, delegate: str, starts: date, ends: date, revoked=False):
    return Delegation(
        delegator_nip=delegator,
        delegate_nip=delegate,
        starts_on=starts,
        ends_on=ends,
        reason="cuti",
        created_by="hr.test",
        created_at=datetime.now(UTC),
        revoked_at=datetime.now(UTC) if revoked else None,
    )


def test_deciders_read_with_the_assignee_match_the_plain_lookup_at_every_date_edge(engine):
    load_demo(engine, 300, 7)
    with Session(engine) as s:
        unit = (
            s.execute(select(Unit).where(Unit.head_position_code.is_not(None)).order_by(Unit.code))
            .scalars()
            .first()
        )
        head = OrgDirectory(s).head_of(unit.code)
        holder_post = (
            s.execute(
                select(Position.code)
                .join(Employee, Employee.position_code == Position.code)
                .where(Employee.nip != head)
                .order_by(Position.code)
            )
            .scalars()
            .first()
        )
        holder = OrgDirectory(s).holder(holder_post)
        others = list(
            s.execute(
                select(Employee.nip)
                .where(Employee.nip.not_in([head, holder]))
                .order_by(Employee.nip.desc())
                .limit(6)
            ).scalars()
        )
        one_day = timedelta(days=1)
        s.add_all(
            [
                _delegation(head, others[0], DAY, DAY + 9 * one_day),  # starts that day: in
                _delegation(head, others[1], DAY - 9 * one_day, DAY),  # ends that day: in
                _delegation(head, others[1], DAY - 2 * one_day, DAY + one_day),  # twice: once
                _delegation(head, others[2], DAY - 9 * one_day, DAY - one_day),  # ended: out
                _delegation(head, others[3], DAY + one_day, DAY + 9 * one_day),  # later: out
                _delegation(head, others[4], DAY - one_day, DAY + one_day, revoked=True),  # out
                _delegation(holder, others[5], DAY, DAY),  # the one day: in
            ]
        )
        s.commit()

        plain = OrgDirectory(s)
        knowing = OrgDirectory(s, on=DAY)
        assert knowing.head_of(unit.code) == head
        assert knowing.holder(holder_post) == holder
        expected_head = [head, *sorted([others[0], others[1]])]
        assert knowing.deciders(head, DAY) == expected_head
        assert sorted(set(plain.deciders(head, DAY))) == sorted(expected_head)
        assert knowing.deciders(holder, DAY) == plain.deciders(holder, DAY) == [holder, others[5]]
        # Another day than the one it knows: the plain lookup answers.
        later = DAY + 2 * one_day
        assert (
            knowing.deciders(head, later)
            == plain.deciders(head, later)
            == [head, *sorted([others[0], others[3]])]
        )
