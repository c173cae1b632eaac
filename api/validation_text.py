"""Validation errors in Bahasa Indonesia: pydantic says "String should have at least 3
characters"; a person filling a form (or reading the API's `errors`) gets "minimal 3
karakter". Messages our own validators raise are Indonesian already and pass through."""

from __future__ import annotations

from typing import Any


def pesan(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": "wajib diisi",
        "string_too_short": f"minimal {ctx.get('min_length')} karakter",
        "string_too_long": f"maksimal {ctx.get('max_length')} karakter",
        "too_short": f"minimal {ctx.get('min_length')} isian",
        "too_long": f"maksimal {ctx.get('max_length')} isian",
        "greater_than_equal": f"tidak boleh kurang dari {ctx.get('ge')}",
        "greater_than": f"harus lebih dari {ctx.get('gt')}",
        "less_than_equal": f"tidak boleh lebih dari {ctx.get('le')}",
        "less_than": f"harus kurang dari {ctx.get('lt')}",
        "int_parsing": "harus bilangan bulat",
        "int_type": "harus bilangan bulat",
        "float_parsing": "harus angka",
        "bool_parsing": "harus ya atau tidak",
        "date_from_datetime_parsing": "tanggal tidak sah (format TTTT-BB-HH)",
        "date_parsing": "tanggal tidak sah (format TTTT-BB-HH)",
        "date_type": "tanggal tidak sah",
        "literal_error": f"harus salah satu dari: {ctx.get('expected')}",
        "enum": f"harus salah satu dari: {ctx.get('expected')}",
        "string_pattern_mismatch": "formatnya tidak sesuai",
        "json_invalid": "JSON tidak sah",
        "model_attributes_type": "isian tidak sah",
        "dict_type": "harus objek",
        "list_type": "harus daftar",
        "string_type": "harus teks",
    }
    if kind in messages:
        return messages[kind]
    return str(error.get("msg", "")).removeprefix("Value error, ")
