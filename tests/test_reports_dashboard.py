"""The prefecture dashboard: every figure matches the hand-computed data set (reports_data)."""

from __future__ import annotations

import codecs
import csv
import io

import pytest

from talentpool.services.reports import dashboard
from tests import reports_data as data


@pytest.fixture
def dataset(app, factory):
    return data.build(app, factory)


@pytest.fixture
def figures(app, dataset, factory):
    with app.app_context():
        return dashboard.build(factory.prefecture(data.IWATE).id, 2025)


def test_requests_by_state(figures):
    assert figures.request_states == {
        "draft": 1,
        "open": 1,
        "partially_filled": 1,
        "filled": 3,
        "expired": 0,
        "closed": 0,
        "cancelled": 1,
    }


def test_municipalities_without_requests_unfilled_and_supported(figures):
    assert len(figures.municipalities) == 33
    by_code = {m.lg_code: m for m in figures.municipalities}
    morioka, hanamaki, miyako = (by_code[c] for c in (data.MORIOKA, data.HANAMAKI, data.MIYAKO))
    assert (morioka.requests, morioka.unfilled, morioka.assignments) == (2, 1, 3)
    assert (hanamaki.requests, hanamaki.unfilled, hanamaki.assignments) == (3, 1, 2)
    assert (miyako.requests, miyako.unfilled, miyako.assignments) == (0, 0, 0)
    assert sum(m.no_request for m in figures.municipalities) == 31
    assert {m.lg_code for m in figures.municipalities if m.has_unfilled} == {
        data.MORIOKA,
        data.HANAMAKI,
    }
    assert {m.lg_code for m in figures.municipalities if m.supported} == {
        data.MORIOKA,
        data.HANAMAKI,
    }


def test_hours_requested_and_assigned_per_focus_area(figures):
    hours = {a.code: (a.requested, a.assigned) for a in figures.areas if a.requested or a.assigned}
    assert hours == {
        "standardization": (600, 600),
        "frontyard": (240, 120),
        "bpr": (240, 120),
        "strategy": (144, 144),
        "security": (60, 0),
        "mynumber": (60, 60),
    }
    assert (figures.area_total.requested, figures.area_total.assigned) == (1104, 924)
    assert len(figures.areas) == 14  # every focus area has a row


def test_pool_utilisation_by_kind(figures):
    pool = {p.kind: (p.talent, p.available, p.assigned, p.percent) for p in figures.pool}
    assert pool == {
        "staff": (2, 2400, 700, 29.2),
        "external": (1, 480, 144, 30.0),
        "company": (1, 960, 80, 8.3),
    }


def test_offers_and_time_to_fill(figures):
    assert figures.offers == {"sent": 0, "accepted": 5, "declined": 1, "withdrawn": 0, "lapsed": 2}
    assert figures.fill.days == (5.0, 10.0, 20.0, 60.0)
    assert figures.fill.median == 15.0


def test_dx_leader_progress_against_targets(figures):
    rows = [(p.lg_code, p.target, p.completed, p.shortfall) for p in figures.progress]
    assert rows == [(data.MIYAKO, 2, 0, 2), (data.HANAMAKI, 1, 0, 1), (data.MORIOKA, 3, 2, 1)]


def test_focus_filter_narrows_request_figures(app, dataset, factory):
    with app.app_context():
        d = dashboard.build(factory.prefecture(data.IWATE).id, 2025, "frontyard")
    assert d.request_states["partially_filled"] == 1 and sum(d.request_states.values()) == 1
    assert [(a.code, a.requested, a.assigned) for a in d.areas] == [("frontyard", 240, 120)]
    assert (d.area_total.requested, d.area_total.assigned) == (240, 120)
    assert d.offers["accepted"] == 2 and d.offers["declined"] == 0
    assert d.fill.median == 5.0
    morioka = next(m for m in d.municipalities if m.lg_code == data.MORIOKA)
    assert (morioka.requests, morioka.unfilled, morioka.assignments) == (1, 1, 2)
    # pool and DX-leader progress do not depend on requests
    assert [p.assigned for p in d.pool] == [700, 144, 80]


def test_another_year_has_other_figures(app, dataset, factory):
    with app.app_context():
        d = dashboard.build(factory.prefecture(data.IWATE).id, 2024)
    assert d.request_states["closed"] == 1
    assert d.area_total.assigned == 30 * 12


def test_dashboard_page_shows_the_figures_charts_and_tables(dataset, factory, login):
    client = login(factory.coordinator(data.IWATE))
    response = client.get("/reports/?year=2025")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "令和7年度 (2025)" in html
    assert html.count("<svg") == 11 and html.count('role="img"') == 11  # 4 on matching
    assert "style=" not in html and "<script" not in html
    for figure in ("1,104", "924", "2,400", "15.0", "宮古市"):
        assert figure in html
    for key in (
        "requests",
        "municipalities",
        "municipality-detail",
        "hours",
        "pool",
        "offers",
        "fill",
        "training",
    ):
        assert f"/reports/dashboard/{key}.csv?year=2025" in html


def _csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_downloads_hold_the_tables(dataset, factory, login):
    client = login(factory.coordinator(data.IWATE))
    hours = _csv(client.get("/reports/dashboard/hours.csv?year=2025"))
    assert hours[0] == ["重点取組", "依頼時間", "派遣時間", "充足率(%)"]
    assert ["業務改革(BPR)", "240", "120", "50.0"] in hours
    assert hours[-1] == ["合計(重複なし)", "1104", "924", "83.7"]
    states = _csv(client.get("/reports/dashboard/requests.csv?year=2025"))
    assert ["充足", "3"] in states and states[-1] == ["合計", "7"]
    pool = _csv(client.get("/reports/dashboard/pool.csv?year=2025"))
    assert pool[-1] == ["合計", "4", "3840", "924", "24.1"]
    offers = _csv(client.get("/reports/dashboard/offers.csv?year=2025&focus=frontyard"))
    assert ["受諾", "2"] in offers
    fill = _csv(client.get("/reports/dashboard/fill.csv?year=2025"))
    assert fill[1:6] == [
        ["0〜7日", "1"],
        ["8〜14日", "1"],
        ["15〜30日", "1"],
        ["31〜60日", "1"],
        ["61日以上", "0"],
    ]
    assert ["中央値(日)", "15.0"] in fill
    training = _csv(client.get("/reports/dashboard/training.csv?year=2025"))
    assert training[-1] == ["合計", "", "6", "2", "4", "33.3"]
    towns = _csv(client.get("/reports/dashboard/municipalities.csv?year=2025"))
    assert towns[1][:2] == ["依頼のない市町村", "31"] and "宮古市" in towns[1][2]
    assert client.get("/reports/dashboard/nothing.csv?year=2025").status_code == 404


def test_bad_filters_answer_400_with_a_message(dataset, factory, login):
    client = login(factory.coordinator(data.IWATE))
    response = client.get("/reports/?year=1999")
    assert response.status_code == 400
    assert "一覧から年度を選んでください" in response.get_data(as_text=True)
    assert client.get("/reports/?focus=nonsense").status_code == 400
    assert client.get("/reports/dashboard/hours.csv?focus=nonsense").status_code == 400


def test_another_prefecture_sees_only_its_own_figures(app, dataset, factory, login):
    client = login(factory.coordinator(data.NAGANO))
    hours = _csv(client.get("/reports/dashboard/hours.csv?year=2025"))
    assert hours[-1] == ["合計(重複なし)", "1188", "1188", "100.0"]  # 99 h × 12 months
    html = client.get("/reports/?year=2025").get_data(as_text=True)
    assert "盛岡市" not in html and "1,104" not in html


def test_dashboard_renders_in_english(dataset, factory, login):
    client = login(factory.coordinator(data.IWATE))
    client.post("/language", data={"lang": "en", "next": "/reports/"})
    response = client.get("/reports/?year=2025")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "FY2025 (Reiwa 7)" in html and "Business process reform (BPR)" in html


def test_publishing_stamps_the_first_publication_only(app, factory):
    from talentpool.extensions import db
    from talentpool.models import Role, SupportRequest
    from talentpool.services.requests.support_requests import apply_transition

    item = factory.request(data.MORIOKA, skills=("frontyard",), state="draft")
    with app.app_context():
        req = db.session.get(SupportRequest, item.id)
        apply_transition(req, "publish", Role.coordinator)
        first = req.published_at
        assert first is not None
        apply_transition(req, "cancel", Role.coordinator)
        apply_transition(req, "reopen", Role.coordinator)
        assert req.published_at == first
        db.session.rollback()
