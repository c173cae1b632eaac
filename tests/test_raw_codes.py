"""The raw-code finder the page walk (tests/test_browser.py) relies on finds codes and only
codes."""

from __future__ import annotations

from tests.support.raw_codes import raw_codes


def test_codes_are_found():
    assert raw_codes("Jenis: within_agency · case.opened oleh hr") == [
        "within_agency",
        "case.opened",
    ]
    assert raw_codes("rotation_overdue\ndue_at") == ["rotation_overdue", "due_at"]


def test_prose_names_files_and_addresses_are_not_codes():
    assert raw_codes("Kasus dibuka. SK-800-1.pdf dikirim ke budi_s@contoh.go.id") == []
    assert raw_codes("Lihat https://contoh.invalid/verify/decree_no dan a.b") == []
