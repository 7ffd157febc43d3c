"""Anonymise a departed talent: personal data removed, aggregate history kept.

Removed: name (→「匿名化済み人材 #id」), ふりがな, contact, experience, qualifications, the
prefecture's management number, service areas, the link to the national-list entry (which
names them), the free text of their offers (message, decline reason), assignments (end
reason), activity notes, rating comments and certificate numbers; their login account is
disabled, its e-mail and name replaced, its sessions and pending invitations ended; their own
notifications and mail are deleted, and others' notices and mail about them lose the name.

Kept: the profile row (kind, skills, hours, work style, employment period), offers and
assignments with their hours, dates and states, monthly activity hours and ratings' scores —
what reports and fiscal measures count.

The audit trail: the anonymisation is one 'anonymize' event. Because the trail would
otherwise keep the removed values (earlier events' before/after values, and the update this
anonymisation itself causes), those values are scrubbed from every event about the rows
touched (`audit.scrub`); who changed what and when stays.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select

from talentpool import audit
from talentpool.extensions import db
from talentpool.models import (
    ActivityLog,
    Assignment,
    AssignmentState,
    AuditEvent,
    Enrollment,
    Invitation,
    Notification,
    Offer,
    OfferState,
    OutboxMessage,
    Rating,
    Role,
    Talent,
    User,
    utcnow,
)
from talentpool.services.errors import DomainError, NotAllowed
from talentpool.services.notifications import path_for
from talentpool.text import search_key

ANONYMOUS_NAME = "匿名化済み人材 #{id}"
#: Notice parameters that carry personal data (the talent's name, their free text).
NOTICE_PERSONAL = ("talent", "reason", "decline_text")


def anonymous_name(talent_id: int) -> str:
    return ANONYMOUS_NAME.format(id=talent_id)


def check_can_anonymize(actor: User, talent: Talent) -> None:
    """Refuse unless `actor` coordinates the talent's prefecture and nothing is in progress."""
    if actor.role != Role.coordinator or actor.prefecture_id != talent.prefecture_id:
        raise NotAllowed(_l("この人材を匿名化する権限がありません。"))
    if talent.anonymized_at is not None:
        raise DomainError(_l("この人材は既に匿名化されています。"))
    if _has(Assignment, talent.id, AssignmentState.active):
        raise DomainError(
            _l("進行中の派遣があるため匿名化できません。先に派遣を終了してください。")
        )
    if _has(Offer, talent.id, OfferState.sent):
        raise DomainError(
            _l("回答待ちの打診があるため匿名化できません。先に打診を取り下げてください。")
        )


def _has(kind: type[Assignment | Offer], talent_id: int, state: str) -> bool:
    """Whether the talent has an assignment or offer in that state."""
    query = select(kind.id).where(kind.talent_id == talent_id, kind.state == state).limit(1)
    return db.session.scalar(query) is not None


def anonymize_talent(actor: User, talent: Talent) -> AuditEvent:
    """Anonymise `talent` (see the module docstring); returns the 'anonymize' audit event."""
    check_can_anonymize(actor, talent)
    label = anonymous_name(talent.id)
    old_texts = _personal_texts(talent)
    old_email = talent.email
    targets: dict[tuple[str, str], dict[str, Any]] = {}

    def scrubbed(row, entity: str, **values: Any) -> None:
        for field, value in values.items():
            setattr(row, field, value)
        targets[(entity, str(row.id))] = values

    scrubbed(
        talent,
        "talent",
        name=label,
        name_kana="",
        email=None,
        phone=None,
        experience="",
        qualifications="",
        external_id=None,
        source_entry_id=None,
        areas=[],
    )
    talent.active = False
    talent.search_text = search_key(label)
    talent.anonymized_at = utcnow()
    counts = _scrub_history(talent, scrubbed)
    if talent.user is not None:
        _close_account(talent.user, label, scrubbed)
    for invitation in db.session.scalars(
        select(Invitation).where(Invitation.talent_id == talent.id)
    ):
        scrubbed(
            invitation,
            "invitation",
            email=_placeholder_email("invitation", invitation.id),
            name=label,
        )
        if invitation.used_at is None:  # a pending link dies
            invitation.revoked_at = invitation.revoked_at or utcnow()
    _scrub_notices_and_mail(talent, label, old_email, old_texts)
    db.session.flush()
    counts["audit_events_scrubbed"] = audit.scrub(db.session, targets)
    event = AuditEvent(
        actor_id=actor.id,
        prefecture_id=talent.prefecture_id,
        action="anonymize",
        entity="talent",
        entity_id=str(talent.id),
        changes={key: [None, value] for key, value in counts.items()},
    )
    db.session.add(event)
    db.session.flush()
    return event


def _personal_texts(talent: Talent) -> list[str]:
    """The talent's name and free texts as they are now, to find them in mail bodies."""
    texts = [talent.name, talent.email or "", talent.phone or ""]
    if talent.user is not None:
        texts += [talent.user.email, talent.user.name]
    texts += list(
        db.session.scalars(select(Offer.decline_reason).where(Offer.talent_id == talent.id))
    )
    texts += list(
        db.session.scalars(select(Assignment.end_reason).where(Assignment.talent_id == talent.id))
    )
    return sorted({t for t in texts if t and len(t) >= 2}, key=len, reverse=True)


def _scrub_history(talent: Talent, scrubbed) -> dict[str, int]:
    offers = db.session.scalars(select(Offer).where(Offer.talent_id == talent.id)).all()
    for offer in offers:
        scrubbed(offer, "offer", message="", decline_reason="")
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.talent_id == talent.id)
    ).all()
    for assignment in assignments:
        scrubbed(assignment, "assignment", end_reason="")
    ids = [a.id for a in assignments]
    logs = db.session.scalars(select(ActivityLog).where(ActivityLog.assignment_id.in_(ids))).all()
    for log in logs:
        scrubbed(log, "activity_log", note="")
    for rating in db.session.scalars(select(Rating).where(Rating.assignment_id.in_(ids))):
        scrubbed(rating, "rating", comment="")
    for record in db.session.scalars(select(Enrollment).where(Enrollment.talent_id == talent.id)):
        scrubbed(record, "enrollment", certificate_number=None)
    return {"offers": len(offers), "assignments": len(assignments), "activity_logs": len(logs)}


def _placeholder_email(kind: str, row_id: int) -> str:
    return f"anonymized-{kind}-{row_id}@invalid.example"


def _close_account(user: User, label: str, scrubbed) -> None:
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == user.email))
    scrubbed(user, "user_account", email=_placeholder_email("user", user.id), name=label)
    user.is_enabled = False
    user.password_hash = None
    user.locale = None
    user.session_version += 1  # every open session of theirs ends


def _scrub_notices_and_mail(
    talent: Talent, label: str, old_email: str | None, old_texts: list[str]
) -> None:
    links = [
        path_for("offers.detail", offer_id=i)
        for i in db.session.scalars(select(Offer.id).where(Offer.talent_id == talent.id))
    ]
    links += [
        path_for("offers.assignment_detail", assignment_id=i)
        for i in db.session.scalars(select(Assignment.id).where(Assignment.talent_id == talent.id))
    ]
    if links:
        for notice in db.session.scalars(select(Notification).where(Notification.link.in_(links))):
            params = dict(notice.params or {})
            for key in NOTICE_PERSONAL:
                if key in params:
                    params[key] = label if key == "talent" else ""
            notice.params = params  # JSON is not mutation-tracked: assign anew
    if old_email:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == old_email))
    if not old_texts:
        return
    mails = db.session.scalars(
        select(OutboxMessage).where(
            or_(
                *(OutboxMessage.body_text.contains(text) for text in old_texts),
                *(OutboxMessage.subject.contains(text) for text in old_texts),
            )
        )
    )
    for mail in mails:
        for text in old_texts:
            mail.subject = mail.subject.replace(text, label)
            mail.body_text = mail.body_text.replace(text, label)
            if mail.body_html:
                mail.body_html = mail.body_html.replace(text, label)
