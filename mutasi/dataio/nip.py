"""NIP (Nomor Induk Pegawai): 18 digits = birth date YYYYMMDD + appointment YYYYMM
+ gender (1 male, 2 female) + 3-digit sequence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutasi.infra import clock


@dataclass(frozen=True)
class NipParts:
    birth_date: date
    appointment_month: date
    gender: str  # L | P
    sequence: int


class InvalidNip(ValueError):
    pass


def parse_nip(nip: str, today: date | None = None) -> NipParts:
    today = today or clock.today()
    if len(nip) != 18 or not nip.isdigit():
        raise InvalidNip(
            f"NIP harus tepat 18 digit angka (tertulis {len(nip)} karakter: '{nip[:24]}')"
        )
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise InvalidNip(f"tanggal lahir pada NIP tidak valid ({nip[0:8]})") from None
    try:
        appointed = date(int(nip[8:12]), int(nip[12:14]), 1)
    except ValueError:
        raise InvalidNip(f"bulan pengangkatan pada NIP tidak valid ({nip[8:14]})") from None
    if nip[14] not in "12":
        raise InvalidNip("digit jenis kelamin pada NIP harus 1 atau 2")
    seq = int(nip[15:18])
    if seq == 0:
        raise InvalidNip("nomor urut pada NIP tidak boleh 000")
    if birth >= today:
        raise InvalidNip("tanggal lahir pada NIP di masa depan")
    age_at_appointment = (
        appointed.year - birth.year - ((appointed.month, 1) < (birth.month, birth.day))
    )
    if age_at_appointment < 18:
        raise InvalidNip("pengangkatan pada NIP sebelum usia 18 tahun")
    if appointed > today:
        raise InvalidNip("bulan pengangkatan pada NIP di masa depan")
    return NipParts(birth, appointed, "L" if nip[14] == "1" else "P", seq)


def make_nip(birth: date, appointed: date, gender: str, sequence: int) -> str:
    return f"{birth:%Y%m%d}{appointed:%Y%m}{'1' if gender == 'L' else '2'}{sequence:03d}"
