"""Outcomes remembered to learn from: the snapshot of each offer when sent, the decline
reasons and what the ranking shows of them."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import MatchPlan, Offer, OfferSnapshot, SupportRequest
from talentpool.services import matching
from talentpool.services.clock import today

COMPONENTS = {"lexical", "semantic", "skill", "hours", "evidence"}


@pytest.fixture
def pool(factory):
    coordinator = factory.coordinator("03")
    req = factory.request(
        "032018",
        title="ガバクラ移行の支援",
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
    talent_user, weak = factory.talent_user(
        "03", name="窓口 太郎", experience="書かない窓口の導入。"
    )
    return coordinator, req, best, weak, talent_user


def _snapshots(app) -> dict[int, OfferSnapshot]:
    with app.app_context():
        rows = db.session.scalars(select(OfferSnapshot)).all()
        return {db.session.get(Offer, s.offer_id).talent_id: s for s in rows}


def _ranking(app, req_id):
    with app.app_context():
        result, _pool = matching.rank_request(db.session.get(SupportRequest, req_id))
        return {int(p.talent_id): p for p in result.proposals}


def _offer_form(client, req, talent, source=None):
    query = f"?talent_id={talent.id}" + (f"&source={source}" if source else "")
    form = client.get(f"/offers/new/{req.id}{query}")
    assert form.status_code == 200
    data = {
        "talent_id": talent.id,
        "hours_per_month": "20",
        "reply_by": (today() + timedelta(days=5)).isoformat(),
    }
    if source:
        assert f'name="source" type="hidden" value="{source}"' in form.text
        data["source"] = source
    return client.post(f"/offers/new/{req.id}", data=data)


def test_an_offer_from_the_ranking_keeps_its_score_rank_and_components(app, client, login, pool):
    coordinator, req, best, weak, _tu = pool
    ranked = _ranking(app, req.id)
    login(coordinator)
    assert _offer_form(client, req, weak, source="ranking").status_code == 302
    snap = _snapshots(app)[weak.id]
    assert snap.source == "ranking" and snap.rank == ranked[weak.id].rank == 2
    assert snap.score == pytest.approx(ranked[weak.id].score, abs=1e-4)
    assert set(snap.components) == COMPONENTS
    assert snap.components["skill"] == pytest.approx(ranked[weak.id].features.skill, abs=1e-4)
    assert snap.learned is False


def test_an_offer_by_hand_and_a_bad_source(app, client, login, pool):
    coordinator, req, best, _weak, _tu = pool
    login(coordinator)
    assert _offer_form(client, req, best).status_code == 302
    snap = _snapshots(app)[best.id]
    assert snap.source == "hand" and snap.rank == 1 and snap.score > 0.5
    forged = client.post(
        f"/offers/new/{req.id}",
        data={
            "talent_id": best.id,
            "hours_per_month": "20",
            "reply_by": (today() + timedelta(days=5)).isoformat(),
            "source": "nonsense",
        },
    )
    assert forged.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Offer)) == 1


def test_plan_offers_keep_the_score_the_plan_showed(app, client, login, pool):
    coordinator, req, best, _weak, _tu = pool
    login(coordinator)
    computed = client.post("/matching/plan", data={"submit": "計画を計算する", "fairness": "y"})
    assert computed.status_code == 302
    with app.app_context():
        plan = db.session.scalars(select(MatchPlan)).one()
        items = {i.talent_id: i.score for i in plan.items}
        plan_id = plan.id
    sent = client.post(
        f"/matching/plan/{plan_id}/send",
        data={"reply_by": (today() + timedelta(days=5)).isoformat()},
    )
    assert sent.status_code == 302
    snaps = _snapshots(app)
    assert set(snaps) == set(items)
    for talent_id, score in items.items():
        assert snaps[talent_id].source == "plan"
        assert snaps[talent_id].score == pytest.approx(score, abs=1e-3)
        assert snaps[talent_id].rank >= 1


def test_decline_reason_from_the_list_is_kept_and_marked_on_the_ranking(
    app, client, factory, login, pool, clock
):
    coordinator, req, best, weak, talent_user = pool
    offer = factory.offer(coordinator, req, weak)
    login(talent_user)
    page = client.get(f"/offers/{offer.id}")
    assert 'value="hours"' in page.text and "時間が合わない" in page.text
    bad = client.post(f"/offers/{offer.id}/decline", data={"code": "bogus", "confirmed": "1"})
    assert bad.status_code == 400
    asked = client.post(f"/offers/{offer.id}/decline", data={"code": "hours"})
    assert asked.status_code == 200 and "辞退の理由: 時間が合わない" in asked.text
    done = client.post(f"/offers/{offer.id}/decline", data={"code": "hours", "confirmed": "1"})
    assert done.status_code == 302
    with app.app_context():
        kept = db.session.get(Offer, offer.id)
        assert (kept.state, kept.decline_code, kept.decline_reason) == ("declined", "hours", "")
    client.post("/logout")
    login(coordinator)
    assert "時間が合わない" in client.get(f"/offers/{offer.id}").text
    ranking = client.get(f"/matching/requests/{req.id}").text
    row = ranking[ranking.index("窓口 太郎") :]
    assert "辞退: 時間が合わない" in row[: row.index("</tr>")]
    best_row = ranking[ranking.index("標準 化子") :]
    assert "辞退:" not in best_row[: best_row.index("</tr>")]
    # A year later the decline is no longer shown.
    clock.set(today() + timedelta(days=400))
    assert "辞退: 時間が合わない" not in client.get(f"/matching/requests/{req.id}").text


def test_decline_other_needs_a_text(app, client, factory, login, pool):
    coordinator, req, _best, weak, talent_user = pool
    offer = factory.offer(coordinator, req, weak)
    login(talent_user)
    empty = client.post(f"/offers/{offer.id}/decline", data={"code": "other", "confirmed": "1"})
    assert empty.status_code == 400 and "辞退の理由を入力してください" in empty.text
    done = client.post(
        f"/offers/{offer.id}/decline",
        data={"code": "other", "reason": "家庭の事情", "confirmed": "1"},
    )
    assert done.status_code == 302
    with app.app_context():
        kept = db.session.get(Offer, offer.id)
        assert (kept.decline_code, kept.decline_reason) == ("other", "家庭の事情")
