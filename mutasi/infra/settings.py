"""Process-wide settings, read from the environment (and an optional .env file).

`TEMPORAL_ADDRESS` and `DATABASE_URL` are read without prefix because operators
set them for every Mutasi process (workers, API) in a scaled-out deployment.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mutasi.infra.record_key import DEMO_SIGNING_KEY
from mutasi.mail.sender import MailSettings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = PROJECT_ROOT / "var"


DEMO_JWT_SECRET = "dev-only-jwt-secret-change-me-in-production-0123456789"
DEMO_AUDIT_MAC_KEY = "dev-only-audit-mac-key-change-me-in-production-0123456789"


class InsecureSettings(RuntimeError):
    pass


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
    # Temporal's workflow sandbox re-checks determinism at run time at a price of about a
    # quarter of the worker's CPU per case (`python -m bench lifecycle`). Every workflow test
    # and every replay in CI runs sandboxed, so the shipped code is checked; set to true to
    # also check at run time.
    workflow_sandbox: bool = False

    # Sign-in. The defaults are for development only: production refuses to start with them.
    jwt_secret: str = DEMO_JWT_SECRET
    token_minutes: int = Field(60, ge=1, le=24 * 60, description="API bearer token lifetime")
    session_minutes: int = Field(8 * 60, ge=5, le=7 * 24 * 60, description="web session lifetime")
    login_window_minutes: int = 15
    # Failures of one username from one address before each try waits 1 s, 2 s, 4 s, ...
    login_free_failures_per_address: int = 3
    # Ceilings per username (guessing spread over many addresses) and per address.
    login_max_failures_per_user: int = 50
    login_max_failures_per_ip: int = 30
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or
    # networks, e.g. "127.0.0.1,10.0.0.0/24"); from anyone else the header is ignored,
    # so a client cannot pick the address its failures are counted under.
    trusted_proxies: str = ""
    demo_password: str = "mutasi-demo"
    # Decrees: Ed25519 private key (base64 of 32 bytes) and the address printed in their QR code.
    decree_signing_key: str = DEMO_SIGNING_KEY
    public_base_url: str = "http://127.0.0.1:8000"
    # How the PPK signs decrees: pades (a PKCS#12 certificate installed here), remote (a
    # BSrE-style signing service; the signer gives NIK and passphrase) or wet (printed, signed
    # by hand, the scan uploaded). See docs/lifecycle.md, "The decree".
    decree_signature: Literal["pades", "remote", "wet"] = "pades"
    # PAdES: the PPK's PKCS#12 file and its passphrase; unset in development: a DEMO
    # certificate made in var/ (production refuses to start without one).
    pades_pkcs12: str | None = None
    pades_passphrase: str = ""
    # An RFC 3161 timestamp authority for PAdES signatures (optional).
    pades_tsa_url: str | None = None
    # Embed the chain's revocation information (OCSP/CRL, fetched at signing) in each
    # signature, so it still validates when the certificate has expired (PAdES B-LT).
    pades_embed_revocation: bool = False
    # Remote signing: the service's address, this application's credentials, the timeout.
    remote_signing_url: str | None = None
    remote_signing_username: str = ""
    remote_signing_password: str = ""
    remote_signing_timeout: float = Field(30.0, gt=0, le=300)

    # Signed checkpoints of the audit chain, outside the database (see mutasi.audit.anchor):
    # a folder the application's database user cannot rewrite, and how often to write them.
    audit_checkpoint_dir: str = "var/audit-checkpoints"
    audit_checkpoint_minutes: int = Field(60, ge=0, le=24 * 60)
    # Audit events are written unlinked and sealed into their agency's chain this often
    # (and before every decree and checkpoint); see mutasi.audit.chain.
    audit_seal_minutes: int = Field(1, ge=0, le=60)
    # The key of every audit event's MAC (mutasi.audit.chain.event_mac): held by the
    # application's processes only, never by the database, so a row written around the
    # application is told apart. Changing it makes every earlier event unverifiable.
    audit_mac_key: str = DEMO_AUDIT_MAC_KEY

    # Files kept by content hash (archived Temporal histories; later, case documents).
    document_dir: str = "var/documents"
    # A case document (PDF, JPEG or PNG, checked by content) may be at most this large.
    case_document_max_bytes: int = 5 * 1024 * 1024
    # How often closed cases' and cycles' Temporal histories are archived there; keep it well
    # inside the namespace's retention period (0: never, e.g. where another process archives).
    history_archive_minutes: int = Field(15, ge=0, le=24 * 60)

    # Operations: log lines as JSON (or plain text), the worker's Prometheus endpoint
    # ("host:port"; unset: none), a bearer token the API's /metrics then requires, and
    # OpenTelemetry traces (none | otlp | console; OTLP reads OTEL_EXPORTER_OTLP_*).
    log_format: Literal["json", "text"] = "json"
    worker_metrics_address: str | None = None
    metrics_token: str | None = None
    otel_exporter: Literal["none", "otlp", "console"] = "none"

    # An employee may lodge a formal objection (keberatan) this many days after their decree.
    appeal_days: int = Field(14, ge=1, le=90)

    # E-mail. Without MUTASI_SMTP_HOST (development) each message is written as an .eml
    # file to mail_dir; the pages show every notice either way.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "Mutasi BKPSDM <no-reply@localhost>"
    mail_dir: str = "var/mail"
    mail_minutes: int = Field(1, ge=0, le=24 * 60, description="outbox run interval (0: none)")

    import_max_bytes: int = 50 * 1024 * 1024
    # An upload is read in a child process with these limits: the worst file costs a 422.
    import_read_memory_mb: int = Field(2048, ge=256, le=65536)
    import_read_seconds: float = Field(120.0, gt=0, le=3600)
    # The agency's time zone (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura): its "today".
    timezone: Literal["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"] = "Asia/Jakarta"
    effective_hours_per_year: Literal[1200, 1250, 1300] = 1250

    demo_employees: int = 2000
    demo_seed: int = 1

    @property
    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return tuple(
            ip_network(part.strip(), strict=False)
            for part in self.trusted_proxies.split(",")
            if part.strip()
        )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            try:
                ip_network(part, strict=False)
            except ValueError as exc:
                raise ValueError(
                    f"MUTASI_TRUSTED_PROXIES: '{part}' bukan alamat atau jaringan IP"
                ) from exc
        return value

    @property
    def production(self) -> bool:
        return self.environment == "production"

    def check_secure(self) -> None:
        """Production must not run on development secrets."""
        if not self.production:
            return
        if self.jwt_secret == DEMO_JWT_SECRET or len(self.jwt_secret) < 32:
            raise InsecureSettings(
                "MUTASI_JWT_SECRET must be set to a random value of at least 32 "
                "characters in production"
            )
        if self.decree_signing_key == DEMO_SIGNING_KEY:
            raise InsecureSettings(
                "MUTASI_DECREE_SIGNING_KEY must be set in production (the demo key is public); "
                "generate one with `mutasi decree-key`"
            )
        if self.decree_signature == "pades" and not self.pades_pkcs12:
            raise InsecureSettings(
                "MUTASI_PADES_PKCS12 must name the PPK's certificate (PKCS#12) in production; "
                "or set MUTASI_DECREE_SIGNATURE=remote or wet"
            )
        if self.decree_signature == "remote" and not self.remote_signing_url:
            raise InsecureSettings("MUTASI_REMOTE_SIGNING_URL must be set for remote signing")
        if self.audit_mac_key == DEMO_AUDIT_MAC_KEY or len(self.audit_mac_key) < 32:
            raise InsecureSettings(
                "MUTASI_AUDIT_MAC_KEY must be set to a random value of at least 32 characters "
                "in production (kept out of the database)"
            )

    @property
    def activity_concurrency(self) -> int:
        if self.activity_threads:
            return self.activity_threads
        return 4 if self.database_url.startswith("sqlite") else 32

    @property
    def temporal_target(self) -> str:
        return self.temporal_address or "127.0.0.1:7233"

    def mail_settings(self) -> MailSettings:
        return MailSettings(
            host=self.smtp_host or None,
            port=self.smtp_port,
            username=self.smtp_username,
            password=self.smtp_password,
            starttls=self.smtp_starttls,
            sender=self.mail_from,
            folder=self.mail_dir,
        )


@lru_cache
def get_settings() -> Settings:
    return Settings()
