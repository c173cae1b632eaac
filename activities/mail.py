"""Mailing the outbox (mutasi.mail.outbox): pending notices, each sent once."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from temporalio import activity

from contracts.housekeeping import MailRun, OutboxReport
from mutasi.mail.outbox import deliver
from mutasi.mail.sender import MailSettings


class MailActivities:
    def __init__(self, engine: Engine, mail: MailSettings, base_url: str) -> None:
        self.engine = engine
        self.mail = mail
        self.base_url = base_url

    @activity.defn
    def deliver_mail(self, run: MailRun) -> OutboxReport:
        return deliver(self.engine, self.mail, self.base_url, run.batch)
