"""A proposal's explanation as people read it, in Bahasa Indonesia or English, rendered
from the planner's machine-readable record (planning.explain): for HR, approvers and
auditors the whole text naming the runner-up; for the employee the same facts in the
second person without a word about anyone else. Rule outcomes and spans are Indonesian
text in the record; `say` turns them into the page's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Say = Callable[[str], str]

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "moved": "{name} ({nip}) diusulkan pindah dari {ot} di {ou} ke {dt} di {du}.",
        "moved_you": "Anda diusulkan pindah dari {ot} di {ou} ke {dt} di {du}.",
        "staffing": "Jabatan asal kelebihan pegawai ({oc} pegawai, kebutuhan ABK {orq}); "
        "jabatan tujuan kekurangan ({dc} pegawai, kebutuhan {drq}).",
        "effect": "Sebagai dampak seluruh rencana (semua mutasi yang diusulkan bersama), beban "
        "unit asal {ob} menjadi {oa}; unit tujuan {db} menjadi {da}.",
        "ej": "EJ {ej} ({grade})",
        "no_staff": "tanpa pegawai",
        "jpm": "Kesesuaian kompetensi (JPM) di jabatan tujuan {jpm}% ({cat}), di jabatan "
        "sekarang {here}%.",
        "jpm_you": "Kesesuaian kompetensi (JPM) Anda di jabatan tujuan {jpm}% ({cat}), di "
        "jabatan sekarang {here}%.",
        "tenure": "Masa jabatan {t}.",
        "tenure_due": "Masa jabatan {t}; sudah waktunya rotasi.",
        "preference": "Unit tujuan adalah pilihan ke-{n} pegawai.",
        "preference_you": "Unit tujuan adalah pilihan ke-{n} Anda.",
        "home": "Unit tujuan berada di daerah domisili pegawai.",
        "home_you": "Unit tujuan berada di daerah domisili Anda.",
        "rules": "Syarat yang diperiksa: {rules}.",
        "gaps": "Kesenjangan kompetensi: {gaps}.",
        "gap": "{c} (level {a} dari {r}, {jp} JP)",
        "no_runner": "Tidak ada kandidat lain yang memenuhi syarat untuk jabatan tujuan ini.",
        "runner": "{name} ({nip}, JPM {jpm}%)",
        "runner_factor": "Dipilih dibanding kandidat berikutnya yang tidak diusulkan ke jabatan "
        "ini, {who}, karena {why}.",
        "runner_elsewhere": "Kandidat berikutnya, {who}, diusulkan ke jabatan lain yang lebih "
        "membutuhkannya.",
        "runner_released": "Kandidat berikutnya, {who}, tidak dipindah karena jabatan asalnya "
        "sudah melepas sebanyak kelebihan pegawainya.",
        "runner_tie": "Kandidat berikutnya, {who}, sama cocoknya; keseimbangan seluruh rencana "
        "lebih baik dengan pilihan ini.",
        "you_factor": "Dibanding kandidat lain, Anda dipilih karena {why}.",
        "you_balance": "Dibanding kandidat lain, pilihan ini membuat seluruh rencana paling "
        "seimbang.",
        "by_hr": "Anda diusulkan mutasi oleh BKPSDM: {reason}.",
        "by_hr_jpm": " Kesesuaian kompetensi (JPM) Anda di jabatan tujuan {jpm}% ({cat}).",
        "no_reason": "tanpa alasan tertulis",
        "f_jpm": "kesesuaian kompetensinya (JPM) lebih tinggi",
        "f_preference": "unit tujuan termasuk pilihannya",
        "f_home_region": "unit tujuan berada di daerah domisilinya",
        "f_rotation": "masa jabatannya sudah mencapai batas rotasi",
        "fy_jpm": "kesesuaian kompetensi (JPM) Anda dengan jabatan tujuan lebih tinggi",
        "fy_preference": "unit tujuan termasuk pilihan Anda",
        "fy_home_region": "unit tujuan berada di daerah domisili Anda",
        "fy_rotation": "masa jabatan Anda sudah mencapai batas rotasi",
    },
    "en": {
        "moved": "{name} ({nip}) is proposed to move from {ot} in {ou} to {dt} in {du}.",
        "moved_you": "You are proposed to move from {ot} in {ou} to {dt} in {du}.",
        "staffing": "The current post is overstaffed ({oc} staff, workload need {orq}); the "
        "destination post is understaffed ({dc} staff, need {drq}).",
        "effect": "As an effect of the whole plan (all moves proposed together), the origin "
        "unit's load goes from {ob} to {oa}; the destination unit's from {db} to {da}.",
        "ej": "EJ {ej} ({grade})",
        "no_staff": "no staff",
        "jpm": "Competency fit (JPM): {jpm}% ({cat}) in the destination post, {here}% in the "
        "current post.",
        "jpm_you": "Your competency fit (JPM): {jpm}% ({cat}) in the destination post, "
        "{here}% in the current post.",
        "tenure": "Time in post {t}.",
        "tenure_due": "Time in post {t}; rotation is due.",
        "preference": "The destination unit is the employee's choice no. {n}.",
        "preference_you": "The destination unit is your choice no. {n}.",
        "home": "The destination unit is in the employee's home region.",
        "home_you": "The destination unit is in your home region.",
        "rules": "Rules checked: {rules}.",
        "gaps": "Competency gaps: {gaps}.",
        "gap": "{c} (level {a} of {r}, {jp} JP)",
        "no_runner": "No other candidate meets the rules for this destination post.",
        "runner": "{name} ({nip}, JPM {jpm}%)",
        "runner_factor": "Chosen over the next candidate not proposed for this post, {who}, "
        "because {why}.",
        "runner_elsewhere": "The next candidate, {who}, is proposed for another post that "
        "needs them more.",
        "runner_released": "The next candidate, {who}, is not moved because their current "
        "post already releases as many staff as it has in surplus.",
        "runner_tie": "The next candidate, {who}, fits as well; the whole plan balances better "
        "with this choice.",
        "you_factor": "Compared with other candidates, you were chosen because {why}.",
        "you_balance": "Compared with other candidates, this choice balances the whole plan best.",
        "by_hr": "BKPSDM proposes your transfer: {reason}.",
        "by_hr_jpm": " Your competency fit (JPM) in the destination post is {jpm}% ({cat}).",
        "no_reason": "no written reason",
        "f_jpm": "their competency fit (JPM) is higher",
        "f_preference": "the destination unit is among their choices",
        "f_home_region": "the destination unit is in their home region",
        "f_rotation": "their time in post has reached the rotation limit",
        "fy_jpm": "your competency fit (JPM) with the destination post is higher",
        "fy_preference": "the destination unit is among your choices",
        "fy_home_region": "the destination unit is in your home region",
        "fy_rotation": "your time in post has reached the rotation limit",
    },
}


def number(value: float, lang: str, digits: int | None = None) -> str:
    """82.5 -> "82,5" in Bahasa Indonesia, "82.5" in English; `digits` fixes the decimals."""
    text = f"{value:.{digits}f}" if digits is not None else f"{value:g}"
    return text.replace(".", ",") if lang == "id" else text


def _same(text: str) -> str:
    return text


class _Writer:
    def __init__(self, lang: str, say: Say) -> None:
        self.lang = lang if lang in TEXT else "id"
        self.text = TEXT[self.lang]
        self.say = say

    def __call__(self, key: str, **values: Any) -> str:
        return self.text[key].format(**values)

    def num(self, value: float, digits: int | None = None) -> str:
        return number(value, self.lang, digits)

    def ej(self, state: dict[str, Any]) -> str:
        if state["ej"] is None:
            return self("no_staff")
        return self("ej", ej=self.num(state["ej"], 2), grade=state["grade"])

    def move(self, r: dict[str, Any], key: str) -> str:
        u = r["units"]
        return self(
            key,
            name=r.get("name", ""),
            nip=r.get("nip", ""),
            ot=r["origin_title"],
            ou=u["origin"]["name"] or r["origin_unit"],
            dt=r["destination_title"],
            du=u["destination"]["name"] or r["destination_unit"],
        )

    def common(self, r: dict[str, Any], you: bool) -> list[str]:
        """The move's own facts, shared by the HR text and the employee's."""
        u, pos = r["units"], r["positions"]
        mine = "_you" if you else ""
        tenure = r.get("tenure_text") or f"{self.num(r['tenure_years'], 1)} tahun"
        parts = [
            self(
                "staffing",
                oc=pos["origin"]["current"],
                orq=pos["origin"]["required"],
                dc=pos["destination"]["current"],
                drq=pos["destination"]["required"],
            ),
            self(
                "effect",
                ob=self.ej(u["origin"]["before"]),
                oa=self.ej(u["origin"]["after"]),
                db=self.ej(u["destination"]["before"]),
                da=self.ej(u["destination"]["after"]),
            ),
            self(
                "jpm" + mine,
                jpm=self.num(r["jpm"]),
                cat=self.say(r["jpm_category"]),
                here=self.num(r["jpm_origin"]),
            ),
            self("tenure_due" if r["rotation_due"] else "tenure", t=self.say(tenure)),
        ]
        if r["preference_rank"]:
            parts.append(self("preference" + mine, n=r["preference_rank"]))
        if r["home_region_match"]:
            parts.append(self("home" + mine))
        parts.append(self("rules", rules="; ".join(self.say(c["message"]) for c in r["rules"])))
        if r["gaps"]:
            gaps = ", ".join(
                self("gap", c=g["competency"], a=self.num(g["actual"]), r=g["required"], jp=g["jp"])
                for g in r["gaps"]
            )
            parts.append(self("gaps", gaps=gaps))
        return parts


def hr_explanation(r: dict[str, Any], lang: str = "id", say: Say = _same) -> str:
    """The full explanation, for HR, approvers and auditors: names the runner-up."""
    w = _Writer(lang, say)
    parts = [w.move(r, "moved"), *w.common(r, you=False)]
    runner = r["runner_up"]
    if runner is None:
        parts.append(w("no_runner"))
        return " ".join(parts)
    who = w("runner", name=runner["name"], nip=runner["nip"], jpm=w.num(runner["jpm"]))
    factor = runner.get("deciding_factor")
    if factor:
        parts.append(w("runner_factor", who=who, why=w(f"f_{factor}")))
    elif runner["moved_elsewhere"]:
        parts.append(w("runner_elsewhere", who=who))
    elif runner.get("origin_released_all"):
        parts.append(w("runner_released", who=who))
    else:
        parts.append(w("runner_tie", who=who))
    return " ".join(parts)


def employee_explanation(r: dict[str, Any], lang: str = "id", say: Say = _same) -> str:
    """The explanation the employee reads about their own move: the same facts in the
    second person, and never a word about another employee (no runner-up name, NIP or
    score)."""
    w = _Writer(lang, say)
    if r.get("added_by_hr"):
        jpm = (
            w("by_hr_jpm", jpm=w.num(r["jpm"]), cat=say(r["jpm_category"]))
            if r.get("jpm") is not None
            else ""
        )
        return w("by_hr", reason=r.get("reason") or w("no_reason")) + jpm
    parts = [w.move(r, "moved_you"), *w.common(r, you=True)]
    runner = r.get("runner_up")
    factor = runner.get("deciding_factor") if runner else None
    if factor:
        parts.append(w("you_factor", why=w(f"fy_{factor}")))
    elif runner is not None:
        parts.append(w("you_balance"))
    return " ".join(parts)
