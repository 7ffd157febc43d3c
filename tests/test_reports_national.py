"""The national overview: per-prefecture aggregates, sortable, CSV — and no personal data."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import DxLeader
from talentpool.services.reports import national
from tests import reports_data as data


@pytest.fixture
def dataset(app, factory):
    return data.build(app, factory)


def test_figures_per_prefecture(app, dataset):
    with app.app_context():
        rows = {row.code: row for row in national.build(2025)}
    assert len(rows) == 47
    iwate, nagano, tokyo = rows["03"], rows["20"], rows["13"]
    assert (iwate.staff, iwate.external, iwate.company, iwate.pool, iwate.cio_candidates) == (
        2,
        1,
        1,
        4,
        1,
    )
    assert (iwate.requests, iwate.seats, iwate.seats_filled, iwate.fill_rate) == (5, 6, 4, 66.7)
    assert iwate.hours == 924
    assert (iwate.municipalities_reached, iwate.municipalities, iwate.reach_rate) == (2, 33, 6.1)
    assert (iwate.leaders_trained, iwate.leader_target) == (2, 6)
    assert (nagano.pool, nagano.requests, nagano.fill_rate, nagano.hours) == (1, 1, 100.0, 1188)
    assert (nagano.leaders_trained, nagano.municipalities) == (1, 77)
    assert (tokyo.pool, tokyo.requests, tokyo.fill_rate, tokyo.hours) == (0, 0, None, 0)


def test_sorting_by_any_column(app, dataset):
    with app.app_context():
        rows = national.build(2025)
    by_hours = national.sort_rows(rows, "hours", descending=True)
    assert [r.code for r in by_hours[:2]] == ["20", "03"]
    by_fill = national.sort_rows(rows, "fill_rate", descending=False)
    assert [r.code for r in by_fill[:2]] == ["03", "20"] and by_fill[-1].fill_rate is None
    assert national.sort_rows(rows, "no_such_column", False)[0].code == "01"


def test_page_sorts_and_downloads(dataset, factory, login):
    client = login(factory.admin())
    html = client.get("/reports/national?year=2025&sort=hours&dir=desc").get_data(as_text=True)
    assert html.index("長野県") < html.index("岩手県") < html.index("北海道")
    assert 'aria-sort="descending"' in html
    body = client.get("/reports/national.csv?year=2025&sort=hours&dir=desc").get_data()
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0][:3] == ["コード", "都道府県", "プール人数"]
    assert table[1][:2] == ["20", "長野県"] and table[2][:2] == ["03", "岩手県"]
    assert table[-1][1] == "全国" and table[-1][11] == str(924 + 1188)
    assert len(table) == 1 + 47 + 1


def test_no_personal_data_on_the_page_or_in_the_csv(app, dataset, factory, login):
    with app.app_context():
        leaders = list(db.session.scalars(select(DxLeader.name)))
    client = login(factory.admin())
    for url in (
        "/reports/national?year=2025",
        "/reports/national.csv?year=2025",
        "/reports/national?year=2025&sort=name&dir=desc",
    ):
        text = client.get(url).get_data().decode("utf-8-sig")
        for personal in (*data.NAMES, "長野 人材", *dataset.emails, *leaders, "000-0000-0000"):
            assert personal not in text, (url, personal)
