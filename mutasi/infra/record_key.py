"""The application's own Ed25519 key (MUTASI_DECREE_SIGNING_KEY): it signs decree
verification records and the audit chain's checkpoints, and anyone holding the public key
checks them. Below every package that signs or verifies (infra layer)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

# Development only: the settings check refuses it in production.
DEMO_SIGNING_KEY = "WanirGM/RoAEHyF6kFz/uDWYPl/Snq3/BmWKq9OTsS8="


class BadSigningKey(ValueError):
    pass


@dataclass(frozen=True)
class DecreeSigner:
    private_key: Ed25519PrivateKey

    @classmethod
    def from_base64(cls, encoded: str) -> DecreeSigner:
        try:
            raw = base64.b64decode(encoded, validate=True)
            return cls(Ed25519PrivateKey.from_private_bytes(raw))
        except ValueError as exc:
            raise BadSigningKey(
                "MUTASI_DECREE_SIGNING_KEY harus 32 byte kunci privat Ed25519 dalam base64"
            ) from exc

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def sign(self, content: bytes) -> str:
        return base64.b64encode(self.private_key.sign(content)).decode()


def key_id(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def signature_valid(public_key: Ed25519PublicKey, content: bytes, signature: str | None) -> bool:
    if not signature:
        return False
    try:
        public_key.verify(base64.b64decode(signature), content)
        return True
    except (InvalidSignature, ValueError):
        return False
