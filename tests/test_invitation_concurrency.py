"""Two coordinators inviting the same person at the same moment, on PostgreSQL with two real
connections: one invitation is made, the other gets the "already invited" message (the partial
unique index, not luck, decides)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import Invitation, Municipality, Role, Talent, User
from talentpool.models.account import open_invitation
from talentpool.services.accounts import users as accounts
from talentpool.services.accounts.users import create_user
from tests.concurrency import run_together

pytestmark = pytest.mark.postgres

_labels = iter(range(1, 1_000_000))


def _setup(app) -> tuple[list[int], int]:
    n = next(_labels)
    with app.app_context():
        place = db.session.scalar(select(Municipality))
        coordinators = [
            create_user(
                email=f"inv-c{n}-{i}@example.jp",
                name="担当",
                role=Role.coordinator,
                password=None,
                prefecture_id=place.prefecture_id,
            ).id
            for i in (1, 2)
        ]
        talent = Talent(
            prefecture_id=place.prefecture_id,
            name=f"同時 招待{n}",
            kind="external",
            email=f"inv-t{n}@example.jp",
        )
        db.session.add(talent)
        db.session.commit()
        return coordinators, talent.id


def _invite_together(app, coordinators: list[int], talent_id: int) -> list[str]:
    def invite(coordinator_id: int):
        def job(barrier) -> None:
            inviter = db.session.get(User, coordinator_id)
            talent = db.session.get(Talent, talent_id)
            barrier.wait()
            accounts.invite(
                inviter=inviter,
                email=talent.email,
                name=talent.name,
                role=Role.talent,
                talent_id=talent.id,
            )

        return job

    return run_together(app, [invite(c) for c in coordinators])


@pytest.fixture
def slow_check(monkeypatch):
    """Pause after looking for an open invitation, so both invites pass that check first."""
    original = accounts._open_invitations

    def look_then_pause(*args, **kwargs):
        found = original(*args, **kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(accounts, "_open_invitations", look_then_pause)


def test_two_coordinators_inviting_one_person_make_one_invitation(pg_app, slow_check):
    coordinators, talent_id = _setup(pg_app)
    results = _invite_together(pg_app, coordinators, talent_id)
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert "有効期限内の招待が既にあります" in next(r for r in results if r != "ok")
    with pg_app.app_context():
        open_count = db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.talent_id == talent_id, open_invitation())
        )
        db.session.remove()
    assert open_count == 1
