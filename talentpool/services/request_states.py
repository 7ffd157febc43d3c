"""The support request lifecycle in one place: states, transitions, who may do each, and which
fields stay editable in each state.

draft → open → partially_filled / filled → closed, and cancelled from any not-yet-finished state.
partially_filled and filled are never chosen by a user: `refresh_fill_state` (services.requests)
derives them from the number of active assignments.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from talentpool.models import RequestState, Role

S = RequestState

STATE_LABELS = RequestState.labels()

#: States in which the request still looks for people ("unfilled" in the list filter).
UNFILLED = (S.open, S.partially_filled)
#: States whose fill level follows the assignments.
STAFFING = (S.open, S.partially_filled, S.filled)

_BOTH = (Role.municipal_officer, Role.coordinator)


@dataclass(frozen=True)
class Transition:
    """A user action moving a request from one of `sources` to `target`."""

    name: str
    label: object
    sources: tuple[RequestState, ...]
    target: RequestState
    roles: tuple[str, ...]
    #: Shown in a confirmation line next to the button.
    hint: object = ""


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "publish",
            _l("公開する"),
            (S.draft,),
            S.open,
            _BOTH,
            _l("公開すると都道府県担当者が人材の提案を始めます。"),
        ),
        Transition(
            "withdraw",
            _l("下書きに戻す"),
            (S.open,),
            S.draft,
            _BOTH,
            _l("まだ誰も割り当てられていない依頼を下書きに戻します。"),
        ),
        Transition(
            "close",
            _l("終了する"),
            (S.partially_filled, S.filled),
            S.closed,
            _BOTH,
            _l("支援が終わった、または追加の募集が不要になった依頼を終了します。"),
        ),
        Transition(
            "cancel",
            _l("取り消す"),
            (S.draft, S.open, S.partially_filled),
            S.cancelled,
            _BOTH,
            _l("依頼を取り消します。取り消した依頼は編集できません。"),
        ),
        Transition(
            "reopen",
            _l("募集を再開する"),
            (S.closed, S.cancelled),
            S.open,
            (Role.coordinator,),
            _l("終了・取消した依頼の募集を再開します(都道府県担当者のみ)。"),
        ),
    )
}

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
#: for (title, skills, on-site, CIO, start) is fixed; once filled, nothing changes.
EDITABLE: dict[str, frozenset[str]] = {
    S.draft: _CONTENT,
    S.open: frozenset({"description", "hours_per_month", "headcount", "end_date", "funding"})
    | _CONTACT,
    S.partially_filled: frozenset({"description", "end_date", "funding"}) | _CONTACT,
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


def transitions_from(state: str, role: str) -> list[Transition]:
    """The transitions a user of `role` can take from `state` (for the buttons)."""
    return [t for t in TRANSITIONS.values() if state in t.sources and role in t.roles]
