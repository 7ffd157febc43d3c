"""`talentpool seed-demo`: realistic demo data and one working login per role."""

from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import (
    Enrollment,
    Invitation,
    Prefecture,
    Role,
    SupportRequest,
    Talent,
    TrainingTarget,
    User,
)
from talentpool.services.accounts import invitations


def test_seed_demo_loads_data_and_every_login_works(app, runner, client):
    result = runner.invoke(args=["seed-demo", "--password", "demo-pass-12345"])
    assert result.exit_code == 0, result.output
    logins = [line.split() for line in result.output.splitlines()[1:]]
    assert {role for role, _ in logins} == {r.value for r in Role}
    with app.app_context():
        per_prefecture = dict(
            db.session.execute(
                select(Prefecture.code, func.count(Talent.id))
                .join(Talent)
                .group_by(Prefecture.code)
            ).all()
        )
        assert len(per_prefecture) >= 2 and sum(per_prefecture.values()) >= 40
        assert db.session.scalar(select(func.count()).select_from(SupportRequest)) >= 20
        assert db.session.scalar(
            select(func.count()).select_from(Talent).where(Talent.user_id.is_not(None))
        ) == sum(role == "talent" for role, _ in logins)
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) >= 10
        assert db.session.scalar(select(func.count()).select_from(TrainingTarget)) >= 10
        # the invitation screens have something to show: one pending, one expired
        states = sorted(invitations.state_of(i) for i in db.session.scalars(select(Invitation)))
        assert states == ["expired", "pending"]
    for _role, email in logins:
        response = client.post("/login", data={"email": email, "password": "demo-pass-12345"})
        assert response.status_code == 302, email
        assert client.get("/").status_code == 200
        client.post("/logout")
    with app.app_context():
        enrollments = db.session.scalar(select(func.count()).select_from(Enrollment))
    again = runner.invoke(args=["seed-demo", "--password", "demo-pass-12345"])
    assert again.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Talent)) == sum(
            per_prefecture.values()
        )
        assert db.session.scalar(select(func.count()).select_from(User)) == len(logins)
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) == enrollments


def test_demo_shows_the_calendar_on_first_run_and_never_plans_an_ended_request(app, runner, clock):
    from datetime import date

    from talentpool.models import Assignment
    from talentpool.services.demo.data_set import shift
    from talentpool.services.matching import match_plans
    from talentpool.services.offers import assignments

    clock.set(date(2027, 6, 15))  # any day: the demo's dates move with the clock
    assert runner.invoke(args=["seed-demo", "--password", "demo-pass-12345"]).exit_code == 0
    with app.app_context():
        requests = {r.external_id: r for r in db.session.scalars(select(SupportRequest))}
        assert requests["IW-R013"].state == "expired"
        assert requests["IW-R013"].end_date == shift(date(2026, 10, 31)) < date(2027, 6, 15)
        phases = {
            a.request.external_id: assignments.phase(a)
            for a in db.session.scalars(select(Assignment))
        }
        assert phases["IW-R011"] == "scheduled" and phases["IW-R014"] == "overdue"
        assert phases["IW-R001"] == "active"
        ended = {r.id for r in requests.values() if r.end_date and r.end_date < date(2027, 6, 15)}
        coordinator = db.session.scalar(
            select(User).where(User.email == "iwate.coordinator@demo.example.jp")
        )
        plan = match_plans.compute_plan(coordinator)
        assert plan.items and not {item.request_id for item in plan.items} & ended
        db.session.rollback()
