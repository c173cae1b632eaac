"""Ed25519 signatures over a canonical JSON of a decree, so anyone holding the public key
(the public verification page) can tell a genuine, unaltered decree from an edited one.

What is signed is what the decree says (number, dates, annex); its status is not, so an
annulment does not break the signature and the verification page reports it separately."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from models import CollectiveDecree, Decree
from mutasi.infra.record_key import DecreeSigner, signature_valid


def signed_content(
    number: str,
    case_id: str,
    agency_code: str,
    decided_on: date,
    tmt: date,
    annex: dict[str, Any],
    chain: tuple[int, str] | None = None,
) -> bytes:
    """What a decree's signature covers; since audit anchoring, also the agency's audit
    chain head at its issue (decrees signed before carry none and verify as they were)."""
    body: dict[str, Any] = {
        "number": number,
        "case_id": case_id,
        "agency_code": agency_code,
        "decided_on": decided_on.isoformat(),
        "tmt": tmt.isoformat(),
        "annex": annex,
    }
    if chain is not None:
        body["audit_chain"] = {"seq": chain[0], "hash": chain[1]}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def decree_content(decree: Decree | CollectiveDecree) -> bytes:
    seq = getattr(decree, "chain_seq", None)
    chain = (seq, decree.chain_hash or "") if seq is not None else None
    return signed_content(
        decree.number,
        getattr(decree, "case_id", ""),  # a collective decree names no single case
        decree.agency_code,
        decree.decided_on,
        decree.tmt,
        decree.annex,
        chain,
    )


@dataclass(frozen=True)
class Verification:
    number: str
    verdict: str  # genuine | annulled | altered | unsigned | unknown
    message: str
    decree: Any = None


def verify_decree(
    signer: DecreeSigner, decree: Decree | CollectiveDecree | None, number: str
) -> Verification:
    if decree is None:
        return Verification(number, "unknown", "Nomor SK ini tidak terdaftar di BKPSDM.")
    if not decree.signature:
        return Verification(
            number, "unsigned", "SK ini terdaftar tetapi tidak bertanda tangan elektronik.", decree
        )
    if decree.key_id != signer.key_id or not signature_valid(
        signer.public_key, decree_content(decree), decree.signature
    ):
        return Verification(
            number,
            "altered",
            "Isi SK tidak cocok dengan tanda tangan elektronik: SK telah diubah "
            "setelah ditandatangani atau tanda tangannya palsu.",
            decree,
        )
    if decree.status == "annulled":
        return Verification(
            number,
            "annulled",
            f"SK asli, tetapi telah DIBATALKAN: {decree.annulled_reason or '-'}",
            decree,
        )
    return Verification(number, "genuine", "SK asli, tidak diubah, dan berlaku.", decree)
