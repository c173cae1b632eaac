"""Security properties that are easy to lose in a refactor, checked as tests. (Hashing,
tokens, CSRF, throttling and headers are exercised in test_auth.py and test_pages.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mutasi.infra.record_key import DEMO_SIGNING_KEY
from mutasi.infra.settings import DEMO_JWT_SECRET, InsecureSettings, Settings

ROOT = Path(__file__).resolve().parent.parent
APP_CODE = ["api", "activities", "workflows", "models", "mutasi", "planning", "worker.py"]


def test_no_sql_built_by_string_formatting():
    """ruff's S608 flags SQL assembled with f-strings, %, + or .format in application code."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "S608", "--no-cache", *APP_CODE],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_raw_sql_in_application_code_is_parameterised():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] not in APP_CODE or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if 'text(f"' in line or 'exec_driver_sql(f"' in line or 'execute(f"' in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, offenders


REAL_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # any 32 bytes but the demo key's


def test_secrets_come_from_settings_and_production_refuses_defaults():
    dev = Settings()
    assert dev.jwt_secret == DEMO_JWT_SECRET and dev.decree_signing_key == DEMO_SIGNING_KEY
    dev.check_secure()  # development may run on them
    for overrides in (
        {},
        {"jwt_secret": "k" * 48},
        {"decree_signing_key": REAL_KEY},
        {"jwt_secret": "short", "decree_signing_key": REAL_KEY},
        # The PPK's signature must be configured: a certificate, or a signing service.
        {"jwt_secret": "k" * 48, "decree_signing_key": REAL_KEY},
        {"jwt_secret": "k" * 48, "decree_signing_key": REAL_KEY, "decree_signature": "remote"},
        # The audit MAC key: never the demo one, never short.
        {"jwt_secret": "k" * 48, "decree_signing_key": REAL_KEY, "decree_signature": "wet"},
        {
            "jwt_secret": "k" * 48,
            "decree_signing_key": REAL_KEY,
            "decree_signature": "wet",
            "audit_mac_key": "pendek",
        },
    ):
        with pytest.raises(InsecureSettings):
            Settings(environment="production", **overrides).check_secure()
    real = {
        "environment": "production",
        "jwt_secret": "k" * 48,
        "decree_signing_key": REAL_KEY,
        "audit_mac_key": "m" * 48,
    }
    Settings(**real, pades_pkcs12="/etc/mutasi/ppk.p12").check_secure()
    Settings(
        **real, decree_signature="remote", remote_signing_url="https://tte.invalid"
    ).check_secure()
    Settings(**real, decree_signature="wet").check_secure()
