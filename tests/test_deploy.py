"""The deployment files stay true to the code: every variable the example environment sets is
one the settings read, and every command a unit runs exists."""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path

from mutasi.infra.settings import Settings

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
ALIASES = {"DATABASE_URL", "TEMPORAL_ADDRESS"}


def test_every_variable_of_the_example_environment_is_a_setting():
    fields = {f"MUTASI_{name.upper()}" for name in Settings.model_fields} | ALIASES
    lines = (DEPLOY / "mutasi.env.example").read_text().splitlines()
    names = [m.group(1) for line in lines if (m := re.match(r"#?\s*([A-Z_]+)=", line))]
    assert names
    unknown = [n for n in names if n.startswith("MUTASI_") or n in ALIASES if n not in fields]
    assert unknown == []


def test_every_unit_runs_something_that_exists():
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert len(units) >= 3
    for unit in units:
        command = next(
            line.split("=", 1)[1]
            for line in unit.read_text().splitlines()
            if line.startswith("ExecStart=")
        )
        args = shlex.split(command)
        if "--factory" in args:
            module, _, attr = args[args.index("--factory") + 1].partition(":")
            assert callable(getattr(importlib.import_module(module), attr)), unit.name
        if "worker.py" in args:
            assert (DEPLOY.parent / "worker.py").is_file()
        if any("mutasi backup" in a for a in args):
            from mutasi.cli import app

            assert any(c.name == "backup" for c in app.registered_commands)
