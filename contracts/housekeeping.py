"""Inputs and results of the housekeeping workflows (audit checkpoints, history archive,
the mail outbox)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class ArchiveRequest:
    limit: int = 500  # runs per activity: the next scheduled run takes the rest


@dataclass(kw_only=True)
class ArchiveResult:
    archived: int = 0
    remaining: bool = False


@dataclass(kw_only=True)
class CheckpointRequest:
    agency_code: str | None = None  # None: every agency


@dataclass(kw_only=True)
class CheckpointRecord:
    agency_code: str
    seq: int
    hash: str
    at: str
    key_id: str
    signature: str


@dataclass(kw_only=True)
class CheckpointResult:
    checkpoints: list[CheckpointRecord] = field(default_factory=list)


@dataclass(kw_only=True)
class MailRun:
    batch: int = 200  # notices per activity; a full batch runs another


@dataclass(kw_only=True)
class OutboxReport:
    sent: int = 0
    no_address: int = 0
    bounced: int = 0
    unreachable: str = ""  # why the run stopped early; the rest stays pending
    more: bool = False  # a full batch: run again


@dataclass(kw_only=True)
class SealRun:
    agency_code: str | None = None  # None: every agency with unsealed events


@dataclass(kw_only=True)
class SealReport:
    sealed: dict[str, int] = field(default_factory=dict)  # agency -> events linked
    # The signed head of each chain this seal moved: kept in the checkpoint folder and, as
    # this result, in the sealing workflow's Temporal history (two anchors outside the
    # database, a minute apart at most).
    heads: list[CheckpointRecord] = field(default_factory=list)
