"""Calendar spans as the civil service counts them: by anniversaries, not by days/365.25.

A day that a month lacks (29 February in a common year, the 31st of a short month) is
reached on the first day of the following month: two years from 29 February 2024 are
complete on 1 March 2026, never earlier.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def date_text(day: date) -> str:
    """As Indonesian letters write a date: "1 Desember 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    try:
        return first.replace(day=start.day)
    except ValueError:  # the day does not exist in that month: its anniversary is the next 1st
        return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (negative when `end` comes first)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end >= start:
        # The month's anniversary is on start.day, or on the next 1st when that day does not
        # exist: either way it has passed exactly when end.day >= start.day.
        return months if end.day >= start.day else months - 1
    while add_months(start, months) > end:
        months -= 1
    while add_months(start, months + 1) <= end:
        months += 1
    return months


@lru_cache(maxsize=4096)
def span_text(months: int) -> str:
    """Bahasa Indonesia: 23 -> "1 tahun 11 bulan", 24 -> "2 tahun", 5 -> "5 bulan"."""
    sign = "-" if months < 0 else ""
    years, rest = divmod(abs(months), 12)
    parts = ([f"{years} tahun"] if years else []) + ([f"{rest} bulan"] if rest or not years else [])
    return sign + " ".join(parts)


def years_as_months(years: float) -> int:
    """A setting given in years (2, 2.5) as whole months."""
    return round(years * 12)
