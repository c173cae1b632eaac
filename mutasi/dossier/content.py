"""What an uploaded file really is: its type read from its first bytes, never from its name
or the type the browser claims."""

from __future__ import annotations

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class RefusedFile(ValueError):
    pass


def media_type_of(data: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def check_upload(data: bytes, limit: int) -> str:
    """The file's media type, or RefusedFile saying why it cannot be kept."""
    if not data:
        raise RefusedFile("berkas kosong")
    if len(data) > limit:
        raise RefusedFile(f"berkas lebih dari {limit // 1024} KiB")
    kind = media_type_of(data)
    if kind is None:
        raise RefusedFile("isi berkas bukan PDF, JPEG atau PNG (jenis dibaca dari isinya)")
    return kind
