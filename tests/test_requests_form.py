"""Posting a request through the form: Japanese input, validation messages, templates."""

import pytest
from sqlalchemy import func, select

from talentpool.config import SEED_DIR
from talentpool.extensions import db
from talentpool.models import SupportRequest
from talentpool.services.reference import read_csv
from talentpool.services.requests.templates import find_template, request_templates

BASE = {"title": "窓口改革の支援", "hours_per_month": "20", "headcount": "1", "save": "1"}


def _total(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SupportRequest))


def test_form_accepts_japanese_input_and_keeps_search_text(app, client, factory, login):
    login(factory.officer("032018"))
    response = client.post(
        "/requests/new",
        data={
            "title": "ＡＩ・ＲＰＡ　導入支援",
            "description": "ＲＰＡで\n定型業務を減らしたい",
            "focus_areas": ["ai_rpa", "bpr"],
            "skills": ["role_software_engineer"],
            "hours_per_month": "２０",
            "headcount": "１",
            "start_date": "令和8年4月1日",
            "end_date": "2027/3/31",
            "onsite_required": "y",
            "funding": "special_tax",
            "contact_name": "デジタル推進課 工藤",
            "contact_email": "Kudo@City.Example.jp",
            "contact_phone": "019-000-0000",
            "save": "1",
        },
    )
    assert response.status_code == 302, response.text
    with app.app_context():
        item = db.session.scalar(select(SupportRequest).order_by(SupportRequest.id.desc()))
        assert item.title == "AI・RPA 導入支援"
        assert item.description == "ＲＰＡで\n定型業務を減らしたい"  # kept as written
        assert item.hours_per_month == 20 and item.headcount == 1
        assert str(item.start_date) == "2026-04-01" and str(item.end_date) == "2027-03-31"
        assert item.onsite_required and not item.wants_cio and item.funding == "special_tax"
        assert item.contact_email == "kudo@city.example.jp"
        assert [t.code for t in item.skills] == ["ai_rpa", "bpr", "role_software_engineer"]
        assert item.search_text == "ai・rpa 導入支援 rpaで 定型業務を減らしたい"
        assert item.external_id == f"REQ-{item.id:06d}" and item.state == "draft"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"start_date": "2026-04-01", "end_date": "2026-03-31"}, "終了日は開始日以降"),
        ({"hours_per_month": "0"}, "1〜744時間で入力してください"),
        ({"hours_per_month": "たくさん"}, "整数で入力してください"),
        ({"headcount": "0"}, "1〜99人で入力してください"),
        ({"title": ""}, "入力してください"),
        ({"title": "　"}, "件名を入力してください"),
        ({"start_date": "2026-02-30"}, "存在しない日付です"),
        ({"start_date": "来年"}, "日付として読み取れません"),
        ({"contact_email": "not-an-address"}, "メールアドレスの形式"),
        ({"focus_areas": ["no_such_area"]}, "選択肢にない値です"),
        ({"funding": "lottery"}, "選択肢から選んでください"),
        ({"title": "長" * 201}, "200文字以内"),
    ],
)
def test_invalid_input_gets_a_japanese_message_and_saves_nothing(
    app, client, factory, login, changes, message
):
    login(factory.officer("032018"))
    before = _total(app)
    response = client.post("/requests/new", data={**BASE, **changes})
    assert response.status_code == 400
    assert message in response.text
    assert _total(app) == before


def test_save_and_publish_without_focus_area_saves_nothing(app, client, factory, login):
    login(factory.officer("032018"))
    before = _total(app)
    response = client.post("/requests/new", data={**BASE, "save_and_publish": "1"})
    assert response.status_code == 400 and "重点取組を1つ以上" in response.text
    assert _total(app) == before


def test_duplicate_external_id_is_a_form_error(app, client, factory, login):
    existing = factory.request("032051", external_id="IW-001")
    login(factory.officer("032018"))
    response = client.post("/requests/new", data={**BASE, "external_id": existing.external_id})
    assert response.status_code == 400 and "既に使われています" in response.text


def test_edit_validates_dates_against_the_stored_ones(app, client, factory, login, clock):
    from datetime import date

    clock.set(date(2026, 3, 1))
    item = factory.request(
        "032018", state="open", start_date=date(2026, 4, 1), end_date=date(2026, 9, 30)
    )
    login(factory.officer("032018"))
    response = client.post(
        f"/requests/{item.id}/edit",
        data={
            "description": "x",
            "hours_per_month": "20",
            "headcount": "1",
            "end_date": "2026-03-01",
            "contact_name": "デジタル推進課 担当",
            "contact_email": "dx@example.lg.jp",
        },
    )
    assert response.status_code == 400 and "終了日は開始日以降" in response.text
    with app.app_context():
        assert db.session.get(SupportRequest, item.id).end_date == date(2026, 9, 30)


def test_template_prefills_the_new_request_form(client, factory, login):
    login(factory.officer("032018"))
    page = client.get("/requests/new?template=standardization").text
    template = find_template("standardization")
    assert f'value="{template.title}"' in page
    assert "【現状と課題】" in page
    assert (
        'checked id="focus_areas-1" name="focus_areas" type="checkbox" value="standardization"'
    ) in page
    assert 'value="40"' in page
    # every template is offered without JavaScript, as a plain GET form
    assert 'method="get" action="/requests/new"' in page
    assert page.count('<option value="') >= 14
    assert client.get("/requests/new?template=nonsense").status_code == 200


def test_one_template_per_focus_area_with_known_skills():
    taxonomy = read_csv(SEED_DIR / "taxonomy.csv")
    focus = [row["code"] for row in taxonomy if row["category"] == "focus"]
    codes = {row["code"] for row in taxonomy}
    templates = request_templates()
    assert list(templates) == focus and len(focus) == 14
    for code, template in templates.items():
        assert code in template.skills, code
        assert set(template.skills) <= codes
        assert template.title and "【支援してほしいこと】" in template.description
        assert 1 <= template.hours_per_month <= 744
