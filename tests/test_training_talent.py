"""Programs, the prefecture's admin-training option, and talent's admin-practice training."""

from datetime import date

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Enrollment, Prefecture, SupportRequest, Talent, TrainingProgram
from talentpool.services.matching import bridge as matching
from talentpool.services.training import programs as training


def test_coordinator_adds_own_program_and_sees_only_own_prefectures(app, client, factory, login):
    factory.program("長野県独自研修", prefecture="20")
    login(factory.coordinator("03"))
    page = client.get("/training/programs")
    assert page.status_code == 200
    assert "DX推進リーダー育成研修" in page.text and "行政実務研修" in page.text
    assert "長野県独自研修" not in page.text
    added = client.post(
        "/training/programs",
        data={
            "name": "ＤＸ応用研修",
            "provider": "岩手県立大学",
            "level": "応用",
            "hours": "６",
            "fiscal_year": "2025",
            "cost_per_person": "15000",
            "audience": "dx_leader",
        },
    )
    assert added.status_code == 302
    again = client.post(
        "/training/programs",
        data={"name": "DX応用研修", "fiscal_year": "2025", "audience": "dx_leader"},
    )
    assert again.status_code == 400 and "既に登録されています" in again.text
    bad = client.post(
        "/training/programs",
        data={"name": "研修", "hours": "-1", "fiscal_year": "0", "audience": "nobody"},
    )
    assert bad.status_code == 400
    with app.app_context():
        program = db.session.scalar(
            select(TrainingProgram).where(TrainingProgram.name == "DX応用研修")
        )
        assert (
            program.prefecture.code,
            program.hours,
            program.fiscal_year,
            program.cost_per_person,
            program.level,
        ) == ("03", 6, 2025, 15000, "応用")
        assert (
            db.session.scalar(select(TrainingProgram).where(TrainingProgram.name == "研修")) is None
        )
    listing = client.get("/training/programs").text
    assert "令和7年度 (2025)" in listing and "15,000円" in listing


def test_settings_form_sets_require_admin_training(app, client, factory, login):
    login(factory.coordinator("03"))
    assert "require_admin_training" in client.get("/training/settings").text
    assert (
        client.post("/training/settings", data={"require_admin_training": "y"}).status_code == 302
    )
    with app.app_context():
        iwate = db.session.scalar(select(Prefecture).where(Prefecture.code == "03"))
        nagano = db.session.scalar(select(Prefecture).where(Prefecture.code == "20"))
        assert iwate.require_admin_training and not nagano.require_admin_training
    client.post("/training/settings", data={})
    with app.app_context():
        assert not db.session.get(Prefecture, iwate.id).require_admin_training


def test_coordinator_records_admin_practice_training_and_talent_sees_it(
    app, client, factory, login
):
    user, talent = factory.talent_user("03", kind="staff", name="岩手 常勤")
    other_user, other = factory.talent_user("03", kind="staff", name="別の 人材")
    admin_practice = factory.program("行政実務研修")
    leader_program = factory.program()
    login(factory.coordinator("03"))
    listing = client.get("/training/talent?kind=staff&state=none")
    assert "岩手 常勤" in listing.text
    wrong = client.post(
        f"/training/talent/{talent.id}/enroll",
        data={"program_id": leader_program.id, "enrolled_on": "2025-04-10"},
    )
    assert wrong.status_code == 400
    assert (
        client.post(
            f"/training/talent/{talent.id}/enroll",
            data={"program_id": admin_practice.id, "enrolled_on": "2025-04-10"},
        ).status_code
        == 302
    )
    with app.app_context():
        record = db.session.scalar(select(Enrollment).where(Enrollment.talent_id == talent.id))
    assert (
        client.post(
            f"/training/enrollments/{record.id}/complete",
            data={
                f"c{record.id}-completed_on": "2025-05-30",
                f"c{record.id}-certificate_number": "GJ-7",
            },
        ).status_code
        == 302
    )
    done = client.get("/training/talent?kind=staff&state=completed").text
    assert "岩手 常勤" in done and "別の 人材" not in done
    client.post("/logout")

    login(user)
    mine = client.get("/training/")
    assert mine.status_code == 200 and "行政実務研修" in mine.text and "GJ-7" in mine.text
    assert client.get(f"/training/talent/{talent.id}").status_code == 403
    client.post("/logout")
    login(other_user)
    theirs = client.get("/training/").text
    assert "GJ-7" not in theirs and "研修の記録はまだありません" in theirs
    client.post("/logout")
    login(factory.coordinator("20"))
    assert client.get(f"/training/talent/{talent.id}").status_code == 404
    assert (
        client.post(
            f"/training/enrollments/{record.id}/withdraw",
            data={f"w{record.id}-withdrawn_on": "2025-06-01"},
        ).status_code
        == 404
    )
    assert "岩手 常勤" not in client.get("/training/talent?kind=all").text
    client.post("/logout")
    login(factory.officer("032018"))
    assert client.get(f"/training/talent/{talent.id}").status_code == 403
    assert (
        client.post(
            f"/training/enrollments/{record.id}/withdraw",
            data={f"w{record.id}-withdrawn_on": "2025-06-01"},
        ).status_code
        == 404
    )
    _ = other


def test_matcher_applies_the_prefecture_option_to_staff_only(app, factory):
    """The admin-training rule as production applies it: the matcher's eligibility (the
    ranking, the plan and the offer service all ask it)."""
    staff = factory.talent("03", kind="staff")
    trained = factory.talent("03", kind="staff")
    external = factory.talent("03", kind="external")
    factory.enrollment(
        factory.program("行政実務研修"), talent=trained, completed_on=date(2025, 5, 1)
    )
    # an open enrolment is not a completion
    factory.enrollment(factory.program("行政実務研修"), talent=staff, enrolled_on=date(2025, 5, 1))
    request = factory.request("032018")
    with app.app_context():

        def held_back() -> set[int]:
            req = db.session.get(SupportRequest, request.id)
            return {
                t.id
                for t in (staff, trained, external)
                if "admin_training" in matching.failed_rules(req, db.session.get(Talent, t.id))
            }

        assert held_back() == set()
        iwate = db.session.get(Prefecture, staff.prefecture_id)
        training.set_require_admin_training(iwate, True)
        assert held_back() == {staff.id}
        db.session.rollback()
