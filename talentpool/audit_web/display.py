"""How the audit trail reads to people: what changed by its label, values by their labels
(in the user's language), records by name with a link, times in Japan time.

The trail stores raw values (`talentpool.audit`); this module turns one page of events into
rows to show, with one query per kind of record the page names (no query per event).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from talentpool.audit import SCRUBBED
from talentpool.extensions import db
from talentpool.models import (
    ActivityLog,
    Assignment,
    AssignmentState,
    Audience,
    AuditEvent,
    DxLeader,
    Enrollment,
    EnrollmentStatus,
    ExternalRole,
    Funding,
    Municipality,
    NationalListEntry,
    Offer,
    OfferState,
    Prefecture,
    Rating,
    RequestState,
    Role,
    SupportRequest,
    Talent,
    TalentKind,
    TaxonomyTerm,
    TrainingProgram,
    User,
    WorkStyle,
)
from talentpool.services.requests.support_requests import FIELD_LABELS as REQUEST_FIELDS
from talentpool.web.templating import format_datetime

EMPTY = "—"
ACTIONS = {
    "create": _l("登録"),
    "update": _l("変更"),
    "delete": _l("削除"),
    "anonymize": _l("匿名化"),
    "data_export": _l("本人データの出力"),
}
ENTITIES = {
    "talent": _l("人材"),
    "national_list_entry": _l("国のリスト"),
    "support_request": _l("支援依頼"),
    "offer": _l("打診"),
    "assignment": _l("派遣"),
    "activity_log": _l("活動記録"),
    "rating": _l("評価"),
    "dx_leader": _l("DX推進リーダー"),
    "enrollment": _l("受講記録"),
    "training_program": _l("研修"),
    "training_target": _l("研修の目標"),
    "user_account": _l("アカウント"),
    "invitation": _l("招待"),
    "match_plan": _l("マッチング計画"),
    "recruitment_expense": _l("募集経費"),
}
#: Columns by name (the same name means the same thing in every table, unless FIELDS_OF says).
FIELDS = {
    **REQUEST_FIELDS,  # a request's form says what its columns are
    "name": _l("氏名"),
    "name_kana": _l("ふりがな"),
    "kind": _l("種別"),
    "cio_candidate": _l("CIO補佐官候補"),
    "external_role": _l("外部人材スキル標準の役割"),
    "skills": _l("スキル"),
    "areas": _l("対応できる市町村"),
    "experience": _l("職務経歴"),
    "qualifications": _l("資格"),
    "available_hours_per_month": _l("稼働可能時間(月)"),
    "work_style": _l("勤務形態"),
    "email": _l("メールアドレス"),
    "phone": _l("電話番号"),
    "active": _l("有効"),
    "employment_start": _l("雇用開始日"),
    "employment_end": _l("雇用終了日"),
    "source_entry_id": _l("国のリストの元の登録"),
    "user_id": _l("ログイン"),
    "anonymized_at": _l("匿名化日時"),
    "prefecture_id": _l("都道府県"),
    "state": _l("状態"),
    "status": _l("状態"),
    "published_at": _l("公開日時"),
    "created_by_id": _l("登録者"),
    "request_id": _l("支援依頼"),
    "talent_id": _l("人材"),
    "offer_id": _l("打診"),
    "assignment_id": _l("派遣"),
    "message": _l("メッセージ"),
    "reply_by": _l("回答期限"),
    "decline_reason": _l("辞退の理由"),
    "sent_by_id": _l("送信者"),
    "sent_at": _l("送信日時"),
    "decided_by_id": _l("回答・処理した人"),
    "decided_at": _l("回答・処理日時"),
    "end_reason": _l("終了の理由"),
    "monthly_fee": _l("月額報酬(円)"),
    "cio_assistant": _l("CIO補佐官等としての任用"),
    "ended_at": _l("終了日時"),
    "ended_by_id": _l("終了の処理をした人"),
    "month": _l("対象月"),
    "hours": _l("時間"),
    "note": _l("備考"),
    "score": _l("評価"),
    "comment": _l("コメント"),
    "rated_by_id": _l("評価した人"),
    "department": _l("所属"),
    "position": _l("役職"),
    "program_id": _l("研修"),
    "dx_leader_id": _l("DX推進リーダー"),
    "enrolled_on": _l("受講開始日"),
    "completed_on": _l("修了日"),
    "certificate_number": _l("修了証番号"),
    "withdrawn_on": _l("辞退日"),
    "provider": _l("実施機関"),
    "level": _l("レベル"),
    "fiscal_year": _l("年度"),
    "cost_per_person": _l("1人あたりの経費(円)"),
    "audience": _l("対象"),
    "target_count": _l("目標人数"),
    "role": _l("役割"),
    "is_enabled": _l("ログインできる"),
    "locked_at": _l("ロック日時"),
    "expires_at": _l("有効期限"),
    "used_at": _l("使用日時"),
    "invited_by_id": _l("招待した人"),
    "spent_on": _l("支出日"),
    "amount": _l("金額(円)"),
    "vendor": _l("支出先"),
    "void": _l("取消"),
    "void_reason": _l("取消の理由"),
    "format": _l("形式"),
    "offers": _l("打診の件数"),
    "assignments": _l("派遣の件数"),
    "activity_logs": _l("活動記録の件数"),
    "audit_events_scrubbed": _l("値を消した変更履歴の件数"),
}
FIELDS_OF = {
    ("training_program", "name"): _l("研修名"),
    ("training_program", "hours"): _l("時間数"),
    ("activity_log", "note"): _l("活動内容"),
    ("national_list_entry", "name"): _l("氏名・企業名"),
    ("talent", "name"): _l("氏名・企業名"),
}
#: Columns that say nothing beyond the event itself, or are preferences, not data.
HIDDEN = {"id", "created_at", "updated_at", "search_text", "locale", "session_version"}
ENUMS = {
    "kind": TalentKind,
    "work_style": WorkStyle,
    "external_role": ExternalRole,
    "funding": Funding,
    "role": Role,
    "audience": Audience,
}
STATE_ENUMS = {
    "support_request": RequestState,
    "offer": OfferState,
    "assignment": AssignmentState,
    "enrollment": EnrollmentStatus,
}


@dataclass(frozen=True)
class Ref:
    """A record named in the trail: its name and, when the viewer may open it, a link."""

    name: Any
    url: str | None = None


@dataclass
class ChangeRow:
    label: Any
    before: Any = EMPTY
    after: Any = EMPTY
    added: Sequence[Any] = ()
    removed: Sequence[Any] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.added or self.removed)


@dataclass
class EventRow:
    id: int
    when: str
    actor: Any
    action: Any
    entity: Any
    target: Ref
    changes: list[ChangeRow] = field(default_factory=list)
    #: A record made (or a one-off action): its values, without a "before".
    values_only: bool = False


#: Foreign keys: column → (model, what names it, endpoint and its argument, when linkable).
_REFERENCES: dict[str, tuple[Any, str, str | None, str | None]] = {
    "prefecture_id": (Prefecture, "name", None, None),
    "municipality_id": (Municipality, "name", None, None),
    "talent_id": (Talent, "name", "pool.detail", "talent_id"),
    "request_id": (SupportRequest, "title", "requests.detail", "request_id"),
    "offer_id": (Offer, "id", "offers.detail", "offer_id"),
    "assignment_id": (Assignment, "id", "offers.assignment_detail", "assignment_id"),
    "dx_leader_id": (DxLeader, "name", "training.leader", "leader_id"),
    "program_id": (TrainingProgram, "name", None, None),
    "source_entry_id": (NationalListEntry, "name", "national.detail", "entry_id"),
}
for _column in (
    "created_by_id",
    "sent_by_id",
    "decided_by_id",
    "ended_by_id",
    "invited_by_id",
    "rated_by_id",
    "user_id",
):
    _REFERENCES[_column] = (User, "name", None, None)
#: The record an event is about: table → the key column it is found under in _REFERENCES.
_TARGETS = {
    "talent": "talent_id",
    "support_request": "request_id",
    "offer": "offer_id",
    "assignment": "assignment_id",
    "dx_leader": "dx_leader_id",
    "national_list_entry": "source_entry_id",
    "training_program": "program_id",
    "user_account": "user_id",
}
#: Records shown through their parent's page: table → (model, parent column).
_PARENTS = {
    "activity_log": (ActivityLog, "assignment_id"),
    "rating": (Rating, "assignment_id"),
    "enrollment": (Enrollment, "dx_leader_id"),
}


class _Names:
    """Names of the records a page mentions, loaded in one query per kind."""

    def __init__(self, can_link: Callable[[str], bool]) -> None:
        self.wanted: dict[str, set[int]] = defaultdict(set)
        self.found: dict[tuple[str, int], Any] = {}
        self.can_link = can_link

    def want(self, column: str, value: Any) -> None:
        if column in _REFERENCES and isinstance(value, int) and not isinstance(value, bool):
            self.wanted[column].add(value)

    def load(self) -> None:
        by_model: dict[Any, set[int]] = defaultdict(set)
        for column, ids in self.wanted.items():
            by_model[_REFERENCES[column][:2]].update(ids)
        for (model, attribute), ids in by_model.items():
            rows = db.session.execute(
                select(model.id, getattr(model, attribute)).where(model.id.in_(ids))
            )
            for row_id, name in rows:
                self.found[(model.__tablename__, row_id)] = name

    def ref(self, column: str, value: Any) -> Ref:
        model, attribute, endpoint, argument = _REFERENCES[column]
        name = self.found.get((model.__tablename__, value))
        if name is None:  # gone (deleted or never loaded): the number is all there is
            return Ref(f"#{value}")
        if attribute == "id":
            name = f"#{value}"
        linked = endpoint is not None and self.can_link(endpoint)
        url = url_for(endpoint, **{argument: value}) if linked else None
        return Ref(name, url)


def _when(value: Any) -> Any:
    try:
        return format_datetime(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return value


def _value(entity: str, column: str, value: Any, names: _Names) -> Any:
    if value is None or value == "":
        return EMPTY
    if value == SCRUBBED:
        return _l("(匿名化により削除)")
    if value == "***":
        return _l("(記録しません)")
    if isinstance(value, bool):
        return _l("はい") if value else _l("いいえ")
    if column in _REFERENCES:
        return names.ref(column, value)
    enum = STATE_ENUMS.get(entity) if column in ("state", "status") else ENUMS.get(column)
    if enum is not None:
        return enum.label_of(value, value)
    if column.endswith("_at"):
        return _when(value)
    return value


def _list_item(column: str, value: Any, terms: dict[str, str], areas: dict[str, str]) -> Any:
    if column == "skills":
        return terms.get(value, value)
    if column == "areas":
        return areas.get(value, value)
    return value


def _target(event: AuditEvent, names: _Names, parents: dict[tuple[str, int], int]) -> Ref:
    ident = int(event.entity_id) if event.entity_id.isdigit() else None
    column = _TARGETS.get(event.entity)
    if column is not None and ident is not None:
        return names.ref(column, ident)
    if event.entity in _PARENTS and ident is not None:
        parent = parents.get((event.entity, ident))
        if parent is not None:
            ref = names.ref(_PARENTS[event.entity][1], parent)
            return Ref(f"#{ident} ({ref.name})", ref.url)
    return Ref(f"#{event.entity_id}")


def _parents(events: Iterable[AuditEvent], names: _Names) -> dict[tuple[str, int], int]:
    """For child records (activity logs, ratings, enrolments): their parent's id."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.entity in _PARENTS and event.entity_id.isdigit():
            wanted[event.entity].add(int(event.entity_id))
    found: dict[tuple[str, int], int] = {}
    for entity, ids in wanted.items():
        model, column = _PARENTS[entity]
        for row_id, parent in db.session.execute(
            select(model.id, getattr(model, column)).where(model.id.in_(ids))
        ):
            if parent is not None:
                found[(entity, row_id)] = parent
                names.want(column, parent)
    return found


def present(events: Sequence[AuditEvent], *, can_link: Callable[[str], bool]) -> list[EventRow]:
    """One page of events as rows to show (a handful of queries, whatever the page size);
    `can_link(endpoint)` says whether the viewer may open a record's page."""
    names = _Names(can_link)
    actors = {e.actor_id for e in events if e.actor_id}
    for event in events:
        column = _TARGETS.get(event.entity)
        if column and event.entity_id.isdigit():
            names.want(column, int(event.entity_id))
        for column, pair in (event.changes or {}).items():
            for side in pair if isinstance(pair, list) else ():
                names.want(column, side)
    for actor in actors:
        names.want("user_id", actor)
    parents = _parents(events, names)
    names.load()
    terms = {t.code: t.label() for t in db.session.scalars(select(TaxonomyTerm))}
    area_codes = {
        code
        for e in events
        for side in (e.changes or {}).get("areas", [[], []])
        for code in (side or [])
    }
    areas = (
        dict(
            db.session.execute(
                select(Municipality.lg_code, Municipality.name).where(
                    Municipality.lg_code.in_(area_codes)
                )
            ).all()
        )
        if area_codes
        else {}
    )
    rows = []
    for event in events:
        row = EventRow(
            id=event.id,
            when=format_datetime(event.created_at),
            actor=names.ref("user_id", event.actor_id).name if event.actor_id else _l("システム"),
            action=ACTIONS.get(event.action, event.action),
            entity=ENTITIES.get(event.entity, event.entity),
            target=_target(event, names, parents),
            values_only=event.action in ("create", "anonymize", "data_export"),
        )
        for column, pair in (event.changes or {}).items():
            if column in HIDDEN or not isinstance(pair, list) or len(pair) != 2:
                continue
            label = FIELDS_OF.get((event.entity, column)) or FIELDS.get(column, column)
            before, after = pair
            if isinstance(before, list) or isinstance(after, list):  # a collection: −/+
                row.changes.append(
                    ChangeRow(
                        label,
                        removed=[_list_item(column, v, terms, areas) for v in before or []],
                        added=[_list_item(column, v, terms, areas) for v in after or []],
                    )
                )
                continue
            shown = ChangeRow(
                label,
                _value(event.entity, column, before, names),
                _value(event.entity, column, after, names),
            )
            if shown.before != EMPTY or shown.after != EMPTY:
                row.changes.append(shown)
        rows.append(row)
    return rows


def entity_choices(entities: Iterable[str]) -> list[tuple[str, Any]]:
    """The trail's kinds of record as (value, label), for the filter."""
    return [(entity, ENTITIES.get(entity, entity)) for entity in entities]
