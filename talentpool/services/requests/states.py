"""The support request lifecycle in one place: states, the table of allowed moves, who may make
each, and which fields stay editable in each state.

draft → open → partially_filled / filled → closed; cancelled from any state still being
recruited for. Three kinds of move, all in `MOVES`:

- user actions (publish, withdraw, close, cancel, reopen), the buttons on the request page;
- seats: open / partially_filled / filled follow the assignments holding a seat (`SEATS`);
- the calendar: a request still recruiting past its end date becomes `expired`, which asks its
  owner to extend it (a later end date brings it back) or to close it (`EXPIRE`, `EXTEND`).

Reopening returns a closed or cancelled request to the state it came from (`reopen_state`):
a cancelled draft becomes a draft again, never a published request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from talentpool.models import RequestState, Role

S = RequestState

STATE_LABELS = RequestState.labels()

#: States in which the request still looks for people ("unfilled" in the list filter).
UNFILLED = (S.open, S.partially_filled)

_BOTH = (Role.municipal_officer, Role.coordinator)

#: Targets that are not one fixed state.
PREVIOUS = "previous"  # the state the request was in before it was closed or cancelled
BY_SEATS = "by_seats"  # open / partially_filled / filled by the seats assignments hold

#: System moves (no button): the calendar and the seats.
EXPIRE, EXTEND, SEATS = "expire", "extend", "seats"


@dataclass(frozen=True)
class Transition:
    """A user action: its button label, who may take it, and what the confirmation says."""

    name: str
    label: object
    roles: tuple[str, ...]
    #: Shown next to the button.
    hint: object = ""
    #: Irreversible enough to ask "are you sure?" on a page of its own first.
    confirm: object = ""


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "publish",
            _l("公開する"),
            _BOTH,
            _l("公開すると都道府県担当者が人材の提案を始めます。"),
        ),
        Transition(
            "withdraw",
            _l("下書きに戻す"),
            _BOTH,
            _l("まだ誰も割り当てられていない依頼を下書きに戻します。"),
        ),
        Transition(
            "close",
            _l("終了する"),
            _BOTH,
            _l("支援が終わった、または追加の募集が不要になった依頼を終了します。"),
            _l(
                "依頼を終了すると、募集と打診の受付を止めます。再開できるのは都道府県担当者だけです。"
            ),
        ),
        Transition(
            "cancel",
            _l("取り消す"),
            _BOTH,
            _l("依頼を取り消します。取り消した依頼は編集できません。"),
            _l(
                "依頼を取り消すと、募集と打診の受付を止め、編集もできなくなります。再開できるのは都道府県担当者だけです。"
            ),
        ),
        Transition(
            "reopen",
            _l("再開する"),
            (Role.coordinator,),
            _l("終了・取消の前の状態に戻します(都道府県担当者のみ)。"),
        ),
    )
}

#: Every allowed move: (state, action) → the state it leads to. Anything not here is refused.
MOVES: dict[tuple[str, str], str] = {
    (S.draft, "publish"): S.open,
    (S.open, "withdraw"): S.draft,
    (S.partially_filled, "close"): S.closed,
    (S.filled, "close"): S.closed,
    (S.expired, "close"): S.closed,
    (S.draft, "cancel"): S.cancelled,
    (S.open, "cancel"): S.cancelled,
    (S.partially_filled, "cancel"): S.cancelled,
    (S.expired, "cancel"): S.cancelled,
    (S.closed, "reopen"): PREVIOUS,
    (S.cancelled, "reopen"): PREVIOUS,
    (S.open, EXPIRE): S.expired,
    (S.partially_filled, EXPIRE): S.expired,
    (S.expired, EXTEND): BY_SEATS,
    (S.open, SEATS): BY_SEATS,
    (S.partially_filled, SEATS): BY_SEATS,
    (S.filled, SEATS): BY_SEATS,
}
#: Every action the table knows (user actions first).
ACTIONS = (*TRANSITIONS, EXPIRE, EXTEND, SEATS)

_CONTENT = frozenset(
    {
        "municipality_id",
        "external_id",
        "title",
        "description",
        "skills",
        "hours_per_month",
        "headcount",
        "start_date",
        "end_date",
        "onsite_required",
        "wants_cio",
        "funding",
        "contact_name",
        "contact_email",
        "contact_phone",
    }
)
_CONTACT = frozenset({"contact_name", "contact_email", "contact_phone"})

#: Fields a user may change in each state. Once people are being found, what they were found
#: for (title, skills, on-site, CIO, start) is fixed; once filled, nothing changes. An expired
#: request may get a later end date (which brings it back) and its text and contact corrected.
EDITABLE: dict[str, frozenset[str]] = {
    S.draft: _CONTENT,
    S.open: frozenset({"description", "hours_per_month", "headcount", "end_date", "funding"})
    | _CONTACT,
    S.partially_filled: frozenset({"description", "end_date", "funding"}) | _CONTACT,
    S.expired: frozenset({"description", "end_date", "funding"}) | _CONTACT,
    S.filled: frozenset(),
    S.closed: frozenset(),
    S.cancelled: frozenset(),
}


def label(state: str) -> object:
    """The Japanese label of a state."""
    return STATE_LABELS.get(state, state)


def editable_fields(state: str) -> frozenset[str]:
    """Fields that may change while a request is in `state`."""
    return EDITABLE.get(state, frozenset())


def target(state: str, action: str) -> str | None:
    """Where `action` leads from `state` (PREVIOUS / BY_SEATS unresolved); None if refused."""
    return MOVES.get((state, action))


def transitions_from(state: str, role: str) -> list[Transition]:
    """The transitions a user of `role` can take from `state` (for the buttons)."""
    return [t for t in TRANSITIONS.values() if (state, t.name) in MOVES and role in t.roles]


def by_seats(seats_taken: int, headcount: int) -> RequestState:
    """open / partially_filled / filled for the seats assignments hold."""
    if seats_taken <= 0:
        return S.open
    return S.partially_filled if seats_taken < headcount else S.filled


def has_ended(end_date: date | None, today: date) -> bool:
    """Whether a request's period is over (the end date itself still counts)."""
    return end_date is not None and end_date < today


def calendar_move(state: str, end_date: date | None, today: date) -> str | None:
    """The calendar's move for a request on `today`: EXPIRE, EXTEND or None."""
    ended = has_ended(end_date, today)
    if ended and (state, EXPIRE) in MOVES:
        return EXPIRE
    if not ended and (state, EXTEND) in MOVES:
        return EXTEND
    return None
