"""The audit trail records who changed what, before → after, and is scoped and read-only."""

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import AuditEvent, Talent, TaxonomyTerm


def test_create_update_and_collection_changes_are_recorded(app, factory):
    talent = factory.talent("03", available_hours_per_month=40, skills=("cloud",))
    with app.app_context():
        row = db.session.get(Talent, talent.id)
        row.available_hours_per_month = 20
        row.skills.append(db.session.get(TaxonomyTerm, "security"))
        db.session.commit()
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "talent", AuditEvent.entity_id == str(talent.id))
            .order_by(AuditEvent.id)
        ).all()
    assert [e.action for e in events] == ["create", "update"]
    created, updated = events
    assert created.prefecture_id == talent.prefecture_id
    assert created.changes["name"] == [None, talent.name]
    assert updated.changes["available_hours_per_month"] == [40, 20]
    assert updated.changes["skills"] == [[], ["security"]]
    assert "search_text" not in updated.changes


def test_secrets_are_masked_and_actor_is_recorded(app, client, factory, login):
    coordinator = factory.coordinator("03")
    with app.app_context():
        created = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.entity == "user_account", AuditEvent.entity_id == str(coordinator.id)
            )
        )
    assert created.changes["password_hash"] == [None, "***"]
    login(coordinator)
    morioka = factory.municipality("032018")
    client.post(
        "/accounts/invitations",
        data={
            "name": "盛岡 一郎",
            "email": "ichiro@example.jp",
            "role": "municipal_officer",
            "municipality_id": str(morioka.id),
            "prefecture_id": "0",
        },
    )
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "invitation"))
    assert event.actor_id == coordinator.id and event.changes["token_hash"] == [None, "***"]
    assert event.changes["link_nonce"] == [None, "***"]  # with SECRET_KEY it gives the link
    page = client.get("/audit/?entity=invitation")
    assert page.status_code == 200 and "ichiro@example.jp" in page.text


def test_coordinators_see_only_their_prefecture(client, factory, login):
    factory.talent("20", name="長野 の人")
    factory.talent("03", name="岩手 の人")
    login(factory.coordinator("03"))
    page = client.get("/audit/?entity=talent").text
    assert "岩手 の人" in page and "長野 の人" not in page
    # There is no route that edits or deletes the trail.
    assert client.post("/audit/").status_code == 405
