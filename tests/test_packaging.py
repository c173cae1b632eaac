"""What `pip install` makes of the project: every top-level package the code imports is
installed, and the `mutasi` command runs from any folder (not only the project's own)."""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mutasi.infra.db import upgrade_database

ROOT = Path(__file__).resolve().parent.parent
NOT_INSTALLED = {"tests", "bench"}  # run from a checkout only


def test_every_top_level_package_is_installed():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
    packages = {
        p.name
        for p in ROOT.iterdir()
        if (p / "__init__.py").exists() and p.name not in NOT_INSTALLED
    }
    missing = sorted(p for p in packages if not any(fnmatch.fnmatch(p, x) for x in patterns))
    assert packages and missing == []


def test_the_installed_command_runs_from_another_folder(tmp_path):
    script = Path(sys.executable).parent / "mutasi"
    if not script.exists():
        reason = f"{script} tidak ada (make test memasang proyek ke .venv)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    url = f"sqlite:///{tmp_path / 'mutasi.db'}"
    upgrade_database(url)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "DATABASE_URL": url, "MUTASI_AUDIT_CHECKPOINT_DIR": str(tmp_path / "cp")}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(script), "audit", "verify"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "arsip riwayat" in done.stdout
