"""Indonesian formats on the pages: decimal commas, thousands dots, month names, and times
in the agency's zone with the zone named (WIB, WITA, WIT)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from api.pages.formats import angka, tanggal_id, waktu


def test_numbers_use_a_decimal_comma_and_thousands_dots():
    assert angka(0.38) == "0,38"
    assert angka(10.2, 1) == "10,2"
    assert angka(1234567.891) == "1.234.567,89"
    assert angka(None) == "—"


def test_dates_name_the_month():
    assert tanggal_id(date(2026, 12, 1)) == "1 Desember 2026"
    assert tanggal_id(date(2027, 1, 31)) == "31 Januari 2027"


def test_times_are_shown_in_the_agency_zone_with_its_name():
    moment = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # the next day in Jakarta
    assert waktu(moment) == "1 Januari 2027 00.30 WIB"
    assert waktu(moment, "Asia/Makassar") == "1 Januari 2027 01.30 WITA"
    assert waktu(moment, "Asia/Jayapura") == "1 Januari 2027 02.30 WIT"
    # SQLite gives back naive datetimes: they are UTC.
    assert waktu(moment.replace(tzinfo=None)) == "1 Januari 2027 00.30 WIB"
