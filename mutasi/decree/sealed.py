"""A signer's passphrase on its way to the remote signing service. It crosses Temporal (the
workflow's input is kept in its history), so it travels sealed with a key derived from the
application's secret, which Temporal does not hold, and expires after an hour: a retry
within the hour may use it, a history read later cannot."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

LIFETIME_SECONDS = 3600


class SealExpired(ValueError):
    pass


def _fernet(secret: str) -> Fernet:
    key = hashlib.sha256(b"mutasi/remote-signing-passphrase\0" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str, passphrase: str) -> str:
    return _fernet(secret).encrypt(passphrase.encode()).decode()


def unseal(secret: str, token: str) -> str:
    try:
        return _fernet(secret).decrypt(token.encode(), ttl=LIFETIME_SECONDS).decode()
    except InvalidToken as exc:
        raise SealExpired("sesi tanda tangan kedaluwarsa; masukkan passphrase lagi") from exc
