"""A municipal officer keeps the municipality's DX leaders and their training; nobody else's."""

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from talentpool import fiscal
from talentpool.extensions import db
from talentpool.models import DxLeader, Enrollment

MORIOKA, HANAMAKI = "032018", "032051"


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_officer_registers_enrols_and_completes_a_leader(app, client, factory, login):
    login(factory.officer(MORIOKA))
    morioka = factory.municipality(MORIOKA)
    home = client.get("/training/")
    assert home.status_code == 200 and "盛岡市のDX推進リーダー" in home.text
    form = client.get(f"/training/municipalities/{morioka.id}/leaders/new")
    assert form.status_code == 200 and 'for="name"' in form.text
    created = client.post(
        f"/training/municipalities/{morioka.id}/leaders/new",
        data={
            "name": "岩手 花子",
            "department": "デジタル推進課",
            "position": "主査",
            "email": "",
            "active": "y",
        },
    )
    assert created.status_code == 302
    with app.app_context():
        leader = db.session.scalar(select(DxLeader).where(DxLeader.name == "岩手 花子"))
        assert (leader.municipality_id, leader.email, leader.active) == (morioka.id, None, True)
    program = factory.program()
    page = client.get(f"/training/leaders/{leader.id}")
    assert page.status_code == 200 and "DX推進リーダー育成研修" in page.text
    assert "行政実務研修" not in page.text  # a talent program is not offered to leaders
    enrolled = client.post(
        f"/training/leaders/{leader.id}/enroll",
        data={"program_id": program.id, "enrolled_on": "2025-06-01"},
    )
    assert enrolled.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(Enrollment).where(Enrollment.dx_leader_id == leader.id))
    done = client.post(
        f"/training/enrollments/{record.id}/complete",
        data={
            f"c{record.id}-completed_on": "令和8年3月31日",  # typed without a date picker
            f"c{record.id}-certificate_number": "R7-001",
        },
    )
    assert done.status_code == 302
    with app.app_context():
        record = db.session.get(Enrollment, record.id)
        assert (record.status, record.completed_on, record.certificate_number) == (
            "completed",
            date(2026, 3, 31),
            "R7-001",
        )
    listing = client.get("/training/?year=2025")
    assert "岩手 花子" in listing.text and "2026-03-31" in listing.text
    assert "修了者数(令和7年度 (2025))<strong>1</strong>" in listing.text
    assert "修了者数(令和8年度 (2026))<strong>0</strong>" in client.get("/training/?year=2026").text


def test_withdrawal_keeps_history_and_allows_a_new_enrolment(app, client, factory, login):
    login(factory.officer(MORIOKA))
    leader = factory.dx_leader(MORIOKA)
    program = factory.program()
    first = factory.enrollment(program, leader=leader, enrolled_on=date(2025, 5, 1))
    response = client.post(
        f"/training/enrollments/{first.id}/withdraw",
        data={f"w{first.id}-withdrawn_on": "2025-07-01"},
    )
    assert response.status_code == 302
    again = client.post(
        f"/training/leaders/{leader.id}/enroll",
        data={"program_id": program.id, "enrolled_on": "2025-09-01"},
    )
    assert again.status_code == 302
    twice = client.post(
        f"/training/leaders/{leader.id}/enroll",
        data={"program_id": program.id, "enrolled_on": "2025-09-02"},
    )
    assert twice.status_code == 400 and "受講中の記録が既にあります" in twice.text
    assert _count(app, Enrollment, Enrollment.dx_leader_id == leader.id) == 2
    page = client.get(f"/training/leaders/{leader.id}").text
    assert "辞退" in page and "2025-07-01" in page and "受講中" in page
    # a finished record cannot be finished again
    late = client.post(
        f"/training/enrollments/{first.id}/complete",
        data={f"c{first.id}-completed_on": "2025-08-01"},
    )
    assert late.status_code == 400 and "既に辞退として記録されています" in late.text
    with app.app_context():
        assert db.session.get(Enrollment, first.id).status == "withdrawn"


def test_completion_dates_are_checked(app, client, factory, login):
    login(factory.officer(MORIOKA))
    leader = factory.dx_leader(MORIOKA)
    record = factory.enrollment(factory.program(), leader=leader, enrolled_on=date(2025, 6, 1))
    url = f"/training/enrollments/{record.id}/complete"
    key = f"c{record.id}-completed_on"
    before = client.post(url, data={key: "2025-05-31"})
    assert before.status_code == 400 and "受講開始日" in before.text
    future = (fiscal.today() + timedelta(days=2)).isoformat()
    assert "未来の日付" in client.post(url, data={key: future}).text
    garbage = client.post(url, data={key: "いつか"})
    assert garbage.status_code == 400 and "YYYY-MM-DD" in garbage.text
    with app.app_context():
        assert db.session.get(Enrollment, record.id).status == "enrolled"


def test_leader_form_errors_and_duplicate_names(app, client, factory, login):
    login(factory.officer(MORIOKA))
    morioka = factory.municipality(MORIOKA)
    factory.dx_leader(MORIOKA, name="佐藤 一郎")
    url = f"/training/municipalities/{morioka.id}/leaders/new"
    empty = client.post(url, data={"name": "", "email": "not-an-email"})
    assert empty.status_code == 400 and "入力してください" in empty.text
    assert "メールアドレスの形式" in empty.text
    same = client.post(url, data={"name": "佐藤　一郎", "active": "y"})  # full-width space
    assert same.status_code == 400 and "既に登録されています" in same.text
    assert _count(app, DxLeader, DxLeader.municipality_id == morioka.id) == 1


def test_officer_cannot_see_or_change_another_municipalitys_leaders(app, client, factory, login):
    other = factory.dx_leader(HANAMAKI, name="花巻 太郎")
    record = factory.enrollment(factory.program(), leader=other, enrolled_on=date(2025, 5, 1))
    hanamaki = factory.municipality(HANAMAKI)
    login(factory.officer(MORIOKA))
    assert client.get(f"/training/leaders/{other.id}").status_code == 404
    assert client.get(f"/training/leaders/{other.id}/edit").status_code == 404
    assert (
        client.post(
            f"/training/leaders/{other.id}/edit", data={"name": "改ざん", "active": "y"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/training/leaders/{other.id}/enroll",
            data={"program_id": record.program_id, "enrolled_on": "2025-06-01"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/training/enrollments/{record.id}/complete",
            data={f"c{record.id}-completed_on": "2025-06-01"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/training/enrollments/{record.id}/withdraw",
            data={f"w{record.id}-withdrawn_on": "2025-06-01"},
        ).status_code
        == 404
    )
    assert client.get(f"/training/municipalities/{hanamaki.id}").status_code == 404
    assert (
        client.post(
            f"/training/municipalities/{hanamaki.id}/leaders/new",
            data={"name": "潜入", "active": "y"},
        ).status_code
        == 404
    )
    assert "花巻 太郎" not in client.get("/training/").text
    with app.app_context():
        assert db.session.get(DxLeader, other.id).name == "花巻 太郎"
        assert db.session.get(Enrollment, record.id).status == "enrolled"
        assert db.session.scalar(select(DxLeader).where(DxLeader.name == "潜入")) is None


def test_other_prefectures_coordinator_gets_404_and_talent_403(client, factory, login):
    leader = factory.dx_leader(MORIOKA)
    morioka = factory.municipality(MORIOKA)
    login(factory.coordinator("20"))
    assert client.get(f"/training/leaders/{leader.id}").status_code == 404
    assert client.get(f"/training/municipalities/{morioka.id}").status_code == 404
    client.post("/logout")
    own = factory.coordinator("03")
    login(own)
    assert client.get(f"/training/leaders/{leader.id}").status_code == 200
    assert client.get(f"/training/municipalities/{morioka.id}").status_code == 200
    client.post("/logout")
    user, _talent = factory.talent_user("03")
    login(user)
    assert client.get(f"/training/leaders/{leader.id}").status_code == 403
    assert client.get("/training/import").status_code == 403
    client.post("/logout")
    login(factory.admin())
    assert client.get("/training/").status_code == 403


def test_pages_have_no_inline_style_or_script(client, factory, login):
    leader = factory.dx_leader(MORIOKA)
    factory.enrollment(factory.program(), leader=leader, enrolled_on=date(2025, 5, 1))
    login(factory.officer(MORIOKA))
    for url in ("/training/", f"/training/leaders/{leader.id}", "/training/import"):
        body = client.get(url).text
        assert not re.search(r"\sstyle=", body), url
        assert "<script>" not in body and "<script " not in body.replace('src="/static', ""), url


def test_training_pages_render_in_english(client, factory, login):
    leader = factory.dx_leader(MORIOKA)
    factory.enrollment(factory.program(), leader=leader, completed_on=date(2025, 9, 1))
    login(factory.coordinator("03"))
    client.post("/language", data={"lang": "en", "next": "/"})
    for url in (
        "/training/?year=2025",
        f"/training/leaders/{leader.id}",
        "/training/programs",
        "/training/targets",
        "/training/talent",
        "/training/settings",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.text
