"""No control characters in the text people send: what they write ends up in e-mail
headers and bodies, decree PDFs and CSV exports, where a NUL, an escape sequence or a
line separator does harm (a NUL inside an e-mail address was written raw into the .eml).

Every JSON and form body is held to it before any route reads it: a string holding a C0
or C1 control character (tab, line feed and carriage return excepted, for free text) or
U+2028/U+2029, in a field the operation's schema declares, gets a 422 naming the field
(fields a body adds beyond its schema are ignored by the route, and so here). Uploaded files (multipart) are documents,
checked by their own rules; imports check every cell (mutasi.dataio.cells)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem
from mutasi.infra.text import first_control_character

# A cheap look at the raw bytes first: a JSON string can only carry a control character
# as a \u escape, or raw as DEL, a UTF-8 C1 character or a line/paragraph separator.
_RAW_SUSPECT = re.compile(
    rb"\\u00[01][0-9a-fA-F]|\\u00[89][0-9a-fA-F]|\\u007[fF]|\\u202[89]"
    rb"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]"
)
_FORM_SUSPECT = re.compile(rb"%(?:[01][0-9a-fA-F]|7[fF]|[cC]2%[89][0-9a-fA-F]|[eE]2%80%[aA][89])")
CHECKED_METHODS = frozenset({"POST", "PUT", "PATCH"})


class ControlCharacters:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = _body_kind(scope)
        if kind is None:
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        where = next(
            (found for found in _offending_fields(kind, body) if _declared(scope, found[0])),
            None,
        )
        if where is not None:
            field, character = where
            response = problem(
                422,
                "Masukan tidak valid",
                "periksa kolom yang disebut di 'errors'",
                errors=[
                    {
                        "loc": ["body", *field],
                        "msg": f"control character {character} is not allowed",
                        "type": "control_character",
                        "pesan": f"memuat karakter kendali {character}",
                    }
                ],
            )
            await response(scope, receive, send)
            return
        replay = iter(messages)

        async def again() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, again, send)


def _body_kind(scope: Scope) -> str | None:
    if scope["type"] != "http" or scope["method"] not in CHECKED_METHODS:
        return None
    headers = dict(scope.get("headers") or [])
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if content_type == b"application/json" or content_type.endswith(b"+json"):
        return "json"
    if content_type == b"application/x-www-form-urlencoded":
        return "form"
    return None


def _offending_fields(kind: str, body: bytes) -> Iterator[tuple[list[Any], str]]:
    """(field path, character) of every string holding a refused character."""
    if kind == "json":
        if not _RAW_SUSPECT.search(body):
            return
        try:
            document = json.loads(body)
        except ValueError:
            return  # not JSON: the route's own validation says so
        yield from _walk(document, [])
        return
    if not _FORM_SUSPECT.search(body) and not _RAW_SUSPECT.search(body):
        return
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        character = first_control_character(value)
        if character:
            yield [name], character


def _walk(value: Any, path: list[Any]) -> Iterator[tuple[list[Any], str]]:
    if isinstance(value, str):
        character = first_control_character(value)
        if character:
            yield path, character
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, [*path, index])


def _declared(scope: Scope, path: list[Any]) -> bool:
    """Whether the operation's request body schema declares the field at `path` (asked of
    the app's OpenAPI document, on this rare path only). A form of the pages, which the
    document does not describe, declares every field it is sent."""
    app = scope.get("app")
    if app is None or not hasattr(app, "openapi"):
        return True
    document = app.openapi()
    method, described = scope["method"].lower(), False
    for template, operations in document.get("paths", {}).items():
        operation = operations.get(method)
        if operation is None or not _template(template).fullmatch(scope["path"]):
            continue
        described = True
        for media in operation.get("requestBody", {}).get("content", {}).values():
            if _holds(document, media.get("schema", {}), path):
                return True
    return not described


@lru_cache(maxsize=1024)
def _template(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^}]+\\\}", ".+", re.escape(template)), re.DOTALL)


def _holds(document: dict[str, Any], node: Any, path: list[Any]) -> bool:
    if not isinstance(node, dict):
        return False
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        node = document["components"]["schemas"].get(ref.rsplit("/", 1)[1], {})
    for key in ("anyOf", "oneOf", "allOf"):
        if any(_holds(document, branch, path) for branch in node.get(key, [])):
            return True
    if not path:
        return node.get("type") == "string" or "type" not in node
    step, rest = path[0], path[1:]
    if isinstance(step, int):
        return _holds(document, node.get("items"), rest)
    declared = node.get("properties", {}).get(step)
    if declared is not None:
        return _holds(document, declared, rest)
    extra = node.get("additionalProperties")
    return isinstance(extra, dict) and _holds(document, extra, rest)
