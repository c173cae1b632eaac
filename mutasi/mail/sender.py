"""Sending one message: over SMTP where a server is configured, else (development) as an
.eml file in a local folder. Failures are classified so the outbox knows what to do: a
refused recipient is a bounce (recorded, never retried); anything else leaves the notice
pending for the next run."""

from __future__ import annotations

import contextlib
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path


class Bounced(Exception):
    """The server refused the recipient for good (5xx)."""


class Unreachable(Exception):
    """The server could not be reached or failed for now: try again later."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None  # None: write .eml files to `folder` (development)
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "Mutasi <no-reply@localhost>"
    folder: str = "var/mail"
    timeout: float = 10.0


def message(
    settings: MailSettings, to: str, subject: str, body: str, message_id: str
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    # One id per notice: a receiving server (or a person) can tell a resend from a new notice.
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg


class Mailer:
    """One connection per batch; `send` raises Bounced or Unreachable."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            s = self.settings
            assert s.host is not None  # only called in SMTP mode
            try:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.starttls:
                    smtp.starttls()
                if s.username:
                    smtp.login(s.username, s.password or "")
            except (smtplib.SMTPException, OSError) as exc:
                raise Unreachable(
                    f"server SMTP {s.host}:{s.port} tidak dapat dihubungi: {exc}"
                ) from exc
            self._smtp = smtp
        return self._smtp

    def send(self, msg: EmailMessage) -> None:
        if self.settings.host is None:
            folder = Path(self.settings.folder)
            folder.mkdir(parents=True, exist_ok=True)
            name = msg["Message-ID"].strip("<>").replace("/", "_").replace("@", "_at_")
            (folder / f"{name}.eml").write_bytes(bytes(msg))
            return
        try:
            self._connection().send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise Bounced(
                    "; ".join(
                        f"{c} {m.decode(errors='replace')}" for c, m in exc.recipients.values()
                    )
                ) from exc
            self._drop()
            raise Unreachable(str(exc)) from exc
        except smtplib.SMTPResponseException as exc:
            self._drop()
            raise Unreachable(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise Unreachable(str(exc)) from exc

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None
