"""HR's screening of a request outside a cycle: the same rules as the optimiser and HR's
plan additions, and one open move per person. Judged by the API before the decision is
sent and again by the activity that applies it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models import Employee, Position, TransferRequest
from mutasi.org.open_cases import open_move_of
from mutasi.org.plan_changes import addition_rules


def screening_problems(
    s: Session, row: TransferRequest, destination: str, override_reason: str
) -> tuple[list[str], list[dict[str, Any]]]:
    """What stands in the way of accepting a request to `destination` (empty: nothing),
    and the rules as judged: the same rules as the optimiser and HR's plan additions."""
    post = s.get(Position, destination) if destination else None
    person = s.get(Employee, row.nip)
    if post is None:
        return [f"jabatan tujuan '{destination}' tidak dikenal"], []
    if person is None:
        return [f"pegawai {row.nip} tidak ada dalam data"], []
    if person.position_code == post.code:
        return ["jabatan tujuan sama dengan jabatan sekarang"], []
    busy = open_move_of(s, [row.nip])
    if row.nip in busy:
        return [
            f"masih ada mutasi yang berjalan untuk pegawai ini (kasus {busy[row.nip]}); "
            "satu pegawai hanya boleh memiliki satu kasus terbuka"
        ], []
    checks = [
        {"code": c.code, "ok": c.ok, "message": c.message}
        for c in addition_rules(s, None, row.nip, post.code)
    ]
    broken = [c for c in checks if not c["ok"]]
    if broken and not override_reason.strip():
        return [
            "melanggar aturan "
            + "; ".join(f"{c['code']} ({c['message']})" for c in broken)
            + "; terima hanya dengan alasan override"
        ], checks
    return [], checks
