"""The request list: filters, NFKC search, period overlap, sorting and pagination."""

import re
from datetime import date

import pytest


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/requests/\d+">([^<]+)</a>', html)


@pytest.fixture
def iwate(factory, clock):
    """Four Iwate requests with different municipalities, areas, states and periods."""
    clock.set(date(2025, 6, 1))  # while A and B still recruit
    return {
        "a": factory.request(
            "032018",
            title="A 標準化",
            skills=("standardization",),
            state="open",
            hours_per_month=40,
            start_date=date(2025, 4, 1),
            end_date=date(2025, 9, 30),
        ),
        "b": factory.request(
            "032051",
            title="B 書かない窓口",
            skills=("frontyard", "bpr"),
            state="partially_filled",
            hours_per_month=10,
            headcount=2,
            start_date=date(2025, 10, 1),
            end_date=date(2026, 3, 31),
        ),
        "c": factory.request(
            "032051",
            title="C RPA導入",
            skills=("ai_rpa",),
            description="定型業務をＲＰＡで自動化",
            state="filled",
            hours_per_month=20,
            start_date=date(2026, 4, 1),
            end_date=None,
        ),
        "d": factory.request(
            "032018", title="D 下書き", skills=("security",), state="draft", hours_per_month=5
        ),
    }


def test_coordinator_filters(client, factory, login, iwate):
    login(factory.coordinator("03"))
    hanamaki = iwate["b"].municipality_id

    def titles(query):
        response = client.get("/requests/?" + query)
        assert response.status_code == 200, response.text
        return sorted(t.split()[0] for t in _titles(response.text))

    assert titles("") == ["A", "B", "C", "D"]
    assert titles(f"municipality_id={hanamaki}") == ["B", "C"]
    assert titles("focus=frontyard") == ["B"]
    assert titles("state=draft") == ["D"]
    assert titles("unfilled=y") == ["A", "B"]
    assert titles("q=rpa") == ["C"]  # 全角 ＲＰＡ in the description, half-width query
    assert titles("q=ｒｐａ 自動化") == ["C"]  # full-width query, two words (AND)
    assert titles("q=書かない 標準化") == []
    assert titles("q=100%25") == []  # LIKE wildcards are literal
    # period overlap; open ends overlap everything after the start
    assert titles("period_from=2025-09-01&period_to=2025-10-31") == ["A", "B", "D"]
    assert titles("period_from=2027-01-01") == ["C", "D"]
    assert titles("period_to=令和7年4月30日") == ["A", "D"]


def test_sorting(client, factory, login, iwate):
    login(factory.coordinator("03"))
    hours = [t.split()[0] for t in _titles(client.get("/requests/?sort=hours").text)]
    assert hours == ["A", "C", "B", "D"]
    start = [t.split()[0] for t in _titles(client.get("/requests/?sort=start").text)]
    assert start == ["A", "B", "C", "D"]  # undated last
    by_title = [t.split()[0] for t in _titles(client.get("/requests/?sort=title").text)]
    assert by_title == ["A", "B", "C", "D"]


def test_bad_filters_get_a_message_not_an_error(client, factory, login, iwate):
    login(factory.coordinator("03"))
    response = client.get("/requests/?period_from=2025-13-45&state=bogus&sort=x")
    assert response.status_code == 400
    assert "存在しない日付です" in response.text and "選択肢から選んでください" in response.text
    assert len(_titles(response.text)) == 4  # the invalid filters are not applied
    assert client.get("/requests/export.csv?period_from=nope").status_code == 400


def test_pagination(app, client, factory, login):
    for n in range(30):
        factory.request("032018", title=f"依頼{n:02d}")
    login(factory.officer("032018"))
    first = client.get("/requests/?sort=title")
    assert len(_titles(first.text)) == app.config["PER_PAGE"] == 25
    assert "30件中 1–25件を表示" in first.text and 'rel="next"' in first.text
    second = client.get("/requests/?sort=title&page=2")
    assert _titles(second.text) == [f"依頼{n:02d}" for n in range(25, 30)]
    assert client.get("/requests/?page=99").status_code == 200


def test_export_follows_the_filters(client, factory, login, iwate):
    login(factory.coordinator("03"))
    page = client.get("/requests/?focus=frontyard&page=1").text
    assert (
        "/requests/export.csv?focus=frontyard" in page
        and "page=1" not in page.split("export.csv")[1][:40]
    )
    body = client.get("/requests/export.csv?focus=frontyard").data.decode("utf-8-sig")
    assert iwate["b"].external_id in body and iwate["a"].external_id not in body
