"""Collects benchmark figures and writes them as JSON plus a table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).parent / "out" / "results.json"


@dataclass
class Result:
    name: str
    value: float
    unit: str
    target: str
    ok: bool


class Results:
    def __init__(self) -> None:
        self.items: list[Result] = []

    def add(self, name: str, value: float, unit: str, target: str = "", ok: bool = True) -> None:
        self.items.append(Result(name, round(float(value), 4), unit, target, bool(ok)))
        print(
            f"  {name:<48} {value:>14.4g} {unit:<10} {target:<14} {'ok' if ok else 'MISS'}",
            flush=True,
        )

    def write(self, merge: bool = False) -> Path:
        """`merge`: keep figures of suites not run this time (`python -m bench lifecycle`)."""
        OUT.parent.mkdir(parents=True, exist_ok=True)
        data = json.loads(OUT.read_text()) if merge and OUT.exists() else {}
        data.update(
            {
                r.name: {"value": r.value, "unit": r.unit, "target": r.target, "ok": r.ok}
                for r in self.items
            }
        )
        OUT.write_text(json.dumps(data, indent=2, ensure_ascii=False))
        return OUT
