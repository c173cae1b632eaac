"""A cycle whose plan waits for HR's review, with `count` proposals of real employees to
real posts of the loaded data (random destinations, a fixed seed): the plan review's
tests and benchmark use it to have a plan of any size without running the optimiser."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models import Employee, Position, Proposal, TransferCycle


def plan_ready_cycle(engine: Engine, cycle_id: str, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with Session(engine) as s:
        s.add(
            TransferCycle(
                id=cycle_id,
                name=f"Siklus {cycle_id}",
                as_of=date(2026, 1, 1),
                effective_hours=1250,
                status="plan_ready",
                workflow_id=f"cycle-{cycle_id}",
                created_at=now,
                updated_at=now,
                options={},
            )
        )
        s.flush()
        people = s.execute(
            select(col(Employee.nip), col(Employee.name), col(Employee.position_code))
            .order_by(col(Employee.nip))
            .limit(count)
        ).all()
        posts = s.execute(
            select(col(Position.code), col(Position.unit_code), col(Position.title))
        ).all()
        units = {code: unit for code, unit, _ in posts}
        rows = []
        for i, (nip, name, post) in enumerate(people):
            dest, dest_unit, title = posts[rng.randrange(len(posts))]
            jpm = float(rng.randint(55, 100))
            rows.append(
                dict(
                    cycle_id=cycle_id,
                    nip=nip,
                    name=name,
                    origin_position=post,
                    origin_unit=units[post],
                    destination_position=dest,
                    destination_unit=dest_unit,
                    jpm=jpm,
                    status="proposed",
                    explanation=f"{name} dipindahkan ke {title} karena beban kerja unit tujuan tinggi.",
                    detail={
                        "jpm": jpm,
                        "jpm_origin": jpm - 10,
                        "tenure_text": f"{2 + i % 5} tahun",
                        "rotation_due": i % 7 == 0,
                        "preference_rank": 1 if i % 11 == 0 else None,
                        "destination_title": title,
                        "positions": {"destination": {"current": 3, "required": 5}},
                    },
                )
            )
        s.execute(insert(Proposal), rows)
        s.commit()
    return [r["nip"] for r in rows]
