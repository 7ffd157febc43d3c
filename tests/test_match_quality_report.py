"""The matching-quality report on known data: acceptance by rank position, mean rating by
score band, days from publication to first offer and acceptance, requests that got a
person, decline reasons; the dashboard section, its CSV, and the national view."""

import csv
import io
from datetime import datetime

import pytest
from sqlalchemy import update

from talentpool.extensions import db
from talentpool.models import Assignment, Offer, OfferSnapshot, SupportRequest, User
from talentpool.services.offers.lifecycle import decline_offer
from talentpool.services.reports import match_quality


def _set(app, model, key, **values):
    with app.app_context():
        column = model.offer_id if model is OfferSnapshot else model.id
        db.session.execute(update(model).where(column == key).values(**values))
        db.session.commit()


@pytest.fixture
def year_2025(app, factory):
    """FY2025 in 岩手: three published requests, five answered offers (see the asserts)."""
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    people = [factory.talent_user("03", name=f"個人名{i}") for i in range(5)]
    r1 = factory.request("032018", title="依頼名R1", headcount=1)
    r2 = factory.request("032018", title="依頼名R2")
    r3 = factory.request("032018", title="依頼名R3", headcount=2)
    (u1, t1), (u2, t2), (u3, t3), (u4, t4), (u5, t5) = people
    o2 = factory.offer(coordinator, r1, t2)
    o4 = factory.offer(coordinator, r3, t4)
    o5 = factory.offer(coordinator, r3, t5)
    a1 = factory.assignment(coordinator, r1, t1, end="complete", score=5, officer=officer)
    a3 = factory.assignment(coordinator, r3, t3, end="complete", score=3, officer=officer)
    with app.app_context():
        decline_offer(db.session.get(User, u2.id), db.session.get(Offer, o2.id), "", "hours")
        decline_offer(db.session.get(User, u4.id), db.session.get(Offer, o4.id), "", "field")
        db.session.commit()
    _set(app, Offer, o5.id, state="lapsed")
    for req, day in ((r1, 1), (r2, 1), (r3, 10)):
        _set(app, SupportRequest, req.id, published_at=datetime(2025, 5, day))
    snapshots = {
        a1.offer_id: ("ranking", 1, 0.75, datetime(2025, 5, 3)),
        o2.id: ("ranking", 2, 0.55, datetime(2025, 5, 4)),
        a3.offer_id: ("plan", 5, 0.65, datetime(2025, 5, 15)),
        o4.id: ("hand", 8, 0.52, datetime(2025, 5, 16)),
        o5.id: ("ranking", 12, 0.45, datetime(2025, 5, 17)),
    }
    for offer_id, (source, rank, score, sent) in snapshots.items():
        _set(app, OfferSnapshot, offer_id, source=source, rank=rank, score=score)
        _set(app, Offer, offer_id, sent_at=sent)
    _set(app, Assignment, a1.id, created_at=datetime(2025, 5, 13))
    _set(app, Assignment, a3.id, created_at=datetime(2025, 5, 20))
    # Another prefecture's offer is counted there only.
    other = factory.coordinator("20")
    _u, far = factory.talent_user("20")
    req20 = factory.request("202011", title="長野の依頼")
    far_offer = factory.offer(other, req20, far)
    _set(app, Offer, far_offer.id, sent_at=datetime(2025, 6, 1), state="lapsed")
    _set(app, SupportRequest, req20.id, published_at=datetime(2025, 5, 25))
    return coordinator, factory.prefecture("03").id, factory.prefecture("20").id


def test_figures_on_known_data(app, year_2025):
    _coordinator, iwate, nagano = year_2025
    with app.app_context():
        figures = match_quality.build(2025)
        m = figures[iwate]
        rates = {k: (r.accepted, r.answered, r.percent) for k, r in m.by_rank.items()}
        assert rates == {
            "1": (1, 1, 100.0),
            "2-3": (0, 1, 0.0),
            "4-10": (1, 1, 100.0),
            "11+": (0, 1, 0.0),
            "hand": (0, 1, 0.0),
            "unknown": (0, 0, None),
        }
        assert {k: r.scores for k, r in m.by_score.items() if r.scores} == {
            "0.7+": [5],
            "0.6-0.7": [3],
        }
        assert sorted(m.days_to_offer) == [2.0, 5.0] and m.median(m.days_to_offer) == 3.5
        assert sorted(m.days_to_accept) == [10.0, 12.0] and m.median(m.days_to_accept) == 11.0
        assert (m.requests, m.requests_with_person, m.person_percent) == (3, 2, 66.7)
        assert dict(m.declines) == {"hours": 1, "field": 1}
        assert figures[nagano].by_rank["1"].answered + figures[nagano].by_rank["hand"].answered == 1
        assert figures[nagano].requests == 1 and figures[nagano].requests_with_person == 0
        # Another year has nothing.
        assert match_quality.build(2024, iwate)[iwate].requests == 0


def _csv(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_dashboard_section_and_csv(client, login, year_2025):
    coordinator, _iwate, _nagano = year_2025
    login(coordinator)
    page = client.get("/reports/?year=2025").text
    assert "順位別の打診の受諾率" in page and 'id="chart-match-ranks-title"' in page
    assert "スコア帯別の評価の平均" in page and "辞退の理由" in page
    ranks = _csv(client.get("/reports/dashboard/match-ranks.csv?year=2025"))
    assert ranks[0] == ["打診したときの順位", "回答済み", "受諾", "受諾率(%)"]
    assert ranks[1] == ["1位", "1", "1", "100.0"]
    assert ranks[-1] == ["合計", "5", "2", "40.0"]
    flow = _csv(client.get("/reports/dashboard/match-flow.csv?year=2025"))
    assert flow[1][1:] == ["3.5", "2"] and flow[3][1:] == ["66.7", "3"]
    declines = _csv(client.get("/reports/dashboard/match-declines.csv?year=2025"))
    assert declines[1:] == [["時間が合わない", "1"], ["分野が合わない", "1"], ["合計", "2"]]


def test_national_admin_sees_the_figures_per_prefecture_without_personal_data(
    client, factory, login, year_2025
):
    login(factory.admin())
    page = client.get("/reports/national/matching?year=2025")
    assert page.status_code == 200 and 'id="chart-national-matching-title"' in page.text
    assert "個人名" not in page.text and "依頼名" not in page.text  # no names, no titles
    rows = _csv(client.get("/reports/national/matching.csv?year=2025"))
    header, by_code = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:4] == ["コード", "都道府県", "回答済みの打診", "受諾率(%)"]
    iwate = by_code["03"]
    assert iwate["回答済みの打診"] == "5" and iwate["受諾率(%)"] == "40.0"
    assert iwate["受諾率 1位(%)"] == "100.0" and iwate["受諾率 2〜3位(%)"] == "0.0"
    assert iwate["評価の平均(1〜5)"] == "4.0"
    assert iwate["公開から最初の打診までの日数(中央値)"] == "3.5"
    assert iwate["人材が決まった依頼の割合(%)"] == "66.7"
    assert iwate["辞退: 時間が合わない"] == "1" and iwate["辞退: 時期"] == "0"
    assert by_code["20"]["回答済みの打診"] == "1" and by_code["20"]["受諾率(%)"] == "0.0"
    assert "個人名" not in str(rows) and "依頼名" not in str(rows)
