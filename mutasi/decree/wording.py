"""Indonesian legal wording that does not depend on an agency: numbers in words ("19
(sembilan belas) orang"), ordinal diktum labels (KESATU, KEDUA, ...)."""

from __future__ import annotations

_ONES = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]
_SCALES = ((1_000_000_000, "miliar"), (1_000_000, "juta"), (1_000, "ribu"))
_DIKTUM = [
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
]


def terbilang(n: int) -> str:
    """`n` in Indonesian words, as decrees write counts: 19 → "sembilan belas"."""
    if n < 0:
        return "minus " + terbilang(-n)
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{_ONES[hundreds]} ratus"
        return head + (f" {terbilang(rest)}" if rest else "")
    for size, name in _SCALES:
        if n >= size:
            big, rest = divmod(n, size)
            head = "seribu" if size == 1000 and big == 1 else f"{terbilang(big)} {name}"
            return head + (f" {terbilang(rest)}" if rest else "")
    raise AssertionError(n)  # every n ≥ 1000 has a scale


def count_in_words(n: int, noun: str = "orang") -> str:
    """ "19 (sembilan belas) orang"."""
    return f"{n} ({terbilang(n)}) {noun}"


def diktum(i: int) -> str:
    """The label of the i-th (1-based) operative clause: KESATU, KEDUA, ..."""
    return _DIKTUM[i - 1]
