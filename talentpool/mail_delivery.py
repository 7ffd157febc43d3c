"""Delivering the outbox (`talentpool send-mail`), after the commits that wrote it.

Each pass takes the messages that are due, claims each one (so two senders never send the
same message), and hands it to the SMTP server. A failure the server may get over (it is
down, slow, or answers 4xx) is retried later with growing pauses; a refusal for good (5xx
for the recipient or the message) or too many failures gives the message up. Coordinators
see what is undelivered on the mail status page.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from flask import current_app
from sqlalchemy import func, select, update

from talentpool.extensions import db
from talentpool.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)

#: Minutes to wait after the 1st, 2nd, … failed attempt; after the last, delivery is given up
#: (about 16 hours after the first try).
BACKOFF_MINUTES = (1, 5, 15, 30, 60, 120, 240, 480)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
#: How long a claimed message is left to the sender that claimed it (it may have died).
LEASE = timedelta(minutes=10)
SENDER_NAME = "デジタル人材プール"


class MailNotConfigured(Exception):
    """MAIL_SERVER is not set: mail stays in the outbox."""


class _Failure(Exception):
    def __init__(self, text: str, *, permanent: bool = False, server: bool = False):
        super().__init__(text)
        self.permanent = permanent
        #: The server (not this message) is the problem: stop the pass, try again later.
        self.server = server


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    given_up: int = 0
    #: Due messages this pass left for the next one (the server stopped answering).
    left: int = 0

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, will retry {self.retrying}, gave up {self.given_up}, "
            f"left for the next pass {self.left}"
        )


def _due(now: datetime):
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.next_attempt_at <= now,
    )


def pending_count() -> int:
    """Messages not yet delivered nor given up."""
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    )


def _email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = formataddr((SENDER_NAME, sender))
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=True)
    domain = sender.rpartition("@")[2] or "localhost"
    # Stable across retries, so a client can drop a copy the server took twice.
    email["Message-ID"] = f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


class _Smtp:
    """One SMTP connection for a pass, opened when the first message needs it."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            text = "; ".join(f"{code} {_decode(msg)}" for code, msg in error.recipients.values())
            raise _Failure(text, permanent=all(code >= 500 for code in codes)) from None
        except (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused) as error:
            self.close()  # the server's settings, not this message: every message would fail
            raise _Failure(f"{error.smtp_code} {_decode(error.smtp_error)}", server=True) from None
        except smtplib.SMTPResponseException as error:
            raise _Failure(
                f"{error.smtp_code} {_decode(error.smtp_error)}",
                permanent=error.smtp_code >= 500,
            ) from None
        except (OSError, smtplib.SMTPException) as error:  # down, refused, timed out, cut off
            self.close()
            raise _Failure(f"{type(error).__name__}: {error}", server=True) from None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        connection = smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        )
        if config["MAIL_USE_TLS"]:
            connection.starttls()
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return connection

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None


def _decode(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def _claim(message_id: int, now: datetime) -> bool:
    """Take the message for this sender for LEASE; False when another sender has it."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, *_due(now))
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _record(message_id: int, now: datetime, failure: _Failure | None) -> str:
    """Write the outcome of one attempt; returns "sent", "retrying" or "given_up"."""
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    message.attempts += 1
    if failure is None:
        message.sent_at, message.last_error = now, None
        outcome = "sent"
    else:
        message.last_error = str(failure)[:500]
        if failure.permanent or message.attempts >= MAX_ATTEMPTS:
            message.failed_at = now
            outcome = "given_up"
        else:
            message.next_attempt_at = now + timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
            outcome = "retrying"
        log.warning("mail %s to %s: %s (%s)", message.id, message.recipient, failure, outcome)
    db.session.commit()
    return outcome


def deliver_due(*, now: Callable[[], datetime] = utcnow, limit: int = 500) -> DeliveryReport:
    """One pass over the outbox: deliver what is due, schedule retries, give up hopeless mail."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        raise MailNotConfigured
    due_ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(*_due(now()))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.commit()
    report = DeliveryReport()
    smtp = _Smtp(config)
    try:
        for index, message_id in enumerate(due_ids):
            if not _claim(message_id, now()):
                continue
            message = db.session.get(OutboxMessage, message_id, populate_existing=True)
            failure = None
            try:
                smtp.send(_email(message, config["MAIL_SENDER"]))
            except _Failure as caught:
                failure = caught
            outcome = _record(message_id, now(), failure)
            setattr(report, outcome, getattr(report, outcome) + 1)
            if failure is not None and failure.server:
                report.left = len(due_ids) - index - 1
                break
    finally:
        smtp.close()
    return report


def reschedule(message: OutboxMessage) -> None:
    """Make an undelivered message due now again, with a full set of retries."""
    message.next_attempt_at = utcnow()
    if message.failed_at is not None:
        message.failed_at = None
        message.attempts = 0
