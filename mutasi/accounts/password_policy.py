"""What a password must be: at least 12 characters, not one of the passwords people pick
first (in Indonesian offices as anywhere), and not built from the account's own NIP,
username or name. Applied wherever a password is set (activation, reset, HR's account
creation, the CLI); the demo accounts' shared password is set by the demo loader only."""

from __future__ import annotations

import re

MIN_LENGTH = 12

# The stems people reach for first; a password is refused when, lower-cased and with the
# digits and symbols around it stripped, it is one of these or a run of them.
_STEM_LIST = """
    password passw0rd pass sandi katasandi kata rahasia admin administrator root user
    login masuk welcome selamat qwerty qwertyuiop asdf asdfgh asdfghjkl zxcvbn zxcvbnm
    abc abcd abcdef abcdefg abcdefgh letmein iloveyou aku cinta sayang kamu ganteng cantik
    bismillah alhamdulillah insyaallah indonesia jakarta bandung surabaya merdeka garuda
    pancasila bkpsdm bkd pemda pegawai asn pns kantor dinas mutasi kepegawaian
    monkey dragon master shadow sunshine princess football baseball superman batman
    trustno1 starwars whatever freedom hello secret test tester testing demo default
    changeme gantisandi januari februari maret april mei juni juli agustus september
    oktober november desember senin selasa rabu kamis jumat sabtu minggu
"""
COMMON_STEMS = frozenset(_STEM_LIST.split())
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")


class WeakPassword(ValueError):
    pass


def check_password(
    password: str, *, username: str = "", nip: str | None = None, name: str = ""
) -> None:
    """Raise WeakPassword with the reason a person can act on; return when it is acceptable."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"kata sandi minimal {MIN_LENGTH} karakter")
    lowered = password.lower()
    if len(set(lowered)) < 5 or _is_sequence(lowered):
        raise WeakPassword("kata sandi terlalu mudah ditebak (karakter berulang atau berurutan)")
    if _is_common(lowered):
        raise WeakPassword("kata sandi ini termasuk yang paling sering dipakai; pilih yang lain")
    if _is_personal(lowered, username.lower(), nip, name.lower()):
        raise WeakPassword("kata sandi tidak boleh memuat NIP, nama pengguna atau nama Anda")


def _is_personal(lowered: str, username: str, nip: str | None, name: str) -> bool:
    """The NIP or username anywhere in it; a part of the name as a word of it or the start
    of one ("budi.santoso", "budisantoso99"), not inside another word (Andi's "sandi")."""
    if any(len(word) >= 4 and word in lowered for word in (username, nip or "")):
        return True
    parts = {part for part in re.split(r"[^a-z]+", name) if len(part) >= 4}
    runs = [run for run in re.split(r"[^a-z]+", lowered) if run]
    return any(run.startswith(part) for run in runs for part in parts)


def _is_common(lowered: str) -> bool:
    stem = _EDGES.sub("", lowered)
    if not stem:  # digits and symbols only, e.g. 123456789012
        return True
    words = [w for w in re.split(r"[^a-z]+", stem) if w]
    return all(w in COMMON_STEMS or _repeats_common(w) for w in words)


def _repeats_common(word: str) -> bool:
    """ "sayangsayang", "adminadmin123": a common stem written twice or more."""
    for size in range(3, len(word) // 2 + 1):
        if len(word) % size == 0 and word[:size] * (len(word) // size) == word:
            return word[:size] in COMMON_STEMS
    return False


def _is_sequence(lowered: str) -> bool:
    compact = re.sub(r"[^a-z0-9]", "", lowered)
    return len(compact) >= MIN_LENGTH - 2 and any(
        compact in seq or compact in seq[::-1] or compact in seq * 2 for seq in _SEQUENCES
    )
