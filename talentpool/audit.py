"""Record every create, update and delete of domain rows in the audit trail, at flush time.

after_flush still sees the attribute history and the new/dirty/deleted sets, and new rows
already have their ids; what it collects is written as AuditEvents just before commit, so a
transaction that rolls back leaves no trace.

Services need not remember to log: a session listener compares each changed object's
attribute history and writes one AuditEvent per object. The acting user is the one
Flask-Login already loaded for the request (None for the CLI and background jobs).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from flask import g, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, object_session

from talentpool.models.audit import AuditEvent

#: Tables not worth auditing: the trail itself, mail, notifications, reference data, the
#: pairs of a match plan (computed working data; the plan and the offers it sends are),
#: staged upload files (working copies; the import they feed is audited), mail choices,
#: login throttling and the matcher's stored text analysis (derived from talent rows).
SKIP = {
    "audit_event",
    "outbox_message",
    "notification",
    "taxonomy_term",
    "prefecture",
    "municipality",
    "match_plan_item",
    "talent_text_index",
    "login_throttle",
    "staged_upload",
    "mail_opt_out",
}
#: Columns whose values never go into the trail.
MASK = {"password_hash", "token_hash", "link_nonce"}
#: Columns that change on every write and say nothing by themselves, and UI preferences (a
#: language switch is not a change to anyone's data).
NOISE = {"updated_at", "search_text", "last_login_at", "session_version", "locale"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    ident = getattr(value, "code", None) or getattr(value, "lg_code", None)
    if ident is not None:
        return ident
    return getattr(value, "id", str(value))


def _prefecture_of(obj) -> int | None:
    """The prefecture an object belongs to, by its own column or one hop away."""
    for path in ("prefecture_id",):
        if getattr(obj, path, None) is not None:
            return getattr(obj, path)
    for hop in (
        "user",
        "municipality",
        "request",
        "support_request",
        "talent",
        "assignment",
        "offer",
        "dx_leader",
    ):
        parent = getattr(obj, hop, None)
        if parent is not None and parent is not obj:
            found = _prefecture_of(parent)
            if found is not None:
                return found
    return None


def _changes(obj, action: str) -> dict[str, list]:
    state = inspect(obj)
    out: dict[str, list] = {}
    for attr in state.mapper.attrs:
        key = attr.key
        if key in NOISE:
            continue
        history = state.attrs[key].history
        if action == "update" and not history.has_changes():
            continue
        if hasattr(attr, "columns"):
            if action == "create":
                after = getattr(obj, key)
                if after is None:
                    continue
                out[key] = [None, "***" if key in MASK else _plain(after)]
            elif action == "update":
                before = history.deleted[0] if history.deleted else None
                after = history.added[0] if history.added else None
                if key in MASK:
                    out[key] = ["***", "***"]
                elif _plain(before) != _plain(after):
                    out[key] = [_plain(before), _plain(after)]
        elif attr.uselist and action == "update":
            removed = sorted(str(_plain(v)) for v in history.deleted)
            added = sorted(str(_plain(v)) for v in history.added)
            if removed or added:
                out[key] = [removed, added]
    return out


@contextmanager
def as_system() -> Iterator[None]:
    """Record what is flushed inside as the system's doing (calendar moves made while a
    user's page is loading), not the user's."""
    previous = g.get("_audit_as_system", False)
    g._audit_as_system = True
    try:
        yield
    finally:
        g._audit_as_system = previous


def _actor_id() -> int | None:
    if not has_app_context() or g.get("_audit_as_system", False):
        return None
    user = getattr(g, "_login_user", None)
    return getattr(user, "id", None)


def _record(session: Session, _context) -> None:
    events = []
    with session.no_autoflush:
        for action, objects in (
            ("create", session.new),
            ("update", session.dirty),
            ("delete", session.deleted),
        ):
            for obj in list(objects):
                table = getattr(obj, "__tablename__", None)
                if table is None or table in SKIP or isinstance(obj, AuditEvent):
                    continue
                if action == "update" and not session.is_modified(obj):
                    continue
                changes = _changes(obj, action)
                if action == "update" and not changes:
                    continue
                events.append((action, obj, table, changes))
        if not events:
            return
        actor = _actor_id()
        # One event per object per transaction: later flushes merge into the earlier entry.
        pending = session.info.setdefault("audit_pending", {})
        for action, obj, table, changes in events:
            ident = inspect(obj).mapper.primary_key_from_instance(obj)
            key = (table, ",".join(str(part) for part in ident))
            earlier = pending.get(key)
            if earlier is not None and action == "update":
                for field, (before, after) in changes.items():
                    first = earlier["changes"][field][0] if field in earlier["changes"] else before
                    earlier["changes"][field] = [first, after]
                continue
            pending[key] = {
                "actor_id": actor,
                "prefecture_id": _prefecture_of(obj),
                "action": action,
                "entity": table,
                "entity_id": key[1],
                "changes": changes,
            }


def record_event(obj, action: str, changes: dict) -> None:
    """An event no row change shows by itself (e.g. an account unlocked: the failed-login
    counts are not audited), by the current user, written with the transaction."""
    table = obj.__tablename__
    object_session(obj).add(
        AuditEvent(
            actor_id=_actor_id(),
            prefecture_id=_prefecture_of(obj),
            action=action,
            entity=table,
            entity_id=str(obj.id),
            changes=changes,
        )
    )


def _write(session: Session) -> None:
    """Before commit: flush what is left, then add one AuditEvent per changed object."""
    session.flush()
    pending = session.info.pop("audit_pending", {})
    session.add_all(AuditEvent(**values) for values in pending.values())


def _forget(session: Session, *_args) -> None:
    session.info.pop("audit_pending", None)


_installed = False


def install() -> None:
    """Listen on every session (idempotent)."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _record)
        event.listen(Session, "before_commit", _write)
        event.listen(Session, "after_soft_rollback", _forget)
        _installed = True


#: What a scrubbed value reads as in the trail (see `scrub`).
SCRUBBED = "(匿名化により削除)"


def _scrubbed(value: Any, current: Any) -> Any:
    if isinstance(value, list):
        return [SCRUBBED] if value else value
    if value is None or value == "" or value == _plain(current):
        return value
    return SCRUBBED


def _scrub_changes(changes: dict, current: dict[str, Any]) -> tuple[dict, bool]:
    out, touched = dict(changes), False
    for field, pair in changes.items():
        if field in current:
            new_pair = [_scrubbed(side, current[field]) for side in pair]
            touched = touched or new_pair != pair
            out[field] = new_pair
    return out, touched


def scrub(session: Session, targets: dict[tuple[str, str], dict[str, Any]]) -> int:
    """Remove personal values from the trail: for each (entity, entity_id) in `targets`, every
    recorded value of the named fields that differs from the field's current value becomes
    SCRUBBED — in events already written and in those this transaction will write at commit.

    Anonymisation calls this after flushing its changes, so the trail keeps who changed what
    when, but no longer the values the anonymisation removed. Returns how many written events
    changed.
    """
    pending = session.info.get("audit_pending", {})
    for key, current in targets.items():
        if key in pending:
            pending[key]["changes"], _touched = _scrub_changes(pending[key]["changes"], current)
    by_entity: dict[str, set[str]] = {}
    for entity, entity_id in targets:
        by_entity.setdefault(entity, set()).add(entity_id)
    count = 0
    for entity, ids in by_entity.items():
        events = session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == entity, AuditEvent.entity_id.in_(sorted(ids))
            )
        )
        for event_row in events:
            changes, touched = _scrub_changes(
                event_row.changes or {}, targets[(entity, event_row.entity_id)]
            )
            if touched:
                event_row.changes = changes  # JSON is not mutation-tracked: assign anew
                count += 1
    return count
