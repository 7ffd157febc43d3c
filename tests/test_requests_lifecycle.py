"""The request lifecycle: legal and illegal transitions, fill state, editable fields."""

import pytest
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import RequestState, SupportRequest
from talentpool.services import DomainError, NotAllowed
from talentpool.services.requests.states import EDITABLE, TRANSITIONS
from talentpool.services.requests.support_requests import (
    IllegalTransition,
    apply_transition,
    refresh_fill_state,
    update_request,
)


def _state(app, item_id):
    with app.app_context():
        return db.session.get(SupportRequest, item_id).state


def test_officer_walks_a_request_from_draft_to_closed(app, client, factory, login):
    login(factory.officer("032018"))
    response = client.post(
        "/requests/new",
        data={
            "title": "RPA導入支援",
            "description": "税務課の定型業務を自動化したい。",
            "focus_areas": ["ai_rpa"],
            "skills": ["project_management"],
            "hours_per_month": "20",
            "headcount": "2",
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
            "contact_name": "税務課 岩手",
            "contact_email": "zeimu@example.lg.jp",
            "save": "1",
        },
    )
    assert response.status_code == 302
    item_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert _state(app, item_id) == "draft"
    detail = client.get(f"/requests/{item_id}").text
    assert "下書き" in detail and "/transition/publish" in detail
    assert "/transition/close" not in detail

    published = client.post(f"/requests/{item_id}/transition/publish", follow_redirects=True)
    assert published.status_code == 200 and "募集中" in published.text
    with app.app_context():
        item = db.session.get(SupportRequest, item_id)
        assert refresh_fill_state(item, 1) == "partially_filled"
        assert refresh_fill_state(item, 2) == "filled"
        db.session.commit()
    assert "充足" in client.get(f"/requests/{item_id}").text
    closed = client.post(
        f"/requests/{item_id}/transition/close", data={"confirmed": "1"}, follow_redirects=True
    )
    assert closed.status_code == 200 and _state(app, item_id) == "closed"
    assert "支援終了後に評価できます" in closed.text


@pytest.mark.parametrize(
    "state, action",
    [
        ("draft", "close"),
        ("open", "publish"),
        ("open", "close"),
        ("filled", "withdraw"),
        ("filled", "cancel"),
        ("closed", "cancel"),
        ("cancelled", "publish"),
        ("closed", "close"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(
    app, client, factory, login, state, action
):
    item = factory.request("032018", state=state, skills=("frontyard",))
    login(factory.coordinator("03"))
    response = client.post(f"/requests/{item.id}/transition/{action}")
    assert response.status_code == 409
    label = str(TRANSITIONS[action].label)
    assert "ことができません" in response.text and label in response.text
    assert _state(app, item.id) == state


def test_unknown_transition_is_404(client, factory, login):
    item = factory.request("032018")
    login(factory.officer("032018"))
    assert client.post(f"/requests/{item.id}/transition/approve").status_code == 404


def test_publishing_needs_a_focus_area(app, client, factory, login):
    item = factory.request("032018", state="draft", skills=("cloud",))
    login(factory.officer("032018"))
    response = client.post(f"/requests/{item.id}/transition/publish")
    assert response.status_code == 409 and "重点取組を1つ以上" in response.text
    assert _state(app, item.id) == "draft"


def test_service_refuses_by_role_and_state(app, factory):
    item = factory.request("032018", state="closed", skills=("security",))
    with app.app_context():
        item = db.session.get(SupportRequest, item.id)
        with pytest.raises(NotAllowed):
            apply_transition(item, "reopen", "municipal_officer")
        with pytest.raises(IllegalTransition):
            apply_transition(item, "cancel", "coordinator")
        with pytest.raises(DomainError):
            apply_transition(item, "no-such", "coordinator")
        assert item.state == "closed"
        apply_transition(item, "reopen", "coordinator")
        assert item.state == "open"


def test_fill_state_follows_assignments_only_while_staffing(app, factory):
    ids = {
        s: factory.request("032018", state=s, headcount=2).id
        for s in ("draft", "open", "closed", "cancelled")
    }
    with app.app_context():
        items = {s: db.session.get(SupportRequest, i) for s, i in ids.items()}
        assert refresh_fill_state(items["open"], 0) == "open"
        assert refresh_fill_state(items["open"], 1) == "partially_filled"
        assert refresh_fill_state(items["open"], 3) == "filled"
        assert refresh_fill_state(items["open"], 0) == "open"
        for state in ("draft", "closed", "cancelled"):
            assert refresh_fill_state(items[state], 2) == state


def test_editable_fields_per_state(app, client, factory, login):
    item = factory.request("032018", state="open", title="元の件名")
    login(factory.officer("032018"))
    page = client.get(f"/requests/{item.id}/edit").text
    assert 'name="description"' in page and 'name="title"' not in page
    assert 'name="focus_areas"' not in page and 'name="hours_per_month"' in page

    crafted = client.post(
        f"/requests/{item.id}/edit",
        data={
            "title": "書き換えた件名",
            "description": "x",
            "hours_per_month": "20",
            "headcount": "1",
        },
    )
    assert crafted.status_code == 409 and "変更できない項目" in crafted.text
    ok = client.post(
        f"/requests/{item.id}/edit",
        data={
            "description": "内容を補足しました。",
            "hours_per_month": "30",
            "headcount": "1",
            "contact_name": "デジタル推進課 担当",
            "contact_email": "dx@example.lg.jp",
            "save": "1",
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        saved = db.session.get(SupportRequest, item.id)
        assert saved.title == "元の件名" and saved.description == "内容を補足しました。"
        assert saved.hours_per_month == 30 and "補足" in saved.search_text


@pytest.mark.parametrize("state", ["filled", "closed", "cancelled"])
def test_finished_requests_cannot_be_edited(app, client, factory, login, state):
    item = factory.request("032018", state=state)
    login(factory.coordinator("03"))
    assert client.get(f"/requests/{item.id}/edit").status_code == 409
    response = client.post(f"/requests/{item.id}/edit", data={"description": "変更"})
    assert response.status_code == 409 and "編集できません" in response.text
    with app.app_context():
        assert db.session.get(SupportRequest, item.id).description == "窓口のデジタル化を進めたい。"
        with pytest.raises(IllegalTransition):
            update_request(db.session.get(SupportRequest, item.id), {"description": "変更"})


def test_service_names_locked_fields_and_changes_nothing(app, factory):
    item = factory.request("032018", state="partially_filled", title="件名A", headcount=2)
    with app.app_context():
        item = db.session.get(SupportRequest, item.id)
        with pytest.raises(IllegalTransition, match="件名"):
            update_request(item, {"title": "件名B", "description": "変更"})
        assert item.title == "件名A" and item.description == "窓口のデジタル化を進めたい。"
        # an unchanged value of a locked field is not a change
        assert update_request(item, {"title": "件名A", "description": "変更"}) == {"description"}


def test_every_state_has_a_rule():
    assert set(EDITABLE) == set(RequestState)
    assert EDITABLE["filled"] == EDITABLE["closed"] == EDITABLE["cancelled"] == frozenset()


def test_withdraw_back_to_draft_unlocks_everything(app, client, factory, login):
    item = factory.request("032018", state="open", skills=("bpr",))
    login(factory.officer("032018"))
    assert client.post(f"/requests/{item.id}/transition/withdraw").status_code == 302
    assert 'name="title"' in client.get(f"/requests/{item.id}/edit").text
    with app.app_context():
        assert (
            db.session.scalar(select(SupportRequest.state).where(SupportRequest.id == item.id))
            == "draft"
        )


def test_real_forms_carry_csrf_tokens_and_posts_without_one_change_nothing(
    app, client, factory, login, monkeypatch
):
    item = factory.request("032018", state="draft", skills=("bpr",))
    login(factory.officer("032018"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get(f"/requests/{item.id}").text
    assert page.count('name="csrf_token"') >= 3  # language, logout, and each transition
    assert 'name="csrf_token"' in client.get("/requests/new").text
    assert 'name="csrf_token"' in client.get("/requests/import").text
    assert client.post(f"/requests/{item.id}/transition/publish").status_code == 400
    assert (
        client.post(
            "/requests/new", data={"title": "x", "hours_per_month": "1", "headcount": "1"}
        ).status_code
        == 400
    )
    assert _state(app, item.id) == "draft"
