"""Sending e-mail: SMTP when MAIL_SERVER is set, otherwise the outbox table and the log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from talentpool.extensions import db
from talentpool.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)


def send_mail(
    recipient: str, subject: str, body_text: str, body_html: str | None = None
) -> OutboxMessage:
    """Record the message in the outbox and deliver it when a mail server is configured."""
    message = OutboxMessage(
        recipient=recipient, subject=subject, body_text=body_text, body_html=body_html
    )
    db.session.add(message)
    server = current_app.config.get("MAIL_SERVER")
    if not server:
        log.info(
            "mail (no MAIL_SERVER, kept in outbox) to=%s subject=%s\n%s",
            recipient,
            subject,
            body_text,
        )
        return message
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = recipient
    email["Subject"] = subject
    email.set_content(body_text)
    if body_html:
        email.add_alternative(body_html, subtype="html")
    try:
        with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=10) as smtp:
            if current_app.config["MAIL_USE_TLS"]:
                smtp.starttls()
            if current_app.config["MAIL_USERNAME"]:
                smtp.login(current_app.config["MAIL_USERNAME"], current_app.config["MAIL_PASSWORD"])
            smtp.send_message(email)
        message.sent_at = utcnow()
    except (OSError, smtplib.SMTPException):
        log.exception("sending mail to %s failed; it stays in the outbox", recipient)
    return message
