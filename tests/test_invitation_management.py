"""Invitations after they are sent: the profile says 招待中 with the expiry, the inviter can
copy the link again, resend (new link, old one dead) and revoke (after a confirmation); the
list shows pending and expired invitations; time makes a pending invitation expired."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import Invitation, OutboxMessage, Talent, User
from talentpool.services.accounts import invitations
from talentpool.services.accounts.users import ALREADY_INVITED

PASSWORD = "a-long-enough-pass"


def _link_field(page: str) -> str:
    """The accept path in the page's read-only link field."""
    match = re.search(r'id="invitation-link-\d+"[^>]*value="[^"]*?(/invitations/[\w-]{20,})"', page)
    assert match, "no invitation link field on the page"
    return match.group(1)


def _invitations(app, talent_id: int) -> list[Invitation]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Invitation).where(Invitation.talent_id == talent_id).order_by(Invitation.id)
            )
        )


def _move_clock(app, invitation_id: int, hours: float) -> None:
    """As if `hours` had passed since the invitation was sent (its stamps move back)."""
    with app.app_context():
        row = db.session.get(Invitation, invitation_id)
        row.created_at -= timedelta(hours=hours)
        row.expires_at -= timedelta(hours=hours)
        db.session.commit()


def _accept(client, link: str):
    return client.post(link, data={"password": PASSWORD, "confirm": PASSWORD})


def test_profile_shows_the_pending_invitation_and_its_link_to_the_inviter_only(
    app, client, factory, login
):
    talent = factory.talent("03", name="招待 待子", email="machiko@example.jp")
    inviter = factory.coordinator("03")
    colleague = factory.coordinator("03")
    login(inviter)
    page = client.post(f"/accounts/invite-talent/{talent.id}", follow_redirects=True).text
    assert "招待中" in page and "本人はまだログインできません" not in page
    (invitation,) = _invitations(app, talent.id)
    expiry = (invitation.expires_at + timedelta(hours=9)).strftime("%Y-%m-%d %H:%M")
    assert f"有効期限は {expiry} です" in page
    assert "ログインに招待する" not in page  # the same button no longer
    link = _link_field(page)
    with app.app_context():
        mail = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == "machiko@example.jp")
        )
        assert link in mail.body_text  # the field shows the link that was mailed
    # Later, on another visit, the inviter still finds the link on the profile.
    assert _link_field(client.get(f"/pool/{talent.id}").text) == link
    client.post("/logout")

    login(colleague)
    page = client.get(f"/pool/{talent.id}").text
    assert "招待中" in page and "/invitations/" + link.rsplit("/", 1)[1] not in page
    detail = client.get(f"/accounts/invitations/{invitation.id}").text
    assert "招待した本人" in detail and link.rsplit("/", 1)[1] not in detail
    client.post("/logout")

    assert client.get(link).status_code == 200
    assert _accept(client, link).status_code == 302
    client.post("/logout")
    login(inviter)
    page = client.get(f"/pool/{talent.id}").text
    assert "ログイン可" in page and "machiko@example.jp" in page and "招待中" not in page


def test_resend_issues_a_new_link_and_kills_the_old_one(app, client, factory, login):
    talent = factory.talent("03", email="resend@example.jp")
    coordinator = factory.coordinator("03")
    login(coordinator)
    old_link = _link_field(
        client.post(f"/accounts/invite-talent/{talent.id}", follow_redirects=True).text
    )
    (first,) = _invitations(app, talent.id)
    _move_clock(app, first.id, 48)
    page = client.post(
        f"/accounts/invitations/{first.id}/resend", data={"back": "talent"}, follow_redirects=True
    )
    assert page.status_code == 200 and f"/pool/{talent.id}" in page.request.path
    assert "新しい招待リンクを発行しました" in page.text
    new_link = _link_field(page.text)
    assert new_link != old_link
    old, new = _invitations(app, talent.id)
    assert invitations.state_of(old) == "resent" and old.replaced_by_id == new.id
    assert invitations.state_of(new) == "pending"
    assert new.expires_at - new.created_at == timedelta(hours=72)  # a fresh validity
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.recipient == "resend@example.jp")
            )
            == 2
        )
    client.post("/logout")

    dead = client.get(old_link)
    assert dead.status_code == 404 and "新しいリンクが送られたため" in dead.text
    assert _accept(client, old_link).status_code == 404
    assert _accept(client, new_link).status_code == 302


def test_revoke_asks_first_then_the_link_stops_working(app, client, factory, login):
    talent = factory.talent("03", email="revoke@example.jp")
    login(factory.coordinator("03"))
    link = _link_field(
        client.post(f"/accounts/invite-talent/{talent.id}", follow_redirects=True).text
    )
    (invitation,) = _invitations(app, talent.id)
    confirm = client.get(f"/accounts/invitations/{invitation.id}/revoke?back=talent")
    assert confirm.status_code == 200 and "revoke@example.jp" in confirm.text
    assert invitations.state_of(_invitations(app, talent.id)[0]) == "pending"  # not yet
    done = client.post(
        f"/accounts/invitations/{invitation.id}/revoke",
        data={"back": "talent"},
        follow_redirects=True,
    )
    assert "招待を取り消しました" in done.text and "ログインに招待する" in done.text
    assert invitations.state_of(_invitations(app, talent.id)[0]) == "revoked"
    again = client.post(f"/accounts/invitations/{invitation.id}/revoke", follow_redirects=True)
    assert "既に取り消されたか" in again.text  # a second click: a message, nothing else
    client.post("/logout")
    dead = client.get(link)
    assert dead.status_code == 404 and "取り消されました" in dead.text


def test_an_invitation_expires_as_time_passes_and_can_be_sent_again(app, client, factory, login):
    talent = factory.talent("03", name="期限 切男", email="late@example.jp")
    login(factory.coordinator("03"))
    client.post(f"/accounts/invite-talent/{talent.id}")
    (invitation,) = _invitations(app, talent.id)
    assert "期限 切男" in client.get("/accounts/invitations").text  # open: listed by default
    assert "期限 切男" in client.get("/pool/?login=pending").text

    _move_clock(app, invitation.id, 73)  # three days and an hour later
    profile = client.get(f"/pool/{talent.id}").text
    assert "招待期限切れ" in profile and "新しいリンクで再送する" in profile
    assert 'id="invitation-link-' not in profile  # a dead link is not offered for copying
    assert "期限 切男" in client.get("/accounts/invitations?state=expired").text
    assert "期限 切男" not in client.get("/accounts/invitations?state=pending").text
    assert "期限 切男" in client.get("/pool/?login=expired").text
    assert "期限 切男" not in client.get("/pool/?login=pending").text

    # Inviting again (the profile's resend) replaces the expired invitation.
    client.post(f"/accounts/invitations/{invitation.id}/resend", data={"back": "talent"})
    old, new = _invitations(app, talent.id)
    assert invitations.state_of(old) == "resent" and invitations.state_of(new) == "pending"
    assert "期限 切男" in client.get("/pool/?login=pending").text


def test_inviting_twice_gives_a_message_not_a_second_link(app, client, factory, login):
    talent = factory.talent("03", email="twice@example.jp")
    login(factory.coordinator("03"))
    client.post(f"/accounts/invite-talent/{talent.id}")
    second = client.post(f"/accounts/invite-talent/{talent.id}", follow_redirects=True)
    assert second.status_code == 200
    assert html.escape(str(ALREADY_INVITED)) in second.text or str(ALREADY_INVITED) in second.text
    assert len(_invitations(app, talent.id)) == 1
    # The same address through the invitation form (as an officer) is refused too.
    morioka = factory.municipality("032018")
    refused = client.post(
        "/accounts/invitations",
        data={
            "name": "二重",
            "email": "Twice@Example.jp",
            "role": "municipal_officer",
            "municipality_id": str(morioka.id),
            "prefecture_id": "0",
        },
    )
    assert refused.status_code == 400 and "有効期限内の招待が既にあります" in refused.text


def test_the_invitation_list_filters_searches_pages_and_keeps_to_its_scope(
    app, client, factory, login
):
    coordinator = factory.coordinator("03")
    login(coordinator)
    people = [
        factory.talent("03", name=f"一覧 {n:02d}", email=f"list{n}@example.jp") for n in range(27)
    ]
    for t in people:
        client.post(f"/accounts/invite-talent/{t.id}")
    first = client.get("/accounts/invitations").text
    assert "27件中 1–25件を表示" in first
    second = client.get("/accounts/invitations?page=2").text
    assert "27件中 26–27件を表示" in second
    found = client.get("/accounts/invitations?q=ＬＩＳＴ7%40").text  # full-width, case folded
    assert "list7@example.jp" in found and "list17@example.jp" not in found
    assert "条件に合う招待はありません" in client.get("/accounts/invitations?q=%25").text
    assert "条件に合う招待はありません" in client.get("/accounts/invitations?state=used").text
    bad = client.get("/accounts/invitations?state=nonsense")
    assert bad.status_code == 400 and "一覧 26" in bad.text  # shown with the default filter
    client.post("/logout")

    login(factory.coordinator("20"))  # another prefecture sees none of them
    page = client.get("/accounts/invitations?state=all").text
    assert "一覧 00" not in page
    (one,) = _invitations(app, people[0].id)
    assert client.get(f"/accounts/invitations/{one.id}").status_code == 404
    assert client.post(f"/accounts/invitations/{one.id}/resend").status_code == 404
    client.post("/logout")
    login(factory.admin())  # the national admin manages coordinators' invitations only
    assert "一覧 00" not in client.get("/accounts/invitations?state=all").text


def test_an_officer_invitation_lands_on_its_page_with_the_link(app, client, factory, login):
    login(factory.coordinator("03"))
    morioka = factory.municipality("032018")
    page = client.post(
        "/accounts/invitations",
        data={
            "name": "盛岡 次郎",
            "email": "jiro@example.jp",
            "role": "municipal_officer",
            "municipality_id": str(morioka.id),
            "prefecture_id": "0",
        },
        follow_redirects=True,
    )
    assert "/accounts/invitations/" in page.request.path
    assert "招待中" in page.text and "このページの招待リンクを本人に伝えてください" in page.text
    link = _link_field(page.text)
    client.post("/logout")
    assert _accept(client, link).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "jiro@example.jp"))


def test_a_link_from_before_this_change_cannot_be_shown_but_can_be_resent(
    app, client, factory, login
):
    talent = factory.talent("03", email="legacy@example.jp")
    login(factory.coordinator("03"))
    client.post(f"/accounts/invite-talent/{talent.id}")
    (invitation,) = _invitations(app, talent.id)
    with app.app_context():
        db.session.get(Invitation, invitation.id).link_nonce = None  # as migrated rows are
        db.session.commit()
    page = client.get(f"/accounts/invitations/{invitation.id}").text
    assert "このリンクは表示できません" in page and 'id="invitation-link-' not in page
    resent = client.post(f"/accounts/invitations/{invitation.id}/resend", follow_redirects=True)
    assert _link_field(resent.text)


def test_a_changed_secret_key_hides_old_links_but_they_still_work(app, factory):
    from talentpool.services.accounts.invitation_links import token_of
    from talentpool.services.accounts.users import invite

    talent = factory.talent("03", email="rotate@example.jp")
    coordinator = factory.coordinator("03")
    with app.test_request_context():
        issued = invite(
            inviter=db.session.get(User, coordinator.id),
            email=talent.email,
            name=talent.name,
            role="talent",
            talent_id=talent.id,
        )
        assert token_of(issued.invitation) == issued.token
        app.config["SECRET_KEY"], key = "another-key", app.config["SECRET_KEY"]
        try:
            assert token_of(issued.invitation) is None
        finally:
            app.config["SECRET_KEY"] = key
        db.session.rollback()


def test_anonymizing_talent_revokes_their_pending_invitation(app, client, factory, login):
    talent = factory.talent("03", email="gone@example.jp")
    login(factory.coordinator("03"))
    link = _link_field(
        client.post(f"/accounts/invite-talent/{talent.id}", follow_redirects=True).text
    )
    client.post(f"/pool/{talent.id}/anonymize", data={"confirm": "y"})
    with app.app_context():
        assert db.session.get(Talent, talent.id).anonymized_at is not None
    client.post("/logout")
    assert client.get(link).status_code == 404


def test_the_invitation_screens_in_english(app, client, factory, login):
    talent = factory.talent("03", email="english@example.jp")
    login(factory.coordinator("03"))
    client.post("/language", data={"lang": "en", "next": "/"})
    profile = client.post(f"/accounts/invite-talent/{talent.id}", follow_redirects=True).text
    assert "Invited" in profile and "Resend with a new link" in profile and "招待中" not in profile
    (invitation,) = _invitations(app, talent.id)
    detail = client.get(f"/accounts/invitations/{invitation.id}").text
    assert "Revoke the invitation" in detail and "Invitation link" in detail
    listing = client.get("/accounts/invitations").text
    assert "Needs attention (pending, expired)" in listing and "Resend" in listing
    pool = client.get("/pool/?login=pending").text
    assert "Invite the chosen talent to log in" in pool and "until " in pool


def test_the_national_admin_resends_a_coordinators_invitation(app, client, factory, login):
    login(factory.admin())
    nagano = factory.prefecture("20")
    page = client.post(
        "/accounts/invitations",
        data={
            "name": "長野 担当",
            "email": "nagano.new@example.jp",
            "role": "coordinator",
            "prefecture_id": str(nagano.id),
            "municipality_id": "0",
        },
        follow_redirects=True,
    )
    first = _link_field(page.text)
    with app.app_context():
        (invitation,) = db.session.scalars(
            select(Invitation).where(Invitation.email == "nagano.new@example.jp")
        )
    resent = client.post(f"/accounts/invitations/{invitation.id}/resend", follow_redirects=True)
    second = _link_field(resent.text)
    assert second != first and "/accounts/invitations/" in resent.request.path
    client.post("/logout")
    assert client.get(first).status_code == 404
    assert _accept(client, second).status_code == 302
    assert "長野県の都道府県担当者" in client.get("/").text


def test_the_link_is_on_base_url_not_the_requests_host(app, client, factory, login, monkeypatch):
    """Links go out by mail and are passed on: they point at the public address (BASE_URL),
    never at the host the inviter's request happened to use."""
    base = "https://pool.example.lg.jp"
    monkeypatch.setitem(app.config, "BASE_URL", base)
    talent = factory.talent("03", name="基底 太郎", email="kitei@example.jp")
    login(factory.coordinator("03"))
    page = client.post(f"/accounts/invite-talent/{talent.id}", follow_redirects=True).text
    field = re.search(r'id="invitation-link-\d+"[^>]*value="([^"]+)"', page)
    assert field and field.group(1) == base + _link_field(page)
    with app.app_context():
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "kitei@example.jp")
        ).one()
    assert base + _link_field(page) in mail.body_text and "localhost" not in mail.body_text
