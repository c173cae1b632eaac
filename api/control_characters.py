"""No control characters in the text people send: what they write ends up in e-mail
headers and bodies, decree PDFs and CSV exports, where a NUL, an escape sequence or a
line separator does harm (a NUL inside an e-mail address was written raw into the .eml).

Every JSON and form body is held to it before any route reads it: a string holding a C0
or C1 control character (tab, line feed and carriage return excepted, for free text) or
U+2028/U+2029 gets a 422 naming the field. Uploaded files (multipart) are documents,
checked by their own rules; imports check every cell (mutasi.dataio.cells)."""

from __future__ import annotations

import json
import re
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
        where = _offending_field(kind, body)
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


def _offending_field(kind: str, body: bytes) -> tuple[list[Any], str] | None:
    if kind == "json":
        if not _RAW_SUSPECT.search(body):
            return None
        try:
            document = json.loads(body)
        except ValueError:
            return None  # not JSON: the route's own validation says so
        return _walk(document, [])
    if not _FORM_SUSPECT.search(body) and not _RAW_SUSPECT.search(body):
        return None
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        character = first_control_character(name) or first_control_character(value)
        if character:
            return [name], character
    return None


def _walk(value: Any, path: list[Any]) -> tuple[list[Any], str] | None:
    if isinstance(value, str):
        character = first_control_character(value)
        return (path, character) if character else None
    if isinstance(value, dict):
        for key, item in value.items():  # names are the schema's: unknown ones are ignored
            found = _walk(item, [*path, key])
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _walk(item, [*path, index])
            if found:
                return found
    return None
