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


def test_officer_home_queries_do_not_grow_with_its_requests(app, client, factory, login):
    from sqlalchemy import event

    from talentpool.extensions import db

    def statements() -> int:
        count = 0

        def counter(*_args):
            nonlocal count
            count += 1

        with app.app_context():
            target = db.engine  # the test's connection (see the db fixture)
        event.listen(target, "before_cursor_execute", counter)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(target, "before_cursor_execute", counter)
        return count

    coordinator = factory.coordinator("03")
    login(factory.officer("032018"))
    talent_user, talent = factory.talent_user("03", available_hours_per_month=160)
    for _ in range(2):
        factory.assignment(coordinator, factory.request("032018"), talent, 10)
    few = statements()
    for _ in range(8):
        factory.assignment(coordinator, factory.request("032018"), talent, 10)
    many = statements()
    assert many == few
    assert talent.name in client.get("/").text
