"""Every tenant-scoping function, for every role: who sees which rows of two prefectures.

The functions are discovered from talentpool.scoping, so a new one without a row in CASES
fails here. NONE means the query is empty outright (also for a role the function does not
know); a set names the rows of WORLD the user sees (rows made elsewhere by the services,
such as the notices of an offer, are left out of the comparison).
"""

from __future__ import annotations

import inspect
from datetime import date, timedelta

import pytest
from sqlalchemy import Select
from sqlalchemy import inspect as sa_inspect

from talentpool import scoping
from talentpool.extensions import db
from talentpool.models import (
    AuditEvent,
    Invitation,
    MatchPlan,
    Notification,
    OutboxMessage,
    RecruitmentExpense,
    User,
    utcnow,
)

FUNCTIONS = sorted(
    name
    for name, fn in inspect.getmembers(scoping, inspect.isfunction)
    if fn.__module__ == scoping.__name__
)
ROLES = ("admin", "coord_a", "officer_a", "talent_x", "stranger")
NONE = "nothing at all"

#: function → role → the rows of WORLD seen (A = 岩手 03, B = 長野 20; a/a2 = 盛岡/花巻).
CASES: dict[str, dict[str, object]] = {
    "municipalities_for": {
        "admin": {"muni_a", "muni_a2", "muni_b"},
        "coord_a": {"muni_a", "muni_a2"},
        "officer_a": {"muni_a"},
        "talent_x": NONE,
    },
    "talent_for": {
        "admin": NONE,
        "coord_a": {"talent_x", "talent_y"},
        "officer_a": NONE,
        "talent_x": {"talent_x"},
    },
    "invitations_for": {
        "admin": {"invite_coord"},
        "coord_a": {"invite_officer_a"},
        "officer_a": NONE,
        "talent_x": NONE,
    },
    "requests_for": {
        "admin": NONE,
        "coord_a": {"request_a", "request_a2"},
        "officer_a": {"request_a"},
        "talent_x": NONE,
    },
    "training_programs_for": {
        "admin": NONE,
        "coord_a": {"program_national", "program_a"},
        "officer_a": {"program_national", "program_a"},
        "talent_x": {"program_national", "program_a"},
    },
    "dx_leaders_for": {
        "admin": NONE,
        "coord_a": {"leader_a", "leader_a2"},
        "officer_a": {"leader_a"},
        "talent_x": NONE,
    },
    "enrollments_for": {
        "admin": NONE,
        "coord_a": {"record_leader_a", "record_leader_a2", "record_x"},
        "officer_a": {"record_leader_a"},
        "talent_x": {"record_x"},
    },
    "national_entries_for": {
        "admin": {"entry_active", "entry_inactive"},
        "coord_a": {"entry_active"},
        "officer_a": NONE,
        "talent_x": NONE,
    },
    "offers_for": {
        "admin": NONE,
        "coord_a": {"offer_x", "offer_y"},
        "officer_a": NONE,
        "talent_x": {"offer_x"},
    },
    "offers_on_requests_for": {
        "admin": NONE,
        "coord_a": {"offer_x", "offer_y"},
        "officer_a": {"offer_x"},
        "talent_x": NONE,
    },
    "assignments_for": {
        "admin": NONE,
        "coord_a": {"assignment_x", "assignment_y"},
        "officer_a": {"assignment_x"},
        "talent_x": {"assignment_x"},
    },
    "match_plans_for": {
        "admin": NONE,
        "coord_a": {"plan_a"},
        "officer_a": NONE,
        "talent_x": NONE,
    },
    "outbox_for": {
        "admin": {"mail_national"},
        "coord_a": {"mail_a"},
        "officer_a": NONE,
        "talent_x": NONE,
    },
    "users_for": {
        "admin": {"admin", "coord_a", "coord_b"},
        "coord_a": {"coord_a", "officer_a", "talent_x_user", "talent_y_user"},
        "officer_a": NONE,
        "talent_x": NONE,
    },
    "audit_events_for": {
        "admin": {"event_national"},
        "coord_a": {"event_a"},
        "officer_a": NONE,
        "talent_x": NONE,
    },
    "recruitment_expenses_for": {
        "admin": NONE,
        "coord_a": {"expense_a"},
        "officer_a": NONE,
        "talent_x": NONE,
    },
    "notifications_for": {
        "admin": set(),
        "coord_a": {"notice_coord_a"},
        "officer_a": set(),
        "talent_x": {"notice_x"},
    },
}


def _world(factory) -> dict:
    """Rows of every scoped kind in two prefectures, owned by named users."""
    coord_a, coord_b = factory.coordinator("03"), factory.coordinator("20")
    talent_x_user, talent_x = factory.talent_user("03")
    talent_y_user, talent_y = factory.talent_user("03")
    _b_user, talent_b = factory.talent_user("20")
    leaders = {
        "leader_a": factory.dx_leader("032018"),
        "leader_a2": factory.dx_leader("032051"),
        "leader_b": factory.dx_leader("202011"),
    }
    requests = {
        "request_a": factory.request("032018"),
        "request_a2": factory.request("032051"),
        "request_b": factory.request("202011"),
    }
    assignments = {
        "assignment_x": factory.assignment(coord_a, requests["request_a"], talent_x),
        "assignment_y": factory.assignment(coord_a, requests["request_a2"], talent_y),
        "assignment_b": factory.assignment(coord_b, requests["request_b"], talent_b),
    }
    national = factory.program()
    rows = {
        "admin": factory.admin(),
        "coord_a": coord_a,
        "coord_b": coord_b,
        "officer_a": factory.officer("032018"),
        "talent_x": talent_x,
        "talent_x_user": talent_x_user,
        "talent_y": talent_y,
        "talent_y_user": talent_y_user,
        "talent_b": talent_b,
        "muni_a": factory.municipality("032018"),
        "muni_a2": factory.municipality("032051"),
        "muni_b": factory.municipality("202011"),
        **leaders,
        **requests,
        **assignments,
        "program_national": national,
        "program_a": factory.program("岩手の研修", prefecture="03"),
        "program_b": factory.program("長野の研修", prefecture="20"),
        "record_leader_a": factory.enrollment(national, leader=leaders["leader_a"]),
        "record_leader_a2": factory.enrollment(national, leader=leaders["leader_a2"]),
        "record_leader_b": factory.enrollment(national, leader=leaders["leader_b"]),
        "record_x": factory.enrollment(national, talent=talent_x),
        "record_b": factory.enrollment(national, talent=talent_b),
        "entry_active": factory.national_entry(),
        "entry_inactive": factory.national_entry(active=False),
    }
    with factory.app.app_context():
        from talentpool.models import Assignment

        for name in assignments:
            rows[f"offer_{name.removeprefix('assignment_')}"] = db.session.get(
                Assignment, rows[name].id
            ).offer
    pref_a, pref_b = factory.prefecture("03").id, factory.prefecture("20").id
    later = utcnow() + timedelta(days=7)

    def invitation(n: int, role: str, prefecture_id: int | None) -> Invitation:
        return Invitation(
            email=f"invited{n}@example.jp",
            name="招待",
            role=role,
            prefecture_id=prefecture_id,
            token_hash=f"{n:064d}",
            expires_at=later,
        )

    def mail(prefecture_id: int | None) -> OutboxMessage:
        return OutboxMessage(
            recipient="x@example.jp", subject="件名", body_text="本文", prefecture_id=prefecture_id
        )

    def event(prefecture_id: int | None) -> AuditEvent:
        return AuditEvent(
            prefecture_id=prefecture_id, action="update", entity="talent", entity_id="1"
        )

    def expense(prefecture_id: int) -> RecruitmentExpense:
        return RecruitmentExpense(
            prefecture_id=prefecture_id,
            fiscal_year=2025,
            spent_on=date(2025, 5, 1),
            description="求人広告",
            amount=1000,
        )

    made = {
        "invite_coord": invitation(1, "coordinator", pref_a),
        "invite_officer_a": invitation(2, "municipal_officer", pref_a),
        "invite_talent_b": invitation(3, "talent", pref_b),
        "plan_a": MatchPlan(prefecture_id=pref_a),
        "plan_b": MatchPlan(prefecture_id=pref_b),
        "mail_a": mail(pref_a),
        "mail_b": mail(pref_b),
        "mail_national": mail(None),
        "event_a": event(pref_a),
        "event_b": event(pref_b),
        "event_national": event(None),
        "expense_a": expense(pref_a),
        "expense_b": expense(pref_b),
        "notice_x": Notification(user_id=talent_x_user.id, kind="offer_sent"),
        "notice_coord_a": Notification(user_id=coord_a.id, kind="offer_accepted"),
        "notice_coord_b": Notification(user_id=coord_b.id, kind="offer_accepted"),
    }
    with factory.app.app_context():
        db.session.add_all(made.values())
        db.session.commit()
        rows.update({name: (type(row), row.id) for name, row in made.items()})
    users = {
        role: rows[name]
        for role, name in (
            ("admin", "admin"),
            ("coord_a", "coord_a"),
            ("officer_a", "officer_a"),
            ("talent_x", "talent_x_user"),
        )
    }
    keys = {
        name: (row if isinstance(row, tuple) else (type(row), row.id)) for name, row in rows.items()
    }
    return {"users": users, "keys": keys}


def test_every_scoping_function_has_a_case():
    assert sorted(CASES) == FUNCTIONS


@pytest.mark.parametrize("name", FUNCTIONS)
def test_scoping_function_for_every_role(app, factory, name):
    case = CASES.get(name)
    assert case is not None, f"scoping.{name} has no row in CASES"
    world = _world(factory)
    function = getattr(scoping, name)
    with app.app_context():
        for role in ROLES:
            if role == "stranger":  # a role no function knows: an empty query, never None
                user, expected = User(role="guest", email="guest@example.jp", name="?"), NONE
            else:
                user, expected = db.session.get(User, world["users"][role].id), case[role]
            query = function(user)
            assert isinstance(query, Select), (name, role)
            found = list(db.session.scalars(query))
            if expected is NONE:
                assert found == [], (name, role)
                continue
            model = sa_inspect(found[0]).mapper.class_ if found else None
            seen = {(type(row), row.id) for row in found}
            named = {
                key for key, (kind, _id) in world["keys"].items() if model is None or kind is model
            }
            shown = {key for key in named if world["keys"][key] in seen}
            assert shown == expected, (name, role)
