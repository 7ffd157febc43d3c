"""Every page the benches time runs a fixed number of SQL statements, whatever the rows.

The pages are requested on a small prefecture, then again after a few hundred more rows
of every kind they show or count (talent with skills, areas and accounts, requests in
many municipalities and states, offers, assignments, a plan of many pairs, DX leaders):
a page whose statement count grows with the rows loads something row by row (N+1).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from talentpool.extensions import db as _db
from talentpool.models import Municipality, Prefecture, Talent

SKILLS = ("standardization", "frontyard", "security", "mynumber")
TEXTS = (
    "ガバメントクラウド移行と基幹業務システムの標準化を支援。",
    "書かない窓口の導入とオンライン申請の拡大。",
    "情報セキュリティポリシーの改定とCSIRTの運用。",
    "マイナンバーカードの交付体制とコンビニ交付の導入。",
)


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, *_args) -> None:
        self.n += 1


@pytest.fixture
def statements():
    counter = Counter()
    event.listen(Engine, "before_cursor_execute", counter)
    yield counter
    event.remove(Engine, "before_cursor_execute", counter)


def _towns(app) -> list[str]:
    with app.app_context():
        pref = _db.session.scalar(select(Prefecture).where(Prefecture.code == "03"))
        return list(
            _db.session.scalars(
                select(Municipality.lg_code)
                .where(Municipality.prefecture_id == pref.id)
                .order_by(Municipality.lg_code)
            )
        )


def _grow(app, factory, coordinator, start: int, n: int, towns: list[str]) -> None:
    """n more talent (with accounts, skills, some with areas), requests, offers and
    assignments, DX leaders, spread over the prefecture's municipalities."""
    talent, requests = [], []
    for k in range(start, start + n):
        town = towns[k % len(towns)]
        _user, person = factory.talent_user(
            "03",
            skills=(SKILLS[k % 4], SKILLS[(k + 1) % 4]),
            experience=TEXTS[k % 4] + TEXTS[(k + 2) % 4],
            work_style=("onsite", "remote", "hybrid")[k % 3],
            available_hours_per_month=40 + (k % 3) * 20,
        )
        talent.append(person)
        requests.append(
            factory.request(
                town,
                title=f"支援依頼 {k}",
                description=TEXTS[k % 4],
                skills=(SKILLS[k % 4],),
                onsite_required=k % 5 == 0 and k % 3 != 1,
                headcount=1 + k % 2,
            )
        )
        factory.dx_leader(town)
    with app.app_context():
        for k, person in enumerate(talent):
            if k % 4 == 0:
                row = _db.session.get(Talent, person.id)
                row.areas = list(
                    _db.session.scalars(
                        select(Municipality).where(Municipality.lg_code.in_(towns[k : k + 3]))
                    )
                )
        _db.session.commit()
    anywhere = [t for k, t in enumerate(talent) if k % 4 and k % 3 != 1]  # no areas, not remote
    for k in range(0, n, 3):
        factory.offer(coordinator, requests[k], anywhere[k % len(anywhere)])
    for k in range(1, n, 5):
        factory.assignment(
            coordinator, requests[k], anywhere[(k + 1) % len(anywhere)], note="月次の支援"
        )


def _pages(client, request_id: int) -> list[tuple[str, str, str]]:
    client.post("/matching/plan", data={"fairness": "y", "submit": "x"})
    plan = client.get("/matching/plan").text
    swap = re.search(r'href="(/matching/plan/\d+/items/\d+/swap)"', plan)
    assert swap, "the plan has pairs"
    return [
        ("home", "GET", "/"),
        ("pool list", "GET", "/pool/?q=標準化&kind=external&min_hours=20&sort=hours"),
        ("request list", "GET", "/requests/?state=open"),
        ("dashboard", "GET", "/reports/"),
        ("offers page", "GET", "/offers/"),
        ("ranking", "GET", f"/matching/requests/{request_id}"),
        ("compute plan", "POST", "/matching/plan"),
        ("plan page", "GET", "/matching/plan"),
        ("swap page", "GET", swap.group(1)),
    ]


def _count(client, statements, pages) -> dict[str, int]:
    out = {}
    for label, method, url in pages:
        for _ in range(2):  # the second time: per-process caches (labels, pool index) warm
            statements.n = 0
            if method == "POST":
                response = client.post(url, data={"fairness": "y", "submit": "x"})
            else:
                response = client.get(url)
            assert response.status_code in (200, 302), (label, response.status_code)
        out[label] = statements.n
    return out


def test_no_page_runs_more_statements_for_more_rows(app, client, factory, login, statements):
    coordinator = factory.coordinator("03")
    towns = _towns(app)
    _grow(app, factory, coordinator, 0, 6, towns)
    login(coordinator)
    first = factory.request(towns[0], title="ガバクラ移行", skills=("standardization",))
    factory.request(towns[1], title="CIO補佐官の派遣", wants_cio=True)  # left uncovered: no CIO
    small = _count(client, statements, _pages(client, first.id))
    _grow(app, factory, coordinator, 6, 120, towns)
    large = _count(client, statements, _pages(client, first.id))
    grown = {page: (small[page], large[page]) for page in small if large[page] > small[page]}
    assert not grown, f"statements per page (few rows, many rows): {grown}"
