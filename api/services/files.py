"""Media types of the files the API returns, and uploads read within a limit."""

from __future__ import annotations

from fastapi import UploadFile

from api.errors import ProblemError
from contracts.messages import Msg

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """The upload's bytes, refused with 413 as soon as it passes `limit` (never all read)."""
    chunks, size = [], 0
    while chunk := await upload.read(1 << 20):
        size += len(chunk)
        if size > limit:
            raise ProblemError(
                413, Msg(code="problem.file_too_large"), f"batas unggahan {limit:,} byte"
            )
        chunks.append(chunk)
    return b"".join(chunks)
