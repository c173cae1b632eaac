"""The API contract as clients read it: every operation lists the errors it can answer
with, as `application/problem+json` (RFC 9457), and the bearer scheme it needs.

FastAPI documents only the success response and its own validation error; the statuses
below come from the shared machinery every route goes through (sign-in and roles,
lookups, workflow state, throttling, outages), so they are added here once."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM = "application/problem+json"
FILE_SCHEMA: dict[str, Any] = {"type": "string", "format": "binary"}


def download(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """The success response of a route answering with a file in one of `media_types`."""
    return {
        200: {
            "description": "Berkas (lampiran)",
            "content": {media: {"schema": FILE_SCHEMA} for media in media_types},
        }
    }


PUBLIC = (
    "/api/v1/health",
    "/api/v1/ready",
    "/api/v1/auth/token",
    "/api/v1/auth/activate",
    "/api/v1/auth/forgot",
    "/api/v1/public/",
)

ERRORS: dict[int, str] = {
    400: "Permintaan tidak dapat dibaca: badan atau formulirnya rusak",
    401: "Tidak terautentikasi: token tidak ada, kedaluwarsa, palsu atau sudah dicabut",
    403: "Akses ditolak: peran tidak cukup, milik pegawai lain, atau CSRF",
    404: "Tidak ditemukan",
    409: "Keadaan tidak mengizinkan: sudah diputuskan, sudah selesai, atau sudah ada",
    413: "Berkas terlalu besar",
    422: "Masukan tidak valid: kolom yang salah disebut di 'errors'",
    429: "Terlalu banyak percobaan: tunggu sesuai Retry-After",
    500: "Kesalahan internal (dicatat)",
    503: "Basis data atau layanan alur kerja tidak tersedia: ulangi sesuai Retry-After",
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "Problem details (RFC 9457); some problems add fields such as 'errors' or 'choices'.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {}},
    },
    "required": ["title", "status"],
    "additionalProperties": True,
}


# What a string sent in a body may hold (api/control_characters.py refuses the rest).
NO_CONTROL_CHARACTERS = (
    "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$"
)


def statuses(path: str, method: str, has_body: bool = False) -> list[int]:
    public = path.startswith(PUBLIC)
    found = [404, 409, 422, 500, 503]
    if has_body:
        found.append(400)
    if not public:
        found += [401, 403]
    if path in ("/api/v1/auth/token", "/api/v1/auth/activate"):
        found += [401, 429]
    if path.endswith("/imports"):
        found.append(413)
    return sorted(set(found))


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "POST /api/v1/auth/token (nama pengguna dan kata sandi) memberi token ini",
    }
    problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            body = operation.get("requestBody")
            if body:
                for media in body.get("content", {}).values():
                    _without_control_characters(schema, media.get("schema", {}), set())
            for status in statuses(path, method, has_body=bool(body)):
                responses[str(status)] = {"description": ERRORS[status], "content": problem}
            if not path.startswith(PUBLIC):
                operation["security"] = [{"bearer": []}]
    return schema


def _without_control_characters(root: dict[str, Any], node: Any, seen: set[str]) -> None:
    """Every free string a request body holds documents the characters it may not carry,
    so a client (or a schema-driven test) knows a NUL or an escape is refused."""
    if isinstance(node, list):
        for item in node:
            _without_control_characters(root, item, seen)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[1]
        if name not in seen:
            seen.add(name)
            _without_control_characters(root, root["components"]["schemas"].get(name), seen)
        return
    if node.get("type") == "string" and not ({"pattern", "enum", "const", "format"} & set(node)):
        node["pattern"] = NO_CONTROL_CHARACTERS
    for key in ("properties", "items", "anyOf", "oneOf", "allOf", "additionalProperties"):
        child = node.get(key)
        if key == "properties" and isinstance(child, dict):
            for value in child.values():
                _without_control_characters(root, value, seen)
        elif child is not None:
            _without_control_characters(root, child, seen)


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
