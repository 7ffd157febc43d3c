"""Support requests (支援依頼): post, edit within what the state allows, move through the lifecycle.

Values arrive as a plain mapping of field name → Python value (from the form, an import row, the
CLI or a test); every path is validated here, so the user gets a Japanese message, never a
database constraint error.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select

from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    AssignmentState,
    Funding,
    Municipality,
    RequestState,
    Role,
    SupportRequest,
    TaxonomyTerm,
    utcnow,
)
from talentpool.services import notifications
from talentpool.services.clock import today
from talentpool.services.errors import DomainError, NotAllowed
from talentpool.services.offers.capacity import MAX_HOURS_PER_MONTH
from talentpool.services.requests.states import (
    BY_SEATS,
    EXPIRE,
    PREVIOUS,
    SEATS,
    TRANSITIONS,
    UNFILLED,
    by_seats,
    calendar_move,
    editable_fields,
    has_ended,
    label,
    target,
)
from talentpool.text import normalize, search_key

MAX_HEADCOUNT = 99
MAX_DESCRIPTION = 10_000

FUNDING_LABELS = Funding.labels()

FIELD_LABELS = {
    "municipality_id": _l("市町村"),
    "external_id": _l("管理番号"),
    "title": _l("件名"),
    "description": _l("依頼内容"),
    "skills": _l("重点取組・スキル"),
    "hours_per_month": _l("月間時間"),
    "headcount": _l("人数"),
    "start_date": _l("開始日"),
    "end_date": _l("終了日"),
    "onsite_required": _l("現地対応必須"),
    "wants_cio": _l("CIO補佐官希望"),
    "funding": _l("財源"),
    "contact_name": _l("担当者名"),
    "contact_email": _l("担当者メールアドレス"),
    "contact_phone": _l("担当者電話番号"),
}
FIELDS = frozenset(FIELD_LABELS)
_CONTACT_FIELDS = frozenset({"contact_name", "contact_email", "contact_phone"})

_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,63}")


class IllegalTransition(DomainError):
    """The request's current state does not allow this (answered with 409)."""


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """The form in which user text is stored, the same from the form and from an import.

    Single-line text is NFKC-normalised (so 全角 letters and digits match); multi-line text
    keeps the author's layout (indentation, spacing) and only loses trailing spaces and
    surrounding blank lines.
    """
    if not value:
        return ""
    if multiline:
        return "\n".join(line.rstrip() for line in value.splitlines()).strip("\n")
    return normalize(value)


def _text(
    max_length: int, *, required: bool = False, multiline: bool = False, blank: str | None = ""
):
    """A cleaner for a text field; an empty text is stored as `blank`."""

    def clean(key: str, value: Any) -> str | None:
        text = clean_text(value, multiline=multiline)
        if required and not text:
            raise DomainError(_l("%(field)sを入力してください。", field=FIELD_LABELS[key]), key)
        if len(text) > max_length:
            raise DomainError(_l("%(n)d文字以内で入力してください。", n=max_length), key)
        return text or blank

    return clean


def _int(low: int, high: int, *, default: int | None = None):
    """A cleaner for a whole number in [low, high]; None becomes `default` (when one is given)."""

    def clean(key: str, value: Any) -> int:
        if value is None and default is not None:
            value = default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise DomainError(
                _l(
                    "%(field)sは%(low)d以上%(high)d以下の整数で入力してください。",
                    field=FIELD_LABELS[key],
                    low=low,
                    high=high,
                ),
                key,
            )
        return value

    return clean


def _email(key: str, value: Any) -> str | None:
    email = clean_text(value).lower()
    if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        raise DomainError(_l("メールアドレスの形式が正しくありません。"), key)
    return email or None


def _funding(key: str, value: Any) -> str | None:
    if value and value not in set(Funding):
        raise DomainError(_l("財源の選択肢が正しくありません。"), key)
    return value or None


def _date(key: str, value: Any) -> date | None:
    if value is not None and not isinstance(value, date):
        raise DomainError(_l("日付の形式が正しくありません。"), key)
    return value


def _municipality(key: str, value: Any) -> Any:
    if db.session.get(Municipality, value) is None:
        raise DomainError(_l("市町村が見つかりません。"), key)
    return value


#: How each field is validated and normalised, in the order the checks run (the first
#: refusal is the one reported). Every field of FIELD_LABELS has its cleaner.
_CLEANERS: dict[str, Callable[[str, Any], Any]] = {
    "title": _text(200, required=True),
    "description": _text(MAX_DESCRIPTION, multiline=True),
    "contact_name": _text(100),
    "contact_phone": _text(30, blank=None),
    "contact_email": _email,
    "external_id": _text(64, blank=None),
    "hours_per_month": _int(1, MAX_HOURS_PER_MONTH),
    "headcount": _int(1, MAX_HEADCOUNT, default=1),
    "onsite_required": lambda _key, value: bool(value),
    "wants_cio": lambda _key, value: bool(value),
    "funding": _funding,
    "start_date": _date,
    "end_date": _date,
    "skills": lambda _key, value: _terms(value or []),
    "municipality_id": _municipality,
}


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise the given fields (only those present)."""
    unknown = set(values) - FIELDS
    if unknown:
        raise ValueError(f"unknown request fields: {sorted(unknown)}")
    return {
        **values,
        **{key: clean(key, values[key]) for key, clean in _CLEANERS.items() if key in values},
    }


def _terms(codes: Iterable[str]) -> list[TaxonomyTerm]:
    codes = list(dict.fromkeys(codes))
    terms = {
        t.code: t
        for t in db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code.in_(codes)))
    }
    unknown = [c for c in codes if c not in terms]
    if unknown:
        raise DomainError(
            _l("登録されていない重点取組・スキルです: %(codes)s", codes="、".join(unknown)),
            "skills",
        )
    return sorted(terms.values(), key=lambda t: t.position)


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise DomainError(_l("終了日は開始日以降の日付にしてください。"), "end_date")


def _check_external_id(prefecture_id: int, external_id: str | None, own_id: int | None) -> None:
    if external_id is None:
        return
    query = select(SupportRequest.id).where(
        SupportRequest.prefecture_id == prefecture_id, SupportRequest.external_id == external_id
    )
    if own_id is not None:
        query = query.where(SupportRequest.id != own_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise DomainError(
            _l("管理番号『%(id)s』は既に使われています。", id=external_id), "external_id"
        )


def _check_contact(value) -> None:
    """A request being recruited for names who the talent contacts, and how."""
    if not clean_text(value("contact_name")):
        raise DomainError(
            _l("担当者名を入力してください(公開した依頼では、受諾した人材への連絡先になります)。"),
            "contact_name",
        )
    if not (value("contact_email") or value("contact_phone")):
        raise DomainError(
            _l("担当者のメールアドレスか電話番号を入力してください。"), "contact_email"
        )


def _check(item: SupportRequest | None, cleaned: Mapping[str, Any]) -> None:
    """Checks across fields, made before anything is assigned (so no flush can hit a
    database constraint)."""

    def value(key: str) -> Any:
        return cleaned[key] if key in cleaned else getattr(item, key, None)

    _check_dates(value("start_date"), value("end_date"))
    if item is not None and item.state != RequestState.draft and cleaned.keys() & _CONTACT_FIELDS:
        _check_contact(value)  # a published request keeps a way to reach its contact
    if "external_id" in cleaned or "municipality_id" in cleaned:
        municipality = db.session.get(Municipality, value("municipality_id"))
        _check_external_id(
            municipality.prefecture_id, value("external_id"), item.id if item is not None else None
        )


def _current(item: SupportRequest, key: str) -> Any:
    if key == "skills":
        return [t.code for t in item.skills]
    return getattr(item, key)


def changed_fields(item: SupportRequest, values: Mapping[str, Any]) -> set[str]:
    """Names of the fields whose cleaned value differs from the request's."""
    cleaned = _clean(values)
    changed = set()
    for key, value in cleaned.items():
        new = [t.code for t in value] if key == "skills" else value
        if _current(item, key) != new:
            changed.add(key)
    return changed


def _assign(item: SupportRequest, cleaned: Mapping[str, Any]) -> None:
    for key, value in cleaned.items():
        setattr(item, key, value)
    if "municipality_id" in cleaned:
        item.prefecture_id = db.session.get(Municipality, item.municipality_id).prefecture_id
    item.search_text = search_key(f"{item.title} {item.description}")


def create_request(
    *, municipality_id: int, values: Mapping[str, Any], created_by_id: int | None = None
) -> SupportRequest:
    """Post a new request as a draft; the external id defaults to REQ-<id>."""
    cleaned = _clean({**values, "municipality_id": municipality_id})
    for key in ("title", "hours_per_month"):
        if key not in cleaned:
            raise DomainError(_l("%(field)sを入力してください。", field=FIELD_LABELS[key]), key)
    _check(None, cleaned)
    item = SupportRequest(
        state=RequestState.draft,
        created_by_id=created_by_id,
        description="",
        headcount=1,
        contact_name="",
        skills=[],
    )
    _assign(item, cleaned)
    db.session.add(item)
    db.session.flush()
    if item.external_id is None:
        # a free default; an imported id of the same shape gets a random suffix instead
        external_id = f"REQ-{item.id:06d}"
        try:
            _check_external_id(item.prefecture_id, external_id, item.id)
        except DomainError:
            external_id = f"{external_id}-{secrets.token_hex(3)}"
        item.external_id = external_id
        db.session.flush()
    return item


def update_request(item: SupportRequest, values: Mapping[str, Any]) -> set[str]:
    """Change fields; refuses (nothing changed) when a field is not editable in the state.

    An empty external id keeps the current one (it is the key imports update by).
    """
    if "external_id" in values and not clean_text(values["external_id"]):
        values = {k: v for k, v in values.items() if k != "external_id"}
    changed = changed_fields(item, values)
    locked = sorted(changed - editable_fields(item.state), key=list(FIELD_LABELS).index)
    if locked:
        raise IllegalTransition(
            _l(
                "『%(state)s』の依頼では%(fields)sを変更できません。",
                state=label(item.state),
                fields="、".join(str(FIELD_LABELS[k]) for k in locked),
            ),
            locked[0],
        )
    if not changed:
        return changed
    cleaned = _clean({k: v for k, v in values.items() if k in changed})
    _check(item, cleaned)
    _assign(item, cleaned)
    if changed & {"end_date", "headcount"}:
        settle(item)  # a later end date brings an expired request back, an earlier one ends it
    db.session.flush()
    return changed


def _has_focus_area(item: SupportRequest) -> bool:
    return any(t.category == "focus" for t in item.skills)


def seats_taken(item: SupportRequest) -> int:
    """Seats held by assignments: active and completed ones (a completed one did the work, so
    the request must not reopen); ended-early ones give theirs back."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(
                Assignment.request_id == item.id,
                Assignment.state.in_((AssignmentState.active, AssignmentState.completed)),
            )
        )
        or 0
    )


def move(item: SupportRequest, action: str, seats: int | None = None) -> None:
    """Make one move of the table `states.MOVES`; IllegalTransition if it has none.

    User actions go through `apply_transition` (roles and checks first); the seats and the
    calendar through `settle`.
    """
    to = target(item.state, action)
    if to is None:
        raise IllegalTransition(
            _l("『%(state)s』の依頼にこの操作はできません。", state=label(item.state))
        )
    if to == PREVIOUS:
        published = item.state == RequestState.closed or item.published_at is not None
        to = item.reopen_state or (RequestState.open if published else RequestState.draft)
        item.reopen_state = None
        if to in (RequestState.partially_filled, RequestState.filled):
            to = BY_SEATS
    if to == BY_SEATS:
        to = by_seats(seats_taken(item) if seats is None else seats, item.headcount)
    if to in (RequestState.closed, RequestState.cancelled):
        item.reopen_state = item.state
    item.state = to


def settle(item: SupportRequest, seats: int | None = None, on: date | None = None) -> str:
    """Apply the seats and the calendar to a request; returns its (possibly new) state.

    Called after every change that can move them: a transition, an edit of the end date or
    headcount, an assignment starting or ending. `seats` saves a count the caller has.
    """
    if target(item.state, SEATS) is not None:
        move(item, SEATS, seats)
    calendar = calendar_move(item.state, item.end_date, on or today())
    if calendar is not None:
        move(item, calendar, seats)
    return item.state


def apply_transition(item: SupportRequest, name: str, role: str) -> None:
    """Move the request by a named transition, if the role and the current state allow it."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise DomainError(_l("この操作はありません。"))
    if role not in transition.roles:
        if transition.roles == (Role.coordinator,):
            raise NotAllowed(
                _l("『%(action)s』は都道府県担当者だけが行えます。", action=transition.label)
            )
        raise NotAllowed(_l("『%(action)s』を行う権限がありません。", action=transition.label))
    if target(item.state, name) is None:
        raise IllegalTransition(
            _l(
                "『%(state)s』の依頼は『%(action)s』ことができません。",
                state=label(item.state),
                action=transition.label,
            )
        )
    if name == "publish":
        _check_publishable(item)
    move(item, name)
    settle(item)
    if name == "publish" and item.published_at is None:
        item.published_at = utcnow()
    db.session.flush()
    _notify_transition(item, name, role)


#: Who hears of a transition, by the role that made it: the municipality's moves reach the
#: prefecture's coordinators, the prefecture's moves the municipality's officers.
_NOTICES = {
    (Role.municipal_officer, "publish"): "request_published",
    (Role.municipal_officer, "cancel"): "request_cancelled",
    (Role.coordinator, "cancel"): "request_cancelled",
    (Role.coordinator, "reopen"): "request_reopened",
}


def _notify_transition(item: SupportRequest, name: str, role: str) -> None:
    kind = _NOTICES.get((role, name))
    if kind is None:
        return
    if role == Role.municipal_officer:
        recipients = notifications.coordinators_of(item.prefecture_id)
    else:
        recipients = notifications.officers_of(item.municipality_id)
    notifications.notify(
        recipients,
        kind,
        {"title": item.title, "municipality": item.municipality.name},
        notifications.path_for("requests.detail", request_id=item.id),
    )


def _check_publishable(item: SupportRequest) -> None:
    if not _has_focus_area(item):
        raise IllegalTransition(_l("公開するには重点取組を1つ以上選んでください。"), "skills")
    try:
        _check_contact(lambda key: getattr(item, key))
    except DomainError as error:
        raise IllegalTransition(
            _l("公開するには担当者の連絡先が必要です: %(reason)s", reason=error.message),
            error.field,
        ) from None
    if has_ended(item.end_date, today()):
        raise IllegalTransition(
            _l(
                "終了日(%(date)s)が過ぎているため公開できません。終了日を変更してください。",
                date=item.end_date.isoformat(),
            ),
            "end_date",
        )


def refresh_fill_state(item: SupportRequest, seats_taken: int) -> str:
    """Set open / partially_filled / filled from the seats assignments hold, then apply the
    calendar (a request past its end date never recruits again).

    The offers area calls this whenever an assignment starts or ends. Drafts, expired, closed
    and cancelled requests are left alone. Returns the (possibly new) state.
    """
    state = settle(item, seats_taken)
    db.session.flush()
    return state


def recruiting(on: date | None = None) -> ColumnElement[bool]:
    """WHERE clause: requests that take offers today (recruiting states, period not over)."""
    day = on or today()
    return SupportRequest.state.in_(UNFILLED) & (
        SupportRequest.end_date.is_(None) | (SupportRequest.end_date >= day)
    )


def is_recruiting(item: SupportRequest, on: date | None = None) -> bool:
    """The same test as `recruiting` on a loaded request."""
    return item.state in UNFILLED and not has_ended(item.end_date, on or today())


def expire_ended(on: date | None = None) -> list[SupportRequest]:
    """Move every request still recruiting past its end date to `expired`, and tell its owners
    (the officers of the municipality and whoever posted it) to extend or close it.

    Idempotent: a second run finds nothing. Rows another transaction is moving are skipped
    (it tells the owners), so two runs at once never notify twice.
    """
    day = on or today()
    ended = db.session.scalars(
        select(SupportRequest)
        .where(SupportRequest.state.in_(UNFILLED), SupportRequest.end_date < day)
        .order_by(SupportRequest.id)
        .with_for_update(skip_locked=True)
    ).all()
    for item in ended:
        move(item, EXPIRE)
        notifications.notify(
            [item.created_by, *notifications.officers_of(item.municipality_id)],
            "request_expired",
            {"title": item.title, "end_date": item.end_date.isoformat()},
            notifications.path_for("requests.detail", request_id=item.id),
            key=f"request_expired:{item.id}:{item.end_date.isoformat()}",
        )
    db.session.flush()
    return list(ended)
