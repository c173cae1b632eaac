"""Control characters in text that leaves the system (e-mail, PDF, CSV): which are refused."""

from __future__ import annotations

import re

# C0 and C1 controls and the Unicode line/paragraph separators; tab, line feed and carriage
# return stay allowed (free text has lines).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def first_control_character(text: str) -> str | None:
    """The first refused character as `U+XXXX`, or None when there is none."""
    found = CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None
