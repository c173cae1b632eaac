"""Validation errors in Bahasa Indonesia: pydantic says "String should have at least 3
characters"; a person filling a form (or reading the API's `errors`) gets "minimal 3
karakter". Messages our own validators raise are Indonesian already and pass through."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# pydantic's error type -> the message, with its context's values by name.
MESSAGES: dict[str, str] = {
    "missing": "wajib diisi",
    "string_too_short": "minimal {min_length} karakter",
    "string_too_long": "maksimal {max_length} karakter",
    "too_short": "minimal {min_length} isian",
    "too_long": "maksimal {max_length} isian",
    "greater_than_equal": "tidak boleh kurang dari {ge}",
    "greater_than": "harus lebih dari {gt}",
    "less_than_equal": "tidak boleh lebih dari {le}",
    "less_than": "harus kurang dari {lt}",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "float_parsing": "harus angka",
    "bool_parsing": "harus ya atau tidak",
    "date_from_datetime_parsing": "tanggal tidak sah (format TTTT-BB-HH)",
    "date_parsing": "tanggal tidak sah (format TTTT-BB-HH)",
    "date_type": "tanggal tidak sah",
    "literal_error": "harus salah satu dari: {expected}",
    "enum": "harus salah satu dari: {expected}",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "json_invalid": "JSON tidak sah",
    "model_attributes_type": "isian tidak sah",
    "dict_type": "harus objek",
    "list_type": "harus daftar",
    "string_type": "harus teks",
}


class _Context(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"


def pesan(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    if kind in MESSAGES:
        return MESSAGES[kind].format_map(_Context(error.get("ctx") or {}))
    return str(error.get("msg", "")).removeprefix("Value error, ")
