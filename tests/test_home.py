"""Home pages show what needs attention, counted within the user's own scope."""

import re

from tests.factories import PASSWORD


def _count(page: str, label: str) -> int:
    match = re.search(r'attention__count">(\d+)</span> ' + re.escape(label), page)
    assert match, label
    return int(match.group(1))


def test_coordinator_home_counts_own_prefecture_only(client, factory, login):
    coordinator = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03")
    factory.request("032018", title="誰にも打診していない")
    offered = factory.request("032051", title="打診済み")
    factory.request("202011", title="長野の依頼")  # another prefecture: never counted
    factory.request("032018", state="draft")
    factory.offer(coordinator, offered, talent)
    home = login(coordinator).get("/").text
    assert _count(home, "打診していない募集中の依頼") == 1
    assert _count(home, "回答待ちの打診") == 1
    assert _count(home, "下書きの依頼(市町村が作成中)") == 1
    assert _count(home, "ログイン未招待の人材(有効)") == 0
    client.post("/logout")

    other = factory.coordinator("20")
    home = login(other).get("/").text
    assert _count(home, "打診していない募集中の依頼") == 1
    assert _count(home, "回答待ちの打診") == 0
    client.post("/logout")

    response = client.post("/login", data={"email": talent_user.email, "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/").text
    assert _count(home, "回答が必要な打診") == 1
    assert _count(home, "派遣中") == 0
