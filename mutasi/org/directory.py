"""Who holds which post: heads of units, superiors, the BKPSDM head, the Sekda, and the
delegates acting for someone. Used to resolve approval-task assignees from org data."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.chain import position_of, step_kind
from contracts.enums import TaskKind
from models import Agency, Delegation, Employee, Position, Unit
from models.tables import table_of

BKPSDM_CODES = ("BKPSDM", "BKD", "BKPP")

# Every approval task resolves its assignee through these: Core statements built once, run
# on the session's connection (a fraction of the ORM's cost per lookup).
_EMPLOYEE, _UNIT, _DELEGATION = table_of(Employee), table_of(Unit), table_of(Delegation)
_HEAD_NIP = (
    select(_EMPLOYEE.c.nip)
    .where(_EMPLOYEE.c.position_code == _UNIT.c.head_position_code)
    .order_by(_EMPLOYEE.c.nip)
    .limit(1)
    .scalar_subquery()
)


def _delegates_of(nip: Any) -> Any:
    """Who holds an active delegation from `nip` on the day `:on`, comma-joined (NULL when
    nobody does, or when no day is given)."""
    return (
        select(func.aggregate_strings(_DELEGATION.c.delegate_nip, ","))
        .where(
            _DELEGATION.c.delegator_nip == nip,
            _DELEGATION.c.starts_on <= bindparam("on"),
            _DELEGATION.c.ends_on >= bindparam("on"),
            _DELEGATION.c.revoked_at.is_(None),
        )
        .scalar_subquery()
    )


# A post's holder, and a unit's parent and the holder of its head post, each in one
# statement with the person's delegates on the day `:on` (a task's deciders then cost no
# statement of their own).
_HOLDER = (
    select(_EMPLOYEE.c.nip, _delegates_of(_EMPLOYEE.c.nip).label("delegates"))
    .where(_EMPLOYEE.c.position_code == bindparam("position"))
    .order_by(_EMPLOYEE.c.nip)
    .limit(1)
)
_HEAD = _EMPLOYEE.alias("head")
_UNIT_HEAD = (
    select(
        _UNIT.c.parent_code,
        _HEAD.c.nip.label("head"),
        _delegates_of(_HEAD.c.nip).label("delegates"),
    )
    .select_from(_UNIT.outerjoin(_HEAD, _HEAD.c.nip == _HEAD_NIP))
    .where(_UNIT.c.code == bindparam("unit"))
)
_TOP_UNITS = (
    select(_UNIT.c.code, _UNIT.c.kind)
    .where(_UNIT.c.agency_code == bindparam("agency"), _UNIT.c.parent_code.is_(None))
    .order_by(_UNIT.c.code)
)
_DELEGATES = (
    select(_DELEGATION.c.delegate_nip)
    .where(
        _DELEGATION.c.delegator_nip == bindparam("nip"),
        _DELEGATION.c.starts_on <= bindparam("on"),
        _DELEGATION.c.ends_on >= bindparam("on"),
        _DELEGATION.c.revoked_at.is_(None),
    )
    .order_by(_DELEGATION.c.delegate_nip)
)


class Unresolvable(LookupError):
    pass


class OrgDirectory:
    def __init__(self, session: Session, on: date | None = None) -> None:
        """`on`: the day whose deciders will be asked (`deciders(nip, on)`): the heads and
        holders it finds come with their delegates of that day, read in the same statement."""
        self.s = session
        self.on = on
        self._delegates: dict[str, list[str]] = {}

    def _learn(self, nip: str | None, delegates: str | None) -> None:
        if nip is not None and self.on is not None:
            self._delegates[nip] = sorted(set(delegates.split(","))) if delegates else []

    def agency_of(self, nip: str) -> str:
        """The agency whose audit chain records acts about this employee ("-" if unknown)."""
        found = self.s.execute(
            select(col(Unit.agency_code))
            .join(Position, col(Position.unit_code) == col(Unit.code))
            .join(Employee, col(Employee.position_code) == col(Position.code))
            .where(col(Employee.nip) == nip)
        ).scalar_one_or_none()
        return found or "-"

    def holder(self, position_code: str | None) -> str | None:
        if not position_code:
            return None
        found = (
            self.s.connection().execute(_HOLDER, {"position": position_code, "on": self.on}).first()
        )
        if found is None:
            return None
        self._learn(found.nip, found.delegates)
        return str(found.nip)

    def head_of(self, unit_code: str) -> str:
        """The head of a unit, or of the nearest parent unit that has one (schools -> the Dinas)."""
        seen = set()
        code: str | None = unit_code
        while code and code not in seen:
            seen.add(code)
            unit = self.s.connection().execute(_UNIT_HEAD, {"unit": code, "on": self.on}).first()
            if unit is None:
                break
            if unit.head:
                self._learn(unit.head, unit.delegates)
                return str(unit.head)
            code = unit.parent_code
        raise Unresolvable(f"unit {unit_code} tidak memiliki kepala yang terisi")

    def agency_unit(
        self, agency_code: str, kind: str | None = None, codes: tuple[str, ...] = ()
    ) -> str | None:
        """The code of the agency's first top-level unit of that kind / among those codes."""
        return next(
            (
                u.code
                for u in self.s.connection().execute(_TOP_UNITS, {"agency": agency_code})
                if (not kind or u.kind == kind) and (not codes or u.code in codes)
            ),
            None,
        )

    def sekda(self, agency_code: str) -> str:
        unit = self.agency_unit(agency_code, kind="setda")
        if unit is None:
            raise Unresolvable(f"instansi {agency_code} tidak memiliki Sekretariat Daerah")
        return self.head_of(unit)

    def bkpsdm_head(self, agency_code: str) -> str:
        unit = self.agency_unit(agency_code, codes=BKPSDM_CODES)
        return self.head_of(unit) if unit is not None else self.sekda(agency_code)

    def superior_of(self, nip: str, agency_code: str) -> str | None:
        """The assignee's superior: the holder of the superior post, else the head of the
        parent unit, else the Sekda. None when nobody is above (the Sekda)."""
        person = self.s.get(Employee, nip)
        if person is None:
            return None
        position = self.s.get(Position, person.position_code)
        if position is not None:
            above = self.holder(position.superior_position_code)
            if above and above != nip:
                return above
            unit = self.s.get(Unit, position.unit_code)
            if unit is not None and unit.parent_code:
                try:
                    head = self.head_of(unit.parent_code)
                    if head != nip:
                        return head
                except Unresolvable:
                    pass
        sekda = self.sekda(agency_code)
        return sekda if sekda != nip else None

    def deciders(self, assignee: str, on: date) -> list[str]:
        """The assignee and whoever holds an active delegation from them on that day."""
        if on == self.on and assignee in self._delegates:
            delegates = self._delegates[assignee]  # read with the assignee
        else:
            delegates = list(
                self.s.connection().execute(_DELEGATES, {"nip": assignee, "on": on}).scalars()
            )
        return [assignee, *[d for d in delegates if d != assignee]]

    def resolve_role(
        self, role: str, agency_code: str, origin_unit: str, destination_unit: str
    ) -> tuple[str, str]:
        """(task kind, assignee) of a step token. A recorded task has no assignee: HR records
        the letter of an outside office, or of the PPK deciding in person."""
        if step_kind(role) == "outside":
            return TaskKind.RECORDED, ""
        if step_kind(role) == "committee":
            return TaskKind.COMMITTEE, ""
        if role == "origin_head":
            return TaskKind.DECIDED, self.head_of(origin_unit)
        if role == "destination_head":
            return TaskKind.DECIDED, self.head_of(destination_unit)
        if role == "sekda":
            return TaskKind.DECIDED, self.sekda(agency_code)
        if role == "ppk":
            agency = self.s.get(Agency, agency_code)
            if agency is not None and agency.ppk_delegation == "sekda":
                return TaskKind.DECIDED, self.sekda(agency_code)
            return TaskKind.RECORDED, ""
        code = position_of(role)
        if code is not None:
            holder = self.holder(code)
            if holder is None:
                raise Unresolvable(f"jabatan {code} tidak ada atau tidak terisi")
            return TaskKind.DECIDED, holder
        return TaskKind.DECIDED, self.bkpsdm_head(agency_code)
