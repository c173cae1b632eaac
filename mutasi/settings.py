"""Process-wide settings, read from the environment (and an optional .env file).

`TEMPORAL_ADDRESS` and `DATABASE_URL` are read without prefix because operators
set them for every Mutasi process (workers, API) in a scaled-out deployment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUTASI_", env_file=".env", extra="ignore")

    environment: str = Field("development", description="development | production")
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{VAR_DIR / 'mutasi.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "MUTASI_DATABASE_URL"),
    )
    # None means: `make run` starts an embedded dev server on 127.0.0.1:7233.
    temporal_address: str | None = Field(
        default=None, validation_alias=AliasChoices("TEMPORAL_ADDRESS", "MUTASI_TEMPORAL_ADDRESS")
    )
    temporal_namespace: str = "default"
    task_queue: str = "mutasi"
    temporal_ui_url: str = "http://127.0.0.1:8233"

    api_host: str = "127.0.0.1"
    api_port: int = 8000

    # Activity threads per worker; unset: 4 on SQLite (one writer: more threads only
    # queue on its lock and fight over the GIL), 32 on PostgreSQL.
    activity_threads: int | None = None

    import_max_bytes: int = 50 * 1024 * 1024
    effective_hours_per_year: Literal[1200, 1250, 1300] = 1250

    demo_employees: int = 2000
    demo_seed: int = 1

    @property
    def activity_concurrency(self) -> int:
        if self.activity_threads:
            return self.activity_threads
        return 4 if self.database_url.startswith("sqlite") else 32

    @property
    def temporal_target(self) -> str:
        return self.temporal_address or "127.0.0.1:7233"


@lru_cache
def get_settings() -> Settings:
    return Settings()
