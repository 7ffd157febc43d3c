"""A talent's profile shows their offers, assignments, hours logged and ratings, to the
coordinator and to the talent themselves (/pool/me)."""

from datetime import date

from talentpool.extensions import db
from talentpool.models import Offer


def test_profile_shows_offers_assignments_hours_and_ratings(app, client, factory, login, clock):
    clock.set(date(2027, 5, 20))
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    talent_user, talent = factory.talent_user("03", available_hours_per_month=120)
    done = factory.assignment(
        coordinator,
        factory.request("032018", title="標準化の移行支援"),
        talent,
        20,
        note="移行計画のレビュー",
        end="complete",
        score=4,
        comment="丁寧な支援でした。",
        officer=officer,
    )
    running = factory.assignment(
        coordinator, factory.request("032018", title="窓口改革の伴走"), talent, 10, note="会議"
    )
    pending = factory.offer(coordinator, factory.request("032018", title="RPA導入"), talent, 10)

    login(coordinator)
    page = client.get(f"/pool/{talent.id}").text
    assert "マッチング機能の導入後" not in page
    for text in ("標準化の移行支援", "窓口改革の伴走", "RPA導入", "丁寧な支援でした。"):
        assert text in page
    assert "30時間" in page  # 20 + 10 logged this month
    assert "4 / 5" in page and "4.0 / 5" in page
    assert f"/offers/assignments/{done.id}" in page and f"/offers/{pending.id}" in page
    assert "完了" in page and "派遣中" in page and "回答待ち" in page
    client.post("/logout")

    login(talent_user)
    mine = client.get("/pool/me").text
    assert "打診や派遣が決まると" not in mine
    assert "RPA導入" in mine and f"/offers/assignments/{running.id}" in mine
    with app.app_context():
        assert db.session.get(Offer, pending.id).state == "sent"


def test_a_new_talent_has_an_empty_history(client, factory, login):
    talent = factory.talent("03")
    login(factory.coordinator("03"))
    assert "打診や派遣はまだありません。" in client.get(f"/pool/{talent.id}").text
