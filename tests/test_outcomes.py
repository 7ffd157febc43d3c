"""Outcomes remembered to learn from: the snapshot of each offer when sent, the decline
reasons and what the ranking shows of them, and the weights learned from them: the guard,
the switch and its audit trail."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import (
    AuditEvent,
    LearnedWeights,
    MatchPlan,
    Offer,
    OfferSnapshot,
    SupportRequest,
    User,
)
from talentpool.services.clock import today
from talentpool.services.matching import bridge as matching

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


# --- learned weights ------------------------------------------------------------------


def _answered(app, req, talent, n, hidden, seed=0, first=None):
    """``n`` answered offers of ``req`` with snapshots whose components are drawn at
    random; accepted by the logistic of the ``hidden`` preferences (inserted directly)."""
    import numpy as np

    from talentpool.matching.learning import COMPONENTS

    rng = np.random.default_rng(seed)
    h = np.array([hidden[c] for c in COMPONENTS])
    first = first or datetime(2025, 4, 1)
    with app.app_context():
        coordinator_id = db.session.scalar(select(User.id).where(User.role == "coordinator"))
        for i in range(n):
            z = rng.normal(size=len(COMPONENTS))
            accepted = rng.random() < 1 / (1 + np.exp(-2.5 * z @ h / np.linalg.norm(h)))
            offer = Offer(
                prefecture_id=req.prefecture_id,
                request_id=req.id,
                talent_id=talent.id,
                hours_per_month=10,
                reply_by=date(2025, 12, 31),
                state="accepted" if accepted else "declined",
                sent_by_id=coordinator_id,
                sent_at=first + timedelta(hours=i),
            )
            db.session.add(offer)
            db.session.flush()
            db.session.add(
                OfferSnapshot(
                    offer_id=offer.id,
                    source="ranking",
                    score=0.5,
                    rank=1,
                    components=dict(zip(COMPONENTS, z.round(4).tolist(), strict=True)),
                )
            )
        db.session.commit()


HOURS_FIRST = {"lexical": 0.0, "semantic": 0.0, "skill": 1.0, "hours": 3.0, "evidence": 0.0}


def _learned(app):
    with app.app_context():
        return db.session.scalars(select(LearnedWeights)).one_or_none()


def test_no_learning_below_the_threshold(app, client, login, pool):
    coordinator, req, _best, weak, _tu = pool
    _answered(app, req, weak, 39, HOURS_FIRST)
    login(coordinator)
    page = client.get("/matching/learning")
    assert page.status_code == 200 and "回答済みの打診(受諾・辞退・失効): 39件" in page.text
    refused = client.post("/matching/learning/fit")
    assert refused.status_code == 400 and "40件必要です(現在39件)" in refused.text
    assert _learned(app) is None
    switched = client.post("/matching/learning/switch", data={"use": "learned"})
    assert switched.status_code == 400 and _learned(app) is None
    assert "既定の重み" in client.get(f"/matching/requests/{req.id}").text


def test_weights_that_do_not_beat_the_defaults_are_never_used(app, client, login, pool):
    from talentpool.matching import Weights

    coordinator, req, _best, weak, _tu = pool
    _answered(app, req, weak, 200, Weights().components, seed=3)
    login(coordinator)
    assert client.post("/matching/learning/fit").status_code == 302
    row = _learned(app)
    assert row.outcomes == 200 and not row.validated and not row.enabled
    page = client.get("/matching/learning").text
    assert "既定の重みを上回りませんでした" in page and "学習した重みを使う" not in page
    refused = client.post("/matching/learning/switch", data={"use": "learned"})
    assert refused.status_code == 400 and not _learned(app).enabled
    with app.app_context():
        assert matching.learned_weights(req.prefecture_id) is None


def test_learned_weights_are_used_when_switched_on_and_the_switch_returns_to_defaults(
    app, client, login, factory, pool
):
    coordinator, req, best, weak, _tu = pool
    _answered(app, req, weak, 200, HOURS_FIRST)
    login(coordinator)
    assert client.post("/matching/learning/fit").status_code == 302
    row = _learned(app)
    assert row.validated and not row.enabled and row.learned_auc > row.default_auc
    assert (row.train_count, row.test_count) == (140, 60)
    assert row.weights["hours"] > row.weights["semantic"]
    page = client.get("/matching/learning").text
    assert "既定の重みを上回りました" in page and "学習した重みを使う" in page
    assert "既定の重み" in client.get(f"/matching/requests/{req.id}").text
    before = _ranking(app, req.id)

    assert client.post("/matching/learning/switch", data={"use": "learned"}).status_code == 302
    assert _learned(app).enabled
    ranking = client.get(f"/matching/requests/{req.id}").text
    assert "この都道府県の実績から学習した重み" in ranking
    after = _ranking(app, req.id)
    assert after[best.id].score != pytest.approx(before[best.id].score, abs=1e-4)
    # Another prefecture keeps the defaults.
    with app.app_context():
        assert matching.learned_weights(factory.prefecture("20").id) is None
    # An offer sent now remembers that the learned weights made its score.
    factory.offer(coordinator, req, best)
    assert _snapshots(app)[best.id].learned is True

    assert client.post("/matching/learning/switch", data={"use": "default"}).status_code == 302
    assert not _learned(app).enabled
    back = _ranking(app, req.id)
    assert back[weak.id].score == pytest.approx(before[weak.id].score, abs=1e-4)
    with app.app_context():
        changes = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "learned_weights")
        ).all()
        assert len(changes) == 3  # learned, switched on, switched back
