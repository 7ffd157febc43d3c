"""Factory functions for domain objects and a login helper per role (a pytest plugin).

Each factory call opens its own app context and commits (a savepoint inside the test's
transaction); returned objects are detached but keep their loaded attributes.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import (
    DxLeader,
    Enrollment,
    Municipality,
    NationalListEntry,
    Prefecture,
    Role,
    SupportRequest,
    Talent,
    TaxonomyTerm,
    TrainingProgram,
    User,
)
from talentpool.services.accounts.users import create_user
from talentpool.text import search_key

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


class Factory:
    def __init__(self, app):
        self.app = app

    def _save(self, obj):
        with self.app.app_context():
            db.session.add(obj)
            db.session.commit()
            return obj

    def prefecture(self, code: str) -> Prefecture:
        with self.app.app_context():
            return db.session.scalar(select(Prefecture).where(Prefecture.code == code))

    def municipality(self, lg_code: str) -> Municipality:
        with self.app.app_context():
            return db.session.scalar(select(Municipality).where(Municipality.lg_code == lg_code))

    def user(
        self,
        role: str,
        *,
        prefecture: str | None = None,
        municipality: str | None = None,
        email: str | None = None,
        name: str = "テスト 利用者",
    ) -> User:
        with self.app.app_context():
            pref = self.prefecture(prefecture) if prefecture else None
            muni = self.municipality(municipality) if municipality else None
            user = create_user(
                email=email or f"user{next(_seq)}@example.jp",
                name=name,
                role=role,
                password=PASSWORD,
                prefecture_id=pref.id if pref else None,
                municipality_id=muni.id if muni else None,
            )
            db.session.commit()
            return user

    def admin(self) -> User:
        return self.user(Role.national_admin)

    def coordinator(self, prefecture: str = "03") -> User:
        return self.user(Role.coordinator, prefecture=prefecture)

    def officer(self, municipality: str = "032018") -> User:
        return self.user(Role.municipal_officer, municipality=municipality)

    def talent(
        self,
        prefecture: str = "03",
        *,
        skills: tuple[str, ...] = (),
        user: User | None = None,
        **values,
    ) -> Talent:
        with self.app.app_context():
            n = next(_seq)
            fields = {
                "name": f"人材 {n}号",
                "name_kana": "じんざい",
                "kind": "external",
                "experience": "自治体の基幹業務システム標準化を支援。",
                "qualifications": "",
                "available_hours_per_month": 40,
                "work_style": "hybrid",
                "email": f"talent{n}@example.jp",
                "phone": "000-0000-0000",
                "external_id": f"T{n:05d}",
            }
            fields.update(values)
            talent = Talent(
                prefecture_id=self.prefecture(prefecture).id,
                user_id=user.id if user else None,
                **fields,
            )
            talent.skills = list(
                db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code.in_(skills)))
            )
            talent.search_text = search_key(
                " ".join([talent.name, talent.name_kana, talent.experience, talent.qualifications])
            )
            db.session.add(talent)
            db.session.commit()
            return talent

    def talent_user(self, prefecture: str = "03", **values) -> tuple[User, Talent]:
        user = self.user(Role.talent, prefecture=prefecture)
        return user, self.talent(prefecture, user=user, **values)

    def request(
        self, municipality: str = "032018", *, skills: tuple[str, ...] = (), **values
    ) -> SupportRequest:
        with self.app.app_context():
            muni = self.municipality(municipality)
            n = next(_seq)
            fields = {
                "title": f"支援依頼 {n}",
                "description": "窓口のデジタル化を進めたい。",
                "hours_per_month": 20,
                "headcount": 1,
                "state": "open",
                "external_id": f"R{n:05d}",
                "contact_name": "デジタル推進課 担当",
                "contact_email": "dx@example.lg.jp",
            }
            fields.update(values)
            item = SupportRequest(
                prefecture_id=muni.prefecture_id, municipality_id=muni.id, **fields
            )
            item.skills = list(
                db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code.in_(skills)))
            )
            item.search_text = search_key(f"{item.title} {item.description}")
            db.session.add(item)
            db.session.commit()
            return item

    def dx_leader(self, municipality: str = "032018", **values) -> DxLeader:
        with self.app.app_context():
            fields = {"name": f"リーダー {next(_seq)}", "department": "デジタル推進課"}
            fields.update(values)
            return self._save(
                DxLeader(municipality_id=self.municipality(municipality).id, **fields)
            )

    def program(
        self, name: str = "DX推進リーダー育成研修", prefecture: str | None = None, **values
    ) -> TrainingProgram:
        """A seeded national program by name, or a new prefecture program."""
        with self.app.app_context():
            if prefecture is None:
                return db.session.scalar(
                    select(TrainingProgram).where(
                        TrainingProgram.name == name, TrainingProgram.prefecture_id.is_(None)
                    )
                )
            fields = {"audience": "dx_leader"}
            fields.update(values)
            return self._save(
                TrainingProgram(prefecture_id=self.prefecture(prefecture).id, name=name, **fields)
            )

    def enrollment(
        self,
        program: TrainingProgram,
        *,
        leader: DxLeader | None = None,
        talent: Talent | None = None,
        **values,
    ) -> Enrollment:
        """A training record as given (completed when `completed_on` is given)."""
        if "completed_on" in values:
            values.setdefault("status", "completed")
        values.setdefault("enrolled_on", values.get("completed_on"))
        return self._save(
            Enrollment(
                program_id=program.id,
                dx_leader_id=leader.id if leader else None,
                talent_id=talent.id if talent else None,
                **values,
            )
        )

    def national_entry(self, *, skills: tuple[str, ...] = (), **values) -> NationalListEntry:
        with self.app.app_context():
            n = next(_seq)
            fields = {
                "name": f"国リスト 人材{n}",
                "name_kana": "こくりすと",
                "kind": "external",
                "experience": "自治体DXの伴走支援。",
                "available_hours_per_month": 30,
                "work_style": "remote",
                "email": f"national{n}@example.jp",
                "external_id": f"NL-{n:05d}",
            }
            fields.update(values)
            entry = NationalListEntry(**fields)
            entry.skills = list(
                db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code.in_(skills)))
            )
            entry.search_text = search_key(f"{entry.name} {entry.name_kana} {entry.experience}")
            db.session.add(entry)
            db.session.commit()
            return entry

    def offer(
        self,
        coordinator: User,
        request: SupportRequest,
        talent: Talent,
        hours: int | None = None,
        reply_by=None,
        **values,
    ):
        """Send an offer through the service (notifications included); returns it detached."""
        from datetime import timedelta

        from talentpool.services.clock import today
        from talentpool.services.offers.lifecycle import send_offers

        with self.app.app_context():
            user = db.session.get(User, coordinator.id)
            items = [(request.id, talent.id, hours or request.hours_per_month)]
            (offer,) = send_offers(
                user,
                items,
                values.pop("message", "よろしくお願いします。"),
                reply_by or today() + timedelta(days=7),
                **values,
            )
            db.session.commit()
            return offer

    def assignment(
        self,
        coordinator: User,
        request: SupportRequest,
        talent: Talent,
        hours: int | None = None,
        *,
        note: str = "",
        end: str | None = None,
        end_reason: str = "",
        score: int | None = None,
        comment: str = "",
        officer: User | None = None,
        **values,
    ):
        """Offer and accept through the services; optionally log this month's activity
        (`note`), end it (`end`: "complete" or "early") and rate it (`score` by `officer`).
        Returns the assignment, detached."""
        from talentpool.models import Assignment, Offer
        from talentpool.services.clock import today
        from talentpool.services.offers import assignments
        from talentpool.services.offers.lifecycle import accept_offer

        offer = self.offer(coordinator, request, talent, hours, **values)
        with self.app.app_context():
            item = accept_offer(
                db.session.get(User, talent.user_id), db.session.get(Offer, offer.id)
            )
            if note:
                assignments.log_activity(
                    db.session.get(User, talent.user_id),
                    item,
                    today().replace(day=1),
                    item.hours_per_month,
                    note,
                )
            boss = db.session.get(User, coordinator.id)
            if end == "complete":
                assignments.complete_assignment(boss, item)
            elif end == "early":
                assignments.end_assignment_early(boss, item, end_reason or "都合により終了")
            if score is not None:
                assignments.rate_assignment(db.session.get(User, officer.id), item, score, comment)
            db.session.commit()
            return db.session.get(Assignment, item.id)


@pytest.fixture
def factory(app, db) -> Factory:
    return Factory(app)


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that user and returns the client."""

    def _login(user: User, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data.decode()[:500]
        return client

    return _login
