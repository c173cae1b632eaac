"""Numbers, dates and times as each language writes them (Babel's id_ID and en formats):
decimal commas and thousands dots in Bahasa Indonesia, the other way round in English,
month names, and times in the agency's zone with the zone named (WIB, WITA, WIT)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from mutasi.i18n.formats import day, moment, number, percent


def test_numbers_use_a_decimal_comma_and_thousands_dots_in_indonesian():
    assert number(0.38) == "0,38"
    assert number(10.2, 1) == "10,2"
    assert number(1234567.891) == "1.234.567,89"
    assert number(None) == "—"


def test_numbers_use_a_decimal_point_and_thousands_commas_in_english():
    assert number(1234567.891, 2, "en") == "1,234,567.89"
    assert number(3, 0, "en") == "3"


def test_percentages_follow_the_language():
    assert percent(0.102) == "10,2%"
    assert percent(0.102, 1, "en") == "10.2%"


def test_dates_name_the_month():
    assert day(date(2026, 12, 1)) == "1 Desember 2026"
    assert day(date(2027, 1, 31)) == "31 Januari 2027"
    assert day(date(2026, 12, 1), "en") == "1 December 2026"


def test_times_are_shown_in_the_agency_zone_with_its_name():
    at = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # the next day in Jakarta
    assert moment(at) == "1 Januari 2027 00.30 WIB"
    assert moment(at, "Asia/Makassar") == "1 Januari 2027 01.30 WITA"
    assert moment(at, "Asia/Jayapura") == "1 Januari 2027 02.30 WIT"
    assert moment(at, lang="en") == "1 January 2027 00:30 WIB"
    # SQLite gives back naive datetimes: they are UTC.
    assert moment(at.replace(tzinfo=None)) == "1 Januari 2027 00.30 WIB"
