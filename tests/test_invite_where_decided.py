"""Inviting where the decision is made: from a request's ranking, from the plan
(「招待して打診」: the offer waits for the person's first login), and many at once from a
selection of the pool list; the list's login column and filter; the home tiles."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import (
    Invitation,
    MatchPlan,
    MatchPlanItem,
    Notification,
    Offer,
    OutboxMessage,
    Talent,
    User,
)
from talentpool.services.accounts import invitations
from talentpool.services.clock import today

PASSWORD = "a-long-enough-pass"


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _open_invitation(app, talent_id: int) -> Invitation | None:
    with app.app_context():
        return db.session.scalar(
            select(Invitation).where(
                Invitation.talent_id == talent_id, invitations.state_clause("pending")
            )
        )


def _link_in_mail(app, email: str) -> str:
    with app.app_context():
        body = db.session.scalars(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id.desc())
        ).first()
    return re.search(r"(/invitations/[\w-]{20,})", body).group(1)


@pytest.fixture
def ranked(factory):
    """A coordinator of 03, a request, a candidate who can log in and two who cannot."""
    coordinator = factory.coordinator("03")
    req = factory.request(
        "032018",
        title="書かない窓口の導入",
        description="書かない窓口を始めたい。",
        skills=("frontyard",),
        hours_per_month=10,
    )
    _u, member = factory.talent_user(
        "03", name="登録 済子", skills=("frontyard",), experience="書かない窓口の導入を支援。"
    )
    newcomer = factory.talent(
        "03",
        name="新人 招子",
        email="maneki@example.jp",
        skills=("frontyard",),
        experience="書かない窓口の導入と業務改革を支援。",
    )
    no_mail = factory.talent(
        "03", name="連絡 無男", email=None, skills=("frontyard",), experience="書かない窓口。"
    )
    return coordinator, req, member, newcomer, no_mail


def test_invite_from_the_ranking_then_offer_the_invited_person(app, client, factory, login, ranked):
    coordinator, req, _member, newcomer, no_mail = ranked
    login(coordinator)
    page = client.get(f"/matching/requests/{req.id}").text
    assert f"/accounts/invite-talent/{newcomer.id}" in page  # 招待する, right in the row
    assert f"/accounts/invite-talent/{no_mail.id}" not in page and "メールなし" in page

    back = client.post(f"/accounts/invite-talent/{newcomer.id}", data={"request_id": str(req.id)})
    assert back.status_code == 302 and back.location.endswith(f"/matching/requests/{req.id}")
    page = client.get(f"/matching/requests/{req.id}").text
    row = page[page.index(f'<a href="/pool/{newcomer.id}">') :][:3000]
    assert "招待中" in row and f"/offers/new/{req.id}?talent_id={newcomer.id}" in row

    assert re.search(r"新人 招子[^<]*・招待中<", client.get(f"/offers/new/{req.id}").text)
    # The offer goes through the offer service and waits for the person.
    sent = client.post(
        f"/offers/new/{req.id}",
        data={
            "talent_id": newcomer.id,
            "hours_per_month": "10",
            "reply_by": (today() + timedelta(days=7)).isoformat(),
            "message": "お願いします",
        },
    )
    assert sent.status_code == 302
    client.post("/logout")

    link = _link_in_mail(app, "maneki@example.jp")
    assert client.post(link, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    home = client.get("/").text
    assert re.search(r'attention__count">1</span> 回答が必要な打診', home)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "maneki@example.jp"))
        notice = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
        assert notice.kind == "offer_received"
        offer = db.session.scalar(select(Offer).where(Offer.talent_id == newcomer.id))
    assert client.post(f"/offers/{offer.id}/accept").status_code == 302


def test_a_ranking_page_cannot_be_used_to_redirect_elsewhere(app, client, factory, login, ranked):
    coordinator, _req, _member, newcomer, _no_mail = ranked
    other = factory.request("202011", title="長野の依頼")
    login(coordinator)
    back = client.post(f"/accounts/invite-talent/{newcomer.id}", data={"request_id": str(other.id)})
    assert back.location.endswith(f"/pool/{newcomer.id}")  # not another prefecture's page


def test_no_offer_for_someone_neither_invited_nor_with_an_account(
    app, client, factory, login, ranked
):
    coordinator, req, _member, newcomer, _no_mail = ranked
    login(coordinator)
    data = {
        "talent_id": newcomer.id,
        "hours_per_month": "10",
        "reply_by": (today() + timedelta(days=7)).isoformat(),
    }
    refused = client.post(f"/offers/new/{req.id}", data=data)
    assert refused.status_code == 400 and "先に人材を招待してください" in refused.text
    client.post(f"/accounts/invite-talent/{newcomer.id}")
    with app.app_context():
        row = db.session.scalar(select(Invitation).where(Invitation.talent_id == newcomer.id))
        row.expires_at = row.created_at - timedelta(seconds=1)  # the invitation ran out
        db.session.commit()
    refused = client.post(f"/offers/new/{req.id}", data=data)
    assert refused.status_code == 400 and "招待中でもありません" in refused.text
    assert _count(app, Offer) == 0


def test_bulk_invite_from_the_ranking_returns_there(app, client, factory, login, ranked):
    coordinator, req, _member, newcomer, _no_mail = ranked
    second = factory.talent(
        "03", name="二人 目子", skills=("frontyard",), experience="書かない窓口の導入を支援。"
    )
    login(coordinator)
    page = client.get(f"/matching/requests/{req.id}").text
    assert "未招待の候補者をまとめて招待する" in page
    confirm = client.post(
        "/accounts/invite-talent",
        data={"talent_id": [str(newcomer.id), str(second.id)], "request_id": str(req.id)},
    )
    assert confirm.status_code == 200 and "招待する人(2人)" in confirm.text
    assert f'name="request_id" value="{req.id}"' in confirm.text
    done = client.post(
        "/accounts/invite-talent",
        data={
            "talent_id": [str(newcomer.id), str(second.id)],
            "request_id": str(req.id),
            "confirm": "1",
        },
    )
    assert done.status_code == 303 and done.location.endswith(f"/matching/requests/{req.id}")
    assert _open_invitation(app, newcomer.id) and _open_invitation(app, second.id)


# --- the pool list --------------------------------------------------------------------------


@pytest.fixture
def mixed_pool(factory):
    """Four talent of 03: with an account, invited, invited long ago (expired), never."""
    coordinator = factory.coordinator("03")
    _u, member = factory.talent_user("03", name="アカ ウント", name_kana="あ")
    pending = factory.talent("03", name="招待 中子", name_kana="い")
    expired = factory.talent("03", name="期限 切子", name_kana="う")
    never = factory.talent("03", name="未招 待子", name_kana="え")
    no_mail = factory.talent("03", name="メール 無子", name_kana="お", email=None)
    from talentpool.services.accounts.users import invite

    with factory.app.test_request_context():
        inviter = db.session.get(User, coordinator.id)
        for t in (pending, expired):
            invite(inviter=inviter, email=t.email, name=t.name, role="talent", talent_id=t.id)
        row = db.session.scalar(select(Invitation).where(Invitation.talent_id == expired.id))
        row.created_at -= timedelta(days=5)
        row.expires_at -= timedelta(days=5)
        db.session.commit()
    return coordinator, member, pending, expired, never, no_mail


NAMES = ("アカ ウント", "招待 中子", "期限 切子", "未招 待子", "メール 無子")


def _names(page: str) -> set[str]:
    return {n for n in NAMES if n in page}


def test_pool_list_shows_and_filters_by_login_status(client, login, mixed_pool):
    coordinator, *_ = mixed_pool
    login(coordinator)
    page = client.get("/pool/").text
    assert _names(page) == set(NAMES)
    for label in ("ログイン可", "招待中", "招待期限切れ", "未招待", "メールなし"):
        assert label in page
    assert _names(client.get("/pool/?login=account").text) == {"アカ ウント"}
    assert _names(client.get("/pool/?login=pending").text) == {"招待 中子"}
    assert _names(client.get("/pool/?login=expired").text) == {"期限 切子"}
    assert _names(client.get("/pool/?login=none").text) == {"未招 待子", "メール 無子"}
    bad = client.get("/pool/?login=whatever")
    assert bad.status_code == 400 and "検索条件を確認してください" in bad.text


def test_bulk_invite_confirms_then_invites_and_counts_those_skipped(app, client, login, mixed_pool):
    coordinator, member, pending, expired, never, no_mail = mixed_pool
    login(coordinator)
    chosen = [str(t.id) for t in (member, pending, expired, never, no_mail)]
    before = _count(app, Invitation)
    confirm = client.post("/accounts/invite-talent", data={"talent_id": chosen})
    assert confirm.status_code == 200
    text = confirm.text
    assert "招待する人(2人)" in text and "招待しない人(3人)" in text
    invite_part = text[text.index("招待する人") : text.index("招待しない人")]
    assert "期限 切子" in invite_part and "未招 待子" in invite_part
    assert "招待 中子" not in invite_part and "アカ ウント" not in invite_part
    assert _count(app, Invitation) == before  # nothing happens before the confirmation

    done = client.post("/accounts/invite-talent", data={"talent_id": chosen, "confirm": "1"})
    assert done.status_code == 303 and "login=pending" in done.location
    message = client.get(done.location).text
    assert "2人を招待しました" in message
    assert "既にアカウントがある1人は除きました" in message
    assert "招待中の1人は除きました" in message
    assert "メールアドレスのない1人は除きました" in message
    assert _open_invitation(app, expired.id) and _open_invitation(app, never.id)
    assert _count(app, Invitation) == before + 2

    # The same confirmation submitted again (a double click): all skipped, nothing added.
    again = client.post("/accounts/invite-talent", data={"talent_id": chosen, "confirm": "1"})
    assert "0人を招待しました" in client.get(again.location).text
    assert _count(app, Invitation) == before + 2


def test_bulk_invite_refuses_bad_selections_and_changes_nothing(
    app, client, factory, login, mixed_pool
):
    coordinator, _member, _pending, _expired, never, _no_mail = mixed_pool
    elsewhere = factory.talent("20", name="長野 の人")
    login(coordinator)
    before = _count(app, Invitation)
    for data in (
        {},
        {"talent_id": "abc"},
        {"talent_id": [str(never.id), str(elsewhere.id)], "confirm": "1"},
        {"talent_id": [str(n) for n in range(1, 300)]},
    ):
        response = client.post("/accounts/invite-talent", data=data, follow_redirects=True)
        assert response.status_code == 200
        assert "flash--error" in response.text, data
    assert _count(app, Invitation) == before


def test_home_tiles_count_login_states_and_link_to_the_filtered_list(client, login, mixed_pool):
    coordinator, *_ = mixed_pool
    home = login(coordinator).get("/").text

    def tile(label: str) -> tuple[int, str]:
        match = re.search(
            r'<a href="([^"]+)"><span class="attention__count">(\d+)</span> ' + re.escape(label),
            home,
        )
        assert match, label
        return int(match.group(2)), match.group(1).replace("&amp;", "&")

    assert tile("ログイン未招待の人材(有効)") == (2, "/pool/?login=none")
    assert tile("招待中の人材") == (1, "/pool/?login=pending")
    assert tile("招待の期限が切れた人材") == (1, "/pool/?login=expired")


# --- 「招待して打診」 from the plan -----------------------------------------------------------


@pytest.fixture
def plan_with_newcomer(app, factory, ranked):
    """A draft plan: the member on one request, the newcomer (no account) on another."""
    coordinator, req, member, newcomer, no_mail = ranked
    other = factory.request("033014", title="窓口改革", skills=("frontyard",), hours_per_month=10)
    with app.app_context():
        plan = MatchPlan(prefecture_id=req.prefecture_id, created_by_id=coordinator.id)
        items = [
            MatchPlanItem(
                plan=plan, request_id=r.id, talent_id=t.id, score=0.5, hours=10, reasons=["理由"]
            )
            for r, t in ((req, member), (other, newcomer), (other, no_mail))
        ]
        db.session.add(plan)
        db.session.commit()
        ids = [i.id for i in items]
    return coordinator, plan, ids, newcomer, no_mail


def test_invite_and_offer_from_the_plan(app, client, login, plan_with_newcomer):
    coordinator, plan, (member_item, newcomer_item, no_mail_item), newcomer, _no_mail = (
        plan_with_newcomer
    )
    login(coordinator)
    page = client.get("/matching/plan").text
    url = f"/accounts/invite-offer/{plan.id}/{newcomer_item}"
    assert url in page and "招待して打診" in page
    assert f"/accounts/invite-offer/{plan.id}/{no_mail_item}" not in page  # no address

    confirm = client.get(url)
    assert confirm.status_code == 200 and "maneki@example.jp" in confirm.text
    assert _count(app, Offer) == 0 and _count(app, Invitation) == 0
    done = client.post(
        url,
        data={"reply_by": (today() + timedelta(days=10)).isoformat(), "message": "ぜひ"},
        follow_redirects=True,
    )
    assert "招待し、打診を送りました" in done.text
    invitation = _open_invitation(app, newcomer.id)
    assert invitation is not None
    with app.app_context():
        offer = db.session.scalar(select(Offer).where(Offer.talent_id == newcomer.id))
        assert offer.state == "sent" and offer.hours_per_month == 10
        items = set(
            db.session.scalars(select(MatchPlanItem.id).where(MatchPlanItem.plan_id == plan.id))
        )
    assert items == {member_item, no_mail_item}  # the pair left the plan as an offer
    mail = _link_in_mail(app, "maneki@example.jp")
    with app.app_context():
        body = db.session.scalar(
            select(OutboxMessage.body_text).where(OutboxMessage.recipient == "maneki@example.jp")
        )
    assert "窓口改革" in body and "打診が届いています" in body

    # The same confirmation sent twice: a message, nothing more.
    again = client.post(url, data={"reply_by": (today() + timedelta(days=10)).isoformat()})
    assert again.status_code == 302 and again.location.endswith("/matching/plan")
    assert _count(app, Offer) == 1 and _count(app, Invitation) == 1
    client.post("/logout")

    assert client.post(mail, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    assert client.post(f"/offers/{offer.id}/accept").status_code == 302


def test_invite_and_offer_refusals_leave_nothing_behind(app, client, login, plan_with_newcomer):
    coordinator, plan, (member_item, newcomer_item, no_mail_item), *_ = plan_with_newcomer
    login(coordinator)
    reply_by = (today() + timedelta(days=10)).isoformat()
    no_address = client.post(
        f"/accounts/invite-offer/{plan.id}/{no_mail_item}", data={"reply_by": reply_by}
    )
    assert no_address.status_code == 400 and "メールアドレスが登録されていない" in no_address.text
    has_account = client.get(f"/accounts/invite-offer/{plan.id}/{member_item}")
    assert has_account.status_code == 302  # back to the plan, with the reason
    assert "既にログインできます" in client.get("/matching/plan").text
    past = client.post(
        f"/accounts/invite-offer/{plan.id}/{newcomer_item}",
        data={"reply_by": (today() - timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 400 and "今日以降" in past.text
    assert _count(app, Offer) == 0 and _count(app, Invitation) == 0
    assert _count(app, MatchPlanItem, MatchPlanItem.plan_id == plan.id) == 3
    assert client.get(f"/accounts/invite-offer/{plan.id}/999999").status_code == 302


def test_invite_and_offer_for_someone_already_invited_only_sends_the_offer(
    app, client, login, plan_with_newcomer
):
    coordinator, plan, (_m, newcomer_item, _n), newcomer, _no_mail = plan_with_newcomer
    login(coordinator)
    client.post(f"/accounts/invite-talent/{newcomer.id}")
    page = client.get(f"/accounts/invite-offer/{plan.id}/{newcomer_item}").text
    assert "既に招待中のため" in page
    client.post(
        f"/accounts/invite-offer/{plan.id}/{newcomer_item}",
        data={"reply_by": (today() + timedelta(days=10)).isoformat()},
    )
    assert _count(app, Invitation) == 1 and _count(app, Offer, Offer.talent_id == newcomer.id) == 1


def test_login_status_is_the_same_read_by_id_or_by_prefecture(app, monkeypatch, mixed_pool):
    _coordinator, *people = mixed_pool
    with app.app_context():
        rows = list(db.session.scalars(select(Talent).where(Talent.id.in_([t.id for t in people]))))
        by_id = {
            k: (v.state, v.invitation and v.invitation.id)
            for k, v in invitations.talent_login(rows).items()
        }
        monkeypatch.setattr(invitations, "BY_PREFECTURE_ABOVE", 1)
        by_prefecture = {
            k: (v.state, v.invitation and v.invitation.id)
            for k, v in invitations.talent_login(rows).items()
        }
    assert by_id == by_prefecture
    assert sorted(state for state, _i in by_id.values()) == [
        "account",
        "expired",
        "none",
        "none",
        "pending",
    ]
