"""Who sees and changes which support requests (tenant scoping and roles)."""

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import SupportRequest

MORIOKA, HANAMAKI, NAGANO = "032018", "032051", "202011"


def _count(app, **where):
    with app.app_context():
        query = select(SupportRequest)
        for key, value in where.items():
            query = query.where(getattr(SupportRequest, key) == value)
        return len(db.session.scalars(query).all())


def test_officer_cannot_see_or_change_another_municipalitys_requests(app, client, factory, login):
    hanamaki = factory.request(HANAMAKI, title="花巻の依頼", state="draft", skills=("bpr",))
    nagano = factory.request(NAGANO, title="長野の依頼", skills=("bpr",))
    own = factory.request(MORIOKA, title="盛岡の依頼")
    login(factory.officer(MORIOKA))
    for other in (hanamaki, nagano):
        assert client.get(f"/requests/{other.id}").status_code == 404
        assert client.get(f"/requests/{other.id}/edit").status_code == 404
        assert (
            client.post(f"/requests/{other.id}/edit", data={"description": "書き換え"}).status_code
            == 404
        )
        assert client.post(f"/requests/{other.id}/transition/publish").status_code == 404
        assert client.post(f"/requests/{other.id}/transition/cancel").status_code == 404
    listing = client.get("/requests/").text
    assert "盛岡の依頼" in listing and "花巻の依頼" not in listing and "長野の依頼" not in listing
    exported = client.get("/requests/export.csv").data.decode("utf-8-sig")
    assert own.external_id in exported and hanamaki.external_id not in exported
    with app.app_context():
        assert db.session.get(SupportRequest, hanamaki.id).state == "draft"
        unchanged = db.session.get(SupportRequest, hanamaki.id)
        assert unchanged.description == "窓口のデジタル化を進めたい。"
        assert db.session.get(SupportRequest, nagano.id).state == "open"
    home = client.get("/").text
    assert "盛岡の依頼" in home and "花巻の依頼" not in home


def test_other_prefectures_coordinator_gets_404(client, factory, login):
    item = factory.request(MORIOKA, title="盛岡の依頼")
    login(factory.coordinator("20"))
    assert client.get(f"/requests/{item.id}").status_code == 404
    assert client.get(f"/requests/{item.id}/edit").status_code == 404
    assert client.post(f"/requests/{item.id}/transition/cancel").status_code == 404
    assert "盛岡の依頼" not in client.get("/requests/").text
    # filtering by a municipality of another prefecture is not a choice either
    response = client.get(f"/requests/?municipality_id={item.municipality_id}")
    assert response.status_code == 400 and "盛岡の依頼" not in response.text


def test_coordinator_sees_all_of_own_prefecture_and_nothing_else(client, factory, login):
    factory.request(MORIOKA, title="盛岡の依頼")
    factory.request(HANAMAKI, title="花巻の依頼")
    factory.request(NAGANO, title="長野の依頼")
    login(factory.coordinator("03"))
    listing = client.get("/requests/").text
    assert "盛岡の依頼" in listing and "花巻の依頼" in listing and "長野の依頼" not in listing


def test_officer_posts_only_for_own_municipality(app, client, factory, login):
    officer = factory.officer(MORIOKA)
    hanamaki = factory.municipality(HANAMAKI)
    login(officer)
    response = client.post(
        "/requests/new",
        data={
            "municipality_id": hanamaki.id,
            "title": "盛岡の新しい依頼",
            "hours_per_month": "10",
            "headcount": "1",
            "save": "1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(
            select(SupportRequest).where(SupportRequest.title == "盛岡の新しい依頼")
        )
        assert item.municipality.lg_code == MORIOKA and item.prefecture.code == "03"
        assert item.created_by_id == officer.id


def test_coordinator_posts_on_behalf_of_own_prefectures_municipality(app, client, factory, login):
    login(factory.coordinator("03"))
    hanamaki, nagano = factory.municipality(HANAMAKI), factory.municipality(NAGANO)
    page = client.get("/requests/new").text
    assert "032051 花巻市" in page and "202011" not in page
    refused = client.post(
        "/requests/new",
        data={
            "municipality_id": nagano.id,
            "title": "他県の依頼",
            "hours_per_month": "10",
            "headcount": "1",
            "save": "1",
        },
    )
    assert refused.status_code == 400
    assert _count(app, title="他県の依頼") == 0
    created = client.post(
        "/requests/new",
        data={
            "municipality_id": hanamaki.id,
            "title": "代理登録の依頼",
            "hours_per_month": "10",
            "headcount": "1",
            "focus_areas": ["frontyard"],
            "contact_name": "花巻市 総合政策課",
            "contact_phone": "0198-00-0000",
            "save_and_publish": "1",
        },
    )
    assert created.status_code == 302
    with app.app_context():
        item = db.session.scalar(
            select(SupportRequest).where(SupportRequest.title == "代理登録の依頼")
        )
        assert item.municipality.lg_code == HANAMAKI
        assert item.prefecture_id == hanamaki.prefecture_id
        assert item.state == "open"


def test_only_coordinators_reopen(app, client, factory, login):
    item = factory.request(MORIOKA, state="cancelled")
    login(factory.officer(MORIOKA))
    response = client.post(f"/requests/{item.id}/transition/reopen")
    assert response.status_code == 403 and "都道府県担当者だけが行えます" in response.text
    assert "募集を再開する" not in client.get(f"/requests/{item.id}").text
    with app.app_context():
        assert db.session.get(SupportRequest, item.id).state == "cancelled"
