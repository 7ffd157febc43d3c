"""Who hears of a request's publication, cancellation and reopening and of an accepted
proposal, in the app and by mail; each user's mail choice per kind; the mail's language."""

import re

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Notification, OutboxMessage, User


def _notices(app, kind: str) -> dict[int, Notification]:
    with app.app_context():
        rows = db.session.scalars(select(Notification).where(Notification.kind == kind))
        return {n.user_id: n for n in rows}


def _mail(app, user: User) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.recipient == user.email)
                .order_by(OutboxMessage.id)
            )
        )


def _move(client, item, name: str):
    response = client.post(f"/requests/{item.id}/transition/{name}", data={"confirmed": "1"})
    assert response.status_code == 302, response.text[:500]
    client.post("/logout")


def test_a_municipality_publishing_or_cancelling_reaches_its_prefectures_coordinators(
    app, client, factory, login
):
    first, second = factory.coordinator("03"), factory.coordinator("03")
    elsewhere = factory.coordinator("20")
    officer = factory.officer("032018")
    draft = factory.request("032018", state="draft", title="窓口DX", skills=("frontyard",))
    login(officer)
    _move(client, draft, "publish")
    published = _notices(app, "request_published")
    assert set(published) == {first.id, second.id}  # not B's coordinator, not the officer
    assert published[first.id].link == f"/requests/{draft.id}"
    (mail,) = _mail(app, first)
    assert mail.subject == "[デジタル人材プール] 盛岡市が支援依頼「窓口DX」を公開しました。"
    assert mail.prefecture_id == factory.prefecture("03").id
    assert _mail(app, elsewhere) == []

    login(officer)
    _move(client, draft, "cancel")
    assert set(_notices(app, "request_cancelled")) == {first.id, second.id}
    login(first)
    assert "盛岡市の支援依頼「窓口DX」が取り消されました。" in client.get("/notifications/").text


def test_a_coordinator_publishing_tells_nobody_but_cancelling_and_reopening_tell_the_officers(
    app, client, factory, login
):
    coordinator = factory.coordinator("03")
    officer, colleague = factory.officer("032018"), factory.officer("032018")
    neighbour = factory.officer("032051")  # 花巻市, same prefecture
    item = factory.request("032018", state="draft", title="RPA", skills=("ai_rpa",))
    login(coordinator)
    _move(client, item, "publish")
    assert _notices(app, "request_published") == {}
    login(coordinator)
    _move(client, item, "cancel")
    assert set(_notices(app, "request_cancelled")) == {officer.id, colleague.id}
    login(coordinator)
    _move(client, item, "reopen")
    assert set(_notices(app, "request_reopened")) == {officer.id, colleague.id}
    assert [m.subject for m in _mail(app, officer)] == [
        "[デジタル人材プール] 盛岡市の支援依頼「RPA」が取り消されました。",
        "[デジタル人材プール] 盛岡市の支援依頼「RPA」の募集が都道府県担当者により再開されました。",
    ]
    assert _mail(app, neighbour) == []


def test_an_accepted_proposal_reaches_the_municipality_and_the_coordinator(
    app, client, factory, login
):
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    talent_user, talent = factory.talent_user("03")
    offer = factory.offer(coordinator, factory.request("032018", title="標準化"), talent)
    login(talent_user)
    assert client.post(f"/offers/{offer.id}/accept").status_code == 302
    assert set(_notices(app, "assignment_started")) == {officer.id, coordinator.id, talent_user.id}
    assert set(_notices(app, "offer_accepted")) == {coordinator.id}
    subjects = [m.subject for m in _mail(app, officer)]
    assert subjects == [
        f"[デジタル人材プール] 盛岡市「標準化」の派遣が始まりました({talent.name}さん、月20時間)。"
    ]


def test_mail_can_be_turned_off_per_kind_and_in_app_notices_stay(app, client, factory, login):
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    login(officer)
    page = client.get("/notifications/settings")
    assert page.status_code == 200
    assert "支援依頼が取り消されたとき" in page.text
    assert "支援依頼の募集が再開されたとき" in page.text
    assert "打診が届いたとき" not in page.text  # a talent's kind, not an officer's
    assert page.text.count("checked") == 5  # every kind comes by mail until turned off
    # Keep mail for reopening only: cancellations are read in the app.
    saved = client.post("/notifications/settings", data={"by_mail": ["request_reopened"]})
    assert saved.status_code == 302
    page = client.get("/notifications/settings")
    assert page.text.count("checked") == 1
    assert re.search(r'<input checked [^>]*value="request_reopened"', page.text)
    refused = client.post("/notifications/settings", data={"by_mail": ["offer_received"]})
    assert refused.status_code == 400  # not a kind an officer receives
    client.post("/logout")

    item = factory.request("032018", title="防災DX", skills=("regional_dx",))
    login(coordinator)
    _move(client, item, "cancel")
    login(coordinator)
    _move(client, item, "reopen")
    assert officer.id in _notices(app, "request_cancelled")  # still in the app
    (mail,) = _mail(app, officer)
    assert "「防災DX」の募集が都道府県担当者により再開されました。" in mail.subject


def test_english_users_get_english_mail_and_the_rest_japanese(app, client, factory, login):
    coordinator = factory.coordinator("03")
    english, japanese = factory.officer("032018"), factory.officer("032018")
    with app.app_context():
        db.session.get(User, english.id).locale = "en"
        db.session.commit()
    item = factory.request("032018", title="Wi-Fi", skills=("network",))
    login(coordinator)
    client.post("/language", data={"lang": "en"})  # the actor's language does not matter
    _move(client, item, "cancel")
    (mail,) = _mail(app, english)
    assert mail.subject == (
        "[Digital Talent Pool] The support request “Wi-Fi” of 盛岡市 has been cancelled."
    )
    assert "Dear" in mail.body_text and "automatically" in mail.body_text
    assert "盛岡市の支援依頼「Wi-Fi」が取り消されました。" not in mail.body_text
    (other,) = _mail(app, japanese)
    assert other.subject == "[デジタル人材プール] 盛岡市の支援依頼「Wi-Fi」が取り消されました。"
    assert "デジタル人材プールからの自動送信メールです" in other.body_text
    assert "talentpool" not in other.body_text + (other.body_html or "")


def test_invitation_mail_is_japanese_and_names_the_pool_not_the_package(
    app, client, factory, login
):
    login(factory.coordinator("03"))
    client.post("/language", data={"lang": "en"})
    client.post(
        "/accounts/invitations",
        data={
            "email": "new.officer@example.jp",
            "name": "新任 担当",
            "role": "municipal_officer",
            "municipality_id": str(factory.municipality("032018").id),
        },
    )
    with app.app_context():
        mail = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == "new.officer@example.jp")
        )
    assert mail.subject == "デジタル人材プールへの招待"
    assert "デジタル人材プールに招待されました" in mail.body_text
    assert mail.prefecture_id == factory.prefecture("03").id
