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
from talentpool.services import invitations


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
