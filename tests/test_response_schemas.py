"""Every operation declares what it answers: a named schema (or a list or page of one) for
JSON, a binary schema for a file. An answer typed as a bare object would let any key through
unseen, so it fails here."""

from __future__ import annotations

from typing import Any

from api.main import create_app
from mutasi.infra.settings import Settings

METHODS = ("get", "post", "put", "patch", "delete")


def _named(schema: dict[str, Any] | None, components: dict[str, Any]) -> bool:
    """A `$ref` to a component with declared properties, a list of one, or a nullable one."""
    if not schema:
        return False
    if "$ref" in schema:
        target = components[schema["$ref"].rsplit("/", 1)[-1]]
        return bool(target.get("properties"))
    if schema.get("type") == "array":
        return _named(schema.get("items"), components)
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    return bool(options) and all(_named(s, components) for s in options)


def _undeclared(spec: dict[str, Any]) -> list[str]:
    components = spec["components"]["schemas"]
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            successes = {c: r for c, r in operation["responses"].items() if c.startswith("2")}
            if "204" in successes:
                continue
            contents = [c for r in successes.values() for c in r.get("content", {}).items()]
            if not contents:
                found.append(f"{method.upper()} {path}: no content")
            for media, body in contents:
                schema = body.get("schema")
                if media == "application/json" and "format" not in (schema or {}):
                    if not _named(schema, components):
                        found.append(f"{method.upper()} {path}: {schema}")
                elif schema is None:
                    found.append(f"{method.upper()} {path}: {media} without a schema")
    return found


def test_every_operation_declares_a_named_response_schema():
    spec = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), migrate=False).openapi()
    assert sum(len(ops) for ops in spec["paths"].values()) > 100
    assert _undeclared(spec) == []


def test_an_answer_typed_as_a_bare_object_is_found():
    """The check itself: a route answering `dict[str, Any]` is named."""
    spec = {
        "components": {"schemas": {"Thing": {"type": "object", "properties": {"a": {}}}}},
        "paths": {
            "/good": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            }
                        }
                    }
                }
            },
            "/bare": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "additionalProperties": True}
                                }
                            }
                        }
                    }
                }
            },
            "/file": {"get": {"responses": {"200": {"content": {"application/pdf": {}}}}}},
        },
    }
    assert [p.split(":")[0] for p in _undeclared(spec)] == ["GET /bare", "GET /file"]
