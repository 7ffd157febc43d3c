"""The demo data set gives the dashboard and the fiscal workbook real numbers, once."""

from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import Assignment, Offer, Prefecture, RecruitmentExpense, Role, User
from talentpool.services.demo.data_set import shift_year
from talentpool.services.reports import dashboard, fiscal


def test_demo_history_feeds_the_reports_and_seeding_twice_adds_nothing(app, runner):
    assert runner.invoke(args=["seed-demo", "--password", "demo-pass-12345"]).exit_code == 0
    with app.app_context():
        counts = [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Offer, Assignment, RecruitmentExpense)
        ]
        states = dict(
            db.session.execute(select(Offer.state, func.count()).group_by(Offer.state)).all()
        )
        iwate = db.session.scalar(select(Prefecture.id).where(Prefecture.code == "03"))
        year = shift_year(2026)  # the fiscal year the demo files are written in
        figures = dashboard.build(iwate, year)
        report = fiscal.build(iwate, year)
    assert states["accepted"] >= 8 and states["declined"] == 1 and states["lapsed"] == 1
    assert figures.area_total.assigned > 0 and figures.fill.count > 0
    assert figures.offers["accepted"] > 0
    assert len(report.cio) == 2 and all(row.cost for row in report.cio)
    assert report.staff and report.recruitment and any(row.cost for row in report.training)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Assignment)
                .where(Assignment.monthly_fee.is_not(None), Assignment.state == "completed")
            )
            == 2
        )
    assert runner.invoke(args=["seed-demo", "--password", "demo-pass-12345"]).exit_code == 0
    with app.app_context():
        assert [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Offer, Assignment, RecruitmentExpense)
        ] == counts
        assert (
            db.session.scalar(
                select(func.count()).select_from(User).where(User.role == Role.talent)
            )
            == 13
        )
