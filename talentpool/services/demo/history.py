"""Demo history for the dashboard and the fiscal report: offers and their answers, assignments
(active, completed with fees and ratings, CIO assistants), activity logs, a training program
with a cost, recruitment costs, and two talent invited to log in who have not yet (one
invitation pending, one expired).

Everything goes through the services, so the demo obeys the same rules as users do. The
services stamp "now"; afterwards the stamps are moved back to plausible dates in the
requests' periods, so the fiscal-year figures (time to fill, offers per year) look like a
year of real use. Idempotent: a scenario whose offer already exists is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import (
    DxLeader,
    Enrollment,
    Invitation,
    Municipality,
    Offer,
    Prefecture,
    RecruitmentExpense,
    Role,
    SupportRequest,
    Talent,
    TrainingProgram,
    User,
)
from talentpool.services.accounts.invitations import invite_talent
from talentpool.services.accounts.users import find_user_by_email
from talentpool.services.clock import pinned, today
from talentpool.services.demo.common import shift, shift_year, talent_login
from talentpool.services.offers import assignments, lifecycle
from talentpool.services.reports import recruitment
from talentpool.services.requests import support_requests as request_service
from talentpool.services.training import programs

COORDINATORS = {
    "03": "iwate.coordinator@demo.example.jp",
    "20": "nagano.coordinator@demo.example.jp",
}
OFFICERS = {
    "032018": "morioka.officer@demo.example.jp",
    "032051": "hanamaki.officer@demo.example.jp",
}


@dataclass(frozen=True)
class Scenario:
    request: str
    talent: str
    outcome: str  # active / completed / declined / lapsed
    #: Days after the request's publication that the offer went out.
    sent_after: int
    fee: int | None = None
    rating: int | None = None
    #: (first day of month, hours) the talent logged.
    activity: tuple[tuple[date, int], ...] = ()


SCENARIOS = (
    Scenario(
        "IW-R001",
        "IW-T001",
        "active",
        12,
        None,
        None,
        ((date(2026, 6, 1), 52), (date(2026, 7, 1), 60), (date(2026, 8, 1), 58)),
    ),
    Scenario(
        "IW-R002",
        "IW-T006",
        "completed",
        20,
        300_000,
        4,
        ((date(2026, 7, 1), 30), (date(2026, 8, 1), 28), (date(2026, 9, 1), 30)),
    ),
    Scenario("IW-R009", "IW-T009", "active", 9, 120_000, None, ((date(2026, 7, 1), 12),)),
    Scenario("IW-R010", "IW-T010", "active", 25, 100_000),
    Scenario("IW-R007", "IW-T013", "declined", 6),
    Scenario("IW-R007", "IW-T002", "active", 18, None, None, ((date(2026, 8, 1), 16),)),
    Scenario("IW-R012", "IW-T014", "lapsed", 14),
    Scenario(
        "IW-R003",
        "IW-T005",
        "completed",
        40,
        200_000,
        5,
        ((date(2026, 9, 1), 40), (date(2026, 10, 1), 36)),
    ),
    Scenario("NG-R002", "NG-T005", "active", 15, 180_000),
    Scenario("NG-R010", "NG-T011", "active", 30, 150_000),
    Scenario("NG-R003", "NG-T002", "active", 21),
    # not started yet: accepted for a request that starts next spring
    Scenario("IW-R011", "IW-T007", "active", 10),
    # past its end date and still active: waits for the coordinator to complete it
    Scenario(
        "IW-R014",
        "IW-T024",
        "active",
        8,
        None,
        None,
        ((date(2026, 4, 1), 16), (date(2026, 5, 1), 14), (date(2026, 6, 1), 16)),
    ),
)

#: (prefecture code, date, description, amount, vendor)
EXPENSES = (
    ("03", date(2026, 6, 30), "デジタル人材募集の求人広告掲載", 330_000, "株式会社ジョブメディア"),
    ("03", date(2026, 11, 13), "オンライン採用説明会の運営委託", 198_000, "いわて企画株式会社"),
    ("20", date(2026, 7, 10), "転職サイトへの求人掲載", 440_000, "株式会社キャリアネット"),
)

#: A prefecture program with a cost, and who took it: (municipality code, leader, completed).
PROGRAM = ("03", "岩手県DX推進リーダー育成研修(実践編)", 45_000, 2026)
PROGRAM_RECORDS = (
    ("032051", "照井 大樹", date(2026, 10, 16)),
    ("033219", "鎌田 俊介", date(2026, 11, 13)),
)


def _utc(day: date, hour: int = 1) -> datetime:
    """A naive-UTC stamp on `day` (10:00 in Japan at hour=1)."""
    return datetime.combine(day, time(hour))


def _play(scenario: Scenario, req: SupportRequest, talent: Talent, password: str) -> None:
    """Offer and answer on the day it happened (the clock pinned there), then log, charge,
    complete and rate as of today."""
    coordinator = find_user_by_email(COORDINATORS[req.prefecture.code])
    user = talent_login(talent, password)
    published = req.published_at or _utc(req.start_date - timedelta(days=45))
    req.published_at = published
    lapsing = scenario.outcome == "lapsed"
    latest = _utc(today() - timedelta(days=10))
    sent = min(published + timedelta(days=scenario.sent_after), latest)
    decided = sent + timedelta(days=8 if lapsing else 3)
    with pinned(sent.date()):
        reply_by = today() if lapsing else today() + timedelta(days=14)
        (offer,) = lifecycle.send_offers(
            coordinator,
            [(req.id, talent.id, req.hours_per_month)],
            "ご検討をお願いします。",
            reply_by,
        )
        if scenario.outcome == "declined":
            lifecycle.decline_offer(user, offer, "本業の繁忙期と重なるため、今回は辞退します。")
        elif lapsing:
            lifecycle.lapse_overdue(today() + timedelta(days=1))
        else:
            assignment = lifecycle.accept_offer(user, offer)
    if scenario.outcome in ("active", "completed"):
        for month, hours in scenario.activity:
            assignments.log_activity(user, assignment, shift(month), hours, "定例会議と資料作成")
        if scenario.fee is not None:
            assignments.set_monthly_fee(coordinator, assignment, scenario.fee)
        assignment.created_at = decided
        if scenario.outcome == "completed":
            assignments.complete_assignment(coordinator, assignment)
            assignment.ended_at = _utc(min(req.end_date, today()))
            if scenario.rating:
                officer = find_user_by_email(OFFICERS[req.municipality.lg_code])
                assignments.rate_assignment(
                    officer, assignment, scenario.rating, "庁内の調整まで丁寧に支援いただきました。"
                )
    offer.sent_at, offer.decided_at = sent, decided
    offer.reply_by = (sent + timedelta(days=7)).date()
    db.session.flush()


def _load_offers(password: str) -> None:
    requests = {r.external_id: r for r in db.session.scalars(select(SupportRequest))}
    talent = {t.external_id: t for t in db.session.scalars(select(Talent))}
    done = set(db.session.execute(select(Offer.request_id, Offer.talent_id)).all())
    for scenario in SCENARIOS:
        req, person = requests.get(scenario.request), talent.get(scenario.talent)
        if req is None or person is None or (req.id, person.id) in done:
            continue
        _play(scenario, req, person, password)


def _load_expenses() -> None:
    existing = set(
        db.session.execute(
            select(RecruitmentExpense.spent_on, RecruitmentExpense.description)
        ).all()
    )
    prefectures = {p.code: p.id for p in db.session.scalars(select(Prefecture))}
    for code, written, description, amount, vendor in EXPENSES:
        day = shift(written)
        if (day, description) not in existing:
            recruitment.add_expense(
                prefectures[code],
                recruitment.ExpenseValues(
                    spent_on=day,
                    fiscal_year=None,
                    description=description,
                    amount=amount,
                    vendor=vendor,
                ),
            )


def _load_program() -> None:
    code, name, cost, year = PROGRAM
    prefecture_id = db.session.scalar(select(Prefecture.id).where(Prefecture.code == code))
    program = db.session.scalar(
        select(TrainingProgram).where(
            TrainingProgram.prefecture_id == prefecture_id, TrainingProgram.name == name
        )
    )
    if program is None:
        program = programs.add_program(
            prefecture_id=prefecture_id,
            name=name,
            provider="岩手県",
            level="応用",
            hours=18,
            fiscal_year=shift_year(year),
            cost_per_person=cost,
            audience="dx_leader",
        )
    for lg_code, leader_name, completed_on in PROGRAM_RECORDS:
        leader = db.session.scalar(
            select(DxLeader)
            .join(DxLeader.municipality)
            .where(DxLeader.name == leader_name, Municipality.lg_code == lg_code)
        )
        if leader is None or db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.program_id == program.id, Enrollment.dx_leader_id == leader.id
            )
        ):
            continue
        record = programs.enroll(
            program=program, dx_leader=leader, enrolled_on=shift(date(2026, 6, 2))
        )
        programs.complete(record, completed_on=shift(completed_on))


#: Talent invited to log in who have not set a password yet: (external id, days ago invited).
#: The first invitation is still valid; the second expired (the link lasts 72 hours).
INVITATIONS = (("IW-T003", 1), ("IW-T011", 6))


def _load_invitations() -> None:
    coordinator = find_user_by_email(COORDINATORS["03"])
    for external_id, days_ago in INVITATIONS:
        talent = db.session.scalar(select(Talent).where(Talent.external_id == external_id))
        if talent is None or talent.user_id is not None or not talent.email:
            continue
        if db.session.scalar(select(Invitation.id).where(Invitation.talent_id == talent.id)):
            continue
        invitation = invite_talent(coordinator, talent).invitation
        shift = timedelta(days=days_ago)
        invitation.created_at -= shift
        invitation.expires_at -= shift
    db.session.flush()


def seed_support(password: str) -> list[tuple[str, str]]:
    """Load the demo history; returns (role, e-mail) of every talent login."""
    _load_offers(password)
    _load_expenses()
    _load_program()
    _load_invitations()
    request_service.expire_ended()  # the demo starts as the calendar has it
    db.session.flush()
    emails = db.session.scalars(
        select(User.email)
        .join(Talent, Talent.user_id == User.id)
        .where(User.role == Role.talent)
        .order_by(User.email)
    )
    return [(Role.talent.value, email) for email in emails]
