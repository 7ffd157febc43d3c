"""The access-control matrix: every route × every role, against tests/access_rules.py.

One world per endpoint — two prefectures' coordinators, two officers of A, two talent of A, the
national admin, and objects owned by A / 盛岡 / talent X — then one probe per role, each in a
savepoint rolled back afterwards so a probe that changes something (accepting an offer, say)
cannot change what the next role sees. A route without a row in the table fails the test.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from talentpool.extensions import db as _db
from talentpool.models import (
    MatchPlan,
    MatchPlanItem,
    Notification,
    OutboxMessage,
    RecruitmentExpense,
    User,
)
from talentpool.services.accounts import users as accounts
from tests.access_rules import FORBIDDEN, LOGIN, NOT_FOUND, ROLES, RULES, Rule

DENIALS = (LOGIN, FORBIDDEN, NOT_FOUND)

#: URL argument → the world object whose id fills it (a rule's `args` may name another).
ARGUMENT_OBJECTS = {
    "talent_id": "talent_x",
    "request_id": "request",
    "offer_id": "offer",
    "assignment_id": "assignment",
    "entry_id": "entry",
    "leader_id": "leader",
    "enrollment_id": "enrollment",
    "municipality_id": "morioka",
    "user_id": "officer_a",
    "notification_id": "notification",
    "plan_id": "plan",
    "item_id": "plan_item",
    "expense_id": "expense",
    "message_id": "mail",
    "invitation_id": "invitation",
}
#: URL arguments that are not ids.
LITERAL_ARGUMENTS = {
    "fmt": "xlsx",
    "token": "not-a-real-token",
    "name": "publish",
    "key": "requests",
}


def app_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


def test_every_route_has_a_declared_rule(app):
    endpoints = app_endpoints(app)
    missing = sorted(endpoints - RULES.keys())
    unknown = sorted(RULES.keys() - endpoints)
    assert not missing, f"routes without an access rule in tests/access_rules.py: {missing}"
    assert not unknown, f"rules for endpoints the app does not have: {unknown}"


def test_an_undeclared_route_fails_the_check(make_app):
    """The check above is not vacuous: a new route without a row is reported by name."""
    other = make_app()
    other.add_url_rule("/sneaky", "sneaky", lambda: "hi")
    assert app_endpoints(other) - RULES.keys() == {"sneaky"}


@pytest.fixture
def world(factory):
    """Users of every role and objects owned by prefecture A (岩手), 盛岡市 and talent X."""
    users = {
        "admin": factory.admin(),
        "coord_a": factory.coordinator("03"),
        "coord_b": factory.coordinator("20"),
        "officer_a": factory.officer("032018"),
        "officer_a2": factory.officer("032051"),
    }
    users["talent_x"], talent_x = factory.talent_user("03", available_hours_per_month=80)
    users["talent_y"], _talent_y = factory.talent_user("03")
    request = factory.request("032018", headcount=2)
    offer = factory.offer(users["coord_a"], request, talent_x, 10)
    assignment = factory.assignment(users["coord_a"], factory.request("032018"), talent_x, 10)
    leader = factory.dx_leader("032018")
    talent_z = factory.talent("03")  # in A's pool, without an account: invited
    with factory.app.app_context():
        invitation = accounts.invite(
            inviter=_db.session.get(User, users["coord_a"].id),
            email=talent_z.email,
            name=talent_z.name,
            role="talent",
            talent_id=talent_z.id,
        ).invitation
        notification = _db.session.scalar(
            select(Notification).where(Notification.user_id == users["talent_x"].id).limit(1)
        )
        mail = _db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == users["talent_x"].email).limit(1)
        )
        plan = MatchPlan(prefecture_id=request.prefecture_id, created_by_id=users["coord_a"].id)
        plan_item = MatchPlanItem(
            plan=plan, request_id=request.id, talent_id=talent_x.id, score=0.5, hours=10, reasons=[]
        )
        uninvited_item = MatchPlanItem(
            plan=plan, request_id=request.id, talent_id=talent_z.id, score=0.4, hours=10, reasons=[]
        )
        expense = RecruitmentExpense(
            prefecture_id=request.prefecture_id,
            fiscal_year=2025,
            spent_on=date(2025, 6, 1),
            description="求人広告",
            amount=100_000,
        )
        _db.session.add_all([plan, plan_item, uninvited_item, expense])
        _db.session.commit()
    objects = {
        "talent_x": talent_x,
        "request": request,
        "offer": offer,
        "assignment": assignment,
        "entry": factory.national_entry(),
        "leader": leader,
        "enrollment": factory.enrollment(factory.program(), leader=leader),
        "morioka": factory.municipality("032018"),
        "officer_a": users["officer_a"],
        "notification": notification,
        "plan": plan,
        "plan_item": plan_item,
        "expense": expense,
        "mail": mail,
        "invitation": invitation,
        "uninvited_item": uninvited_item,
    }
    return users, objects


def _url(app, endpoint: str, rule: Rule, objects: dict) -> tuple[str, set[str]]:
    (url_rule,) = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint][:1]
    values = {}
    for name in url_rule.arguments:
        value = rule.args.get(name, ARGUMENT_OBJECTS.get(name, LITERAL_ARGUMENTS.get(name)))
        values[name] = objects[value].id if isinstance(value, str) and value in objects else value
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values), set(url_rule.methods or ())


def _outcome(response) -> int | str:
    if response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login":
        return LOGIN
    return response.status_code


def _probe(app, connection, user, method: str, url: str, data: dict) -> int | str:
    """One request as `user` (None: anonymous) inside a savepoint that is rolled back."""
    savepoint = connection.begin_nested()
    try:
        client = app.test_client()
        if user is not None:
            with client.session_transaction() as session:
                session["_user_id"] = f"{user.id}:{user.session_version}"
                session["_fresh"] = True
        response = client.open(url, method=method, data=data)
        return _outcome(response)
    finally:
        savepoint.rollback()


def _differs(on_get, on_post) -> bool:
    """A denial must be the same on both methods; an allowed role must not be denied nor
    meet a server error on the POST."""
    if on_get in DENIALS or on_post in DENIALS:
        return on_get != on_post
    return isinstance(on_post, int) and on_post >= 500


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_access(app, db, world, endpoint):
    users, objects = world
    if endpoint not in app.view_functions:
        pytest.fail(f"{endpoint}: declared in tests/access_rules.py but not a route of the app")
    rule = RULES[endpoint]
    url, methods = _url(app, endpoint, rule, objects)
    method = rule.method or ("GET" if "GET" in methods else "POST")
    connection = db._app_engines[app][None]  # the test's connection (see the db fixture)
    got = {role: _probe(app, connection, users.get(role), method, url, rule.data) for role in ROLES}
    wrong = {
        role: f"expected {rule.expect[role]}, got {got[role]}"
        for role in ROLES
        if got[role] != rule.expect[role]
    }
    assert not wrong, f"{method} {url} ({endpoint}): {wrong}"
    if method == "GET" and "POST" in methods:
        # a form page: the empty POST denies exactly whom the GET denies, and no one else
        posted = {role: _probe(app, connection, users.get(role), "POST", url, {}) for role in ROLES}
        wrong = {
            role: f"GET gave {got[role]}, POST gave {posted[role]}"
            for role in ROLES
            if _differs(got[role], posted[role])
        }
        assert not wrong, f"POST {url} ({endpoint}): {wrong}"
    for other in {"GET", "POST"} - methods - _methods_of_path(app, url):
        assert _probe(app, connection, None, other, url, {}) == 405, f"{other} {url}"


def _methods_of_path(app, url: str) -> set[str]:
    """Methods another endpoint serves at the same URL (e.g. GET and POST /matching/plan)."""
    adapter = app.url_map.bind("localhost")
    found = set()
    for method in ("GET", "POST"):
        try:
            adapter.match(url, method=method)
        except Exception:  # MethodNotAllowed / NotFound: nobody serves it
            continue
        found.add(method)
    return found
