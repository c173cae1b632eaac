"""The document store: files kept by the SHA-256 of their content, on the local filesystem
(`MUTASI_DOCUMENT_DIR`). A database row names a document by its hash, so a file changed on
disk is caught on every read, and writing the same bytes twice stores them once (retried
activities add nothing)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from mutasi.infra.settings import Settings


class DocumentMissing(LookupError):
    pass


class DocumentCorrupt(ValueError):
    pass


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DocumentStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path_of(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"bukan hash SHA-256: {digest!r}")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store `data` durably (written aside, fsynced, renamed into place); its hash."""
        digest = sha256_of(data)
        path = self.path_of(digest)
        if path.is_file() and path.stat().st_size == len(data):
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes:
        """The document's bytes, checked against its hash."""
        path = self.path_of(digest)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise DocumentMissing(f"dokumen {digest} tidak ada di {self.root}") from exc
        if sha256_of(data) != digest:
            raise DocumentCorrupt(
                f"isi dokumen {digest} tidak cocok dengan hash-nya (berkas diubah)"
            )
        return data

    def digests(self) -> list[str]:
        """Every stored document's hash (for backups)."""
        if not self.root.is_dir():
            return []
        return sorted(
            p.name for p in self.root.glob("??/*") if p.is_file() and not p.name.startswith(".")
        )


def store_of(settings: Settings) -> DocumentStore:
    return DocumentStore(settings.document_dir)
