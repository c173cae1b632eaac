"""Sign-in: user accounts with roles, revoked tokens (logout) and failed logins (throttling).

Throttling and revocation live in the database, not in process memory, so every API
process behind a load balancer sees the same counts and the same logouts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

ROLES = ("hr_admin", "approver", "employee", "auditor")


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    password_hash: str = Field(max_length=200)
    full_name: str = Field(max_length=200)
    nip: str | None = Field(default=None, foreign_key="employee.nip", unique=True, max_length=18)
    roles: str = Field(
        max_length=100, description="comma-separated: hr_admin,approver,employee,auditor"
    )
    active: bool = True
    created_at: datetime
    # Every token carries the epoch it was issued in; setting a new password (activation,
    # reset) moves it on, so every earlier session and bearer token stops working at once.
    session_epoch: int = Field(default=0, sa_column_kwargs={"server_default": "0"})

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)

    @property
    def stored_id(self) -> int:
        """The id of an account read from the database (None only before its first flush)."""
        if self.id is None:
            raise ValueError(f"akun {self.username} belum tersimpan")
        return self.id


class RevokedToken(SQLModel, table=True):
    __tablename__ = "revoked_token"

    jti: str = Field(primary_key=True, max_length=64)
    expires_at: datetime = Field(index=True)


class KnownSignIn(SQLModel, table=True):
    """An address this account signed in (or activated) from: the address and account
    ceilings, there to stop guessing, do not stop the owner where they signed in before."""

    __tablename__ = "known_sign_in"

    username: str = Field(primary_key=True, max_length=64)
    address: str = Field(primary_key=True, max_length=64)
    last_at: datetime = Field(index=True)


class LoginFailure(SQLModel, table=True):
    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, max_length=100)  # "user:<name>" or "ip:<address>"
    at: datetime = Field(index=True)


class IdempotencyRecord(SQLModel, table=True):
    """An Idempotency-Key a client sent, bound to the request it first came with (user,
    operation, target and a hash of the body): the same key with another request is refused."""

    __tablename__ = "idempotency_record"

    key: str = Field(primary_key=True, max_length=100)
    fingerprint: str = Field(max_length=64)
    actor: str = Field(max_length=120)
    operation: str = Field(max_length=160)
    created_at: datetime = Field(index=True)


class LoginThrottle(SQLModel, table=True):
    """A sign-in refused by throttling: which username, from which address, by which rule.
    HR reads these to see guessing (and to tell a locked-out employee why)."""

    __tablename__ = "login_throttle"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    username: str = Field(max_length=64, index=True)
    address: str = Field(max_length=64)
    rule: str = Field(max_length=32)  # per_user_and_address | per_user | per_address
    retry_after: int


class ActivationCode(SQLModel, table=True):
    """A one-time code to set a password (first activation or reset); only its keyed hash
    is stored (mutasi.accounts.activation)."""

    __tablename__ = "activation_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=16)  # activate | reset
    expires_at: datetime
    used_at: datetime | None = None
    outcome: str | None = Field(default=None, max_length=16)  # used | replaced
    created_by: str = Field(max_length=120)
    created_at: datetime
