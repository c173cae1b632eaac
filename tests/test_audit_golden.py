"""The audit hash and MAC pinned to the byte: a fixed event hashes to a known value, and
every field it says (and its place in the chain) moves the hash and every field moves
the MAC. Dropping a field from either, or changing how it is written, fails here, not in
an auditor's office years later."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from mutasi.audit.chain import AuditInput, event_hash, event_mac

EVENT = AuditInput(
    key="case-x/run-1/7",
    agency_code="KAB-SKM",
    at=datetime(2026, 12, 1, 8, 30, 0, 123456, tzinfo=UTC),
    actor="197609021999072004",
    role="approver",
    action="task.rejected",
    subject_type="task",
    subject_id="C1.199001012020121001/4/ppk",
    old={"status": "open"},
    new={"status": "rejected"},
    reason="tidak sesuai formasi",
    workflow_id="case-C1.199001012020121001",
    run_id="run-1",
)
PREV, SEQ, KEY = "ab" * 32, 42, b"kunci-uji-" * 4
GOLDEN_HASH = "6c308b74074b5f94091b066c1ca7c237e39a48ac296115d58d34c64c006f9f8a"
GOLDEN_MAC = "b83d72a8e2f3ba28743fb8032afbba8e5a0272cb5521666d3500322f54baaee9"


def test_a_fixed_event_hashes_and_macs_to_known_values():
    assert event_hash(PREV, SEQ, EVENT) == GOLDEN_HASH
    assert event_mac(KEY, EVENT) == GOLDEN_MAC


def test_the_same_instant_in_another_zone_or_naive_utc_hashes_the_same():
    """Databases hand datetimes back with or without a zone; the hash must not care."""
    naive = dataclasses.replace(EVENT, at=EVENT.at.replace(tzinfo=None))
    assert event_hash(PREV, SEQ, naive) == GOLDEN_HASH and event_mac(KEY, naive) == GOLDEN_MAC


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(AuditInput)])
def test_every_field_moves_the_hash_and_the_mac(field):
    value = getattr(EVENT, field)
    changed = {
        datetime: lambda v: v.replace(microsecond=v.microsecond + 1),
        dict: lambda v: {**v, "status": "lain"},
        str: lambda v: v + "x",
    }[type(value)](value)
    other = dataclasses.replace(EVENT, **{field: changed})
    assert event_hash(PREV, SEQ, other) != GOLDEN_HASH, field
    assert event_mac(KEY, other) != GOLDEN_MAC, field


def test_the_chain_place_moves_the_hash():
    assert event_hash(PREV, SEQ + 1, EVENT) != GOLDEN_HASH
    assert event_hash("cd" * 32, SEQ, EVENT) != GOLDEN_HASH
