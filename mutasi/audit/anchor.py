"""Anchors of the audit chain outside the application database.

The hash chain (`mutasi.audit.chain`) proves that nothing inside it was edited, deleted or
inserted *unless* someone with write access to the database also recomputes every later
hash and moves the chain head, or cuts the tail and moves the head back, or empties it
all. Anchors close that gap: a signed checkpoint of each agency's chain head (sequence
number and hash, signed with Ed25519) is written

* to a file store the application's database user cannot rewrite (append-only JSON lines,
  one file per agency, `MUTASI_AUDIT_CHECKPOINT_DIR`), at every decree and on a Temporal
  schedule (`AuditCheckpointWorkflow`), and
* into Temporal's own history of the checkpoint workflow (the activity's result), and
* into every decree's signature, which covers the chain head at its issue.

`verify_anchors` then reports a tail shorter than a checkpoint, a range whose hashes no
longer match a checkpoint, and an emptied table, each naming the first link it can prove
broken. What it cannot prove: changes made after the newest checkpoint (up to one
interval), or anything by someone who also holds the signing key.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from models import AuditChainHead, AuditEvent, Decree
from mutasi.audit.chain import (
    AGENCIES_UNSEALED,
    ChainReport,
    seal,
    seal_all,
    seal_with_head,
    verify_all,
)
from mutasi.infra.record_key import DecreeSigner, signature_valid
from mutasi.infra.settings import Settings


@dataclass(frozen=True)
class Checkpoint:
    agency_code: str
    seq: int
    hash: str
    at: str  # ISO 8601, UTC
    key_id: str
    signature: str

    def content(self) -> bytes:
        body = {"agency_code": self.agency_code, "seq": self.seq, "hash": self.hash, "at": self.at}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


class CheckpointStore:
    """Append-only files of signed checkpoints, one per agency."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def _file(self, agency_code: str) -> Path:
        return self.folder / (re.sub(r"[^A-Za-z0-9._-]", "_", agency_code) + ".jsonl")

    def append(self, checkpoint: Checkpoint) -> bool:
        """False when the newest checkpoint already says the same (nothing appended)."""
        latest = self.latest(checkpoint.agency_code)
        if latest is not None and (latest.seq, latest.hash) == (checkpoint.seq, checkpoint.hash):
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._file(checkpoint.agency_code).open("a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(checkpoint), sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())
        return True

    def read(self, agency_code: str) -> list[Checkpoint]:
        return self._read(self._file(agency_code))

    def latest(self, agency_code: str) -> Checkpoint | None:
        """The last line only: every append asks, and the file grows for years."""
        path = self._file(agency_code)
        if not path.exists():
            return None
        with path.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            tail = 4096
            while True:
                start = max(0, size - tail)
                f.seek(start)
                lines = [line for line in f.read(size - start).splitlines() if line.strip()]
                # Below the first line read, every line is whole.
                if start == 0 or len(lines) >= 2:
                    return Checkpoint(**json.loads(lines[-1])) if lines else None
                tail *= 2

    def all(self) -> list[Checkpoint]:
        """Every checkpoint of every agency, file by file in the order written."""
        if not self.folder.exists():
            return []
        return [c for path in sorted(self.folder.glob("*.jsonl")) for c in self._read(path)]

    @staticmethod
    def _read(path: Path) -> list[Checkpoint]:
        if not path.exists():
            return []
        return [
            Checkpoint(**json.loads(line))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]


def sign_head(
    signer: DecreeSigner, agency_code: str, seq: int, digest: str, at: datetime | None = None
) -> Checkpoint:
    moment = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    unsigned = Checkpoint(agency_code, seq, digest, moment, signer.key_id, "")
    return Checkpoint(
        agency_code, seq, digest, moment, signer.key_id, signer.sign(unsigned.content())
    )


def take_checkpoints(
    session: Session, signer: DecreeSigner, store: CheckpointStore, agency_code: str | None = None
) -> list[Checkpoint]:
    """Seal, then sign and store the head of every agency's chain (or one agency's): a
    checkpoint never leaves written events outside the chain it signs."""
    if agency_code is None:
        seal_all(session)
    else:
        seal(session, agency_code)
        session.commit()
    query = select(AuditChainHead).order_by(col(AuditChainHead.agency_code))
    if agency_code is not None:
        query = query.where(col(AuditChainHead.agency_code) == agency_code)
    return [
        checkpoint_head(signer, store, head.agency_code, (head.seq, head.hash))
        for head in session.execute(query).scalars()
    ]


def seal_and_anchor(
    session: Session, signer: DecreeSigner, store: CheckpointStore, agency_code: str | None = None
) -> dict[str, tuple[int, Checkpoint | None]]:
    """Seal (every agency with unsealed events, or one), then sign and store the head of
    each chain that moved: agency -> (events linked, its new checkpoint). Run every
    MUTASI_AUDIT_SEAL_MINUTES, it leaves no sealed event more than a seal away from an
    anchor outside the database. A head sealed but not yet anchored (a run that stopped
    between the two) is anchored by the next run."""
    if agency_code is not None:
        agencies = [agency_code]
    else:
        unanchored = {
            head.agency_code
            for head in session.execute(select(AuditChainHead)).scalars()
            if _anchored(store, head.agency_code) != (head.seq, head.hash)
        }
        agencies = sorted(set(session.execute(AGENCIES_UNSEALED).scalars()) | unanchored)
    done: dict[str, tuple[int, Checkpoint | None]] = {}
    for agency in agencies:
        count, seq, digest = seal_with_head(session, agency)
        session.commit()
        moved = seq > 0 and _anchored(store, agency) != (seq, digest)
        done[agency] = (
            count,
            checkpoint_head(signer, store, agency, (seq, digest)) if moved else None,
        )
    return done


def _anchored(store: CheckpointStore, agency_code: str) -> tuple[int, str] | None:
    latest = store.latest(agency_code)
    return (latest.seq, latest.hash) if latest is not None else None


def checkpoint_head(
    signer: DecreeSigner, store: CheckpointStore, agency_code: str, chain: tuple[int, str]
) -> Checkpoint:
    """Sign and store one chain head the caller already holds (a decree's, just sealed)."""
    checkpoint = sign_head(signer, agency_code, *chain)
    if store.append(checkpoint):
        return checkpoint
    return store.latest(agency_code) or checkpoint


def verify_anchors(
    session: Session, signer: DecreeSigner, store: CheckpointStore
) -> list[ChainReport]:
    """Each agency's chain against its signed checkpoints and the chain heads its decrees
    signed; one report per agency that has any anchor."""
    anchors: dict[str, list[tuple[int, str, str]]] = {}
    for checkpoint in store.all():
        genuine = checkpoint.key_id == signer.key_id and signature_valid(
            signer.public_key, checkpoint.content(), checkpoint.signature
        )
        # An empty hash marks an anchor that cannot be trusted: reported as broken at its seq.
        anchors.setdefault(checkpoint.agency_code, []).append(
            (checkpoint.seq, checkpoint.hash, f"checkpoint {checkpoint.at}")
            if genuine
            else (checkpoint.seq, "", f"checkpoint {checkpoint.at} bertanda tangan tidak sah")
        )
    for decree in session.execute(
        select(Decree).where(col(Decree.chain_seq).is_not(None))
    ).scalars():
        if decree.chain_seq is not None:  # as the query asks
            anchors.setdefault(decree.agency_code, []).append(
                (decree.chain_seq, decree.chain_hash or "", f"SK {decree.number}")
            )
    reports = []
    for agency, points in sorted(anchors.items()):
        reports.append(_check_agency(session, agency, points))
    return reports


def _check_agency(session: Session, agency: str, points: list[tuple[int, str, str]]) -> ChainReport:
    count, last = session.execute(
        select(func.count(col(AuditEvent.seq)), func.max(col(AuditEvent.seq))).where(
            col(AuditEvent.agency_code) == agency
        )
    ).one()
    last = last or 0
    for seq, digest, source in sorted(points):
        if not digest:
            return ChainReport(agency, count, False, seq, source)
        if seq > last:
            return ChainReport(
                agency,
                count,
                False,
                last + 1,
                f"ekor rantai hilang: {source} mencatat peristiwa ke-{seq}, basis data hanya sampai "
                f"ke-{last}"
                if last
                else f"peristiwa audit dihapus semua: {source} mencatat peristiwa ke-{seq}",
            )
        stored = session.execute(
            select(col(AuditEvent.hash)).where(
                col(AuditEvent.agency_code) == agency, col(AuditEvent.seq) == seq
            )
        ).scalar_one_or_none()
        if stored != digest:
            return ChainReport(
                agency,
                count,
                False,
                seq,
                f"rantai ditulis ulang: peristiwa ke-{seq} tidak cocok dengan {source}",
            )
    return ChainReport(agency, count, True)


def merge_reports(chains: list[ChainReport], anchors: list[ChainReport]) -> list[ChainReport]:
    """One report per agency: the chain's own check, then its anchors (first failure wins)."""
    by_agency = {r.agency_code: r for r in chains}
    for anchor in anchors:
        chain = by_agency.get(anchor.agency_code)
        if chain is None or (chain.ok and not anchor.ok):
            by_agency[anchor.agency_code] = anchor
    return [by_agency[k] for k in sorted(by_agency)]


def verify_everything(
    session: Session, signer: DecreeSigner, store: CheckpointStore
) -> list[ChainReport]:
    """Every chain recomputed, then held against its anchors: the verdict `mutasi audit
    verify` and `GET /audit/verify` give."""
    return merge_reports(verify_all(session), verify_anchors(session, signer, store))


def store_of(settings: Settings) -> CheckpointStore:
    return CheckpointStore(settings.audit_checkpoint_dir)
