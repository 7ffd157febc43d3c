"""Writing e-mail to the outbox, in the transaction of the change it reports.

Nothing here talks to a mail server: a request that rolls back takes its mail with it, and
no page waits on SMTP. `talentpool send-mail` (talentpool/mail_delivery.py) delivers the
outbox after the commit. Without MAIL_SERVER the mail stays in the outbox and the log.
"""

from __future__ import annotations

import logging

from flask import current_app

from talentpool.extensions import db
from talentpool.models import OutboxMessage

log = logging.getLogger(__name__)

SUBJECT_LENGTH = 200


def queue_mail(
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    *,
    prefecture_id: int | None = None,
) -> OutboxMessage:
    """Put a message in the outbox; it leaves once the caller's transaction commits.

    `prefecture_id` says whose coordinators look after it if it cannot be delivered (None:
    the national administrators).
    """
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[: SUBJECT_LENGTH - 1] + "…"
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        prefecture_id=prefecture_id,
    )
    db.session.add(message)
    if not current_app.config.get("MAIL_SERVER"):
        log.info(
            "mail (no MAIL_SERVER, kept in outbox) to=%s subject=%s\n%s",
            recipient,
            subject,
            body_text,
        )
    return message
