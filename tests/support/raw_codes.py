"""What a person must never read on a page: a stored code instead of its label. A code is a
snake_case word (`within_agency`, `rotation_overdue`, `due_at`) or an audit action
(`case.opened`); prose in either language has neither."""

from __future__ import annotations

import re

SNAKE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w/@-])")
ACTION = re.compile(
    r"(?<![\w./@-])(?:case|consultation|objection|training|task|document|decree|employee"
    r"|reporting|evaluation|delegation|history|request|appeal|accounts|agency|reminder)"
    r"\.[a-z_]+(?![\w/@-])"
)


def raw_codes(visible: str) -> list[str]:
    """The codes in a page's visible text (what `innerText` gives), in order."""
    return [m.group(0) for m in re.finditer(f"{SNAKE.pattern}|{ACTION.pattern}", visible)]
