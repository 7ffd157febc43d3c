"""The ranking page of a request and the prefecture's plan: compute, adjust, send."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import MatchPlan, MatchPlanItem, Offer, Talent
from talentpool.services.clock import today


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def pool(factory):
    """A coordinator of 03, a request and three talent: a good fit, a weaker one, and one
    ruled out (remote only, for an on-site request)."""
    coordinator = factory.coordinator("03")
    req = factory.request(
        "032018",
        title="ガバクラ移行の支援",
        onsite_required=True,
        description="基幹業務システムの標準化とガバメントクラウド移行を進めたい。",
        skills=("standardization",),
        hours_per_month=20,
    )
    _u, best = factory.talent_user(
        "03",
        name="標準 化子",
        skills=("standardization",),
        experience="ガバメントクラウドへの移行と20業務の標準化を支援。",
    )
    _u, weak = factory.talent_user("03", name="窓口 太郎", experience="書かない窓口の導入。")
    _u, remote = factory.talent_user(
        "03", name="遠隔 花子", work_style="remote", experience="ガバクラ移行のPMO。"
    )
    return coordinator, req, best, weak, remote


def test_ranking_shows_scores_reasons_and_why_people_are_left_out(client, login, pool):
    coordinator, req, best, weak, remote = pool
    login(coordinator)
    page = client.get(f"/matching/requests/{req.id}")
    assert page.status_code == 200
    text = page.text
    assert text.index("標準 化子") < text.index("窓口 太郎")  # best fit first
    assert "遠隔 花子" not in text
    assert "経験の一致" in text and "ガバメントクラウド" in text  # reasons in Japanese
    assert "月20時間の依頼に対し月40時間まで対応可" in text
    assert re.search(r"リモートのみ\(現地対応の依頼\)</td><td class=\"num\">1<", text)
    assert f"/offers/new/{req.id}?talent_id={best.id}" in text
    assert "打診する" in text and "bound method" not in text  # skill labels as text


def test_ranking_marks_people_already_offered(client, factory, login, pool):
    coordinator, req, best, weak, _remote = pool
    factory.offer(coordinator, req, best)
    login(coordinator)
    text = client.get(f"/matching/requests/{req.id}").text
    assert f"talent_id={best.id}" not in text and "打診中・派遣中" in text
    assert f"talent_id={weak.id}" in text


def test_request_and_offer_pages_link_to_the_ranking(client, factory, login, pool):
    coordinator, req, best, *_ = pool
    offer = factory.offer(coordinator, req, best)
    login(coordinator)
    ranking = f"/matching/requests/{req.id}"
    assert ranking in client.get(f"/requests/{req.id}").text
    assert client.post(f"/offers/{offer.id}/withdraw", data={"confirmed": "1"}).status_code == 302
    detail = client.get(f"/offers/{offer.id}").text
    assert re.search(rf'href="{ranking}">別の人材に打診する', detail)
    assert 'href="/matching/plan"' in client.get("/").text  # the menu item


def _compute(client, fairness=True, invited_only=False):
    # the submit button is always in the form data, so an unticked box reads as "no"
    data = {
        "submit": "計画を計算する",
        **({"fairness": "y"} if fairness else {}),
        **({"invited_only": "y"} if invited_only else {}),
    }
    response = client.post("/matching/plan", data=data)
    assert response.status_code == 302, response.text[:500]
    return client.get("/matching/plan")


def _plan(app) -> MatchPlan:
    with app.app_context():
        plan = db.session.scalar(select(MatchPlan).order_by(MatchPlan.id.desc()))
        plan.items  # noqa: B018 (load them)
        return plan


def test_plan_is_computed_kept_and_shown_with_its_bound(app, client, factory, login, pool):
    coordinator, req, best, weak, remote = pool
    other = factory.request(
        "034843",
        title="書かない窓口の導入",
        headcount=2,
        hours_per_month=20,
        description="書かない窓口と申請書作成支援を始めたい。",
    )
    factory.request("032018", state="draft")  # not recruiting: not planned
    login(coordinator)
    page = _compute(client)
    assert page.status_code == 200
    plan = _plan(app)
    pairs = {(i.request_id, i.talent_id) for i in plan.items}
    assert (req.id, best.id) in pairs and (other.id, weak.id) in pairs
    assert all(t != remote.id or r != req.id for r, t in pairs)
    assert plan.status == "draft" and plan.fairness is True
    assert (plan.open_requests, plan.open_seats) == (2, 3)
    assert plan.lp_bound >= plan.objective - 1e-9 and 0 <= plan.gap < 0.05
    assert all(i.reasons for i in plan.items)
    assert f"計画を計算しました({len(plan.items)}組)。" in page.text
    shown = ("理論上の上限", "上限との差", "スコアの高い順", "この計画で一括打診する", "標準 化子")
    for text in shown:
        assert text in page.text
    # plain language first; the solver's own words stay out of sight (and out of English)
    assert "募集中の依頼 2件のうち 2件に人材が決まります。" in page.text
    for internal in ("LP", "optimal", "貪欲法", "目的関数"):
        assert internal not in page.text
    # Computing again replaces the unsent plan; the fairness box can be left unticked.
    _compute(client, fairness=False)
    latest = _plan(app)
    assert latest.id != plan.id and latest.fairness is False
    with app.app_context():
        assert db.session.get(MatchPlan, plan.id).status == "replaced"


def test_a_pair_can_be_removed_or_swapped_within_the_rules(app, client, factory, login, pool):
    coordinator, req, best, weak, remote = pool
    login(coordinator)
    _compute(client)
    plan = _plan(app)
    (item,) = [i for i in plan.items if i.request_id == req.id]
    base = f"/matching/plan/{plan.id}/items/{item.id}"
    swap_page = client.get(base + "/swap")
    assert swap_page.status_code == 200 and "窓口 太郎" in swap_page.text
    # The remote-only talent is not eligible for this on-site request: refused, nothing changed.
    refused = client.post(base + "/swap", data={"talent_id": remote.id})
    assert refused.status_code == 400
    assert "遠隔 花子さんは「ガバクラ移行の支援」の対象外です" in refused.text
    assert "リモートのみ(現地対応の依頼)" in refused.text
    assert _plan(app).items[0].talent_id == best.id
    # Over the talent's hours: refused with the figures.
    with app.app_context():
        db.session.get(Talent, weak.id).available_hours_per_month = 10
        db.session.commit()
    short = client.post(base + "/swap", data={"talent_id": weak.id})
    assert short.status_code == 400 and "月20時間になり、空き時間(月10時間)を超えます" in short.text
    with app.app_context():
        db.session.get(Talent, weak.id).available_hours_per_month = 40
        db.session.commit()
    assert client.post(base + "/swap", data={"talent_id": weak.id}).status_code == 302
    swapped = _plan(app).items[0]
    assert swapped.talent_id == weak.id and swapped.score < item.score and swapped.reasons
    assert client.post(base + "/remove").status_code == 302
    assert _count(app, MatchPlanItem, MatchPlanItem.plan_id == plan.id) == 0
    assert client.post(base + "/remove").status_code == 400  # already gone


def test_sending_the_plan_sends_every_pair_or_none(app, client, factory, login, pool):
    coordinator, req, best, weak, _remote = pool
    factory.request("033014", title="書かない窓口", description="書かない窓口を始めたい。")
    login(coordinator)
    _compute(client)
    plan = _plan(app)
    assert len(plan.items) == 2
    reply_by = (today() + timedelta(days=5)).isoformat()
    # Meanwhile one planned person was deactivated: nothing is sent, the pair is named.
    with app.app_context():
        db.session.get(Talent, weak.id).active = False
        db.session.commit()
    page = client.get("/matching/plan")
    assert "窓口 太郎さんは「書かない窓口」の対象外です(休止中)" in page.text
    refused = client.post(f"/matching/plan/{plan.id}/send", data={"reply_by": reply_by})
    assert refused.status_code == 400 and "休止中" in refused.text
    assert _count(app, Offer) == 0 and _plan(app).status == "draft"
    with app.app_context():
        db.session.get(Talent, weak.id).active = True
        db.session.commit()
    sent = client.post(
        f"/matching/plan/{plan.id}/send",
        data={"reply_by": reply_by, "message": "計画に基づく打診です。"},
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/offers/")
    with app.app_context():
        offers = db.session.scalars(select(Offer)).all()
        assert {(o.request_id, o.talent_id) for o in offers} == {
            (i.request_id, i.talent_id) for i in plan.items
        }
        assert all(o.message == "計画に基づく打診です。" and o.state == "sent" for o in offers)
        kept = db.session.get(MatchPlan, plan.id)
        assert kept.status == "sent" and kept.sent_at is not None
    # A sent plan is kept for the record and can no longer be changed or sent again.
    again = client.post(f"/matching/plan/{plan.id}/send", data={"reply_by": reply_by})
    assert again.status_code == 400 and _count(app, Offer) == 2
    detail = client.get(f"/matching/plan/{plan.id}")
    assert detail.status_code == 200 and "送信済み" in detail.text and "外す" not in detail.text


def test_send_needs_a_reply_by_date_from_today(app, client, login, pool):
    coordinator, *_ = pool
    login(coordinator)
    _compute(client)
    plan = _plan(app)
    past = (today() - timedelta(days=1)).isoformat()
    for data in ({}, {"reply_by": past}):
        page = client.post(f"/matching/plan/{plan.id}/send", data=data)
        assert page.status_code == 400 and "回答期限" in page.text
    assert _count(app, Offer) == 0


def test_plans_belong_to_their_prefecture(app, client, factory, login, pool):
    coordinator, *_ = pool
    login(coordinator)
    _compute(client)
    plan = _plan(app)
    item = plan.items[0]
    client.post("/logout")
    login(factory.coordinator("13"))
    base = f"/matching/plan/{plan.id}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/items/{item.id}/swap").status_code == 404
    assert client.post(f"{base}/items/{item.id}/remove").status_code == 404
    assert client.post(f"{base}/send", data={"reply_by": today().isoformat()}).status_code == 404
    assert "調整中の計画" not in client.get("/matching/plan").text
    assert _count(app, MatchPlanItem) == len(plan.items) and _count(app, Offer) == 0


def test_uninvited_talent_are_planned_but_must_be_invited_before_sending(
    app, client, factory, login, pool
):
    coordinator, req, best, *_ = pool
    newcomer = factory.talent(
        "03", name="新人 招待待ち", skills=("frontyard",), experience="書かない窓口の導入を支援。"
    )
    factory.request(
        "033014",
        title="書かない窓口",
        description="書かない窓口を始めたい。",
        skills=("frontyard",),
    )
    login(coordinator)
    page = _compute(client)
    plan = _plan(app)
    assert newcomer.id in {i.talent_id for i in plan.items}
    assert "未招待" in page.text
    assert "新人 招待待ちさんにはログインできるアカウントがない" in page.text
    refused = client.post(f"/matching/plan/{plan.id}/send", data={"reply_by": today().isoformat()})
    assert refused.status_code == 400 and "先に人材を招待する" in refused.text
    assert _count(app, Offer) == 0


def test_a_plan_of_invited_talent_only_can_be_sent_as_it_is(app, client, factory, login, pool):
    coordinator, req, best, *_ = pool
    newcomer = factory.talent(
        "03", name="新人 招待待ち", skills=("frontyard",), experience="書かない窓口の導入を支援。"
    )
    factory.request(
        "033014",
        title="書かない窓口",
        description="書かない窓口を始めたい。",
        skills=("frontyard",),
    )
    login(coordinator)
    page = _compute(client, invited_only=True)
    plan = _plan(app)
    assert plan.items and newcomer.id not in {i.talent_id for i in plan.items}
    assert "未招待" not in page.text
    with app.app_context():
        invited = set(db.session.scalars(select(Talent.id).where(Talent.user_id.is_not(None))))
    assert {i.talent_id for i in plan.items} <= invited
    sent = client.post(
        f"/matching/plan/{plan.id}/send",
        data={"reply_by": (today() + timedelta(days=7)).isoformat(), "message": "お願いします"},
    )
    assert sent.status_code == 302
    assert _count(app, Offer) == len(plan.items)


def test_an_empty_pool_or_no_open_requests_is_no_error(app, client, factory, login):
    coordinator = factory.coordinator("13")
    req = factory.request("131016", title="窓口DX")
    login(coordinator)
    page = client.get(f"/matching/requests/{req.id}")
    assert page.status_code == 200 and "この依頼の対象となる人材がいません" in page.text
    page = _compute(client)
    assert page.status_code == 200 and "組み合わせはありません" in page.text
    assert "募集中の依頼 1件のうち 0件に人材が決まります。" in page.text
    assert "人材が決まらない依頼" in page.text
    assert "条件(地域・働き方・CIO補佐官等・研修)に合う人材がいません。" in page.text
