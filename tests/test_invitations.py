"""Invitations: who may invite whom, single-use expiring links, the invitee's first login."""

import re
from datetime import timedelta

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Invitation, OutboxMessage, Role, Talent, User


def _link(text: str) -> str:
    match = re.search(r"(/invitations/[A-Za-z0-9_\-]{20,})", text)  # the token, not an id
    assert match, text
    return match.group(1)


def test_coordinator_invites_officer_who_sets_password(app, client, factory, login):
    coordinator = factory.coordinator("03")
    morioka = factory.municipality("032018")
    login(coordinator)
    response = client.post(
        "/accounts/invitations",
        data={
            "name": "盛岡 花子",
            "email": "Hanako@Example.jp",
            "role": "municipal_officer",
            "municipality_id": str(morioka.id),
            "prefecture_id": "0",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "招待リンクを本人に伝えてください" in response.text  # no MAIL_SERVER: shown on screen
    link = _link(response.text)
    with app.app_context():
        mail = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == "hanako@example.jp")
        )
        assert link in mail.body_text
        invitation = db.session.scalar(select(Invitation))
        assert link.rsplit("/", 1)[1] not in invitation.token_hash  # stored hashed
    client.post("/logout")

    page = client.get(link)
    assert page.status_code == 200 and "hanako@example.jp" in page.text
    weak = client.post(link, data={"password": "short", "confirm": "short"})
    assert weak.status_code == 400
    done = client.post(
        link, data={"password": "a-long-enough-pass", "confirm": "a-long-enough-pass"}
    )
    assert done.status_code == 302
    assert "盛岡市" in client.get("/").text
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "hanako@example.jp"))
        assert user.role == Role.municipal_officer and user.municipality_id == morioka.id
    # Single use: the same link no longer works.
    client.post("/logout")
    again = client.get(link)
    assert again.status_code == 404 and "既に使用されています" in again.text


def test_coordinator_cannot_invite_into_another_prefecture(app, client, factory, login):
    login(factory.coordinator("03"))
    sapporo = factory.municipality("011002")
    response = client.post(
        "/accounts/invitations",
        data={
            "name": "札幌 太郎",
            "email": "x@example.jp",
            "role": "municipal_officer",
            "municipality_id": str(sapporo.id),
            "prefecture_id": "0",
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Invitation)) is None


def test_coordinator_cannot_invite_coordinators(app, client, factory, login):
    login(factory.coordinator("03"))
    response = client.post(
        "/accounts/invitations",
        data={
            "name": "X",
            "email": "x@example.jp",
            "role": "coordinator",
            "prefecture_id": "0",
            "municipality_id": "0",
        },
    )
    assert response.status_code == 400


def test_national_admin_invites_a_coordinator(app, client, factory, login):
    login(factory.admin())
    nagano = factory.prefecture("20")
    response = client.post(
        "/accounts/invitations",
        data={
            "name": "長野 担当",
            "email": "nagano@example.jp",
            "role": "coordinator",
            "prefecture_id": str(nagano.id),
            "municipality_id": "0",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    client.post("/logout")
    link = _link(response.text)
    client.post(link, data={"password": "shinano-river-77", "confirm": "shinano-river-77"})
    assert "長野県の都道府県担当者" in client.get("/").text


def test_expired_invitation_is_refused(app, client, factory, login):
    login(factory.admin())
    response = client.post(
        "/accounts/invitations",
        data={
            "name": "期限 切れ",
            "email": "late@example.jp",
            "role": "coordinator",
            "prefecture_id": str(factory.prefecture("03").id),
            "municipality_id": "0",
        },
        follow_redirects=True,
    )
    link = _link(response.text)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.expires_at -= timedelta(days=30)
        db.session.commit()
    client.post("/logout")
    page = client.get(link)
    assert page.status_code == 404 and "有効期限が切れています" in page.text
    assert client.post(link, data={"password": "x" * 12, "confirm": "x" * 12}).status_code == 404


def test_coordinator_invites_talent_of_own_pool_only(app, client, factory, login):
    own = factory.talent("03", email="own@example.jp")
    other = factory.talent("20", email="other@example.jp")
    login(factory.coordinator("03"))
    assert client.post(f"/accounts/invite-talent/{other.id}").status_code == 404
    response = client.post(f"/accounts/invite-talent/{own.id}", follow_redirects=True)
    link = _link(response.text)
    client.post("/logout")
    client.post(link, data={"password": "talent-pass-123", "confirm": "talent-pass-123"})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "own@example.jp"))
        assert user.role == Role.talent
        assert db.session.get(Talent, own.id).user_id == user.id


def test_the_national_admin_sees_only_the_accounts_they_look_after(app, client, factory, login):
    """The national admin's page listed every account of every prefecture (talent names,
    e-mails, last login); it lists coordinators and national admins only."""
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    talent_user, _talent = factory.talent_user("03")
    other_admin = factory.admin()
    login(coordinator)
    client.post(
        "/accounts/invitations",
        data={
            "name": "招待 中",
            "email": "invited-officer@example.jp",
            "role": "municipal_officer",
            "municipality_id": str(factory.municipality("032018").id),
            "prefecture_id": "0",
        },
    )
    assert "invited-officer@example.jp" in client.get("/accounts/invitations").text
    client.post("/logout")
    login(factory.admin())
    page = client.get("/accounts/invitations").text
    assert coordinator.email in page and other_admin.email in page
    for hidden in (officer.email, talent_user.email, "invited-officer@example.jp"):
        assert hidden not in page
    # The prefecture's own coordinator still sees the prefecture's officers and talent.
    client.post("/logout")
    login(coordinator)
    page = client.get("/accounts/invitations").text
    assert officer.email in page and talent_user.email in page
