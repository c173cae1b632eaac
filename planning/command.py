"""Lines of command and the conflict-of-interest rule: nobody is placed in the direct line of
command of a relative (UU ASN; PP 11/2017 Ps 190), above or below them.

A post's direct superior is its `superior_position_code`; a unit head without one answers
to the head of the parent unit. The line of command of a post is every post above it on
that chain and every post below it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from planning.rules import RuleCheck
from planning.types import PositionInfo, UnitInfo

RELATIONS: dict[str, str] = {
    "suami_istri": "suami/istri",
    "orang_tua_anak": "orang tua/anak",
    "saudara_kandung": "saudara kandung",
    "mertua_menantu": "mertua/menantu",
    "ipar": "ipar",
}


class CommandLines:
    def __init__(self, positions: Iterable[PositionInfo], units: Iterable[UnitInfo]) -> None:
        posts = {p.code: p for p in positions}
        heads = {u.head_position_code: u for u in units if u.head_position_code}
        by_unit = {u.code: u for u in units}
        self.superior: dict[str, str] = {}
        for code, post in posts.items():
            above = post.superior_position_code
            if not above and code in heads:
                parent = by_unit.get(heads[code].parent_code or "")
                above = parent.head_position_code if parent else None
            if above and above != code and above in posts:
                self.superior[code] = above
        self._above: dict[str, frozenset[str]] = {}

    def above(self, code: str) -> frozenset[str]:
        """Every post above `code` on its chain of superiors (a loop in the data ends it)."""
        if code not in self._above:
            chain: list[str] = []
            seen = {code}
            current = self.superior.get(code)
            while current is not None and current not in seen:
                chain.append(current)
                seen.add(current)
                current = self.superior.get(current)
            self._above[code] = frozenset(chain)
        return self._above[code]

    def in_line(self, a: str, b: str) -> bool:
        """Whether one of the two posts commands the other, directly or through others."""
        return a != b and (a in self.above(b) or b in self.above(a))


def relatives_in_line(lines: CommandLines, destination: str, relative_posts: Iterable[str]) -> bool:
    return any(lines.in_line(destination, post) for post in relative_posts)


def conflict_check(
    lines: CommandLines, destination: str, relative_posts: Iterable[str]
) -> RuleCheck:
    """The rule as the person reads it: it names the rule, never the relative."""
    conflict = relatives_in_line(lines, destination, relative_posts)
    return RuleCheck(
        "conflict_of_interest",
        not conflict,
        "jabatan tujuan berada dalam garis komando langsung anggota keluarga"
        if conflict
        else "tidak ada anggota keluarga dalam garis komando jabatan tujuan",
    )


def relative_posts(
    relations: Mapping[str, tuple[str, ...]], post_of: Mapping[str, str], nip: str
) -> list[str]:
    return [post_of[r] for r in relations.get(nip, ()) if r in post_of]
