"""Recruitment costs: coordinators list, add, correct and void their prefecture's entries."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import AuditEvent, RecruitmentExpense
from talentpool.services import DomainError
from talentpool.services.reports.recruitment import ExpenseValues, charge_years


def expense(app, factory, prefecture="03", **values) -> RecruitmentExpense:
    fields = {
        "fiscal_year": 2025,
        "spent_on": date(2025, 6, 30),
        "description": "求人広告",
        "amount": 330_000,
        "vendor": "株式会社求人",
    }
    fields.update(values)
    with app.app_context():
        item = RecruitmentExpense(prefecture_id=factory.prefecture(prefecture).id, **fields)
        db.session.add(item)
        db.session.commit()
        return item


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RecruitmentExpense))


def test_charge_years_allow_the_closing_period():
    assert charge_years(date(2025, 6, 30)) == [2025]
    assert charge_years(date(2026, 4, 20)) == [2026, 2025]
    assert charge_years(date(2026, 5, 31)) == [2026, 2025]
    assert charge_years(date(2026, 3, 31)) == [2025]


def test_list_shows_the_year_and_total_without_voided(app, factory, login):
    expense(app, factory)
    expense(app, factory, description="取り消した広告", amount=5_000, void=True, void_reason="重複")
    expense(app, factory, fiscal_year=2026, spent_on=date(2026, 6, 1), description="翌年度")
    expense(app, factory, prefecture="20", description="長野の広告")
    client = login(factory.coordinator("03"))
    html = client.get("/reports/recruitment?year=2025").get_data(as_text=True)
    assert "求人広告" in html and "<del>取り消した広告</del>" in html and "取消の理由: 重複" in html
    assert "翌年度" not in html and "長野の広告" not in html
    assert "330,000" in html and "335,000" not in html


def test_add_accepts_japanese_dates_and_amounts(app, factory, login):
    client = login(factory.coordinator("03"))
    response = client.post(
        "/reports/recruitment?year=2026",
        data={
            "spent_on": "令和8年4月20日",
            "fiscal_year": "2025",
            "amount": "１２０,０００円",
            "description": "採用説明会の会場費",
            "vendor": "盛岡市民会館",
            "note": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(select(RecruitmentExpense))
        assert (item.spent_on, item.fiscal_year, item.amount) == (date(2026, 4, 20), 2025, 120_000)
        assert (
            db.session.scalar(
                select(AuditEvent.action).where(AuditEvent.entity == "recruitment_expense")
            )
            == "create"
        )


@pytest.mark.parametrize(
    "values, message",
    [
        ({"fiscal_year": "2024"}, "令和8年度 (2026)・令和7年度 (2025)に計上してください"),
        ({"description": ""}, "入力してください"),
        ({"amount": "たくさん"}, "円単位の整数"),
        ({"amount": "-5"}, "0円以上"),
        ({"spent_on": "2026-13-40"}, "YYYY-MM-DD"),
    ],
)
def test_bad_input_answers_400_and_changes_nothing(app, factory, login, values, message):
    client = login(factory.coordinator("03"))
    form = {
        "spent_on": "2026-04-20",
        "fiscal_year": "0",
        "amount": "1000",
        "description": "広告",
        "vendor": "",
        "note": "",
    }
    response = client.post("/reports/recruitment", data={**form, **values})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app) == 0


def test_edit_and_void_keep_the_entry(app, factory, login):
    item = expense(app, factory)
    client = login(factory.coordinator("03"))
    assert client.get(f"/reports/recruitment/{item.id}/edit").status_code == 200
    response = client.post(
        f"/reports/recruitment/{item.id}/edit",
        data={
            "spent_on": "2025-07-01",
            "fiscal_year": "0",
            "amount": "300000",
            "description": "求人広告(修正)",
            "vendor": "株式会社求人",
            "note": "請求書No.12",
        },
    )
    assert response.status_code == 302
    assert (
        client.post(f"/reports/recruitment/{item.id}/void", data={"reason": ""}).status_code == 400
    )
    assert (
        client.post(f"/reports/recruitment/{item.id}/void", data={"reason": "二重計上"}).status_code
        == 302
    )
    with app.app_context():
        saved = db.session.get(RecruitmentExpense, item.id)
        assert (saved.amount, saved.void, saved.void_reason) == (300_000, True, "二重計上")
    again = client.post(
        f"/reports/recruitment/{item.id}/edit",
        data={
            "spent_on": "2025-07-01",
            "fiscal_year": "0",
            "amount": "1",
            "description": "x",
            "vendor": "",
            "note": "",
        },
    )
    assert again.status_code == 400
    assert "取り消した経費は変更できません" in again.get_data(as_text=True)
    assert (
        client.post(f"/reports/recruitment/{item.id}/void", data={"reason": "再度"}).status_code
        == 400
    )
    assert count(app) == 1


def test_other_prefectures_entries_are_not_found(app, factory, login):
    item = expense(app, factory, prefecture="20")
    client = login(factory.coordinator("03"))
    assert client.get(f"/reports/recruitment/{item.id}/edit").status_code == 404
    assert (
        client.post(f"/reports/recruitment/{item.id}/void", data={"reason": "x"}).status_code == 404
    )
    with app.app_context():
        assert db.session.get(RecruitmentExpense, item.id).void is False


def test_service_refuses_a_year_the_date_cannot_be_charged_to(app, factory):
    from talentpool.services.reports.recruitment import add_expense

    with app.app_context(), pytest.raises(DomainError) as error:
        add_expense(
            factory.prefecture("03").id,
            ExpenseValues(
                spent_on=date(2025, 6, 1), fiscal_year=2024, description="広告", amount=1
            ),
        )
    assert error.value.field == "fiscal_year"
