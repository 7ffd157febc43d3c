"""Personal-data duties: a talent downloads their own data; a coordinator anonymises a departed
talent (personal data gone — also from the audit trail — aggregate history kept)."""

from __future__ import annotations

import io
import json

import openpyxl
from sqlalchemy import func, select

from talentpool.audit import SCRUBBED
from talentpool.extensions import db
from talentpool.models import (
    ActivityLog,
    Assignment,
    AuditEvent,
    Notification,
    Offer,
    OutboxMessage,
    Rating,
    Talent,
    User,
)

NAME, EMAIL, PHONE = "岩手 花子", "hanako@example.jp", "019-111-2222"
EXPERIENCE = "盛岡市の窓口DXを3年支援。"
DECLINE = "家庭の事情で今月は難しいです"
NOTE = "花子がRPAの研修を実施しました"
COMMENT = "花子さんの説明が丁寧でした"


def _departed(factory, *, with_history: bool = True):
    """A talent with a finished, rated assignment, a declined offer, training and notes."""
    coordinator = factory.coordinator("03")
    officer = factory.officer("032018")
    user, talent = factory.talent_user(
        "03",
        name=NAME,
        name_kana="いわて はなこ",
        email=EMAIL,
        phone=PHONE,
        experience=EXPERIENCE,
        qualifications="応用情報技術者",
        skills=("cloud",),
    )
    if with_history:
        factory.assignment(
            coordinator,
            factory.request("032018", title="窓口改善"),
            talent,
            20,
            note=NOTE,
            end="early",
            end_reason="花子さんの転居のため",
            score=4,
            comment=COMMENT,
            officer=officer,
            message="花子さん、ぜひお願いします",
        )
        declined = factory.offer(
            coordinator, factory.request("032018", title="庁内LAN"), talent, 10
        )
        with factory.app.app_context():
            from talentpool.services.offers.lifecycle import decline_offer

            decline_offer(
                db.session.get(User, user.id), db.session.get(Offer, declined.id), DECLINE
            )
            db.session.commit()
        factory.enrollment(
            factory.program("行政実務研修"),
            talent=talent,
            completed_on=__import__("datetime").date(2025, 6, 1),
            certificate_number="CERT-0001",
        )
    return coordinator, officer, user, talent


# --- download ---------------------------------------------------------------------------


def test_talent_downloads_all_their_data_as_json(app, client, factory, login):
    _coordinator, _officer, user, talent = _departed(factory)
    login(user)
    assert "pool/me/data.json" in client.get("/pool/me").text
    response = client.get("/pool/me/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["profile"][0]["name"] == NAME and data["profile"][0]["phone"] == PHONE
    assert data["skills"] == [{"code": "cloud", "label": data["skills"][0]["label"]}]
    assert data["account"][0]["email"] == user.email
    assert {o["state"] for o in data["offers"]} == {"accepted", "declined"}
    assert DECLINE in {o["decline_reason"] for o in data["offers"]}
    (assignment,) = data["assignments"]
    assert assignment["rating_score"] == 4 and assignment["rating_comment"] == COMMENT
    assert data["activity_logs"][0]["note"] == NOTE
    assert data["training"][0]["certificate_number"] == "CERT-0001"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "data_export"))
        assert event.entity_id == str(talent.id) and event.actor_id == user.id


def test_talent_downloads_their_data_as_xlsx_one_sheet_per_section(client, factory, login):
    _coordinator, _officer, user, _talent = _departed(factory)
    login(user)
    response = client.get("/pool/me/data.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == [
        "プロフィール",
        "スキル",
        "対応地域",
        "アカウント",
        "打診",
        "派遣",
        "活動記録",
        "研修",
    ]
    profile = list(book["プロフィール"].values)
    assert NAME in profile[1] and PHONE in profile[1]
    assert NOTE in [cell for row in book["活動記録"].values for cell in row]


def test_data_download_is_only_for_the_talent_themselves(client, factory, login):
    _departed(factory, with_history=False)
    assert client.get("/pool/me/data.json").status_code == 302  # to the login page
    login(factory.coordinator("03"))
    assert client.get("/pool/me/data.json").status_code == 403
    assert client.get("/pool/me/data.csv").status_code == 404


def test_a_talent_sees_only_their_own_data(client, factory, login):
    _departed(factory)
    other_user, _other = factory.talent_user("03", name="別の 人材")
    login(other_user)
    data = json.loads(client.get("/pool/me/data.json").data)
    assert data["profile"][0]["name"] == "別の 人材"
    assert data["offers"] == [] and data["assignments"] == [] and data["activity_logs"] == []


# --- anonymisation ----------------------------------------------------------------------


def _counts(app, talent_id: int) -> dict:
    with app.app_context():
        return {
            "assignments": db.session.scalar(
                select(func.count())
                .select_from(Assignment)
                .where(Assignment.talent_id == talent_id)
            ),
            "offers": db.session.scalar(
                select(func.count()).select_from(Offer).where(Offer.talent_id == talent_id)
            ),
            "hours": db.session.scalar(
                select(func.sum(ActivityLog.hours))
                .join(Assignment)
                .where(Assignment.talent_id == talent_id)
            ),
            "scores": db.session.scalars(
                select(Rating.score).join(Assignment).where(Assignment.talent_id == talent_id)
            ).all(),
        }


def _anonymize(client, talent_id: int, confirm: bool = True):
    return client.post(f"/pool/{talent_id}/anonymize", data={"confirm": "y"} if confirm else {})


def test_coordinator_anonymizes_a_departed_talent(app, client, factory, login):
    coordinator, _officer, user, talent = _departed(factory)
    before = _counts(app, talent.id)
    login(coordinator)
    assert "匿名化する" in client.get(f"/pool/{talent.id}").text
    response = _anonymize(client, talent.id)
    assert response.status_code == 302
    page = client.get(f"/pool/{talent.id}").text
    assert f"匿名化済み人材 #{talent.id}" in page and NAME not in page and PHONE not in page

    with app.app_context():
        row = db.session.get(Talent, talent.id)
        assert row.name == f"匿名化済み人材 #{talent.id}"
        assert (
            row.name_kana,
            row.email,
            row.phone,
            row.experience,
            row.qualifications,
            row.external_id,
            row.areas,
        ) == ("", None, None, "", "", None, [])
        assert row.anonymized_at is not None and not row.active
        assert [t.code for t in row.skills] == ["cloud"]  # not personal: kept for statistics
        account = db.session.get(User, user.id)
        assert not account.is_enabled and account.password_hash is None
        assert account.email.endswith("@invalid.example") and NAME not in account.name
        offers = db.session.scalars(select(Offer).where(Offer.talent_id == talent.id)).all()
        assert {(o.message, o.decline_reason) for o in offers} == {("", "")}
        assert db.session.scalar(select(ActivityLog.note)) == ""
        assert db.session.scalar(select(Rating.comment)) == ""
        assert db.session.scalar(select(Assignment.end_reason)) == ""
        # others' notices and mail no longer carry the name or the free text
        for notice in db.session.scalars(select(Notification)):
            assert NAME not in json.dumps(notice.params, ensure_ascii=False)
            assert DECLINE not in json.dumps(notice.params, ensure_ascii=False)
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == user.id)
            )
            == 0
        )
        for mail in db.session.scalars(select(OutboxMessage)):
            assert NAME not in mail.body_text and DECLINE not in mail.body_text
            assert mail.recipient not in (EMAIL, user.email)
    assert _counts(app, talent.id) == before  # aggregate history kept


def test_anonymization_scrubs_the_audit_trail_and_records_itself(app, client, factory, login):
    coordinator, _officer, user, talent = _departed(factory)
    login(coordinator)
    client.post(
        f"/pool/{talent.id}/edit",
        data={  # an ordinary edit leaves an update event
            "external_id": "T-1",
            "name": NAME,
            "name_kana": "いわて はなこ",
            "kind": "external",
            "available_hours_per_month": "40",
            "work_style": "hybrid",
            "email": EMAIL,
            "phone": "019-999-0000",
            "experience": EXPERIENCE,
        },
    )
    assert _anonymize(client, talent.id).status_code == 302
    with app.app_context():
        trail = json.dumps(
            [e.changes for e in db.session.scalars(select(AuditEvent))], ensure_ascii=False
        )
        for secret in (
            NAME,
            "いわて はなこ",
            EMAIL,
            PHONE,
            "019-999-0000",
            EXPERIENCE,
            "応用情報技術者",
            DECLINE,
            NOTE,
            COMMENT,
            "花子さん、ぜひ",
            user.email,
            "CERT-0001",
            "花子さんの転居",
        ):
            assert secret not in trail, secret
        assert SCRUBBED in trail
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "anonymize"))
        assert event.entity == "talent" and event.entity_id == str(talent.id)
        assert event.actor_id == coordinator.id and event.changes["offers"] == [None, 2]
        # the update the anonymisation caused is recorded too, with its new values only
        update = db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.entity == "talent",
                AuditEvent.entity_id == str(talent.id),
                AuditEvent.action == "update",
            )
            .order_by(AuditEvent.id.desc())
        ).first()
        assert update.changes["name"] == [SCRUBBED, f"匿名化済み人材 #{talent.id}"]
    audit_page = client.get("/audit/?action=anonymize")
    assert audit_page.status_code == 200 and "匿名化" in audit_page.text


def test_anonymized_account_cannot_log_in_and_its_session_ends(app, factory, login, client):
    coordinator, _officer, user, talent = _departed(factory, with_history=False)
    talent_client = app.test_client()
    talent_client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
    assert talent_client.get("/pool/me").status_code == 200
    login(coordinator)
    assert _anonymize(client, talent.id).status_code == 302
    assert talent_client.get("/pool/me").status_code == 302  # logged out
    again = talent_client.post(
        "/login", data={"email": user.email, "password": "correct-horse-battery"}
    )
    assert again.status_code != 302


def test_anonymization_is_refused_while_an_assignment_is_active(app, client, factory, login):
    coordinator = factory.coordinator("03")
    _user, talent = factory.talent_user("03", name=NAME)
    factory.assignment(coordinator, factory.request("032018"), talent, 20)
    login(coordinator)
    response = _anonymize(client, talent.id)
    assert response.status_code == 409
    assert "進行中の派遣があるため匿名化できません" in response.text
    with app.app_context():
        assert db.session.get(Talent, talent.id).name == NAME
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "anonymize")
            )
            == 0
        )


def test_anonymization_is_refused_while_an_offer_waits(app, client, factory, login):
    coordinator = factory.coordinator("03")
    _user, talent = factory.talent_user("03", name=NAME)
    factory.offer(coordinator, factory.request("032018"), talent, 10)
    login(coordinator)
    response = _anonymize(client, talent.id)
    assert response.status_code == 409 and "回答待ちの打診" in response.text
    with app.app_context():
        assert db.session.get(Talent, talent.id).anonymized_at is None


def test_anonymization_needs_the_confirmation_and_happens_once(app, client, factory, login):
    coordinator, _officer, _user, talent = _departed(factory, with_history=False)
    login(coordinator)
    response = _anonymize(client, talent.id, confirm=False)
    assert response.status_code == 400 and "確認のチェックを入れてください" in response.text
    with app.app_context():
        assert db.session.get(Talent, talent.id).name == NAME
    assert _anonymize(client, talent.id).status_code == 302
    again = _anonymize(client, talent.id)
    assert again.status_code in (400, 409)


def test_only_the_own_prefectures_coordinator_may_anonymize(app, client, factory, login):
    _coordinator, officer, user, talent = _departed(factory, with_history=False)
    for actor, status in ((factory.coordinator("20"), 404), (officer, 403), (user, 403)):
        login(actor)
        assert _anonymize(client, talent.id).status_code == status
        client.post("/logout")
    with app.app_context():
        assert db.session.get(Talent, talent.id).name == NAME


def test_a_talent_who_never_logged_in_can_be_anonymized(app, client, factory, login):
    talent = factory.talent("03", name=NAME, email=EMAIL, phone=PHONE)
    login(factory.coordinator("03"))
    client.post(f"/accounts/invite-talent/{talent.id}")  # a pending invitation names them
    assert _anonymize(client, talent.id).status_code == 302
    with app.app_context():
        from talentpool.models import Invitation

        row = db.session.get(Talent, talent.id)
        assert row.name == f"匿名化済み人材 #{talent.id}" and row.email is None
        (invitation,) = db.session.scalars(
            select(Invitation).where(Invitation.talent_id == talent.id)
        )
        assert invitation.email.endswith("@invalid.example") and NAME not in invitation.name
        assert invitation.revoked_at is not None  # the link no longer works (revoked)
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.recipient == EMAIL)
            )
            == 0
        )
