"""The change history as people read it: labels and value labels in their language, records by
name with a link, Japan time, no UI preferences; and each record's own history tab."""

import html
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import AuditEvent


def _edit_talent(client, talent_id: int, **changes) -> None:
    form = {
        "external_id": "H-1",
        "name": "履歴 花子",
        "name_kana": "りれき はなこ",
        "kind": "external",
        "external_role": "",
        "available_hours_per_month": "40",
        "work_style": "hybrid",
        "skills": ["cloud"],
        "experience": "自治体の基幹業務システム標準化を支援。",
        "email": "h@example.jp",
        "phone": "000-0000-0000",
    }
    form.update(changes)
    response = client.post(f"/pool/{talent_id}/edit", data=form)
    assert response.status_code == 302, response.text


def _changes(page: str) -> list[str]:
    """Each change line of the trail, as text."""
    items = re.findall(r"<li><strong>(.*?)</li>", page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in items]


def _talent(factory):
    return factory.talent(
        "03",
        external_id="H-1",
        name="履歴 花子",
        name_kana="りれき はなこ",
        kind="external",
        available_hours_per_month=40,
        work_style="hybrid",
        skills=("cloud",),
        email="h@example.jp",
    )


def test_trail_shows_labels_links_and_japan_time(app, client, factory, login):
    talent = _talent(factory)
    login(factory.coordinator("03"))
    _edit_talent(client, talent.id, kind="staff", work_style="remote", skills=["cloud", "data"])
    page = client.get("/audit/?entity=talent")
    assert page.status_code == 200
    changes = _changes(page.text)
    assert "種別: 外部人材 → 常勤職員(都道府県が雇用)" in changes
    assert "勤務形態: 併用 → リモート" in changes
    assert "スキル: 追加 データ利活用・オープンデータ・EBPM" in changes
    # raw column names, codes and UTC ISO times are gone
    for raw in ("prefecture_id", "kind:", "external", "cio_candidate", "created_at", "T0", "False"):
        assert raw not in " ".join(changes), raw
    assert "都道府県: 岩手県" in " ".join(changes)  # the create event names the prefecture
    assert "CIO補佐官候補: いいえ" in changes and "資格: —" not in " ".join(changes)
    # the record by name, with a link to it; the filter offers labels, not table names
    assert f'人材: <a href="/pool/{talent.id}">履歴 花子</a>' in page.text
    assert '<option value="talent" selected>人材</option>' in page.text
    with app.app_context():
        stored = db.session.scalar(
            select(AuditEvent.created_at).order_by(AuditEvent.id.desc()).limit(1)
        )
    assert f'<td class="nowrap">{stored + timedelta(hours=9):%Y-%m-%d %H:%M}</td>' in page.text


def test_trail_in_english(client, factory, login):
    talent = _talent(factory)
    login(factory.coordinator("03"))
    _edit_talent(client, talent.id, kind="company", available_hours_per_month="60")
    client.post("/language", data={"lang": "en", "next": "/"})
    changes = _changes(client.get("/audit/?entity=talent").text)
    assert "Type: External talent → Company" in changes
    assert "Available hours (per month): 40 → 60" in changes
    assert "Prefecture: 岩手県" in changes  # the prefecture's name is data
    assert not [c for c in changes if re.search(r"[぀-ヿ一-鿿]", c.split(":")[0])]


def test_a_language_switch_is_not_a_change(app, client, factory, login):
    coordinator = factory.coordinator("03")
    login(coordinator)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    client.post("/language", data={"lang": "en", "next": "/"})
    client.post("/language", data={"lang": "ja", "next": "/"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_each_record_has_its_own_history_tab(app, client, factory, login):
    talent = _talent(factory)
    other = factory.talent("03", name="別の 人")
    coordinator = factory.coordinator("03")
    login(coordinator)
    _edit_talent(client, talent.id, available_hours_per_month="80")
    detail = client.get(f"/pool/{talent.id}")
    assert f'href="/audit/talent/{talent.id}">変更履歴</a>' in detail.text
    history = client.get(f"/audit/talent/{talent.id}")
    assert history.status_code == 200
    assert "稼働可能時間(月): 40 → 80" in _changes(history.text)
    assert "別の 人" not in history.text and other.name not in _changes(history.text)
    assert f'href="/pool/{talent.id}">詳細</a>' in history.text

    # a request: the officer of its municipality and the coordinator see its history
    item = factory.request("032018", title="履歴の依頼", hours_per_month=10)
    client.post(
        f"/requests/{item.id}/edit",
        data={"title": "履歴の依頼(改)", "hours_per_month": "12", "headcount": "1"},
    )
    officer = factory.officer("032018")
    client.post("/logout")
    login(officer)
    page = client.get(f"/audit/requests/{item.id}")
    assert page.status_code == 200 and "履歴の依頼" in page.text
    assert client.get(f"/audit/talent/{talent.id}").status_code == 403
    client.post("/logout")
    login(factory.coordinator("20"))
    assert client.get(f"/audit/requests/{item.id}").status_code == 404


def test_assignment_and_leader_histories_include_their_parts(app, client, factory, login):
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    _user, talent = factory.talent_user("03", available_hours_per_month=80)
    item = factory.request("032018", title="派遣の依頼", hours_per_month=10)
    assignment = factory.assignment(coordinator, item, talent, note="初月の活動")
    leader = factory.dx_leader("032018", name="履歴 リーダー")
    factory.enrollment(factory.program(), leader=leader, completed_on=date(2025, 9, 1))

    login(coordinator)
    page = client.get(f"/audit/assignments/{assignment.id}")
    assert page.status_code == 200
    assert "初月の活動" in page.text  # the activity log belongs to the assignment's history
    leader_page = client.get(f"/audit/leaders/{leader.id}")
    assert "修了" in leader_page.text and "2025-09-01" in leader_page.text
    client.post("/logout")
    login(officer)
    assert client.get(f"/audit/leaders/{leader.id}").status_code == 200
    assert client.get(f"/audit/assignments/{assignment.id}").status_code == 403
